"""Rendering of a benchmark report (`run_benchmark`'s mapping) as text or Markdown.

Pure functions: report in, string out. Each layer column shows F1 with its 95%
interval; the signature of every (system, layer) follows the table, so a number is never
printed without its settings.
"""

from __future__ import annotations

import json
import re
from typing import Any

from khabar.errors import InputError
from khabar.inventories import LAYERS


def _f1(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}"


def cell(score: dict[str, Any] | None) -> str:
    if score is None:
        return "·"
    low, high = score["ci"]
    if score["f1"] is None:
        return "—"
    return f"{_f1(score['f1'])} [{_f1(low)}–{_f1(high)}]"


def _layers(report: dict[str, Any]) -> list[str]:
    present = {layer for scores in report["systems"].values() for layer in scores}
    return [layer for layer in LAYERS if layer in present]


def _metric_names(report: dict[str, Any], layers: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for scores in report["systems"].values():
        for layer in layers:
            if layer in scores:
                names.setdefault(layer, scores[layer]["metric"])
    return names


def render_signature(signature: dict[str, Any]) -> str:
    """`key:value|…`; the system's own signature nested as `system.key:value`."""
    parts = []
    for name, value in signature.items():
        if isinstance(value, dict):
            parts += [f"{name}.{key}:{_short(item)}" for key, item in value.items()]
        else:
            parts.append(f"{name}:{_short(value)}")
    return "|".join(parts)


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return ";".join(f"{key}={_short(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return "".join(str(item) for item in value)
    return str(value)


def _rows(report: dict[str, Any], layers: list[str]) -> list[list[str]]:
    return [[system, *(cell(scores.get(layer)) for layer in layers)] for system, scores in report["systems"].items()]


def _signatures(report: dict[str, Any], layers: list[str]) -> list[str]:
    """Per system: the settings its layers share, then what differs per layer."""
    lines = []
    for system, scores in report["systems"].items():
        rendered = {
            layer: render_signature(scores[layer]["signature"]).split("|") for layer in layers if layer in scores
        }
        if not rendered:
            continue
        shared = [part for part in next(iter(rendered.values())) if all(part in parts for parts in rendered.values())]
        lines.append(f"{system}: {'|'.join(shared)}")
        for layer, parts in rendered.items():
            own = [part for part in parts if part not in shared]
            if own:
                lines.append(f"  {layer}: {'|'.join(own)}")
    return lines


def _metrics_line(report: dict[str, Any], layers: list[str]) -> str:
    metrics = _metric_names(report, layers)
    return "headline metrics: " + "; ".join(f"{layer} = {metrics[layer]}" for layer in layers)


def render_text(report: dict[str, Any]) -> str:
    layers = _layers(report)
    header = ["system", *layers]
    rows = [header, *_rows(report, layers)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [
        "",
        f"khabar {report['khabar_version']} — F1 (%) with 95% bootstrap interval; · = layer not predicted",
        _metrics_line(report, layers),
        "",
        *_signatures(report, layers),
    ]
    return "\n".join(lines + notes) + "\n"


def render_markdown(report: dict[str, Any]) -> str:
    layers = _layers(report)
    lines = [
        "| system | " + " | ".join(layers) + " |",
        "| --- | " + " | ".join("---" for _ in layers) + " |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in _rows(report, layers)]
    lines += [
        "",
        f"F1 (%) with 95% bootstrap interval, khabar {report['khabar_version']}; · = layer not predicted.",
        _metrics_line(report, layers) + ".",
        "",
        "<details><summary>Signatures</summary>",
        "",
        "```text",
        *_signatures(report, layers),
        "```",
        "",
        "</details>",
    ]
    return "\n".join(lines) + "\n"


LEADERBOARD_BLOCK = re.compile(r"<!-- leaderboard:start[^>]*-->\n(.*?)\n<!-- leaderboard:end -->", re.S)


def with_leaderboard(readme: str, report: dict[str, Any], where: str = "README.md") -> str:
    """`readme` with its generated leaderboard block replaced by the Markdown of `report`."""
    match = LEADERBOARD_BLOCK.search(readme)
    if match is None:
        raise InputError("no leaderboard block (<!-- leaderboard:start … --> … <!-- leaderboard:end -->)", where=where)
    return readme[: match.start(1)] + render_markdown(report).rstrip("\n") + readme[match.end(1) :]


def dumps_report(report: dict[str, Any]) -> str:
    """The report as JSON: the form of the reference file `khabar check` reads."""
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
