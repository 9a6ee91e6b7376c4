"""Robustness of the baselines: headline F1 on every perturbed variant of the corpus, and the drop.

`khabar.runs.benchmark.robustness` runs each baseline on the clean corpus and on each
variant made by `khabar.perturb` (the gold carried over exactly, so the gold of a variant
is as exact as the clean gold) and scores it with the harness; `robustness_table` here
reports per system and layer the clean headline F1, each variant's headline F1 with its
95% interval, and the drop (clean minus variant, in F1 fractions; positive = worse on
the variant). `render_robustness` and `drops_in_points` present it.

Decisions:
- A baseline is run on each variant as it is run on the corpus (`Tagger.predict`). For
  rule baselines that is exactly "the same system on perturbed input". The `crf`
  baseline is scored by cross-validation over the documents it is given, so on a variant
  its folds are trained on the perturbed text too: its drop measures the method's
  sensitivity to the variant, not that of a model trained on clean text.
- The drop has its own 95% interval (`drop_ci`): a paired bootstrap over the units, the
  same resamples for the clean run and the variant (micro F1 of the headline metric's
  counts, as `compare` tests it). None when the variant's units differ from the clean
  ones or bootstrapping is off.
- Only the layers a baseline predicts are scored for it.
"""

from __future__ import annotations

from typing import Any

from khabar import __version__
from khabar.eval.bootstrap import Bootstrap, paired_difference_interval
from khabar.eval.significance import micro_f1
from khabar.perturb import PERTURBATIONS

CLEAN = "clean"


def _headline(result: Any, layer: str) -> dict[str, Any]:
    headline = result.headline[layer]
    ci = [headline.low, headline.high] if headline.low is not None else None
    return {"metric": headline.name, "f1": headline.f1, "ci": ci}


def _drop_interval(clean: Any, variant: Any, layer: str, bootstrap: int, seed: int) -> list[float] | None:
    """95% paired-bootstrap interval of clean minus variant headline micro F1 (fractions)."""
    metric = clean.layers[layer].headline_metric
    if layer not in variant.tables or metric not in variant.tables[layer]:
        return None
    counts_clean = clean.tables[layer][metric].counts.sum(axis=1)  # (units, 3): labels summed
    counts_variant = variant.tables[layer][metric].counts.sum(axis=1)
    interval = paired_difference_interval(counts_clean, counts_variant, micro_f1, Bootstrap(bootstrap, seed))
    return None if interval is None else [interval[0], interval[1]]


def robustness_table(
    scored: dict[str, dict[str, Any]], names: list[str], *, bootstrap: int, seed: int, perturbation_seed: int
) -> dict[str, Any]:
    """The robustness report of `scored` (`{CLEAN or variant: {system: EvaluationResult}}`):
    per system and layer, the clean headline F1 and each variant's F1, interval and drop."""
    table: dict[str, dict[str, Any]] = {}
    for system, clean_result in scored[CLEAN].items():
        table[system] = {}
        for layer in clean_result.layers:
            clean = _headline(clean_result, layer)
            row: dict[str, Any] = {"metric": clean["metric"], CLEAN: {"f1": clean["f1"], "ci": clean["ci"]}}
            row["variants"] = {}
            for name in names:
                variant = _headline(scored[name][system], layer)
                drop = None if clean["f1"] is None or variant["f1"] is None else clean["f1"] - variant["f1"]
                variant_result = scored[name][system]
                drop_ci = None if drop is None else _drop_interval(clean_result, variant_result, layer, bootstrap, seed)
                row["variants"][name] = {"f1": variant["f1"], "ci": variant["ci"], "drop": drop, "drop_ci": drop_ci}
            table[system][layer] = row
    return {
        "khabar_version": __version__,
        "perturbation_seed": perturbation_seed,
        "bootstrap": bootstrap,
        "seed": seed,
        "perturbations": {name: PERTURBATIONS[name].description for name in names},
        "systems": table,
    }


def drops_in_points(
    data: dict[str, Any], layer: str
) -> dict[str, dict[str, tuple[float | None, float | None, float | None]]]:
    """`{system: {perturbation: (drop, low, high)}}` in F1 points of one layer, for `plots.robustness_figure`."""

    def points(value: float | None) -> float | None:
        return None if value is None else 100 * value

    drops: dict[str, dict[str, tuple[float | None, float | None, float | None]]] = {}
    for system, layers in data["systems"].items():
        if layer in layers:
            drops[system] = {}
            for name, cell in layers[layer]["variants"].items():
                low, high = cell.get("drop_ci") or (None, None)
                drops[system][name] = (points(cell["drop"]), points(low), points(high))
    return drops


def _points(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def render_robustness(data: dict[str, Any]) -> str:
    """A Markdown table: system, layer, clean F1, then each variant's F1 and drop (points)."""
    names = list(data["perturbations"])
    header = ["system", "layer", "metric", "clean F1", *(f"{name} (drop)" for name in names)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for system, layers in data["systems"].items():
        for layer, row in layers.items():
            cells = [system, layer, row["metric"], _points(row[CLEAN]["f1"])]
            for name in names:
                cell = row["variants"][name]
                drop = "n/a" if cell["drop"] is None else f"{100 * cell['drop']:+.1f}"
                cells.append(f"{_points(cell['f1'])} ({drop})")
            lines.append("| " + " | ".join(cells) + " |")
    settings = f"perturbation seed {data['perturbation_seed']}, bootstrap {data['bootstrap']}, seed {data['seed']}"
    return "\n".join(lines) + f"\n\nF1 in points; drop = clean minus variant ({settings}).\n"
