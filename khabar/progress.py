"""The progress callback that long library and run functions take: `progress(done, total)`.

Library code never prints (see ARCHITECTURE.md): a function whose work can take more than a
few seconds takes `progress: Progress | None = None` and calls it with the units done so far
and the units in all, after each unit (a cross-validation model, a perturbed variant, a
batch of tasks). The command draws the bar (`khabar.commands.status.progress_bar`); None
means nobody is watching, and the function skips the calls.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
