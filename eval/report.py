"""A self-contained HTML error analysis of one system's predictions.

`build_report(gold_docs, pred_docs, result)` gathers everything the page shows;
`render_report(report)` renders it with the jinja2 template `templates/report.html.j2`
(autoescape on: every text, label and id from the data is escaped, so a prediction whose
text or type holds `<script>` shows as text). The page has no script, fetches nothing and
carries its CSS inline.

What the page shows, per layer:
- the headline score with its interval, and the per-label table (P, R, F1, 95% CI,
  support) of the headline metric, from the scoring harness's `EvaluationResult`;
- the confusion matrix of labels over paired spans (`khabar.eval.outcomes`), with `∅`
  for a missed or spurious span;
- every document, right to left (`dir="rtl" lang="ar"`), one sentence per row with the
  gold spans above and the predicted spans below, each span styled by its outcome
  (correct, wrong type, wrong boundary, wrong boundary and type, missed, spurious);
- the signature of the scores.

Decisions: outcomes compare character spans of a layer, nested ones included (entity
spans, timex spans, event triggers, quote contents), after the same span mapping the
harness used (normalization, or snapping to tokens for tag predictions), and are shown on
the raw text. Spans that cross a sentence end, or cross each other, are drawn in pieces
(the continuation is marked `…`). A span that starts or ends inside a word (a name
after the clitic `ل`) keeps the letters' joined forms across its border with zero-width
joiners added by CSS, so the page shows the word as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from khabar.document import Document
from khabar.eval.outcomes import (
    CATEGORIES,
    CATEGORY_TITLES,
    NONE_LABEL,
    Outcome,
    category_counts,
    confusion,
    layer_outcomes,
)
from khabar.eval.signature import render as render_signature
from khabar.eval.spanmaps import SpanMapFactory, identity_spans
from khabar.inventories import LAYERS
from khabar.perturb import ARABIC_LETTERS, NON_JOINING_LEFT, TATWEEL
from khabar.tokenize import split_sentences
from khabar.views import LabeledSpan

LAYER_TITLES = {"entities": "Entities", "timex": "Dates and times", "events": "Event triggers", "quotes": "Quotes"}


@dataclass(frozen=True)
class Mark:
    """A span drawn on one side of a row: its extent, outcome and hover title."""

    start: int
    end: int
    label: str
    category: str
    title: str
    continued: bool = False


@dataclass
class Piece:
    """A node of a rendered row: plain text, or a mark holding further pieces."""

    text: str = ""
    mark: Mark | None = None
    children: list[Piece] = field(default_factory=list)
    # The mark starts or ends inside a word, between two letters that join: the page adds a
    # zero-width joiner (CSS generated content, never copied with the text) on both sides
    # of the mark's edge so the letters keep their joined forms across the border.
    join_start: bool = False
    join_end: bool = False


def _joined(text: str, position: int) -> bool:
    """Whether the letters on both sides of `position` are joined in cursive Arabic."""
    if not 0 < position < len(text):
        return False
    before, after = text[position - 1], text[position]
    joins_left = (before in ARABIC_LETTERS and before not in NON_JOINING_LEFT) or before == TATWEEL
    return joins_left and (after in ARABIC_LETTERS or after == TATWEEL) and after != "ء"


@dataclass(frozen=True)
class Row:
    gold: list[Piece]
    pred: list[Piece]
    has_spans: bool


@dataclass(frozen=True)
class DocumentView:
    id: str
    rows: list[Row]
    counts: dict[str, int]


@dataclass(frozen=True)
class LabelRow:
    label: str
    precision: float | None
    recall: float | None
    f1: float | None
    low: float | None
    high: float | None
    support: int


@dataclass(frozen=True)
class LayerView:
    layer: str
    title: str
    headline: dict[str, Any] | None
    table_metric: str
    table: list[LabelRow]
    micro: LabelRow | None
    gold_labels: list[str]
    pred_labels: list[str]
    confusion: dict[tuple[str, str], int]
    counts: dict[str, int]
    documents: list[DocumentView]
    signature: str


@dataclass(frozen=True)
class Report:
    title: str
    source: str
    layers: list[LayerView]
    signature: str
    warnings: tuple[str, ...]
    categories: tuple[tuple[str, str], ...] = tuple((c, CATEGORY_TITLES[c]) for c in CATEGORIES)


def span_details(document: Document | None, layer: str) -> dict[str, str]:
    """What a hover title adds to a span beyond its label, by annotation id: a timex's
    TimeML value, a quote's speaker, an event's arguments."""
    if document is None:
        return {}
    mentions = {item.id: item.text for item in (*document.entities, *document.timex)}
    if layer == "timex":
        return {timex.id: f"value {timex.value}" for timex in document.timex}
    if layer == "quotes":
        details = {}
        for quote in document.quotes:
            speaker = quote.speaker
            if speaker is not None:
                name = (
                    mentions.get(speaker.ref or "", "") if speaker.ref else (speaker.span.text if speaker.span else "")
                )
                details[quote.id] = f"speaker «{name}»"
        return details
    if layer == "events":
        return {
            event.id: "arguments "
            + ", ".join(
                f"{argument.role}=«{mentions.get(argument.ref, '') if argument.ref else argument.span.text}»"
                for argument in event.arguments
                if argument.ref or argument.span
            )
            for event in document.events
            if event.arguments
        }
    return {}


def _describe(span: LabeledSpan | None, side: str, text: str, details: dict[str, str]) -> str:
    if span is None:
        return f"no {side} span"
    name = f" {span.id}" if span.id else ""
    extra = f" ({details[span.id]})" if span.id in details else ""
    return f"{side}{name} {span.label} [{span.start}, {span.end}) «{text[span.start : span.end]}»{extra}"


def _marks(
    outcomes: list[Outcome], text: str, gold_details: dict[str, str], pred_details: dict[str, str]
) -> tuple[list[Mark], list[Mark]]:
    gold_marks: list[Mark] = []
    pred_marks: list[Mark] = []
    for outcome in outcomes:
        title = " · ".join(
            (
                CATEGORY_TITLES[outcome.category],
                _describe(outcome.gold, "gold", text, gold_details),
                _describe(outcome.pred, "pred", text, pred_details),
            )
        )
        if outcome.gold is not None:
            gold_marks.append(Mark(outcome.gold.start, outcome.gold.end, outcome.gold.label, outcome.category, title))
        if outcome.pred is not None:
            pred_marks.append(Mark(outcome.pred.start, outcome.pred.end, outcome.pred.label, outcome.category, title))
    return gold_marks, pred_marks


def nest(text: str, start: int, end: int, marks: list[Mark]) -> list[Piece]:
    """The pieces of `text[start:end]` with `marks` nested; a mark that crosses another
    (or the row's end) is cut in two and its second part is marked `continued`."""
    pending = [
        Mark(max(m.start, start), min(m.end, end), m.label, m.category, m.title, m.continued or m.start < start)
        for m in marks
        if m.start < end and start < m.end
    ]
    pending.sort(key=lambda m: (m.start, -m.end))
    pieces: list[Piece] = []
    position = start
    while pending:
        outer = pending.pop(0)
        if outer.start > position:
            pieces.append(Piece(text=text[position : outer.start]))
        inside: list[Mark] = []
        rest: list[Mark] = []
        for mark in pending:
            if mark.start >= outer.end:
                rest.append(mark)
            elif mark.end <= outer.end:
                inside.append(mark)
            else:  # crosses the end of `outer`: draw the part inside now, the rest after it
                inside.append(Mark(mark.start, outer.end, mark.label, mark.category, mark.title, mark.continued))
                rest.append(Mark(outer.end, mark.end, mark.label, mark.category, mark.title, True))
        children = nest(text, outer.start, outer.end, inside)
        pieces.append(Piece("", outer, children, _joined(text, outer.start), _joined(text, outer.end)))
        position = outer.end
        pending = sorted(rest, key=lambda m: (m.start, -m.end))
    if position < end:
        pieces.append(Piece(text=text[position:end]))
    return pieces


def _rows(text: str, gold_marks: list[Mark], pred_marks: list[Mark]) -> list[Row]:
    """One row per sentence; rows partition the text, so nothing is left out."""
    starts = [sentence.start for sentence in split_sentences(text)] or [0]
    starts[0] = 0
    bounds = [*starts, len(text)]
    rows = []
    for start, end in pairwise(bounds):
        if start == end:
            continue
        gold = nest(text, start, end, gold_marks)
        pred = nest(text, start, end, pred_marks)
        has_spans = any(piece.mark is not None for piece in gold + pred)
        rows.append(Row(gold, pred, has_spans))
    return rows


def _render_signature(signature: dict[str, Any]) -> str:
    return render_signature(signature)


def _label_rows(metric: Any) -> tuple[list[LabelRow], LabelRow | None]:
    def row(label: str, score: Any) -> LabelRow:
        low, high = score.ci if score.ci else (None, None)
        return LabelRow(label, score.precision, score.recall, score.f1, low, high, int(score.gold))

    rows = [row(label, score) for label, score in metric.per_label.items()]
    micro = row("micro", metric.averages["micro"]) if "micro" in metric.averages else None
    return rows, micro


def _layer_table(result: Any, layer: str) -> tuple[dict[str, Any] | None, str, list[LabelRow], LabelRow | None, str]:
    """Headline, per-label table (of the headline metric, or the first metric with labels) and signature."""
    if result is None or layer not in result.layers:
        return None, "", [], None, ""
    layer_result = result.layers[layer]
    headline = layer_result.headline.to_dict()
    candidates = [layer_result.headline_metric] + [name for name in layer_result.metrics]
    for name in candidates:
        metric = layer_result.metrics.get(name)
        if metric is not None and metric.per_label:
            rows, micro = _label_rows(metric)
            return headline, name, rows, micro, _render_signature(layer_result.signature)
    return headline, "", [], None, _render_signature(layer_result.signature)


def build_report(
    gold_docs: list[Document],
    pred_docs: list[Document],
    result: Any = None,
    *,
    layers: tuple[str, ...] | list[str] = LAYERS,
    span_map: SpanMapFactory | None = None,
    title: str = "khabar error analysis",
    source: str = "",
) -> Report:
    """Everything the page shows. `result` is the harness's `EvaluationResult` of the same
    documents (tables and signature); without it the page shows outcomes only."""
    span_map = span_map or identity_spans
    pred_by_id = {document.id: document for document in pred_docs}
    views: list[LayerView] = []
    for layer in layers:
        documents: list[DocumentView] = []
        all_outcomes: list[Outcome] = []
        matched = result.matches.get(layer) if result is not None else None
        for gold in sorted(gold_docs, key=lambda document: document.id):
            if matched is not None:  # the very matches the scores were counted from
                outcomes = matched[gold.id]
            else:
                outcomes = layer_outcomes(gold, pred_by_id.get(gold.id), layer, span_map)
            all_outcomes += outcomes
            pred = pred_by_id.get(gold.id)
            details = span_details(gold, layer), span_details(pred, layer)
            gold_marks, pred_marks = _marks(outcomes, gold.text, *details)
            documents.append(DocumentView(gold.id, _rows(gold.text, gold_marks, pred_marks), category_counts(outcomes)))
        confusions = confusion(all_outcomes)
        gold_labels = [*sorted({gold for gold, _ in confusions if gold != NONE_LABEL}), NONE_LABEL]
        pred_labels = [*sorted({pred for _, pred in confusions if pred != NONE_LABEL}), NONE_LABEL]
        headline, table_metric, table, micro, signature = _layer_table(result, layer)
        views.append(
            LayerView(
                layer,
                LAYER_TITLES.get(layer, layer),
                headline,
                table_metric,
                table,
                micro,
                gold_labels,
                pred_labels,
                confusions,
                category_counts(all_outcomes),
                documents,
                signature,
            )
        )
    signature = _render_signature(result.signature) if result is not None else ""
    warnings = tuple(result.warnings) if result is not None else ()
    return Report(title, source, views, signature, warnings)


def render_report(report: Report) -> str:
    """The HTML page of `report` (a pure function of it)."""
    environment = Environment(
        loader=PackageLoader("khabar.eval", "templates"),
        autoescape=True,  # every value is data, never markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["score"] = lambda value: "–" if value is None else f"{100 * value:.1f}"
    return environment.get_template("report.html.j2").render(report=report, none_label=NONE_LABEL)
