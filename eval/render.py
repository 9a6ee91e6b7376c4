"""Rendering of results as text tables, Markdown or JSON; percentages with one decimal.

`RENDERERS` renders an evaluation; `render_agreement` and `render_comparison` the results of
`khabar agree` and `khabar compare`, in the same three formats (`table`, `json`, `markdown`).

Undefined values print as `–`. Every table is followed by its signature line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from khabar.eval.results import Accuracy, EvaluationResult, LayerResult, MetricResult, Score
from khabar.eval.signature import render as render_signature

if TYPE_CHECKING:  # annotations only: rendering needs neither module's scoring code
    from khabar.adjudication import Disagreement
    from khabar.eval.agreement import Agreement
    from khabar.eval.significance import Comparison

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


def markdown_cell(text: str) -> str:
    """A value as one GitHub table cell: `|` escaped, line breaks as spaces."""
    return " ".join(str(text).replace("|", "\\|").splitlines())


def markdown_table(header: list[str], rows: list[list[str]], *, left: int = 1) -> str:
    """A GitHub Markdown table; the first `left` columns are left-aligned, the others (numbers) right."""
    rule = ["---" if index < left else "---:" for index in range(len(header))]
    lines = [header, rule, *rows]
    return "\n".join("| " + " | ".join(markdown_cell(cell) for cell in line) + " |" for line in lines)


def aligned_table(header: list[str], rows: list[list[str]], *, left: int = 1) -> list[str]:
    """A plain-text table: columns padded to their widest cell, the first `left` left-aligned."""
    widths = [max(len(line[index]) for line in [header, *rows]) for index in range(len(header))]
    return [
        "  ".join(cell.ljust(widths[i]) if i < left else cell.rjust(widths[i]) for i, cell in enumerate(line)).rstrip()
        for line in [header, *rows]
    ]


AGREEMENT_HEADER = ["layer", "measure", "label", "value", "95% CI", "A", "B"]
DISAGREEMENT_HEADER = ["document", "layer", "part", "start", "end", "text", "A", "B"]


def render_disagreements(items: list[Disagreement], fmt: str) -> str:
    """Disagreements between two passes (`khabar adjudicate`): one line each (table), a GitHub
    table, or JSON; a side without the item shows `—`."""
    if fmt == "json":
        return to_json({"disagreements": [item.to_dict() for item in items]})
    if fmt == "markdown":
        rows = [
            [item.document, item.layer, item.part, str(item.start), str(item.end), item.text]
            + [" + ".join(values) if values else "—" for values in (item.a, item.b)]
            for item in items
        ]
        return markdown_table(DISAGREEMENT_HEADER, rows, left=3) + "\n" if rows else "No disagreements.\n"
    return "".join(f"{item.describe()}\n" for item in items)


def _agreement_rows(result: Agreement) -> list[list[str]]:
    rows = []
    for row in result.rows:
        value = (
            percent(row.value)
            if "kappa" not in row.measure
            else (UNDEFINED if row.value is None else f"{row.value:.3f}")
        )
        counts = ["" if item is None else count(item) for item in (row.support_a, row.support_b)]
        rows.append([row.layer, row.measure, row.label, value, interval(row.ci) if row.ci else "", *counts])
    return rows


def render_agreement(result: Agreement, fmt: str) -> str:
    """`khabar agree`'s result: the table of measures, the signature, then every disagreement
    (one line each as text, a second table in Markdown), or JSON. F1 and agreement shares are
    percentages with one decimal, kappa a fraction with three."""
    if fmt == "json":
        return to_json(result.to_dict())
    rows = _agreement_rows(result)
    signature = render_signature(result.signature)
    if fmt == "markdown":
        parts = [markdown_table(AGREEMENT_HEADER, rows, left=3), f"`{signature}`"]
        parts.append(f"**Disagreements: {len(result.disagreements)}**")
        if result.disagreements:
            parts.append(render_disagreements(result.disagreements, "markdown").rstrip("\n"))
        return "\n\n".join(parts) + "\n"
    lines = [*aligned_table(AGREEMENT_HEADER, rows, left=3), signature, ""]
    lines.append(f"disagreements: {len(result.disagreements)}")
    lines += [f"  {item.describe()}" for item in result.disagreements]
    return "\n".join(lines) + "\n"


COMPARISON_HEADER = ["layer", "metric", "A", "B", "A − B", "p (bootstrap)", "p (randomization)"]


def render_comparison(comparison: Comparison, name_a: str, name_b: str, fmt: str) -> str:
    """`khabar compare`'s result: per layer the headline F1 of A and B (percent), their
    difference (points) and both p-values; the layers not compared with the reason; the
    signature. As text, Markdown (a GitHub table) or JSON."""
    if fmt == "json":
        return to_json(comparison.to_dict())
    rows = [
        [
            layer,
            item.metric,
            percent(item.f1_a),
            percent(item.f1_b),
            f"{item.difference * 100:+.1f}",
            f"{item.p_bootstrap:.4f}",
            f"{item.p_randomization:.4f}",
        ]
        for layer, item in comparison.layers.items()
    ]
    skipped = [f"{layer}: {NOT_PREDICTED} not compared: {reason}" for layer, reason in comparison.skipped.items()]
    signature = render_signature(comparison.signature)
    if fmt == "markdown":
        parts = [f"A = `{name_a}`, B = `{name_b}`", markdown_table(COMPARISON_HEADER, rows, left=2)]
        if skipped:
            parts.append("\n".join(f"- {markdown_cell(line)}" for line in skipped))
        parts.append(f"`{signature}`")
        return "\n\n".join(parts) + "\n"
    lines = [f"A = {name_a}", f"B = {name_b}", *aligned_table(COMPARISON_HEADER, rows, left=2), *skipped, signature]
    return "\n".join(line.rstrip() for line in lines) + "\n"
