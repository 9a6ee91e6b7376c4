"""The corpus-scale benchmark script runs end to end on a tiny corpus (a smoke test, no timing)."""

from __future__ import annotations

import pytest

from khabar.store import load_corpus
from tests.benchmark_scripts import load_benchmark


@pytest.fixture(scope="module")
def corpus_scale():
    return load_benchmark("corpus_scale")


def test_synthetic_documents_are_valid_distinct_and_keep_the_gold_density(corpus_scale, corpus_dir, tmp_path):
    tokens = corpus_scale.make_corpus(corpus_dir, tmp_path / "c", 3)
    documents = load_corpus(tmp_path / "c")  # validated: every span still equals its text
    sources = load_corpus(corpus_dir)
    assert [document.id for document in documents] == ["doc-00001", "doc-00002", "doc-00003"]
    assert len({document.text for document in documents}) == 3
    assert tokens > 0
    source = sources[0]
    for document in documents[:: len(sources)]:
        assert sorted(document.text.splitlines()) == sorted(line for line in source.text.splitlines() if line.strip())
        assert len(document.entities) == len(source.entities) and len(document.events) == len(source.events)
        assert sorted(e.text for e in document.entities) == sorted(e.text for e in source.entities)


def test_the_script_prints_the_growth_table_and_the_kernel_ratio(corpus_scale, corpus_dir, capsys):
    commands = "validate,predict-rules,evaluate"
    argv = ["--sizes", "1,2", "--commands", commands, "--source", str(corpus_dir), "--repeat", "2"]
    assert corpus_scale.main(argv) == 0
    out = capsys.readouterr().out
    assert "| validate |" in out and "| evaluate |" in out
    assert "scoring kernel" in out and "seqeval classification_report" in out
    assert out.count("(median of 2, ") == 2  # evaluate and the kernel, each run twice
