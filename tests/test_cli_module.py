"""`python -m khabar` is the `khabar` command."""

from __future__ import annotations

import subprocess
import sys

from khabar import __version__


def test_python_m_khabar_runs_the_command(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "khabar", "--version"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"khabar {__version__}\n", "")
