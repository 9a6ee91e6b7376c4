"""Inputs are never outputs: an --out that resolves to an input of the command or into a
gold corpus is refused with one line, exit 2, and every file stays byte-identical."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from khabar import guard
from khabar.cli import main
from khabar.eval.predictions import write_predictions
from khabar.store import load_corpus
from tests.fixture_corpus import make_corpus, snapshot


@pytest.fixture
def project(tmp_path: Path) -> Path:
    corpus = make_corpus(tmp_path / "corpus")
    write_predictions(tmp_path / "pred.jsonl", load_corpus(corpus))
    write_predictions(tmp_path / "other.jsonl", load_corpus(corpus)[:2])
    return tmp_path


def _refused(capsys, argv: list[str], out: Path, reason: str, *watched: Path) -> None:
    before = snapshot(*watched)
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == f"Error: {out}: refusing to write: {reason}\n"
    assert snapshot(*watched) == before


SCORING = ["--bootstrap", "0"]


def _gold_file(root: Path) -> Path:
    return root / "corpus" / "annotations" / "doc-0001.json"


# (name, argv given the project folder, the refused output, the reason's start)
def _cases(root: Path) -> list[tuple[list[str], Path, str]]:
    corpus, pred, other = root / "corpus", root / "pred.jsonl", root / "other.jsonl"
    gold = _gold_file(root)
    text = corpus / "documents" / "doc-0001.txt"
    part = f"it is part of the input {corpus}"
    return [
        (["evaluate", str(pred), "--gold", str(corpus), *SCORING, "--out", str(pred)], pred, "it is an input"),
        (
            [
                "compare",
                str(pred),
                str(other),
                "--gold",
                str(corpus),
                "--bootstrap",
                "1",
                "--trials",
                "1",
                "--out",
                str(other),
            ],
            other,
            "it is an input",
        ),
        (["report", str(pred), "--gold", str(corpus), *SCORING, "--out", str(pred)], pred, "it is an input"),
        (["evaluate", str(pred), "--gold", str(corpus), *SCORING, "--out", str(gold)], gold, part),
        (["report", str(pred), "--gold", str(corpus), *SCORING, "--out", str(gold)], gold, part),
        (["export", "conll", "--corpus", str(corpus), "--out", str(gold)], gold, part),
        (["predict", "--baseline", "rules", "--corpus", str(corpus), "--out", str(gold)], gold, part),
        (["ls", "tasks", str(corpus), "--out", str(text)], text, part),
    ]


@pytest.mark.parametrize("index", range(8))
def test_an_out_naming_an_input_or_the_gold_is_refused(project, capsys, index):
    argv, out, reason = _cases(project)[index]
    reasons = {"it is an input": "it is an input of this command"}
    _refused(capsys, argv, out, reasons.get(reason, reason), project)


def test_a_gold_corpus_the_command_was_not_told_about_is_protected(project, capsys):
    other_corpus = make_corpus(project / "elsewhere" / "corpus", count=2)
    out = other_corpus / "annotations" / "doc-0002.json"
    reason = f"it is part of the gold corpus {other_corpus} (documents/, annotations/, data/ and the card)"
    argv = ["evaluate", str(project / "pred.jsonl"), "--gold", str(project / "corpus"), *SCORING, "--out", str(out)]
    _refused(capsys, argv, out, reason, project)


def test_a_symlink_to_an_input_is_refused(project, capsys):
    link = project / "scores.json"
    link.symlink_to(project / "pred.jsonl")
    argv = ["evaluate", str(project / "pred.jsonl"), "--gold", str(project / "corpus"), *SCORING, "--out", str(link)]
    _refused(capsys, argv, link, "it is an input of this command", project)


def test_ls_import_into_the_gold_corpus_is_refused(project, capsys):
    from khabar.labelstudio.tasks import document_to_task
    from tests.test_labelstudio_roundtrip import exported

    documents = load_corpus(project / "corpus")
    tasks = [document_to_task(document, [("gold", document)])[0] for document in documents]
    export = project / "export.json"
    export.write_text(json.dumps(exported(tasks), ensure_ascii=False), encoding="utf-8")
    corpus = project / "corpus"
    before = snapshot(project)
    for out in (corpus, corpus / "annotations"):
        capsys.readouterr()
        assert main(["ls", "import", str(export), "--out", str(out), "--corpus", str(corpus)]) == 2
        hint = f"write passes to {corpus / 'annotations' / 'passes'}/<annotator>/; `khabar promote` makes one gold"
        reason = "it is the gold corpus's own folder"
        assert capsys.readouterr().err == f"Error: {out}: refusing to write a pass here: {reason} ({hint})\n"
        assert snapshot(project) == before


def test_build_writes_the_data_and_the_card_of_its_corpus(project, capsys):
    corpus = project / "corpus"
    (corpus / "data" / "documents" / "test.parquet").unlink()
    gold_before = snapshot(corpus / "annotations", corpus / "documents")
    assert main(["build", "--corpus", str(corpus)]) == 0
    assert (corpus / "data" / "documents" / "test.parquet").is_file()
    assert snapshot(corpus / "annotations", corpus / "documents") == gold_before


def _gold_kept_elsewhere(project: Path) -> Path:
    """The corpus with doc-0001's annotation file moved to `kept/` and linked back, so the
    file the run reads lies outside every folder the command was told about."""
    kept = project / "kept"
    kept.mkdir()
    gold = _gold_file(project)
    gold.rename(kept / gold.name)
    gold.symlink_to(kept / gold.name)
    return kept / gold.name


def test_a_file_read_through_a_link_is_refused_where_it_lies(project, capsys):
    real = _gold_kept_elsewhere(project)
    argv = ["evaluate", str(project / "pred.jsonl"), "--gold", str(project / "corpus"), *SCORING, "--out", str(real)]
    _refused(capsys, argv, real, "it is an input of this command", project)


def test_a_hard_link_to_a_file_read_is_refused(project, capsys):
    real = _gold_kept_elsewhere(project)
    hard = real.parent / "scores.json"
    os.link(real, hard)
    argv = ["evaluate", str(project / "pred.jsonl"), "--gold", str(project / "corpus"), *SCORING, "--out", str(hard)]
    _refused(capsys, argv, hard, "it is an input of this command", project)


def test_a_new_file_beside_a_file_read_is_written(project, capsys):
    real = _gold_kept_elsewhere(project)
    out = real.parent / "scores.json"
    argv = ["evaluate", str(project / "pred.jsonl"), "--gold", str(project / "corpus"), *SCORING, "--out", str(out)]
    assert main([*argv, "--format", "json"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["signature"]


INPUT = "it is an input of this command"


def test_a_file_declared_after_the_first_write_check_is_refused(tmp_path):
    first, other, later = (tmp_path / name for name in ("first.json", "other.json", "later.json"))
    for path in (first, other, later):
        path.write_text("{}", encoding="utf-8")
    with guard.guarded([]):
        guard.declare_inputs(first)
        assert guard.refusal(other) is None  # exists, never read: its check identifies `first`
        guard.declare_inputs(later)
        assert guard.refusal(later) == INPUT
        assert guard.refusal(first) == INPUT


@pytest.mark.parametrize("change", ["replaced", "removed"])
def test_a_file_read_then_replaced_or_removed_is_still_refused_by_its_path(tmp_path, change):
    read, other = tmp_path / "read.json", tmp_path / "other.json"
    read.write_text("{}", encoding="utf-8")
    other.write_text("{}", encoding="utf-8")
    with guard.guarded([]):
        guard.declare_inputs(read)
        assert guard.refusal(other) is None  # the declared file is identified here, by its inode
        if change == "replaced":
            replacement = tmp_path / "new.json"
            replacement.write_text("[]", encoding="utf-8")
            os.replace(replacement, read)  # another inode at the path read
        else:
            read.unlink()
        assert guard.refusal(read) == INPUT
        assert guard.refusal(tmp_path / "new-name.json") is None
