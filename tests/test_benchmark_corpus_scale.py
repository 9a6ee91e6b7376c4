"""The corpus-scale benchmark script runs end to end on a tiny corpus (a smoke test, no timing)."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import pytest
import seqeval.metrics

import khabar.eval
from khabar.eval.predictions import write_predictions
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
    assert "(the median of 2 pairs of runs side by side, " in out


def test_commands_run_with_their_bytecode_kept_and_the_kernel_with_the_script_s_objects_frozen(
    corpus_scale, corpus_dir, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    frozen_while_scoring = []
    score_tags = khabar.eval.score_tags

    def spied(*args, **kwargs):
        frozen_while_scoring.append(gc.get_freeze_count())
        return score_tags(*args, **kwargs)

    monkeypatch.setattr(khabar.eval, "score_tags", spied)
    argv = ["--sizes", "1", "--commands", "evaluate", "--source", str(corpus_dir), "--repeat", "1"]
    argv += ["--keep", str(tmp_path)]
    assert corpus_scale.main(argv) == 0
    assert "modules compiled to bytecode beforehand" in capsys.readouterr().out
    environment = corpus_scale.command_environment(tmp_path / "bytecode")
    assert "PYTHONDONTWRITEBYTECODE" not in environment
    assert environment["PYTHONPYCACHEPREFIX"] == str(tmp_path / "bytecode")
    compiled = {path.name.split(".")[0] for path in (tmp_path / "bytecode").rglob("*.pyc")}
    assert {"harness", "goldrows", "cli"} <= compiled  # the warm-up run compiled khabar's modules
    assert len(frozen_while_scoring) == 4 and min(frozen_while_scoring) > 0  # one call per layer, all frozen
    assert gc.get_freeze_count() == 0  # and returned to the collector afterwards


def test_evaluate_and_the_kernel_run_in_turn_and_the_ratio_is_the_median_of_the_pairs(
    corpus_scale, corpus_dir, tmp_path, monkeypatch
):
    rules = tmp_path / "rules.jsonl"
    write_predictions(rules, load_corpus(corpus_dir))
    runs: list[str] = []
    # Pairs whose own ratios are 2, 3 and 10: the median ratio is 3.0 (the medians' ratio would be 4.5).
    evaluate_cpus = iter([4.0, 30.0, 9.0])
    kernel_cpus = iter([2.0, 10.0, 0.9])
    clock = [0.0]  # the script's CPU clock: a kernel run takes the next kernel time

    def run_evaluate() -> float:
        runs.append("evaluate")
        return next(evaluate_cpus)

    score_tags = khabar.eval.score_tags

    def kernel_layer(*args, **kwargs):
        runs.append("kernel")
        if runs.count("kernel") % 4 == 0:  # a kernel run is its four layers
            clock[0] += next(kernel_cpus)
        return score_tags(*args, **kwargs)

    def seqeval_report(*args, **kwargs):
        clock[0] += 1.0
        return report(*args, **kwargs)

    report = seqeval.metrics.classification_report
    monkeypatch.setattr(khabar.eval, "score_tags", kernel_layer)
    monkeypatch.setattr(seqeval.metrics, "classification_report", seqeval_report)
    monkeypatch.setattr(corpus_scale, "time", SimpleNamespace(process_time=lambda: clock[0]))
    lines = corpus_scale.kernel_ratio(corpus_dir, rules, run_evaluate, 3)
    assert runs == (["evaluate"] + ["kernel"] * 4) * 3  # in turn
    text = "\n".join(lines)
    assert "9.00 s CPU (median of 3, 4.00–30.00)" in text
    assert "2.00 s (median of 3, 0.90–10.00) → ratio 3.00× " in text
    assert "(the median of 3 pairs of runs side by side, 2.00–10.00)" in text
