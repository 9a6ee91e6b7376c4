"""Where a command's finished result goes: standard output, or the file of `--out`."""

from __future__ import annotations

import sys
from pathlib import Path


def emit(report: str, out: Path | None) -> None:
    """Print the finished `report`, or write it to `out` whole (nothing is written before)."""
    if out is None:
        sys.stdout.write(report)
        return
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.runs.scoring import write_report

    write_report(report, out)
