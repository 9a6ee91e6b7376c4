"""Rendering of results as text tables, Markdown or JSON; percentages with one decimal.

Undefined values print as `–`. Every table is followed by its signature line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from khabar.eval.results import Accuracy, EvaluationResult, LayerResult, MetricResult, Score
from khabar.eval.signature import render as render_signature

UNDEFINED = "–"


def percent(value: float | None) -> str:
    return UNDEFINED if value is None else f"{value * 100:.1f}"


def interval(ci: tuple[float, float] | list[float] | None) -> str:
    if not ci or ci[0] is None:
        return UNDEFINED
    return f"[{percent(ci[0])}, {percent(ci[1])}]"


def count(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[str]]
    signature: str
    notes: tuple[str, ...] = ()


def undefined_note(scores: dict[str, Score | Accuracy], resamples: int) -> tuple[str, ...]:
    """A note naming the rows whose interval leaves out resamples with an undefined score."""
    left_out = [f"{name} {score.undefined}" for name, score in scores.items() if score.undefined]
    if not left_out:
        return ()
    return (f"note: 95% CIs leave out resamples (of {resamples}) where the score is undefined: " + ", ".join(left_out),)


def _score_row(name: str, score: Score) -> list[str]:
    return [
        name,
        percent(score.precision),
        percent(score.recall),
        percent(score.f1),
        interval(score.ci),
        count(score.tp),
        count(score.pred),
        count(score.gold),
    ]


HEADER = ["", "P", "R", "F1", "95% CI", "tp", "pred", "gold"]


def per_label_table(layer: str, metric: MetricResult) -> Table:
    rows = [_score_row(label, score) for label, score in metric.per_label.items()]
    rows += [_score_row(f"{name} avg", score) for name, score in metric.averages.items()]
    scores = {**metric.per_label, **{f"{name} avg": score for name, score in metric.averages.items()}}
    notes = undefined_note(scores, metric.signature.get("boot", 0))
    title = f"{layer}: {metric.name} — {metric.description}"
    return Table(title, HEADER, rows, render_signature(metric.signature), notes)


def summary_table(result: LayerResult) -> Table:
    rows = []
    scores: dict[str, Score | Accuracy] = {}
    for name, metric in result.metrics.items():
        if metric.kind == "accuracy" and metric.accuracy is not None:
            accuracy = metric.accuracy
            scores[f"{name} (accuracy)"] = accuracy
            cells = [percent(accuracy.accuracy), interval(accuracy.ci)]
            rows.append([f"{name} (accuracy)", "", "", *cells, count(accuracy.correct), count(accuracy.total), ""])
        else:
            rows.append(_score_row(name, metric.micro))
            scores[name] = metric.micro
    signature = {key: value for key, value in result.signature.items() if key not in ("metric", "scheme", "match")}
    signature["average"] = "micro"
    notes = undefined_note(scores, result.signature.get("boot", 0))
    return Table(f"{result.layer}: every metric, micro-averaged", HEADER, rows, render_signature(signature), notes)


def tables(result: EvaluationResult) -> list[tuple[str, list[Table]]]:
    sections = []
    for layer, layer_result in result.layers.items():
        headline = layer_result.headline
        title = f"{layer} — {headline.name}: {percent(headline.f1)} {interval((headline.low, headline.high))}"
        sections.append(
            (
                title,
                [
                    per_label_table(layer, layer_result.metrics[layer_result.headline_metric]),
                    summary_table(layer_result),
                ],
            )
        )
    return sections


def _text_table(table: Table) -> str:
    widths = [max(len(row[index]) for row in [table.header, *table.rows]) for index in range(len(table.header))]
    lines = [table.title]
    for row in [table.header, *table.rows]:
        cells = [cell.ljust(widths[0]) if index == 0 else cell.rjust(widths[index]) for index, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    lines.append(table.signature)
    lines += table.notes
    return "\n".join(lines)


def _markdown_table(table: Table) -> str:
    lines = [f"**{table.title}**", "", "| " + " | ".join(table.header[:1] + table.header[1:]) + " |"]
    lines.append("| --- |" + " ---: |" * (len(table.header) - 1))
    lines += ["| " + " | ".join(row) + " |" for row in table.rows]
    lines += ["", f"`{table.signature}`"]
    lines += ["", *table.notes] if table.notes else []
    return "\n".join(lines)


NOT_PREDICTED = "·"


def not_predicted_line(layer: str) -> str:
    return f"{layer} — {NOT_PREDICTED} not predicted (no prediction line has this layer; not scored)"


def to_text(result: EvaluationResult) -> str:
    parts = []
    for title, layer_tables in tables(result):
        parts.append(title + "\n\n" + "\n\n".join(_text_table(table) for table in layer_tables))
    parts += [not_predicted_line(layer) for layer in result.not_predicted]
    return "\n\n\n".join(parts) + "\n"


def to_markdown(result: EvaluationResult) -> str:
    parts = []
    for title, layer_tables in tables(result):
        parts.append(f"## {title}\n\n" + "\n\n".join(_markdown_table(table) for table in layer_tables))
    parts += [f"## {not_predicted_line(layer)}" for layer in result.not_predicted]
    return "\n\n".join(parts) + "\n"


def to_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"table": to_text, "markdown": to_markdown, "json": lambda result: to_json(result.to_dict())}
