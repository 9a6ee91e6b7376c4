"""The robustness table: drops per perturbation, rendered and plotted from one mapping."""

from __future__ import annotations

from khabar.eval.robustness import drops_in_points, render_robustness

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
    assert drops_in_points(DATA, "entities") == {"rules": {"tatweel": 25.0, "hamza": None}}
    assert drops_in_points(DATA, "timex") == {}


def test_rendered_table():
    assert render_robustness(DATA).splitlines()[:3] == [
        "| system | layer | metric | clean F1 | tatweel (drop) | hamza (drop) |",
        "|---|---|---|---|---|---|",
        "| rules | entities | exact micro F1 (IOB2 strict) | 50.0 | 25.0 (+25.0) | n/a (n/a) |",
    ]
