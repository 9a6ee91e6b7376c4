"""The large-prediction benchmark script runs end to end on a tiny file (a smoke test, no timing)."""

from __future__ import annotations

import json
import re

import pytest

from khabar.eval.predictions import read_predictions
from khabar.store import load_corpus
from tests.benchmark_scripts import load_benchmark


@pytest.fixture(scope="module")
def large_predictions():
    return load_benchmark("large_predictions")


def test_the_file_is_valid_and_about_the_size_asked(large_predictions, corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(tmp_path / "cache"))
    large_predictions._corpus_scale().make_corpus(corpus_dir, tmp_path / "corpus", 2)
    out = tmp_path / "predictions.jsonl"
    n_spans = large_predictions.write_predictions(tmp_path / "corpus", out, megabytes=0.1)
    gold = load_corpus(tmp_path / "corpus")
    predicted = read_predictions(out, gold)  # every line passes the reader's checks
    assert [document.id for document in predicted] == [document.id for document in gold]
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert n_spans == sum(len(line[layer]) for line in lines for layer in ("entities", "timex", "events", "quotes"))
    assert 90_000 <= out.stat().st_size <= 120_000


def test_the_script_prints_time_memory_and_size(large_predictions, corpus_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(tmp_path / "cache"))
    argv = ["--megabytes", "0.05", "--documents", "2", "--source", str(corpus_dir), "--keep", str(tmp_path / "run")]
    assert large_predictions.main(argv) == 0
    out = capsys.readouterr().out
    assert re.search(r"prediction file: [0-9.]+ MB, 2 lines, [0-9,]+ predicted spans", out)
    assert "s CPU" in out and "s wall, peak" in out and "MiB" in out
    assert re.search(r"reading alone \(parse, check, build the documents\): [0-9.]+ s CPU; json.loads", out)
