"""Figures of benchmark results: PNG files drawn with matplotlib's Agg backend.

- `per_label_figure`: F1 per label of one layer, one bar per system, 95% CI error bars;
- `headline_figure`: the headline F1 of every layer, one bar per system, with CIs;
- `robustness_figure`: each system's drop in headline F1 per perturbation, for one layer.

Each takes plain mappings (`{system: {label: (f1, low, high)}}`…), so they plot any
scores; `label_scores` and `headline_scores` read them from the harness's results.

Decision: every text on the figures is Latin (label names such as `PER`, system and
perturbation names): matplotlib draws Arabic letters unshaped and left to right, and the
only Arabic-capable font on a stock Debian image (DejaVu Sans) covers the letters but
not the shaping, so Arabic would be illegible without `arabic-reshaper` + `python-bidi`.
Scores are in percent; an undefined F1 (no gold and no prediction) gets no bar and an
`n/a` mark instead of a misleading zero; a zero F1 is marked `0`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from khabar.eval.robustness import drops_in_points
from khabar.files import write_file

Interval = tuple[float | None, float | None, float | None]  # f1, low, high (fractions)
FONT = "DejaVu Sans"
# Colour-blind-safe qualitative palette (Okabe & Ito), one colour per system in order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def _pyplot():
    # Deferred for start-up time: matplotlib takes a second or more to import, and only
    # `khabar benchmark --plot` draws.
    import matplotlib

    matplotlib.use("Agg")  # files only: never a display
    import matplotlib.pyplot as plt  # deferred: after choosing the backend, as above

    plt.rcParams.update({"font.family": FONT, "svg.fonttype": "none", "figure.dpi": 100})
    return plt


def label_scores(metric: Any) -> dict[str, Interval]:
    """`{label: (f1, low, high)}` of a harness `MetricResult`, labels in its order."""
    scores: dict[str, Interval] = {}
    for label, score in metric.per_label.items():
        low, high = score.ci if score.ci else (None, None)
        scores[label] = (score.f1, low, high)
    return scores


def headline_scores(result: Any) -> dict[str, Interval]:
    """`{layer: (f1, low, high)}` of a harness `EvaluationResult`."""
    return {layer: (h.f1, h.low, h.high) for layer, h in result.headline.items()}


def _grouped_bars(
    ax: Any,
    groups: list[str],
    scores: Mapping[str, Mapping[str, Interval]],
    *,
    percent: bool = True,
) -> None:
    """Bars for every (group, system): height f1, error bar [low, high]; `n/a` where undefined."""
    systems = list(scores)
    width = 0.8 / max(len(systems), 1)
    scale = 100.0 if percent else 1.0
    for index, system in enumerate(systems):
        colour = PALETTE[index % len(PALETTE)]
        for position, group in enumerate(groups):
            x = position - 0.4 + width * (index + 0.5)
            f1, low, high = scores[system].get(group, (None, None, None))
            if f1 is None:
                ax.text(x, 1, "n/a", ha="center", va="bottom", fontsize=7, rotation=90, color="#555555")
                continue
            ax.bar(x, f1 * scale, width * 0.92, color=colour, label=system)
            if f1 == 0:  # a zero-height bar is invisible: say it is zero, not missing
                ax.text(x, 1, "0", ha="center", va="bottom", fontsize=7, color=colour)
            if low is not None and high is not None:
                ax.errorbar(
                    x,
                    f1 * scale,
                    yerr=[[max(f1 - low, 0) * scale], [max(high - f1, 0) * scale]],
                    fmt="none",
                    ecolor="#222222",
                    elinewidth=1,
                    capsize=3,
                )
    ax.set_xticks(range(len(groups)), groups)
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    handles, names = ax.get_legend_handles_labels()
    unique = dict(zip(names, handles, strict=True))
    if unique:
        ax.legend(unique.values(), unique.keys(), frameon=False, fontsize=8, loc="upper right")


def per_label_figure(scores: Mapping[str, Mapping[str, Interval]], *, title: str) -> Any:
    """F1 per label (x) for every system (bars), with 95% CI error bars."""
    plt = _pyplot()
    labels = sorted({label for system in scores.values() for label in system})
    width = min(14.0, max(6.0, 0.9 * len(labels) * max(len(scores), 1) ** 0.5 + 2))
    figure, ax = plt.subplots(figsize=(width, 4.2))
    _grouped_bars(ax, labels, scores)
    if len(labels) > 8:
        ax.tick_params(axis="x", labelrotation=35)
    ax.set_ylim(0, 105)
    ax.set_ylabel("F1 (%) with 95% CI")
    ax.set_title(title, fontsize=11)
    figure.tight_layout()
    return figure


def headline_figure(scores: Mapping[str, Mapping[str, Interval]], *, title: str = "Headline F1 per layer") -> Any:
    """The headline F1 of each layer (x) for every system (bars)."""
    plt = _pyplot()
    layers = [layer for layer in ("entities", "timex", "events", "quotes") if any(layer in s for s in scores.values())]
    figure, ax = plt.subplots(figsize=(7.0, 4.2))
    _grouped_bars(ax, layers, scores)
    ax.set_ylim(0, 105)
    ax.set_ylabel("F1 (%) with 95% CI")
    ax.set_title(title, fontsize=11)
    figure.tight_layout()
    return figure


def robustness_figure(drops: Mapping[str, Mapping[str, float | None]], *, title: str) -> Any:
    """Drop in headline F1 (points, clean minus variant) per perturbation (x) and system (bars)."""
    plt = _pyplot()
    perturbations = list(dict.fromkeys(name for system in drops.values() for name in system))
    scores = {
        system: {name: (None if drop is None else drop, None, None) for name, drop in values.items()}
        for system, values in drops.items()
    }
    figure, ax = plt.subplots(figsize=(max(6.5, 1.1 * len(perturbations) + 2), 4.2))
    _grouped_bars(ax, perturbations, scores, percent=False)
    ax.axhline(0, color="#222222", linewidth=0.8)
    ax.set_ylabel("drop in headline F1 (points)")
    ax.set_title(title, fontsize=11)
    ax.tick_params(axis="x", labelrotation=20)
    figure.tight_layout()
    return figure


def png(figure: Any) -> bytes:
    """`figure` as PNG bytes (no timestamp or software tag), and release it."""
    plt = _pyplot()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def save(figure: Any, path: Path) -> Path:
    """Write `figure` as PNG through the one write path, and release it."""
    return write_file(path, png(figure), make_folders=True)


def benchmark_plots(results: Mapping[str, Any], out: Path) -> dict[Path, bytes]:
    """PNG files for harness results of several systems: the headline figure and one
    per-label figure per layer (of the layer's headline metric, or its first labelled one).
    Returned as path → bytes, for the caller to write as one set."""
    written = {out / "headline.png": png(headline_figure({s: headline_scores(r) for s, r in results.items()}))}
    layers = list(dict.fromkeys(layer for result in results.values() for layer in result.layers))
    for layer in layers:
        per_system: dict[str, dict[str, Interval]] = {}
        metric_name = ""
        for system, result in results.items():
            layer_result = result.layers.get(layer)
            if layer_result is None:
                continue
            names = [layer_result.headline_metric, *layer_result.metrics]
            name = next((n for n in names if n in layer_result.metrics and layer_result.metrics[n].per_label), None)
            if name is None:
                continue
            metric_name = metric_name or name
            per_system[system] = label_scores(layer_result.metrics[name])
        if per_system:
            figure = per_label_figure(per_system, title=f"{layer}: F1 per label ({metric_name})")
            written[out / f"{layer}-per-label.png"] = png(figure)
    return written


def robustness_plots(data: Mapping[str, Any], out: Path) -> dict[Path, bytes]:
    """One PNG per layer of a `khabar.eval.robustness.robustness` table: each system's drop
    (path → bytes)."""
    layers = list(dict.fromkeys(layer for system in data["systems"].values() for layer in system))
    written = {}
    for layer in layers:
        figure = robustness_figure(drops_in_points(data, layer), title=f"{layer}: drop in headline F1 per perturbation")
        written[out / f"robustness-{layer}.png"] = png(figure)
    return written
