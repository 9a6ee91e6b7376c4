"""Progress bars: drawn on standard error when it is a terminal, never when it is redirected
or under `--quiet`; the library reports progress through a callback and prints nothing."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from khabar.baselines.crf import CrfTagger
from khabar.cli import main
from khabar.commands import status
from khabar.runs.validate import validate_paths
from khabar.store import load_corpus
from tests.fixture_corpus import make_corpus


class Terminal(io.StringIO):
    """A standard error that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def run_on_terminal(argv: list[str], cwd: Path) -> tuple[int, str, bytes]:
    """Run `python -m khabar ARGV` with its standard error on a pseudo-terminal: (exit, stdout, terminal bytes)."""
    controller, terminal = pty.openpty()
    # A new pseudo-terminal is 0 columns wide; a real one has a size.
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    child = subprocess.Popen(
        [sys.executable, "-m", "khabar", *argv],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=terminal,
    )
    os.close(terminal)
    seen = bytearray()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the child closed the terminal: it has ended
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    out, _ = child.communicate(timeout=60)
    return child.returncode, out.decode("utf-8"), bytes(seen)


def test_crf_reports_every_model_to_its_callback(tmp_path) -> None:
    documents = load_corpus(make_corpus(tmp_path / "corpus", count=4, built=False))
    seen: list[tuple[int, int]] = []
    with_progress = CrfTagger(n_jobs=1).predict(documents, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen == [(done, seen[0][1]) for done in range(1, seen[0][1] + 1)]
    assert with_progress == CrfTagger(n_jobs=1).predict(documents)  # reporting changes nothing


def test_no_bar_when_standard_error_is_not_a_terminal(tmp_path, capsys) -> None:
    corpus = make_corpus(tmp_path / "corpus", count=3, built=False)
    out = tmp_path / "crf.jsonl"
    assert main(["predict", "--system", "crf", "--corpus", str(corpus), "--out", str(out)]) == 0
    assert capsys.readouterr().err == f"crf: 3 documents → {out}\n"  # no bar, no carriage return


@pytest.mark.parametrize("quiet", [0, 1])
def test_the_shared_bar_follows_the_terminal_and_quiet(quiet, monkeypatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    status.set_quiet(quiet)
    try:
        with status.progress_bar("scoring", unit="unit") as update:
            assert (update is None) == bool(quiet)
            if update is not None:
                for done in range(1, 4):
                    update(done, 3)
    finally:
        status.set_quiet(0)
    drawn = terminal.getvalue()
    if quiet:
        assert drawn == ""
    else:
        assert "scoring" in drawn and "3/3" in drawn and "\r" in drawn
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    with status.progress_bar("scoring") as update:
        assert update is None


def test_predict_crf_draws_a_bar_on_a_terminal_and_none_under_quiet(tmp_path) -> None:
    corpus = make_corpus(tmp_path / "corpus", count=4, built=False)
    code, out, drawn = run_on_terminal(["predict", "--system", "crf", "--corpus", str(corpus)], tmp_path)
    assert code == 0, drawn
    text = drawn.decode("utf-8", "replace")
    assert "predict crf" in text and "step" in text and "\r" in text
    assert text.rstrip().endswith("crf: 4 documents → standard output")
    quiet_code, quiet_out, quiet_drawn = run_on_terminal(
        ["predict", "--system", "crf", "--corpus", str(corpus), "-q"], tmp_path
    )
    assert (quiet_code, quiet_out, quiet_drawn) == (0, out, b"")
    assert [line for line in out.splitlines() if line] and "\r" not in out  # the result never holds the bar


def test_validation_reports_every_file(tmp_path) -> None:
    corpus = make_corpus(tmp_path / "corpus", count=3, built=False)
    seen: list[tuple[int, int]] = []
    files, documents, problems = validate_paths([corpus], lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)] and len(files) == len(documents) == 3 and problems == []
