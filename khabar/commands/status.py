"""What a command says besides its result: status lines, warnings and progress bars, on standard error.

A result goes to standard output (or to `--out`); everything else a command says goes through
here, so `--quiet` means the same on every command. It counts, as pip's `-q` does:

- `-q` silences status — what was written where, counts, "ok", progress bars;
- `-qq` also silences warnings and notes about the input (a document without predictions, a
  span that cannot be aligned), which stay by default and under `-q` because they can change
  what a result means (ruff's single `-q` drops them too; pip keeps them until `-qq`);
- errors are never silenced, and neither is the exit code.

The library never prints: it returns its notes and warnings, and takes a progress callback
`progress(done, total)` that `progress_bar` provides. The bar is drawn by tqdm on standard
error, only when standard error is a terminal and status is not silenced, so a redirected or
piped run never holds bar characters.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

# The `-q` count from which each kind of line is silenced.
STATUS = 1
WARNINGS = 2

_quiet = 0


def set_quiet(level: int) -> None:
    """Set the `-q` count of the run (0: say everything)."""
    global _quiet
    _quiet = max(0, int(level))


def quiet() -> int:
    return _quiet


def _say(line: str, silenced_from: int | None) -> None:
    if silenced_from is None or _quiet < silenced_from:
        print(line, file=sys.stderr)


def status(line: str) -> None:
    """A status line: what was done or written (silenced by `-q`)."""
    _say(line, STATUS)


def warning(line: str) -> None:
    """A warning about the input or the result, printed as `Warning: line` (silenced by `-qq`)."""
    _say(f"Warning: {line}", WARNINGS)


def note(lines: Iterable[str]) -> None:
    """A reader's or a run's notes, one `Note: line` each (silenced by `-qq`)."""
    for line in lines:
        _say(f"Note: {line}", WARNINGS)


def remark(line: str) -> None:
    """A warning-level line printed as it is (it carries its own prefix; silenced by `-qq`)."""
    _say(line, WARNINGS)


def error(line: str) -> None:
    """An error line, or a detail of one: never silenced."""
    _say(line, None)


def progress_shown() -> bool:
    """Whether a progress bar would be drawn: standard error is a terminal and status is not silenced."""
    isatty = getattr(sys.stderr, "isatty", None)
    return _quiet < STATUS and callable(isatty) and bool(isatty())


@contextmanager
def progress_bar(description: str, unit: str = "it") -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on standard error, as the callback `update(done, total)` a run function
    takes; None (the run skips its reports) when no bar is shown (see `progress_shown`)."""
    if not progress_shown():
        yield None
        return
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from tqdm import tqdm

    with tqdm(desc=description, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True) as bar:

        def update(done: int, total: int) -> None:
            changed = bar.total != total
            bar.total = total
            bar.update(done - bar.n)
            if changed or done >= total:  # tqdm redraws at most every 0.1 s: show the total and the end
                bar.refresh()

        yield update
