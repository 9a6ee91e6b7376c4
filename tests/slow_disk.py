"""Run the khabar CLI on a slow disk: every write of the write path is cut into 4 KiB
chunks with a pause after each, so that a test can interrupt a command while it is in the
middle of writing (`python -m tests.slow_disk build --corpus …`). Only the pace changes:
the bytes, the staging and the signals are the real ones."""

from __future__ import annotations

import sys
import time

from khabar import files

CHUNK = 4096
PAUSE = 0.02
_write_all = files._write_all


def _slow_write_all(handle: int, data: bytes) -> None:
    for start in range(0, len(data), CHUNK):
        _write_all(handle, data[start : start + CHUNK])
        time.sleep(PAUSE)


if __name__ == "__main__":
    files._write_all = _slow_write_all
    from khabar.cli import main

    sys.exit(main(sys.argv[1:]))
