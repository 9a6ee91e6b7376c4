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
`EvaluationResult`; the confusion matrix of labels over paired units (`khabar.eval.outcomes`),
with `∅` for a missed or spurious one; the signature; and an index of the documents with their
outcome counts per layer, ordered by errors (every counted unit not drawn as correct). Counts,
table and matrix are over the unit and key of the layer's headline (`LAYER_KEYS`): entity and
timex spans and quote contents by label, event arguments by role (the headline Arg-C+ credits
arguments with their role; trigger outcomes are drawn and counted beside them).

A document is drawn right to left (`dir="rtl" lang="ar"`) once per layer, one sentence per row
with the gold spans above and the predicted spans below, each span styled by its outcome
(correct, right extent but wrong value, wrong type, wrong boundary, wrong boundary and type,
missed, spurious). An event's arguments and a quote's cue and speaker are drawn too
(`khabar.eval.parts`), each with a chip naming its role and linking to its trigger or quote
content, which carry the page id.

Decisions: outcomes compare character spans of a layer, nested ones included (entity
spans, timex spans, event triggers, quote contents), after the same span mapping the
harness used (normalization, or snapping to tokens for tag predictions), and are shown on
the raw text. Spans that cross a sentence end, or cross each other, are drawn in pieces
(the continuation is marked `…`). A span that starts or ends inside a word (a name
after the clitic `ل`) keeps the letters' joined forms across its border: zero-width
joiners on both sides of the border, drawn by the style sheet (generated content), so the
page's text stays the document's text exactly — what a reader copies or searches has the
annotation's characters and offsets. Label chips are generated content too, each in its
label's colour (`khabar.inventories.LABEL_COLOURS`, as in the Label Studio config).
Left-to-right runs (Latin, European digits, with the brackets at their edges) are
isolated in `<bdi dir="ltr">` so that a right-to-left row cannot reorder them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

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
from khabar.eval.parts import Part, PartOutcome, part_outcomes
from khabar.eval.signature import render as render_signature
from khabar.eval.spanmaps import SpanMapFactory, identity_spans
from khabar.inventories import LABEL_COLOURS, LAYERS, PART_COLOURS, ROLE_COLOURS
from khabar.perturb import ARABIC_LETTERS, NON_JOINING_LEFT, TATWEEL
from khabar.progress import Progress
from khabar.tokenize import split_sentences
from khabar.views import LabeledSpan

# Short column heads of the index of documents, as the span labels show them on the page.
CATEGORY_SYMBOLS = {
    "correct": "✓",
    "wrong_value": "≠value",
    "wrong_type": "≠type",
    "wrong_boundary": "↔",
    "wrong_boundary_type": "↔≠",
    "missed": "✗",
    "spurious": "+",
}
LAYER_TITLES = {"entities": "Entities", "timex": "Dates and times", "events": "Events", "quotes": "Quotes"}
# What the counts, the per-label table and the confusion matrix of a layer are over, by the
# key of the layer's headline (so the table and the matrix explain that number).
LAYER_KEYS = {
    "entities": "entity mentions by type: the headline (exact micro F1) credits a mention with its type",
    "timex": "timex spans by TIMEX3 type; a pair with the right extent but another TimeML value is "
    "'right extent, wrong value', which the headline value F1 does not credit",
    "events": "event arguments by role: the headline Arg-C+ counts arguments and credits each with its role; "
    "arguments pair when their trigger extent, event type and argument extent agree (same role = correct, "
    "another role = wrong type). Triggers are drawn and counted beside them",
    "quotes": "quote contents by kind; the headline (joint attribution) also needs the speakers to agree: "
    "cues and speakers are drawn linked to their quote and counted beside",
}
COUNTED_UNITS = {"events": "arguments (Arg-C+)", "quotes": "contents"}
PART_TITLES = {"argument": "arguments (Arg-C+)", "cue": "cues", "speaker": "speakers", "trigger": "triggers (Trig-C)"}
UNKNOWN_COLOUR = "#5f6368"  # a label outside the inventory (a prediction's own label)


@dataclass(frozen=True)
class Mark:
    """A span drawn on one side of a row: its extent, outcome and hover title.

    `kind` is `span` (a span of the layer) or a part (`argument`, `cue`, `speaker`); `chip`
    is the text of its label chip and `colour` the chip's colour (`khabar.inventories`, as in
    Label Studio). `anchor` is the page id of a span's event or quote; a part links to it."""

    start: int
    end: int
    label: str
    category: str
    title: str
    continued: bool = False
    kind: str = "span"
    chip: str = ""
    colour: str = UNKNOWN_COLOUR
    anchor: str = ""


@dataclass
class Piece:
    """A node of a rendered row: plain text, or a mark holding further pieces."""

    text: str = ""
    mark: Mark | None = None
    children: list[Piece] = field(default_factory=list)
    # The mark starts or ends inside a word, between two letters that join: the page adds a
    # zero-width joiner on both sides of the mark's edge so the letters keep their joined
    # forms across the border. The joiners are CSS generated content (`.zj::after`), never
    # characters of the page's text: the DOM text, a copy and a search see the document
    # text exactly, at the annotation's offsets.
    join_start: bool = False
    join_end: bool = False
    # Plain text that is a left-to-right run (Latin, European digits, with the brackets at
    # its edges): isolated with `<bdi dir="ltr">` so the right-to-left row cannot reorder it.
    ltr: bool = False


# Marks that do not change how letters join (harakat, superscript alef, Quranic marks):
# a joining decision looks through them to the letters they sit on.
_TRANSPARENT = frozenset(
    chr(code)
    for code in (
        *range(0x0610, 0x061B),
        *range(0x064B, 0x0660),
        0x0670,
        *range(0x06D6, 0x06DD),
        *range(0x06DF, 0x06E5),
        0x06E7,
        0x06E8,
        *range(0x06EA, 0x06EE),
    )
)
# A letter (or tatweel) that joins the one after it, and one that joins the one before it.
_JOINS_NEXT = frozenset(ARABIC_LETTERS - NON_JOINING_LEFT) | {TATWEEL}
_JOINS_PREVIOUS = frozenset(ARABIC_LETTERS - {"ء"}) | {TATWEEL}


def _joined(text: str, position: int) -> bool:
    """Whether the letters on both sides of `position` are joined in cursive Arabic: the
    letter before (looking through diacritics) joins the next one — a dual-joining letter
    or tatweel, not ا د ذ ر ز و ة ى ء — and the letter after joins the previous one — any
    Arabic letter but ء, or tatweel. Digits (Eastern or not), punctuation, spaces, Latin and
    characters outside the BMP join nothing."""
    if not 0 < position < len(text):
        return False
    before = position - 1
    while before > 0 and text[before] in _TRANSPARENT:
        before -= 1
    if text[before] not in _JOINS_NEXT:
        return False
    after = position
    while after < len(text) - 1 and text[after] in _TRANSPARENT:
        after += 1
    return text[after] in _JOINS_PREVIOUS


_OPENERS = {"(": ")", "[": "]", "{": "}"}
# Characters of no left-to-right bidi class (neither L nor EN; a test checks every one): Arabic
# letters, marks and Arabic-Indic digits, spaces, ASCII and Arabic punctuation. `ltr_runs`
# skips them without a Unicode look-up each — most of an Arabic text.
NEVER_LTR = "\u0600-\u06ef\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff\\s!-/:-@\\[-`{-~«»…–—"
_MAYBE_LTR = re.compile(f"[^{NEVER_LTR}]")
_CLOSERS = {close: opener for opener, close in _OPENERS.items()}


def _strong_ltr(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("L", "EN")


def _ends_run(char: str) -> bool:
    # Right-to-left letters, Arabic-Indic digits, line and segment breaks end a run.
    return unicodedata.bidirectional(char) in ("R", "AL", "AN", "B", "S")


def ltr_runs(text: str) -> list[tuple[int, int]]:
    """The left-to-right runs of `text`: from a Latin letter or European digit to the last
    one before a right-to-left character, widened over the brackets at their edges that
    belong to them (`(CENTCOM)`, `f(x)`, `[1]`). Everything else keeps the row's direction."""
    runs: list[tuple[int, int]] = []
    position = 0
    while position < len(text):
        found = _MAYBE_LTR.search(text, position)  # characters that are never L or EN are skipped at once
        if found is None:
            break
        position = found.start()
        if not _strong_ltr(text[position]):
            position += 1
            continue
        start = end = position
        scan = position
        while scan < len(text) and not _ends_run(text[scan]):
            if _strong_ltr(text[scan]):
                end = scan + 1
            scan += 1
        start, end = _with_brackets(text, start, end)
        runs.append((start, end))
        position = end
    return runs


def _with_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen `[start, end)` over a closing bracket whose opening one is inside (or just
    before) it, and an opening bracket whose closing one is inside (or just after) it."""
    while True:
        inside = text[start:end]
        if end < len(text) and text[end] in _CLOSERS:
            opener = _CLOSERS[text[end]]
            if inside.count(opener) > inside.count(text[end]):
                end += 1
                continue
            if start > 0 and text[start - 1] == opener:
                start, end = start - 1, end + 1
                continue
        if start > 0 and text[start - 1] in _OPENERS:
            closer = _OPENERS[text[start - 1]]
            if inside.count(closer) > inside.count(text[start - 1]):
                start -= 1
                continue
        return start, end


def _text_pieces(text: str) -> list[Piece]:
    """Plain text as pieces, its left-to-right runs apart."""
    pieces: list[Piece] = []
    position = 0
    for start, end in ltr_runs(text):
        if start > position:
            pieces.append(Piece(text=text[position:start]))
        pieces.append(Piece(text=text[start:end], ltr=True))
        position = end
    if position < len(text):
        pieces.append(Piece(text=text[position:]))
    return pieces


@dataclass(frozen=True)
class Row:
    """One sentence of a document drawn for one layer: its HTML, gold above and prediction
    below (a row without spans draws its text once, `pred_html` empty), drawn by a sweep
    over the marks (`Sweep`). `gold` and `pred` are the same row as pieces, nested by `nest`
    from all the marks of its side: the plain path the drawing is tested equal to."""

    gold_html: Markup
    pred_html: Markup
    has_spans: bool
    text: str = field(repr=False)
    start: int = 0
    end: int = 0
    gold_marks: list[Mark] = field(default_factory=list, repr=False)
    pred_marks: list[Mark] = field(default_factory=list, repr=False)

    @property
    def gold(self) -> list[Piece]:
        return nest(self.text, self.start, self.end, self.gold_marks)

    @property
    def pred(self) -> list[Piece]:
        return nest(self.text, self.start, self.end, self.pred_marks)


@dataclass(frozen=True)
class DocumentLayer:
    """One document drawn for one layer: a row per sentence, its outcome counts."""

    layer: str
    title: str
    rows: list[Row]
    counts: dict[str, int]
    # Outcomes drawn beside the layer's counted unit (triggers of events; cues, speakers of quotes).
    beside: dict[str, dict[str, int]] = field(default_factory=dict)
    unit: str = ""  # what `counts` counts, when other things are counted beside


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
    key: str = ""  # what the counts, the table and the confusion matrix are over, and why
    beside: dict[str, dict[str, int]] = field(default_factory=dict)


# A document's gold, its prediction, and per layer its span outcomes and part outcomes.
DocumentSource = tuple[Document, Document | None, dict[str, list[Outcome]], dict[str, list[PartOutcome]]]


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
    # Per document: its gold, its prediction, and per layer its span outcomes (the scored
    # matches) and the outcomes of its parts (event arguments, quote cues and speakers).
    sources: dict[str, DocumentSource] = field(default_factory=dict, repr=False, compare=False)

    def documents(self, progress: Progress | None = None) -> Iterator[DocumentView]:
        """Every document drawn, one at a time, in the order of the index; `progress(done,
        total)` after each."""
        titles = {view.layer: view.title for view in self.layers}
        ids = [entry.id for entry in self.index]
        for position, entry in enumerate(self.index):
            gold, pred, outcomes, parts = self.sources[entry.id]
            layers = []
            bounds = sentence_bounds(gold.text)  # the same rows in every layer
            for layer, title in titles.items():
                details = span_details(gold, layer), span_details(pred, layer)
                gold_marks, pred_marks = _marks(outcomes[layer], gold.text, *details, layer=layer, document_id=gold.id)
                gold_parts, pred_parts = _part_marks(parts[layer], gold.text, layer, gold.id)
                rows = _rows(gold.text, gold_marks + gold_parts, pred_marks + pred_parts, bounds)
                beside = _beside(layer, outcomes[layer], parts[layer])
                unit = COUNTED_UNITS.get(layer, "")
                layers.append(DocumentLayer(layer, title, rows, entry.counts[layer], beside, unit))
            previous = ids[position - 1] if position > 0 else None
            following = ids[position + 1] if position + 1 < len(ids) else None
            yield DocumentView(entry, layers, previous, following)
            if progress is not None:
                progress(position + 1, len(ids))


def span_details(document: Document | None, layer: str) -> dict[str, str]:
    """What a hover title adds to a span beyond its label, by annotation id: a timex's
    TimeML value, a quote's speaker, an event's arguments."""
    if document is None:
        return {}
    if layer == "timex":
        return {timex.id: f"value {timex.value}" for timex in document.timex}
    if layer not in ("quotes", "events"):
        return {}
    mentions = {item.id: item.text for item in (*document.entities, *document.timex)}
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


def _anchor(layer: str, document_id: str, side: str, owner: str) -> str:
    """The page id of an event's trigger or a quote's content on one side of a document."""
    return _SPACE.sub("_", f"{layer}-{document_id}-{side}-{owner}")


_SPACE = re.compile(r"\s")


def _colour(layer: str, label: str) -> str:
    return LABEL_COLOURS.get(layer, {}).get(label, UNKNOWN_COLOUR)


def _marks(
    outcomes: list[Outcome],
    text: str,
    gold_details: dict[str, str],
    pred_details: dict[str, str],
    *,
    layer: str = "",
    document_id: str = "",
) -> tuple[list[Mark], list[Mark]]:
    """The marks of the layer's spans; an event's trigger and a quote's content carry the
    page id their parts link to, and their id on the chip."""
    linked = layer in ("events", "quotes")
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
        for side, span, marks in (("gold", outcome.gold, gold_marks), ("pred", outcome.pred, pred_marks)):
            if span is None:
                continue
            chip = f"{span.id} {span.label}" if linked and span.id else span.label
            anchor = _anchor(layer, document_id, side, span.id) if linked and span.id else ""
            colour = _colour(layer, span.label)
            marks.append(
                Mark(span.start, span.end, span.label, outcome.category, title, chip=chip, colour=colour, anchor=anchor)
            )
    return gold_marks, pred_marks


PART_CATEGORY_TITLES = {**CATEGORY_TITLES, "wrong_type": "wrong role"}


def _describe_part(part: Part | None, side: str, kind: str, text: str) -> str:
    if part is None:
        return f"no {side} {kind}"
    role = f" {part.label}" if part.kind == "argument" else ""
    span = f"[{part.start}, {part.end}) «{text[part.start : part.end]}»"
    return f"{side} {part.kind}{role} {span} of {part.owner} {part.owner_label} «{part.owner_text}»"


def _part_colour(part: Part) -> str:
    if part.kind == "argument":
        return ROLE_COLOURS.get(part.label, PART_COLOURS["argument"])
    return PART_COLOURS[part.kind]


def _part_marks(outcomes: list[PartOutcome], text: str, layer: str, document_id: str) -> tuple[list[Mark], list[Mark]]:
    """The marks of arguments, cues and speakers, each linking to its event or quote."""
    gold_marks: list[Mark] = []
    pred_marks: list[Mark] = []
    for outcome in outcomes:
        kind = outcome.kind
        title = " · ".join(
            (
                PART_CATEGORY_TITLES[outcome.category] if kind == "argument" else CATEGORY_TITLES[outcome.category],
                _describe_part(outcome.gold, "gold", kind, text),
                _describe_part(outcome.pred, "pred", kind, text),
            )
        )
        for side, part, marks in (("gold", outcome.gold, gold_marks), ("pred", outcome.pred, pred_marks)):
            if part is None:
                continue
            marks.append(
                Mark(
                    part.start,
                    part.end,
                    part.label,
                    outcome.category,
                    title,
                    kind=part.kind,
                    chip=f"{part.label} → {part.owner}",
                    colour=_part_colour(part),
                    anchor=_anchor(layer, document_id, side, part.owner),
                )
            )
    return gold_marks, pred_marks


def nest(text: str, start: int, end: int, marks: list[Mark]) -> list[Piece]:
    """The pieces of `text[start:end]` with `marks` nested; a mark that crosses another
    (or the row's end) is cut in two and its second part is marked `continued`."""
    pending = [
        replace(m, start=max(m.start, start), end=min(m.end, end), continued=m.continued or m.start < start)
        for m in marks
        if m.start < end and start < m.end
    ]
    pending.sort(key=lambda m: (m.start, -m.end))
    pieces: list[Piece] = []
    position = start
    while pending:
        outer = pending.pop(0)
        if outer.start > position:
            pieces += _text_pieces(text[position : outer.start])
        inside: list[Mark] = []
        rest: list[Mark] = []
        for mark in pending:
            if mark.start >= outer.end:
                rest.append(mark)
            elif mark.end <= outer.end:
                inside.append(mark)
            else:  # crosses the end of `outer`: draw the part inside now, the rest after it
                inside.append(replace(mark, end=outer.end))
                rest.append(replace(mark, start=outer.end, continued=True))
        children = nest(text, outer.start, outer.end, inside)
        pieces.append(Piece("", outer, children, _joined(text, outer.start), _joined(text, outer.end)))
        position = outer.end
        pending = sorted(rest, key=lambda m: (m.start, -m.end))
    if position < end:
        pieces += _text_pieces(text[position:end])
    return pieces


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """The rows of a document: one per sentence, partitioning the text so nothing is left out."""
    starts = [sentence.start for sentence in split_sentences(text)] or [0]
    starts[0] = 0
    return [(start, end) for start, end in pairwise([*starts, len(text)]) if start < end]


def _rows(
    text: str, gold_marks: list[Mark], pred_marks: list[Mark], bounds: list[tuple[int, int]] | None = None
) -> list[Row]:
    """One row per sentence (`bounds`, from `sentence_bounds`), each side drawn by a sweep."""
    bounds = sentence_bounds(text) if bounds is None else bounds
    plain = PlainText(text)
    gold_sweep = Sweep(text, gold_marks, plain)
    pred_sweep = Sweep(text, pred_marks, plain)
    rows = []
    for start, end in bounds:
        gold = gold_sweep.advance(start, end)
        pred = pred_sweep.advance(start, end)
        has_spans = bool(gold or pred)
        gold_html = gold_sweep.draw(start, end, gold)
        pred_html = pred_sweep.draw(start, end, pred) if has_spans else Markup("")
        rows.append(Row(gold_html, pred_html, has_spans, text, start, end, gold_marks, pred_marks))
    return rows


class PlainText:
    """The HTML of stretches of one document's text without marks (escaped, left-to-right runs
    in `<bdi>`), and whether its letters join across a position; each found once per document,
    as every layer draws the same sentences."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._html: dict[tuple[int, int], str] = {}
        self._joined: dict[int, bool] = {}

    def html(self, start: int, end: int) -> str:
        key = (start, end)
        found = self._html.get(key)
        if found is None:
            found = self._html[key] = _draw_plain(self.text[start:end])
        return found

    def joiner(self, position: int) -> str:
        joined = self._joined.get(position)
        if joined is None:
            joined = self._joined[position] = _joined(self.text, position)
        return _JOINER if joined else ""


def _draw_plain(text: str) -> str:
    """`draw_pieces(_text_pieces(text))`: most stretches hold nothing that may be left to
    right (L or EN) nor anything to escape, and are drawn as they are."""
    if _PLAIN.search(text) is None:
        return text
    if _MAYBE_LTR.search(text) is None:
        return str(escape(text))
    out: list[str] = []
    _draw(_text_pieces(text), out)
    return "".join(out)


# A character that may be left to right, or one to escape (`NEVER_LTR` holds those).
_PLAIN = re.compile(f"[^{NEVER_LTR}]|[&<>'\"]")
_HTML_SPECIAL = re.compile("[&<>'\"]")


def _escaped(text: str) -> str:
    """`markupsafe.escape(text)` as a plain string; text without `&<>'"` is returned as is."""
    return text if _HTML_SPECIAL.search(text) is None else str(escape(text))


# A mark while a row is drawn: (start, end, continued, index of the mark on its side).
_Cut = tuple[int, int, bool, int]


def _cut_order(cut: _Cut) -> tuple[int, int]:
    return cut[0], -cut[1]


class Sweep:
    """The rows of one side of a document drawn in order, as `draw_pieces(nest(...))` draws
    them (the test `test_report_fast_paths.py` holds them equal) without its cost per row:
    the marks are sorted by start once and swept, so a row sees only the marks that overlap
    it; a mark's tags are formatted once; a mark is cut as a plain tuple; text is drawn
    straight to HTML."""

    def __init__(self, text: str, marks: list[Mark], plain: PlainText) -> None:
        self.text = text
        self.marks = marks
        self.plain = plain
        self._order = sorted(range(len(marks)), key=lambda index: marks[index].start)
        self._next = 0  # the first mark of `_order` not yet seen by a row
        self._open: list[int] = []  # marks seen that may reach into the next row
        self._tags: dict[int, tuple[str, str]] = {}

    def advance(self, start: int, end: int) -> list[int]:
        """The marks overlapping the row `[start, end)`, in their order on the side; rows
        come in order of the text."""
        marks, order = self.marks, self._order
        while self._next < len(order) and marks[order[self._next]].start < end:
            self._open.append(order[self._next])
            self._next += 1
        if not self._open:
            return []
        self._open = [index for index in self._open if marks[index].end > start]
        return sorted(self._open)  # every mark seen starts before `end`

    def draw(self, start: int, end: int, overlapping: list[int]) -> Markup:
        """The HTML of the row `[start, end)` with the marks `overlapping` it (in side order)."""
        marks = self.marks
        pending: list[_Cut] = []
        for index in overlapping:
            mark = marks[index]
            pending.append((max(mark.start, start), min(mark.end, end), mark.continued or mark.start < start, index))
        pending.sort(key=_cut_order)
        out: list[str] = []
        self._nest(start, end, pending, out)
        return Markup("".join(out))

    def _nest(self, start: int, end: int, pending: list[_Cut], out: list[str]) -> None:
        # `nest`, step for step, writing HTML instead of pieces.
        plain = self.plain
        position = start
        while pending:
            outer_start, outer_end, continued, index = pending.pop(0)
            if outer_start > position:
                out.append(plain.html(position, outer_start))
            inside: list[_Cut] = []
            rest: list[_Cut] = []
            for cut in pending:
                if cut[0] >= outer_end:
                    rest.append(cut)
                elif cut[1] <= outer_end:
                    inside.append(cut)
                else:  # crosses the end of the outer mark: the part inside now, the rest after it
                    inside.append((cut[0], outer_end, cut[2], cut[3]))
                    rest.append((outer_end, cut[1], True, cut[3]))
            opening, closing = self._tags_of(index)
            if continued:
                opening = _opening(self.marks[index], continued=True)
            joiner_start, joiner_end = plain.joiner(outer_start), plain.joiner(outer_end)
            out.append(joiner_start + opening + joiner_start)
            # As `nest` draws the children: the marks overlapping the outer one, in order.
            inside = [cut for cut in inside if cut[0] < outer_end and outer_start < cut[1]]
            inside.sort(key=_cut_order)
            self._nest(outer_start, outer_end, inside, out)
            out.append(joiner_end + closing + joiner_end)
            position = outer_end
            rest.sort(key=_cut_order)
            pending = rest
        if position < end:
            out.append(plain.html(position, end))

    def _tags_of(self, index: int) -> tuple[str, str]:
        """A mark's opening tag and its chip with the closing tag."""
        tags = self._tags.get(index)
        if tags is None:
            mark = self.marks[index]
            tags = self._tags[index] = (_opening(mark, continued=False), _closing(mark))
        return tags


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


def _as_outcomes(parts: list[PartOutcome]) -> list[Outcome]:
    """Part outcomes as span outcomes (label = role, id = the owner), to count and confuse them."""

    def span(part: Part | None) -> LabeledSpan | None:
        return None if part is None else LabeledSpan(part.start, part.end, part.label, part.owner)

    return [Outcome(outcome.category, span(outcome.gold), span(outcome.pred)) for outcome in parts]


def _beside(layer: str, outcomes: list[Outcome], parts: list[PartOutcome]) -> dict[str, dict[str, int]]:
    """Counts drawn beside the layer's counted unit: triggers of events, cues and speakers of quotes."""
    if layer == "events":
        return {PART_TITLES["trigger"]: category_counts(outcomes)}
    if layer == "quotes":
        return {
            PART_TITLES[kind]: category_counts(_as_outcomes([outcome for outcome in parts if outcome.kind == kind]))
            for kind in ("cue", "speaker")
        }
    return {}


def _add_counts(total: dict[str, dict[str, int]], more: dict[str, dict[str, int]]) -> None:
    for title, counts in more.items():
        into = total.setdefault(title, dict.fromkeys(CATEGORIES, 0))
        for category, count in counts.items():
            into[category] += count


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
    page shows outcomes only.

    Counts and the confusion matrix of a layer are over the unit its headline counts
    (`LAYER_KEYS`): for events the arguments (Arg-C+, by role), for the other layers their spans."""
    span_map = span_map or identity_spans
    part_map = result.span_map if result is not None and result.span_map is not None else span_map
    pred_by_id = {document.id: document for document in pred_docs}
    golds = sorted(gold_docs, key=lambda document: document.id)
    outcomes: dict[str, dict[str, list[Outcome]]] = {gold.id: {} for gold in golds}
    parts: dict[str, dict[str, list[PartOutcome]]] = {gold.id: {} for gold in golds}
    counted: dict[str, dict[str, list[Outcome]]] = {gold.id: {} for gold in golds}  # the headline's unit
    views: list[LayerView] = []
    for layer in layers:
        all_counted: list[Outcome] = []
        beside: dict[str, dict[str, int]] = {}
        matched = result.matches.get(layer) if result is not None else None
        for gold in golds:
            pred = pred_by_id.get(gold.id)
            # The very matches the scores were counted from, when there are scores.
            found = matched[gold.id] if matched is not None else layer_outcomes(gold, pred, layer, span_map)
            outcomes[gold.id][layer] = found
            parts[gold.id][layer] = part_outcomes(gold, pred, layer, part_map)
            unit = _as_outcomes(parts[gold.id][layer]) if layer == "events" else found
            counted[gold.id][layer] = unit
            all_counted += unit
            _add_counts(beside, _beside(layer, found, parts[gold.id][layer]))
        confusions = confusion(all_counted)
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
                category_counts(all_counted),
                signature,
                LAYER_KEYS.get(layer, ""),
                beside,
            )
        )
    entries = []
    for gold in golds:
        counts = {layer: category_counts(found) for layer, found in counted[gold.id].items()}
        errors = sum(n for layer_counts in counts.values() for c, n in layer_counts.items() if c != "correct")
        entries.append(DocumentEntry(gold.id, counts, errors))
    entries.sort(key=lambda entry: (-entry.errors, entry.id))
    sources = {gold.id: (gold, pred_by_id.get(gold.id), outcomes[gold.id], parts[gold.id]) for gold in golds}
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


_JOINER = '<span class="zj"></span>'


def draw_pieces(pieces: list[Piece]) -> Markup:
    """The HTML of a row's pieces: text escaped, a mark as a span with its chip (the joiners,
    parts' links and left-to-right runs as the module docstring says). Drawn here rather than
    by a recursive template macro: a large corpus has millions of pieces."""
    out: list[str] = []
    _draw(pieces, out)
    return Markup("".join(out))


def _draw(pieces: list[Piece], out: list[str]) -> None:
    for piece in pieces:
        mark = piece.mark
        if mark is None:
            out.append(f'<bdi dir="ltr">{escape(piece.text)}</bdi>' if piece.ltr else escape(piece.text))
            continue
        joiner_start = _JOINER if piece.join_start else ""
        joiner_end = _JOINER if piece.join_end else ""
        out.append(f"{joiner_start}{_opening(mark, mark.continued)}{joiner_start}")
        _draw(piece.children, out)
        out.append(f"{joiner_end}{_closing(mark)}{joiner_end}")


def _opening(mark: Mark, continued: bool) -> str:
    part = "" if mark.kind == "span" else f" part {_escaped(mark.kind)}"
    cont = " cont" if continued else ""
    anchor = f' id="{_escaped(mark.anchor)}"' if mark.kind == "span" and mark.anchor and not continued else ""
    return f'<span class="m {_escaped(mark.category)}{part}{cont}"{anchor} title="{_escaped(mark.title)}">'


def _closing(mark: Mark) -> str:
    colour = _escaped(mark.colour)
    if mark.kind == "span":
        return (
            f'<span class="lab" dir="ltr" lang="en" style="--c: {colour}"'
            f' data-chip="{_escaped(mark.chip or mark.label)}"></span></span>'
        )
    return (
        f'<a class="lab" dir="ltr" lang="en" style="--c: {colour}" data-chip="{_escaped(mark.chip)}"'
        f' href="#{_escaped(mark.anchor)}"></a></span>'
    )


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


def render_single(report: Report, progress: Progress | None = None) -> Iterator[str]:
    """The one self-contained page of `report`, in chunks (documents drawn as they come;
    `progress(done, total)` after each)."""
    template = _environment().get_template("report_summary.html.j2")
    return template.generate(
        report=report, none_label=NONE_LABEL, links=SINGLE_PAGE, documents=report.documents(progress)
    )


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
