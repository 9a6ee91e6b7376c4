"""SIGTERM and SIGINT in the middle of writing: one line, exit 143 or 130, no traceback,
nothing left behind, every existing file byte-identical.

The commands run as real processes on a generated corpus; `tests.slow_disk` slows the
write path's disk so that the signal reliably arrives while files are being staged.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from khabar.cli import main
from khabar.eval.predictions import write_predictions
from khabar.files import STAGING_PREFIX
from khabar.labelstudio.tasks import document_to_task
from khabar.store import load_corpus
from tests.conftest import REPO
from tests.fixture_corpus import large_corpus, make_corpus, snapshot
from tests.test_labelstudio_roundtrip import exported

DOCUMENTS = 60


def _staging(folder: Path) -> list[Path]:
    return [path for path in folder.rglob(f"{STAGING_PREFIX}*")]


def _interrupt_while_writing(argv: list[str], watched: Path, signum: int) -> tuple[int, str, str]:
    """Start the CLI on a slow disk, send `signum` once it has staged a file, wait for it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.slow_disk", *argv],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 600
    try:
        while process.poll() is None and not _staging(watched):
            assert time.monotonic() < deadline, "the command never started writing"
            time.sleep(0.005)
        assert process.poll() is None, "the command finished before it could be interrupted"
        process.send_signal(signum)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode, out, err


@pytest.fixture
def big_corpus(tmp_path: Path) -> Path:
    return large_corpus(tmp_path / "corpus", DOCUMENTS)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_build_interrupted_mid_write_leaves_the_corpus_as_it_was(tmp_path, big_corpus, signum):
    before = snapshot(tmp_path)
    code, out, err = _interrupt_while_writing(["build", "--corpus", str(big_corpus)], big_corpus, signum)
    assert code == 128 + signum
    assert err == "interrupted; nothing written\n" and out == ""
    assert snapshot(tmp_path) == before
    assert _staging(tmp_path) == []


def test_build_interrupted_mid_write_over_an_earlier_build_keeps_it(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", count=DOCUMENTS)  # built: data/ and the card exist
    for path in (corpus / "documents").glob("*.txt"):  # a change the next build would publish
        path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "annotations" / "doc-0003.json").unlink()
    before = snapshot(tmp_path)
    code, _, err = _interrupt_while_writing(["build", "--corpus", str(corpus)], corpus, signal.SIGTERM)
    assert (code, err) == (143, "interrupted; nothing written\n")
    assert snapshot(tmp_path) == before


def test_ls_import_interrupted_mid_write_leaves_nothing(tmp_path, big_corpus):
    gold = load_corpus(big_corpus)
    tasks = [document_to_task(document, [("gold", document)])[0] for document in gold]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(exported(tasks), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "pulled"
    (out / "annotations").mkdir(parents=True)
    (out / "annotations" / "doc-0001.json").write_text("an earlier import\n", encoding="utf-8")
    before = snapshot(tmp_path)
    argv = ["ls", "import", str(export), "--out", str(out), "--corpus", str(big_corpus)]
    code, _, err = _interrupt_while_writing(argv, out, signal.SIGTERM)
    assert (code, err) == (143, "interrupted; nothing written\n")
    assert snapshot(tmp_path) == before


def test_a_killed_runs_staging_is_removed_by_the_next_build(tmp_path, big_corpus):
    """SIGKILL cannot be caught: the next run finds the staging and removes it, saying so."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.slow_disk", "build", "--corpus", str(big_corpus)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while process.poll() is None and not _staging(big_corpus):
            time.sleep(0.005)
        process.kill()
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
    left = _staging(big_corpus)
    assert left, "the build was not killed while writing"
    done = subprocess.run(
        [sys.executable, "-m", "khabar.cli", "build", "--corpus", str(big_corpus)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert _staging(big_corpus) == []
    for path in left:
        assert f"note: removed staging left by an interrupted run: {path}" in done.stderr.splitlines()


@pytest.mark.parametrize("out_name", ["report", "report.html"], ids=["folder", "one page"])
def test_report_interrupted_mid_write_keeps_an_earlier_report(tmp_path, big_corpus, out_name):
    """A report folder (or page) written before, then a second report interrupted while its
    pages are staged: the earlier report and the folder's other files stay byte-identical."""
    predictions = tmp_path / "pred.jsonl"
    write_predictions(predictions, load_corpus(big_corpus))
    out = tmp_path / out_name
    scoring = ["--gold", str(big_corpus), "--bootstrap", "0"]
    assert main(["report", str(predictions), *scoring, "--out", str(out), "--title", "the first report"]) == 0
    if out.is_dir():
        (out / "notes.txt").write_text("a reader's notes\n", encoding="utf-8")
    before = snapshot(tmp_path)
    argv = ["report", str(predictions), *scoring, "--out", str(out), "--title", "a second report"]
    code, _, err = _interrupt_while_writing(argv, out if out.is_dir() else tmp_path, signal.SIGTERM)
    assert (code, err) == (143, "interrupted; nothing written\n")
    assert snapshot(tmp_path) == before
    assert _staging(tmp_path) == []
