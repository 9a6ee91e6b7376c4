"""`khabar evaluate` through the CLI: exact stderr and exit codes, no partial output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from khabar.cli import main
from khabar.eval.predictions import write_predictions
from khabar.store import save_document
from khabar.views import token_view
from tests.eval_helpers import TEXT, document, entity, timex

GOLD = document(
    entities=(entity(TEXT, "T1", "الرياض", "GPE"), entity(TEXT, "T2", "محمد بن سلمان", "PER")),
    timex=(timex(TEXT, "X1", "يوم ٢٤ نوفمبر", "DATE", "2025-11-24"),),
)
OTHER = document("نص آخر عن ٢٠٢٥.", doc_id="doc-0002", entities=())


@pytest.fixture
def gold_dir(tmp_path):
    folder = tmp_path / "gold"
    save_document(GOLD, folder)
    save_document(OTHER, folder)
    return folder


def run(capsys, *argv):
    code = main(list(map(str, argv)))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_evaluate_prints_tables_with_signatures(tmp_path, gold_dir, capsys):
    pred = tmp_path / "pred.jsonl"
    write_predictions(pred, [GOLD, OTHER])
    code, out, err = run(capsys, "evaluate", pred, "--gold", gold_dir, "--bootstrap", "50")
    assert (code, err) == (0, "")
    assert out.startswith("entities — exact micro F1 (IOB2 strict): 100.0 [100.0, 100.0]\n")
    assert out.count("khabar:0.1.0|corpus:") == 8  # two tables per layer, each with its signature
    assert "|unit:sentence-by-document|boot:50|seed:7\n" in out


def test_evaluate_json_to_a_file(tmp_path, gold_dir, capsys):
    pred = tmp_path / "pred.jsonl"
    write_predictions(pred, [GOLD])
    out_file = tmp_path / "scores.json"
    code, out, err = run(capsys, "evaluate", pred, "--gold", gold_dir, "--format", "json", "--out", out_file)
    assert (code, out) == (0, "")
    assert err == (f"Warning: {pred}: predictions cover 1 of 2 documents; scored as nothing predicted for doc-0002\n")
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert list(data) == ["signature", "headline", "layers", "not_predicted", "warnings"]
    assert data["headline"]["entities"]["f1"] == 1.0
    assert data["signature"]["boot"] == 1000 and data["signature"]["unit"] == "sentence-by-document"


def test_evaluate_sentence_level_tags(tmp_path, gold_dir, capsys):
    views, _ = token_view(GOLD)
    lines = [json.dumps({"id": view.id, "ner_tags": view.tags["entities"]}) for view in views]
    pred = tmp_path / "tags.jsonl"
    pred.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "evaluate", pred, "--gold", gold_dir, "--layers", "entities", "--format", "json")
    assert code == 0
    assert json.loads(out)["headline"]["entities"]["f1"] == 1.0


def test_normalize_matches_spans_that_differ_by_a_diacritic(tmp_path, capsys):
    text = "وصل الرئيسُ إلى الرياض"
    gold = document(text, entities=(entity(text, "T1", "الرئيسُ", "OCC"),))
    pred = document(text, entities=(entity(text, "T1", "الرئيس", "OCC"),))
    folder = tmp_path / "gold"
    save_document(gold, folder)
    path = tmp_path / "pred.jsonl"
    write_predictions(path, [pred])
    base = ["evaluate", path, "--gold", folder, "--layers", "entities", "--format", "json", "--bootstrap", "0"]
    _, out, _ = run(capsys, *base)
    raw = json.loads(out)["layers"]["entities"]["metrics"]["span-strict"]["micro"]["f1"]
    _, out, _ = run(capsys, *base, "--normalize")
    normalized = json.loads(out)["layers"]["entities"]["metrics"]["span-strict"]
    assert (raw, normalized["micro"]["f1"]) == (0.0, 1.0)
    assert normalized["signature"]["normalize"].startswith("ar-ortho")


def doc_line(**layers) -> bytes:
    return json.dumps({"id": "doc-0001", **layers}, ensure_ascii=False).encode()


def tag_line(last_tag: str, n_tags: int = 18) -> bytes:
    return json.dumps({"id": "doc-0001-s000", "ner_tags": ["O"] * (n_tags - 1) + [last_tag]}).encode()


GPE = {"type": "GPE"}
BAD = [
    (b"{not json}\n", "line 1: not JSON (Expecting property name enclosed in double quotes, column 2)"),
    (b'{"id": "doc-0001", "source": "\xff"}', "line 1: not UTF-8 (byte 31)"),
    (b'{"id": "doc-0009"}', "line 1: id: unknown document or sentence id 'doc-0009'"),
    (b'{"id": "doc-0001"}\n{"id": "doc-0001"}', "line 2: id: duplicate id 'doc-0001' (first on line 1)"),
    (b'{"entities": []}', "line 1: id: missing id"),
    (tag_line("O", 1), "line 1: ner_tags: 1 tags for 18 tokens"),
    (tag_line("S-PER"), "line 1: ner_tags/17: invalid tag 'S-PER' (expected O, B-LABEL or I-LABEL)"),
    (tag_line("B-CITY"), "line 1: ner_tags/17: unknown type 'CITY' in tag 'B-CITY'"),
    (
        doc_line(entities=[{"start": 5, "end": 500, **GPE}]),
        "line 1: /entities/0/end: end 500 is beyond the text (length {n})",
    ),
    (doc_line(entities=[{"start": 5, "end": 5, **GPE}]), "line 1: /entities/0: start 5 must be less than end 5"),
    (
        doc_line(entities=[{"start": 0, "end": 3, "text": "xyz", **GPE}]),
        "line 1: /entities/0/text: 'xyz' does not equal the text at [0, 3) 'قال'",
    ),
    (
        doc_line(quotes=[{"kind": "said", "content": {"start": 0, "end": 3}}]),
        "line 1: /quotes/0/kind: unknown quote kind 'said'",
    ),
    (b'{"id": "doc-0001-s000"}\n{"id": "doc-0001-s099"}', "line 2: id: unknown sentence id 'doc-0001-s099'"),
    (b'{"id": "doc-0001-s000"}\n{"id": "doc-0001-s000"}', "line 2: id: duplicate id 'doc-0001-s000' (first on line 1)"),
    (
        b'{"id": "doc-0001", "timex": [{"start": 0, "end": 3, "type": "DAY", "value": "X"}]}',
        "line 1: /timex/0/type: unknown timex type 'DAY'",
    ),
    (b"", "empty file (no predictions)"),
]


@pytest.mark.parametrize(("content", "message"), BAD)
def test_bad_input_is_one_line_exit_2_and_no_output_file(tmp_path, gold_dir, capsys, content, message):
    pred = tmp_path / "pred.jsonl"
    pred.write_bytes(content)
    out_file = tmp_path / "scores.json"
    code, out, err = run(capsys, "evaluate", pred, "--gold", gold_dir, "--out", out_file)
    separator = "" if message.startswith("line") else " "
    assert err == f"Error: {pred}:{separator}{message.format(n=len(TEXT))}\n"
    assert (code, out) == (2, "")
    assert not out_file.exists()


def test_missing_gold_folder(tmp_path, capsys):
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"id": "doc-0001"}\n', encoding="utf-8")
    code, out, err = run(capsys, "evaluate", pred, "--gold", tmp_path / "nowhere")
    assert (code, out, err) == (2, "", f"Error: no such gold folder: {tmp_path / 'nowhere'}\n")


def test_bad_input_through_a_real_process(tmp_path, gold_dir):
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"id": "doc-0001"}\n{"id": \n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "khabar.cli", "evaluate", str(pred), "--gold", str(gold_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"Error: {pred}:line 2: not JSON (Expecting value, column 8)\n"


def test_an_unwritable_output_file_is_one_line(tmp_path, gold_dir, capsys):
    pred = tmp_path / "pred.jsonl"
    write_predictions(pred, [GOLD])
    out_file = tmp_path / "missing-folder" / "scores.json"
    code, out, err = run(capsys, "evaluate", pred, "--gold", gold_dir, "--bootstrap", "0", "--out", out_file)
    assert (code, out) == (2, "")
    assert err.endswith(f"Error: {out_file}: cannot write: No such file or directory\n")


def test_a_misspelt_layer_is_exit_2_with_a_suggestion(tmp_path, gold_dir, capsys):
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "doc-0001", "entites": []}) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "evaluate", pred, "--gold", gold_dir)
    assert (code, out) == (2, "")
    assert err == f"Error: {pred}:line 1: /entites: unknown field 'entites' (did you mean 'entities'?)\n"


def test_unrepresentable_predicted_spans_are_warned_on_stderr(tmp_path, gold_dir, capsys):
    from dataclasses import replace

    pred = tmp_path / "pred.jsonl"
    duplicate = entity(TEXT, "D1", "الرياض", "ORG")
    write_predictions(pred, [replace(GOLD, entities=(*GOLD.entities, duplicate)), OTHER])
    code, out, err = run(capsys, "evaluate", pred, "--gold", gold_dir, "--bootstrap", "0")
    assert code == 0 and out
    assert (
        f"Warning: {pred}: 1 predicted span(s) of the entities layer cannot be represented in the flat IOB2 view" in err
    )
