"""The robustness table: drops per perturbation, rendered and plotted from one mapping."""

from __future__ import annotations

from khabar.eval.robustness import drops_in_points, render_robustness
from khabar.perturb import PERTURBATIONS

DATA = {
    "khabar_version": "0.1.0",
    "perturbation_seed": 7,
    "bootstrap": 10,
    "seed": 7,
    "perturbations": {"tatweel": "…", "hamza": "…"},
    "systems": {
        "rules": {
            "entities": {
                "metric": "exact micro F1 (IOB2 strict)",
                "clean": {"f1": 0.5, "ci": [0.4, 0.6]},
                "variants": {
                    "tatweel": {"f1": 0.25, "ci": [0.1, 0.3], "drop": 0.25},
                    "hamza": {"f1": None, "ci": None, "drop": None},
                },
            }
        }
    },
}


def test_drops_in_points():
    assert drops_in_points(DATA, "entities") == {"rules": {"tatweel": (25.0, None, None), "hamza": (None, None, None)}}
    assert drops_in_points(DATA, "timex") == {}


def test_rendered_table():
    assert render_robustness(DATA).splitlines()[:3] == [
        "| system | layer | metric | clean F1 | tatweel (drop) | hamza (drop) |",
        "|---|---|---|---|---|---|",
        "| rules | entities | exact micro F1 (IOB2 strict) | 50.0 | 25.0 (+25.0) | n/a (n/a) |",
    ]


def test_robustness_agrees_with_the_benchmark_and_the_harness(corpus_dir):
    from khabar.baselines.registry import get
    from khabar.eval import evaluate
    from khabar.perturb import perturb_corpus
    from khabar.runs.benchmark import robustness, run_benchmark
    from khabar.store import load_corpus

    gold = load_corpus(corpus_dir)
    data = robustness(gold, ["rules"], ["zero-width"], bootstrap=20, seed=3)
    leaderboard = run_benchmark(gold, systems=["rules"], bootstrap=20, seed=3)["systems"]["rules"]
    variant = perturb_corpus(gold, "zero-width")
    tagger = get("rules")
    on_variant = evaluate(variant, tagger.predict(variant), layers=tagger.layers, bootstrap=20, seed=3)
    assert set(data["systems"]["rules"]) == set(leaderboard)
    for layer, row in data["systems"]["rules"].items():
        assert row["clean"]["f1"] == leaderboard[layer]["f1"]
        assert row["clean"]["ci"] == leaderboard[layer]["ci"]
        cell = row["variants"]["zero-width"]
        assert cell["f1"] == on_variant.headline[layer].f1
        assert cell["drop"] == row["clean"]["f1"] - cell["f1"]


def test_benchmark_robustness_and_plots(corpus_dir, tmp_path, capsys):
    import json

    from khabar.cli import main

    plots = tmp_path / "plots"
    arguments = ["benchmark", "--corpus", str(corpus_dir), "--systems", "dateparser", "--bootstrap", "10"]
    assert main([*arguments, "--robustness", "--plot", str(plots), "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert set(data["robustness"]["systems"]["dateparser"]["timex"]["variants"]) == set(PERTURBATIONS)
    expected = ["headline.png", "robustness-timex.png", "timex-per-label.png"]
    assert sorted(path.name for path in plots.iterdir()) == expected
    assert f"wrote 3 figure(s) to {plots}" in captured.err
    assert main([*arguments, "--robustness"]) == 0
    assert "| dateparser | timex | value F1 (TempEval-3) |" in capsys.readouterr().out


def test_benchmark_plot_into_a_file_is_an_input_error(corpus_dir, tmp_path, capsys):
    from khabar.cli import main

    target = tmp_path / "file.png"
    target.write_text("x")
    assert main(["benchmark", "--corpus", str(corpus_dir), "--plot", str(target)]) == 2
    assert capsys.readouterr().err == f"Error: --plot {target} exists and is not a folder\n"
