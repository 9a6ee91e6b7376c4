"""Every command that writes a file: an unwritable target is a one-line error, exit 2, nothing written."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from khabar.cli import main
from khabar.eval.predictions import write_predictions
from khabar.files import write_atomically
from khabar.store import load_corpus, save_document
from tests.corpus_samples import mixed_script_sample
from tests.test_labelstudio_roundtrip import exported, hand_made

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    save_document(mixed_script_sample(), corpus)
    return corpus


def _export(tmp_path: Path) -> Path:
    corpus = tmp_path / "ls-corpus"
    save_document(hand_made(), corpus)
    tasks_path = tmp_path / "tasks.json"
    assert main(["ls", "tasks", str(corpus), "--with-gold", "--out", str(tasks_path)]) == 0
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported(tasks), ensure_ascii=False), encoding="utf-8")
    return path


def _predictions(tmp_path: Path) -> Path:
    corpus = _corpus(tmp_path)
    path = tmp_path / "pred.jsonl"
    write_predictions(path, load_corpus(corpus))
    return path


# Each command: (the arguments given a fresh tmp_path and the output target).
COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "export conll": lambda tmp, out: ["export", "conll", "--corpus", str(_corpus(tmp)), "--out", str(out)],
    "build": lambda tmp, out: ["build", "--corpus", str(_corpus(tmp)), "--out", str(out)],
    "perturb": lambda tmp, out: ["perturb", "tatweel", "--corpus", str(_corpus(tmp)), "--out", str(out)],
    "report page": lambda tmp, out: [
        "report",
        str(_predictions(tmp)),
        "--gold",
        str(tmp / "corpus"),
        "--bootstrap",
        "0",
        "--out",
        str(out),
    ],
    "report folder": lambda tmp, out: [
        "report",
        str(_predictions(tmp)),
        "--gold",
        str(tmp / "corpus"),
        "--bootstrap",
        "0",
        "--out",
        str(out),
    ],
    "predict": lambda tmp, out: ["predict", "--baseline", "rules", "--corpus", str(_corpus(tmp)), "--out", str(out)],
    "ls config": lambda tmp, out: ["ls", "config", "--out", str(out)],
    "ls tasks": lambda tmp, out: ["ls", "tasks", str(_corpus(tmp)), "--out", str(out)],
    "ls import": lambda tmp, out: [
        "ls",
        "import",
        str(_export(tmp)),
        "--out",
        str(out),
        "--corpus",
        str(tmp / "ls-corpus"),
    ],
}
# Commands whose --out is a folder rather than a file.
FOLDER_TARGETS = {"build", "perturb", "ls import", "report folder"}
# The target's name, when the command reads its kind from it (`report`: a page ends in .html).
TARGET_NAMES = {"report page": "target.html"}


def _files(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")}


def _assert_one_line_error(capsys: pytest.CaptureFixture[str], target: Path) -> None:
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"Error: {target}") and "Traceback" not in err[0], err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_folder_in_place_of_the_output_file(command: str, tmp_path: Path, capsys) -> None:
    """A file target that is a folder; a folder target whose place a file takes."""
    out = tmp_path / TARGET_NAMES.get(command, "target")
    if command in FOLDER_TARGETS:
        out.write_text("a file, not a folder", encoding="utf-8")
    else:
        (out / "inside").mkdir(parents=True)
    arguments = COMMANDS[command](tmp_path, out)
    capsys.readouterr()
    before = _files(tmp_path)
    assert main(arguments) == 2
    _assert_one_line_error(capsys, out)
    assert _files(tmp_path) == before


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_output_under_a_file(command: str, tmp_path: Path, capsys) -> None:
    """A target whose parent is a regular file cannot be written, even by root."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / TARGET_NAMES.get(command, "target")
    arguments = COMMANDS[command](tmp_path, out)
    capsys.readouterr()
    before = _files(tmp_path)
    assert main(arguments) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("Error: ") and "Traceback" not in err[0], err
    assert str(blocker) in err[0], err
    assert _files(tmp_path) == before


@pytest.mark.skipif(ROOT, reason="root writes into read-only folders")
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_output_in_a_read_only_folder(command: str, tmp_path: Path, capsys) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    out = locked / TARGET_NAMES.get(command, "target")
    arguments = COMMANDS[command](tmp_path, out)
    capsys.readouterr()
    locked.chmod(0o500)
    try:
        assert main(arguments) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and err[0].startswith("Error: ") and "ermission" in err[0], err
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_export_conll_into_a_folder_is_exact(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert main(COMMANDS["export conll"](tmp_path, out)) == 2
    assert capsys.readouterr().err == f"Error: {out}: cannot write: Is a directory\n"
    assert list(out.iterdir()) == []


def test_pull_export_into_a_folder_writes_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    from khabar.labelstudio import client

    export = json.loads(_export(tmp_path).read_text(encoding="utf-8"))
    monkeypatch.setattr(client, "Session", lambda url: type("S", (), {"url": url})())
    monkeypatch.setattr(client, "pull", lambda session, title: (3, export))
    raw = tmp_path / "raw"
    raw.mkdir()
    out = tmp_path / "pulled"
    capsys.readouterr()
    assert main(["ls", "pull", "--url", "http://x", "--out", str(out), "--export", str(raw)]) == 2
    assert capsys.readouterr().err == f"Error: {raw}: cannot write: Is a directory\n"
    assert list(raw.iterdir()) == [] and not out.exists()


def test_write_atomically_leaves_no_temporary_file_on_failure(tmp_path: Path, monkeypatch) -> None:
    from khabar.errors import InputError

    def refuse(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InputError, match="cannot write: Permission denied"):
        write_atomically(tmp_path / "out.txt", "نص 😀")
    assert list(tmp_path.iterdir()) == []
