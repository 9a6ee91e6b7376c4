"""The HTML error analysis of one system's predictions: a summary page and a page per document.

`build_report(gold_docs, pred_docs, result)` gathers what the summary shows and keeps the
span outcomes of every document; `Report.documents()` draws the documents one at a time, in
the order of the summary's index (most errors first), so a large corpus never holds every
drawn document at once. Rendering (jinja2 templates in `templates/report_*`, autoescape on:
every text, label and id from the data is escaped, so a prediction whose text or type holds
`<script>` shows as text):

- `render_report(report)` / `render_single(report)`: one self-contained page (the summary,
  then every document), as a string or as chunks to write as they come;
- `render_index(report)` and `render_document(report, document)`: the pages of a report
  folder, `index.html` and `docs/<id>.html`, linked both ways.

Every page has no script, fetches nothing and carries its CSS inline
(`templates/report_page.css`, `templates/report_document.css`).

What the summary shows, per layer: the headline score with its interval, the per-label table
(P, R, F1, 95% CI, support) of the headline metric, from the scoring harness's
`EvaluationResult`; the confusion matrix of labels over paired spans
(`khabar.eval.outcomes`), with `∅` for a missed or spurious span; the signature; and an
index of the documents with their outcome counts per layer, ordered by errors (every span
not drawn as correct). A document is drawn right to left (`dir="rtl" lang="ar"`) once per
layer, one sentence per row with the gold spans above and the predicted spans below, each
span styled by its outcome (correct, wrong type, wrong boundary, wrong boundary and type,
missed, spurious).

Decisions: outcomes compare character spans of a layer, nested ones included (entity
spans, timex spans, event triggers, quote contents), after the same span mapping the
harness used (normalization, or snapping to tokens for tag predictions), and are shown on
the raw text. Spans that cross a sentence end, or cross each other, are drawn in pieces
(the continuation is marked `…`). A span that starts or ends inside a word (a name
after the clitic `ل`) keeps the letters' joined forms across its border with zero-width
joiners added by CSS, so the page shows the word as written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
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

# Short column heads of the index of documents, as the span labels show them on the page.
CATEGORY_SYMBOLS = {
    "correct": "✓",
    "wrong_type": "≠type",
    "wrong_boundary": "↔",
    "wrong_boundary_type": "↔≠",
    "missed": "✗",
    "spurious": "+",
}
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
class DocumentLayer:
    """One document drawn for one layer: a row per sentence, its outcome counts."""

    layer: str
    title: str
    rows: list[Row]
    counts: dict[str, int]


@dataclass(frozen=True)
class DocumentEntry:
    """A document's line in the summary's index."""

    id: str
    counts: dict[str, dict[str, int]]  # layer → category → count
    errors: int  # spans of every layer not drawn as correct


@dataclass(frozen=True)
class DocumentView:
    """One document, drawn for every layer of the report, with its neighbours in the index."""

    entry: DocumentEntry
    layers: list[DocumentLayer]
    previous: str | None
    next: str | None

    @property
    def id(self) -> str:
        return self.entry.id


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
    signature: str


@dataclass(frozen=True)
class Report:
    """The summary, and what is needed to draw each document when its page is written."""

    title: str
    source: str
    layers: list[LayerView]
    signature: str
    warnings: tuple[str, ...]
    index: tuple[DocumentEntry, ...] = ()
    categories: tuple[tuple[str, str], ...] = tuple((c, CATEGORY_TITLES[c]) for c in CATEGORIES)
    symbols: tuple[tuple[str, str], ...] = tuple(CATEGORY_SYMBOLS.items())
    # Per document: its gold, its prediction and its outcomes per layer (the scored matches).
    sources: dict[str, tuple[Document, Document | None, dict[str, list[Outcome]]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def documents(self) -> Iterator[DocumentView]:
        """Every document drawn, one at a time, in the order of the index."""
        titles = {view.layer: view.title for view in self.layers}
        ids = [entry.id for entry in self.index]
        for position, entry in enumerate(self.index):
            gold, pred, outcomes = self.sources[entry.id]
            layers = []
            for layer, title in titles.items():
                details = span_details(gold, layer), span_details(pred, layer)
                gold_marks, pred_marks = _marks(outcomes[layer], gold.text, *details)
                rows = _rows(gold.text, gold_marks, pred_marks)
                layers.append(DocumentLayer(layer, title, rows, entry.counts[layer]))
            previous = ids[position - 1] if position > 0 else None
            following = ids[position + 1] if position + 1 < len(ids) else None
            yield DocumentView(entry, layers, previous, following)


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
    """The summary of the report, and the outcomes to draw every document from. `result` is
    the harness's `EvaluationResult` of the same documents (tables, signature and the very
    matches the scores were counted from); without it the spans are matched here and the
    page shows outcomes only."""
    span_map = span_map or identity_spans
    pred_by_id = {document.id: document for document in pred_docs}
    golds = sorted(gold_docs, key=lambda document: document.id)
    outcomes: dict[str, dict[str, list[Outcome]]] = {gold.id: {} for gold in golds}
    views: list[LayerView] = []
    for layer in layers:
        all_outcomes: list[Outcome] = []
        matched = result.matches.get(layer) if result is not None else None
        for gold in golds:
            if matched is not None:  # the very matches the scores were counted from
                found = matched[gold.id]
            else:
                found = layer_outcomes(gold, pred_by_id.get(gold.id), layer, span_map)
            outcomes[gold.id][layer] = found
            all_outcomes += found
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
                signature,
            )
        )
    entries = []
    for gold in golds:
        counts = {layer: category_counts(found) for layer, found in outcomes[gold.id].items()}
        errors = sum(n for layer_counts in counts.values() for c, n in layer_counts.items() if c != "correct")
        entries.append(DocumentEntry(gold.id, counts, errors))
    entries.sort(key=lambda entry: (-entry.errors, entry.id))
    sources = {gold.id: (gold, pred_by_id.get(gold.id), outcomes[gold.id]) for gold in golds}
    signature = _render_signature(result.signature) if result is not None else ""
    warnings = tuple(result.warnings) if result is not None else ()
    return Report(title, source, views, signature, warnings, tuple(entries), sources=sources)


@dataclass(frozen=True)
class Links:
    """Where a page's links lead: within one page (`#…`) or between the pages of a folder."""

    index: str  # the summary's index, from a document
    document: str  # a document, from the summary (`{id}` is the document's id)
    neighbour: str  # a document, from another document

    def to_document(self, doc_id: str) -> str:
        return self.document.format(id=doc_id)

    def to_neighbour(self, doc_id: str) -> str:
        return self.neighbour.format(id=doc_id)

    def to_index(self, doc_id: str) -> str:
        return self.index.format(id=doc_id)


SINGLE_PAGE = Links(index="#index-{id}", document="#doc-{id}", neighbour="#doc-{id}")
DOCUMENTS_FOLDER = "docs"
FOLDER = Links(index="../index.html#index-{id}", document=DOCUMENTS_FOLDER + "/{id}.html", neighbour="{id}.html")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("khabar.eval", "templates"),
        autoescape=True,  # every value is data, never markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["score"] = lambda value: "–" if value is None else f"{100 * value:.1f}"
    return environment


def render_single(report: Report) -> Iterator[str]:
    """The one self-contained page of `report`, in chunks (documents drawn as they come)."""
    template = _environment().get_template("report_summary.html.j2")
    return template.generate(report=report, none_label=NONE_LABEL, links=SINGLE_PAGE, documents=report.documents())


def render_report(report: Report) -> str:
    """The one self-contained page of `report` (a pure function of it)."""
    return "".join(render_single(report))


def render_index(report: Report) -> str:
    """The summary page of a report folder: `index.html`, linking to `docs/<id>.html`."""
    template = _environment().get_template("report_summary.html.j2")
    return template.render(report=report, none_label=NONE_LABEL, links=FOLDER, documents=())


def render_document(report: Report, document: DocumentView) -> str:
    """The page of one document in a report folder: `docs/<id>.html`."""
    template = _environment().get_template("report_document.html.j2")
    return template.render(report=report, document=document, links=FOLDER)
