"""Figures of benchmark results, for a paper: PNG (300 dpi), PDF and SVG, drawn with Agg.

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
`n/a` mark instead of a misleading zero; a zero F1 is marked `0`. Both marks are placed a
few points above the zero line (an offset in points, not in data units), in grey italics,
so they cannot be read as a value. Layout is matplotlib's constrained layout (no
`tight_layout` warnings), the legend sits outside the axes (it never covers a bar), and
files are cut to their drawn extent (`bbox_inches="tight"`), so no label is clipped. Files carry no timestamp:
the same figure gives the same bytes.
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
FORMATS = ("png", "pdf", "svg")
DPI = 300  # PNG resolution
# No creation date or software tag, so that a figure's bytes depend on the figure only.
_METADATA = {"png": {"Software": None}, "pdf": {"CreationDate": None, "Producer": None}, "svg": {"Date": None}}
# The smallest y range of a drop figure, in points: near-zero drops must not fill the plot.
MIN_DROP_RANGE = 5.0
MARK_STYLE = {"fontsize": 7, "color": "#555555", "fontstyle": "italic"}
# Colour-blind-safe qualitative palette (Okabe & Ito), one colour per system in order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def _pyplot():
    # Deferred for start-up time: matplotlib takes a second or more to import, and only
    # `khabar benchmark --plot` draws.
    import matplotlib

    matplotlib.use("Agg")  # files only: never a display
    import matplotlib.pyplot as plt  # deferred: after choosing the backend, as above

    plt.rcParams.update(
        {"font.family": FONT, "svg.fonttype": "none", "svg.hashsalt": "khabar", "figure.dpi": 100, "savefig.dpi": DPI}
    )
    return plt


def _mark(ax: Any, x: float, text: str, **style: Any) -> None:
    """A note at the zero line of bar `x` (offset in points, so it is no data value)."""
    ax.annotate(
        text, (x, 0), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", **{**MARK_STYLE, **style}
    )


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
                _mark(ax, x, "n/a", rotation=90)
                continue
            ax.bar(x, f1 * scale, width * 0.92, color=colour, label=system)
            if f1 == 0:  # a zero-height bar is invisible: say it is zero, not missing
                _mark(ax, x, "0")
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
    if unique:  # outside the axes, right of them: it never covers a bar
        ax.legend(unique.values(), unique.keys(), frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))


def _slanted_ticks(ax: Any, degrees: float) -> None:
    """Tick labels slanted and anchored at their end, so long names neither overlap nor clip."""
    for label in ax.get_xticklabels():
        label.set_rotation(degrees)
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")


def per_label_figure(scores: Mapping[str, Mapping[str, Interval]], *, title: str) -> Any:
    """F1 per label (x) for every system (bars), with 95% CI error bars."""
    plt = _pyplot()
    labels = sorted({label for system in scores.values() for label in system})
    width = min(14.0, max(6.0, 0.9 * len(labels) * max(len(scores), 1) ** 0.5 + 2))
    figure, ax = plt.subplots(figsize=(width, 4.2), layout="constrained")
    _grouped_bars(ax, labels, scores)
    if len(labels) > 8:
        _slanted_ticks(ax, 35)
    ax.set_ylim(0, 105)
    ax.set_ylabel("F1 (%) with 95% CI")
    ax.set_title(title, fontsize=11)
    return figure


def headline_figure(scores: Mapping[str, Mapping[str, Interval]], *, title: str = "Headline F1 per layer") -> Any:
    """The headline F1 of each layer (x) for every system (bars)."""
    plt = _pyplot()
    layers = [layer for layer in ("entities", "timex", "events", "quotes") if any(layer in s for s in scores.values())]
    figure, ax = plt.subplots(figsize=(7.0, 4.2), layout="constrained")
    _grouped_bars(ax, layers, scores)
    ax.set_ylim(0, 105)
    ax.set_ylabel("F1 (%) with 95% CI")
    ax.set_title(title, fontsize=11)
    return figure


def robustness_figure(drops: Mapping[str, Mapping[str, Interval]], *, title: str) -> Any:
    """Drop in headline F1 (points, clean minus variant) per perturbation (x) and system
    (bars), each `(drop, low, high)` with the 95% paired-bootstrap interval of the drop."""
    plt = _pyplot()
    perturbations = list(dict.fromkeys(name for system in drops.values() for name in system))
    figure, ax = plt.subplots(figsize=(max(6.5, 1.1 * len(perturbations) + 2), 4.2), layout="constrained")
    _grouped_bars(ax, perturbations, drops, percent=False)
    ax.axhline(0, color="#222222", linewidth=0.8)
    values = [v for system in drops.values() for cell in system.values() for v in cell if v is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    margin = max(MIN_DROP_RANGE - (high - low), 0) / 2 + 0.08 * max(high - low, MIN_DROP_RANGE)
    ax.set_ylim(low - margin, high + margin)
    ax.set_ylabel("drop in headline F1 (points), 95% CI")
    ax.set_title(title, fontsize=11)
    _slanted_ticks(ax, 20)
    return figure


def render(figure: Any, fmt: str = "png", *, close: bool = True) -> bytes:
    """`figure` as `fmt` bytes (PNG at 300 dpi), cut to what is drawn (no label clipped), and
    release it unless `close` is false."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown figure format {fmt!r}")
    plt = _pyplot()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=DPI, metadata=_METADATA[fmt], bbox_inches="tight", pad_inches=0.05)
    if close:
        plt.close(figure)
    return buffer.getvalue()


def png(figure: Any) -> bytes:
    """`figure` as PNG bytes at 300 dpi, and release it."""
    return render(figure, "png")


def save(figure: Any, path: Path) -> Path:
    """Write `figure` in the format of the path's suffix through the one write path, and release it."""
    return write_file(path, render(figure, path.suffix.lstrip(".") or "png"), make_folders=True)


def _files(figure: Any, stem: Path, formats: tuple[str, ...]) -> dict[Path, bytes]:
    """`figure` in each format, as path → bytes; released after the last."""
    return {
        stem.with_name(f"{stem.name}.{fmt}"): render(figure, fmt, close=index == len(formats) - 1)
        for index, fmt in enumerate(formats)
    }


def benchmark_plots(results: Mapping[str, Any], out: Path, formats: tuple[str, ...] = ("png",)) -> dict[Path, bytes]:
    """Figures for harness results of several systems, in each of `formats`: the headline
    figure and one per-label figure per layer (of the layer's headline metric, or its first
    labelled one). Returned as path → bytes, for the caller to write as one set."""
    written = _files(headline_figure({s: headline_scores(r) for s, r in results.items()}), out / "headline", formats)
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
            written.update(_files(figure, out / f"{layer}-per-label", formats))
    return written


def robustness_plots(data: Mapping[str, Any], out: Path, formats: tuple[str, ...] = ("png",)) -> dict[Path, bytes]:
    """One figure per layer (in each of `formats`) of a `khabar.eval.robustness.robustness`
    table: each system's drop with its interval (path → bytes)."""
    layers = list(dict.fromkeys(layer for system in data["systems"].values() for layer in system))
    written = {}
    for layer in layers:
        figure = robustness_figure(drops_in_points(data, layer), title=f"{layer}: drop in headline F1 per perturbation")
        written.update(_files(figure, out / f"robustness-{layer}", formats))
    return written
