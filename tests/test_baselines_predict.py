"""`khabar predict`: one JSON line per document in the annotation shape, written whole."""

from __future__ import annotations

import argparse
import json

import pytest

from khabar.commands import predict
from khabar.document import DCT, Document
from khabar.errors import InputError

GOLD = [
    Document(id="doc-a", text="وقال وزير الخارجية جان دوفال إن باريس تدعم الحل.", dct=DCT("2025-12-03", "test")),
    Document(id="doc-b", text="وصل الوفد إلى دمشق أمس.", dct=DCT("2025-12-03", "test")),
]


def run_predict(monkeypatch, **options) -> int:
    import khabar.store

    monkeypatch.setattr(khabar.store, "load_corpus", lambda _path: GOLD)
    args = argparse.Namespace(baseline="rules", out=None, corpus=None, model=None)
    for name, value in options.items():
        setattr(args, name, value)
    return predict.run(args)


def test_predict_writes_one_line_per_document(monkeypatch, tmp_path):
    out = tmp_path / "pred.jsonl"
    assert run_predict(monkeypatch, out=out) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["doc-a", "doc-b"]
    second = json.loads(lines[1])
    assert second["timex"][0]["value"] == "2025-12-02"
    assert "دمشق" in lines[1]  # not \u-escaped
    assert not list(tmp_path.glob(".*tmp"))


def test_predict_to_stdout(monkeypatch, capsys):
    assert run_predict(monkeypatch) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_unknown_baseline_and_missing_model_are_input_errors(monkeypatch):
    with pytest.raises(InputError, match="unknown baseline 'nope'"):
        run_predict(monkeypatch, baseline="nope")
    with pytest.raises(InputError, match="needs --model"):
        run_predict(monkeypatch, baseline="hf")


def test_unwritable_output_leaves_no_file(monkeypatch, tmp_path):
    out = tmp_path / "missing-dir" / "pred.jsonl"
    with pytest.raises(InputError, match=r"cannot write pred\.jsonl"):
        run_predict(monkeypatch, out=out)
    assert not out.exists()
