"""`run_benchmark`, the leaderboard renderers and `khabar benchmark`."""

from __future__ import annotations

import json

from khabar.baselines.leaderboard import render_markdown, render_text
from khabar.cli import main
from khabar.store import save_document
from tests.test_baselines_crf import gold_documents

REPORT = {
    "khabar_version": "0.1.0",
    "systems": {
        "rules": {
            "entities": {
                "metric": "strict",
                "f1": 0.5,
                "ci": [0.25, 0.75],
                "signature": {"boot": 10, "layer": "entities"},
            },
            "timex": {"metric": "value", "f1": None, "ci": [None, None], "signature": {"boot": 10, "layer": "timex"}},
        },
        "dateparser": {
            "timex": {"metric": "value", "f1": 1.0, "ci": [1.0, 1.0], "signature": {"boot": 10, "system": {"v": "1"}}}
        },
    },
}


def test_text_leaderboard():
    assert render_text(REPORT) == (
        "system      entities          timex\n"
        "----------  ----------------  -------------------\n"
        "rules       50.0 [25.0–75.0]  —\n"
        "dateparser  ·                 100.0 [100.0–100.0]\n"
        "\n"
        "khabar 0.1.0 — F1 (%) with 95% bootstrap interval; · = layer not predicted\n"
        "headline metrics: entities = strict; timex = value\n"
        "\n"
        "rules: boot:10\n"
        "  entities: layer:entities\n"
        "  timex: layer:timex\n"
        "dateparser: boot:10|system.v:1\n"
    )


def test_markdown_leaderboard_is_a_table_with_signatures():
    markdown = render_markdown(REPORT)
    assert markdown.startswith("| system | entities | timex |\n| --- | --- | --- |\n| rules | 50.0 [25.0–75.0] | — |\n")
    assert "```text\nrules: boot:10\n" in markdown


def test_run_benchmark_returns_the_agreed_shape():
    from khabar.runs.benchmark import run_benchmark

    report = run_benchmark(gold_documents(), bootstrap=50, seed=7)
    assert set(report) == {"khabar_version", "systems"}
    assert list(report["systems"]) == ["rules", "crf", "dateparser"]
    assert list(report["systems"]["dateparser"]) == ["timex"]
    for scores in report["systems"].values():
        for score in scores.values():
            assert set(score) == {"metric", "f1", "ci", "deterministic", "signature"}
            assert score["deterministic"] is True
            low, high = score["ci"]
            assert low is None or low <= score["f1"] <= high
            assert score["signature"]["seed"] == 7
    assert report["systems"]["crf"]["entities"]["signature"]["system"]["k"] == 5
    # Deterministic: the same call gives the same report.
    assert run_benchmark(gold_documents(), systems=["rules"], bootstrap=50) == run_benchmark(
        gold_documents(), systems=["rules"], bootstrap=50
    )


def test_benchmark_command_prints_and_writes_the_reference(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    for document in gold_documents():
        save_document(document, corpus)
    reference = tmp_path / "scores.json"
    argv = ["benchmark", "--corpus", str(corpus), "--systems", "rules,dateparser", "--bootstrap", "20"]
    assert main([*argv, "--write-reference", str(reference)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["system", "entities", "timex", "events", "quotes"]
    report = json.loads(reference.read_text(encoding="utf-8"))
    assert list(report["systems"]) == ["rules", "dateparser"]
    assert main([*argv, "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("| system | entities | timex | events | quotes |")


def test_benchmark_rejects_unknown_and_extra_needing_systems(tmp_path, capsys):
    assert main(["benchmark", "--corpus", str(tmp_path), "--systems", "rules,nope"]) == 2
    assert capsys.readouterr().err == "Error: unknown baseline 'nope' (choose from rules, crf, dateparser, hf)\n"
    assert main(["benchmark", "--corpus", str(tmp_path), "--systems", "hf"]) == 2
    assert "needs a model" in capsys.readouterr().err


def test_benchmark_on_an_empty_corpus_is_an_input_error(tmp_path, capsys):
    assert main(["benchmark", "--corpus", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"Error: {tmp_path}: no annotated documents\n"


def test_check_fails_when_a_baseline_is_sabotaged(tmp_path, capsys, monkeypatch):
    from dataclasses import replace

    from khabar.baselines import registry
    from khabar.baselines.rules import RulesTagger
    from khabar.commands.benchmark import dumps_report
    from khabar.runs.benchmark import run_benchmark

    corpus = tmp_path / "corpus"
    for document in gold_documents():
        save_document(document, corpus)
    reference = tmp_path / "scores.json"
    reference.write_text(dumps_report(run_benchmark(gold_documents(), systems=["rules"], bootstrap=100)))
    argv = ["check", "--reference", str(reference), "--gold", str(corpus)]
    assert main(argv) == 0
    capsys.readouterr()

    class Sabotaged(RulesTagger):
        def predict(self, documents):
            # Drop every other entity: the entities headline must fall.
            return [replace(pred, entities=pred.entities[::2]) for pred in super().predict(documents)]

    monkeypatch.setitem(registry.FACTORIES, "rules", lambda **_: Sabotaged())
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "regressed: " in out and "rules" in out and "entities" in out


def test_the_committed_reference_covers_every_baseline_and_its_layers(repo):
    from khabar import __version__
    from khabar.baselines import registry
    from khabar.baselines.protocol import Tagger

    reference = json.loads((repo / "baselines" / "scores.json").read_text(encoding="utf-8"))
    assert reference["khabar_version"] == __version__
    assert list(reference["systems"]) == registry.available()
    for name, scores in reference["systems"].items():
        tagger = registry.get(name)
        assert isinstance(tagger, Tagger)
        assert list(scores) == list(tagger.layers)
        for score in scores.values():
            assert score["signature"]["boot"] == 1000 and score["signature"]["system"]["system"] == name


def test_write_reference_also_rewrites_the_readme_leaderboard(tmp_path, capsys, monkeypatch):
    corpus = tmp_path / "corpus"
    for document in gold_documents():
        save_document(document, corpus)
    (tmp_path / "baselines").mkdir()
    readme = "# title\n\n<!-- leaderboard:start (generated) -->\nold table\n<!-- leaderboard:end -->\n\nafter\n"
    (tmp_path / "README.md").write_text(readme, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    argv = ["benchmark", "--systems", "rules", "--bootstrap", "20", "--write-reference"]
    assert main(argv) == 0
    report = json.loads((tmp_path / "baselines" / "scores.json").read_text(encoding="utf-8"))
    written = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert written == readme.replace("old table", render_markdown(report).rstrip("\n"))
    assert capsys.readouterr().err == "wrote baselines/scores.json\nwrote the leaderboard of README.md\n"
    # A README without the block is refused before anything is written.
    (tmp_path / "README.md").write_text("# no block\n", encoding="utf-8")
    (tmp_path / "baselines" / "scores.json").unlink()
    assert main(argv) == 2
    assert capsys.readouterr().err.endswith(
        "Error: README.md: no leaderboard block (<!-- leaderboard:start … --> … <!-- leaderboard:end -->)\n"
    )
    assert not (tmp_path / "baselines" / "scores.json").exists()
