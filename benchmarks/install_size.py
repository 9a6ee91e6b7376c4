"""Install weight of khabar: the core (what scoring needs) against the full install.

For each requirement (default: `.` and `.[all]`) makes a fresh virtual environment,
times `pip install REQUIREMENT` in it, and counts the distributions installed (pip and
setuptools, which every venv has, left out) and the environment's size on disk. Prints a
Markdown table with the ratio of the full install to the core.

The time depends on the network and on pip's cache (a warm cache makes both faster), so
compare the two rows of one run, not runs on different machines.

Usage: `python benchmarks/install_size.py [--source DIR] [REQUIREMENT ...]`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = {"pip", "setuptools"}


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def measure(requirement: str, source: Path) -> tuple[int, float, int]:
    """(distributions installed, seconds, bytes on disk) of a fresh venv with `requirement`."""
    with tempfile.TemporaryDirectory(prefix="khabar-install-") as folder:
        venv = Path(folder) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        started = time.perf_counter()
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", requirement], cwd=source, check=True, capture_output=True
        )
        seconds = time.perf_counter() - started
        listed = subprocess.run(
            [str(python), "-m", "pip", "list", "--format=freeze"], check=True, capture_output=True, text=True
        ).stdout.split()
        packages = [line.split("==")[0].lower() for line in listed if "==" in line]
        return len([name for name in packages if name not in BASE]), seconds, folder_size(venv)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requirements", nargs="*", default=[".", ".[all]"])
    parser.add_argument("--source", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    rows = [(requirement, *measure(requirement, args.source)) for requirement in args.requirements]
    print("| `pip install …` | packages | time (s) | size on disk (MB) |")
    print("| --- | ---: | ---: | ---: |")
    for requirement, packages, seconds, size in rows:
        print(f"| `{requirement}` | {packages} | {seconds:.0f} | {size / 1e6:.0f} |")
    if len(rows) > 1:
        (_, core_packages, core_seconds, core_size), (_, full_packages, full_seconds, full_size) = rows[0], rows[-1]
        print(
            f"\n`{rows[-1][0]}` / `{rows[0][0]}`: {full_packages / core_packages:.1f}× the packages, "
            f"{full_seconds / core_seconds:.1f}× the time, {full_size / core_size:.1f}× the disk."
        )


if __name__ == "__main__":
    main()
