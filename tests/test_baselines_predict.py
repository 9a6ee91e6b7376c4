"""`khabar predict`: one JSON line per document in the annotation shape."""

from __future__ import annotations

import json

from khabar.cli import main
from khabar.document import DCT, Document
from khabar.eval.predictions import read_predictions
from khabar.store import save_document

GOLD = [
    Document(id="doc-a", text="وقال وزير الخارجية جان دوفال إن باريس تدعم الحل.", dct=DCT("2025-12-03", "test")),
    Document(id="doc-b", text="وصل الوفد إلى دمشق أمس.", dct=DCT("2025-12-03", "test")),
]


def corpus(tmp_path):
    folder = tmp_path / "corpus"
    for document in GOLD:
        save_document(document, folder)
    return folder


def test_predict_writes_one_line_per_document_that_evaluate_reads(tmp_path, capsys):
    out = tmp_path / "pred.jsonl"
    assert main(["predict", "--baseline", "rules", "--corpus", str(corpus(tmp_path)), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"rules: 2 documents → {out}\n")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["doc-a", "doc-b"]
    assert json.loads(lines[1])["timex"][0]["value"] == "2025-12-02"
    assert "دمشق" in lines[1]  # not \\u-escaped
    pred = read_predictions(out, GOLD)
    assert [document.id for document in pred] == ["doc-a", "doc-b"]


def test_unknown_baseline_and_missing_model_are_one_line_errors(tmp_path, capsys):
    folder = str(corpus(tmp_path))
    assert main(["predict", "--baseline", "nope", "--corpus", folder]) == 2
    assert capsys.readouterr().err == "Error: unknown baseline 'nope' (choose one of rules, crf, dateparser, hf)\n"
    assert main(["predict", "--baseline", "hf", "--corpus", folder]) == 2
    assert "needs --model" in capsys.readouterr().err
    assert main(["predict", "--baseline", "rules", "--model", "x", "--corpus", folder]) == 2
    assert capsys.readouterr().err == "Error: --model applies to the hf baseline only, not rules\n"


def test_unwritable_output_is_an_input_error(tmp_path, capsys):
    out = tmp_path / "missing-dir" / "pred.jsonl"
    assert main(["predict", "--baseline", "rules", "--corpus", str(corpus(tmp_path)), "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"Error: {out}: cannot write: No such file or directory\n"
    assert not out.exists()
