"""How the report draws one document: joined letters at span edges, event arguments and quote
cues and speakers linked to their event or quote, tables by the headline's key, isolated
left-to-right runs, one colour per label. Documents are made-up test fixtures, not news."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from khabar.document import Argument, Document, Entity, Span, Speaker
from khabar.eval.harness import evaluate
from khabar.eval.report import (
    UNKNOWN_COLOUR,
    Mark,
    Piece,
    build_report,
    ltr_runs,
    nest,
    render_report,
)
from khabar.inventories import LABEL_COLOURS, ROLE_COLOURS
from tests.fixture_corpus import fixture_documents


def marks_of(pieces: list[Piece]) -> list[Piece]:
    found = []
    for piece in pieces:
        if piece.mark is not None:
            found.append(piece)
            found += marks_of(piece.children)
    return found


def text_of(pieces: list[Piece]) -> str:
    return "".join(piece.text if piece.mark is None else text_of(piece.children) for piece in pieces)


def row_texts(page: str, side: str) -> list[str]:
    """The text a browser has in each row of one side (tags dropped, entities decoded)."""
    rows = re.findall(rf'<div class="line {side}"><span class="side">[^<]*</span><p>(.*?)</p></div>', page, re.S)
    return [htmllib.unescape(re.sub(r"<[^>]+>", "", row)) for row in rows]


# --- 1. joined letter forms ------------------------------------------------------------

# Test fixture (made up): diacritics, tatweel, a clitic, Eastern Arabic digits, a non-BMP letter.
JOIN_TEXT = "قالَ مُحَمَّدٌ للغربِ إنّ حمـدان زار ١٢٣ 𝔸بد"


def at(fragment: str, offset: int = 0) -> int:
    return JOIN_TEXT.index(fragment) + offset


JOIN_CASES = [
    # (name, start, end, joined at start, joined at end)
    ("after a damma, inside a word", at("مُحَمَّدٌ", 2), at("مُحَمَّدٌ", 9), True, False),
    ("before a fatha", at("مُحَمَّدٌ"), at("مُحَمَّدٌ", 3), False, True),
    ("after the clitic lam", at("لغربِ"), at("لغربِ", 5), True, False),
    ("from a tatweel", at("ـدان"), at("ـدان", 4), True, False),
    ("up to a tatweel", at("حمـدان"), at("حمـدان", 2), False, True),
    ("Eastern digits", at("٢٣"), at("٢٣", 2), False, False),
    ("after a non-BMP letter", at("بد"), at("بد", 2), False, False),
    ("after alef, which never joins the next letter", at("قالَ", 2), at("قالَ", 4), False, False),
]


@pytest.mark.parametrize(
    ("name", "start", "end", "joined_start", "joined_end"), JOIN_CASES, ids=[c[0] for c in JOIN_CASES]
)
def test_a_mark_edge_inside_a_word_gets_joiners(name, start, end, joined_start, joined_end) -> None:
    (piece,) = marks_of(nest(JOIN_TEXT, 0, len(JOIN_TEXT), [Mark(start, end, "PER", "correct", name)]))
    assert (piece.join_start, piece.join_end) == (joined_start, joined_end)
    assert text_of(piece.children) == JOIN_TEXT[start:end]  # code-point offsets: 𝔸 is one character


def test_joiners_are_drawn_by_the_style_sheet_and_the_text_stays_exact() -> None:
    """Every joined edge gets a joiner on both of its sides, as CSS generated content: the
    page's text (what a browser copies and searches) is the document's, character for character."""
    start, end = at("مُحَمَّدٌ", 2), at("حمـدان", 2)
    gold = Document(
        id="doc-0001",
        text=JOIN_TEXT,
        entities=(
            Entity("T1", start, at("مُحَمَّدٌ", 9), "PER", JOIN_TEXT[start : at("مُحَمَّدٌ", 9)]),
            Entity("T2", at("حمـدان"), end, "PER", JOIN_TEXT[at("حمـدان") : end]),
        ),
    )
    page = render_report(build_report([gold, replace(gold, id="doc-0002")], [gold], layers=["entities"]))
    body = page.split("</style>")[1]
    assert "\u200d" not in body and "&#8205;" not in body and "&zwj;" not in body
    assert '.zj::after { content: "\\200D"; }' in page
    # A joined start: a joiner before the mark and one inside it, then the letters.
    assert '<span class="zj"></span><span class="m correct" title=' in body
    assert re.search(r'title="[^"]*"><span class="zj"></span>حَمَّدٌ', body)
    # A joined end: a joiner after the letters, inside the mark, and one after the mark.
    assert re.search(
        r'حم<span class="zj"></span><span class="lab"[^>]*></span></span><span class="zj"></span>ـدان', body
    )
    assert row_texts(page, "gold") == [JOIN_TEXT, JOIN_TEXT]


# --- 3. events with arguments, quotes with cue and speaker -----------------------------


def event_quote_pair() -> tuple[list[Document], list[Document]]:
    """Gold: the fixture corpus (an event with a `ref` and a span argument, a quote whose
    speaker is an entity), with a cue added. Pred: a role changed, an argument dropped, one
    added, the speaker moved to another entity, the cue kept."""
    gold_docs, pred_docs = [], []
    for document in fixture_documents(3):
        quotes = document.quotes
        if "وأضاف" in document.text:
            cue_start = document.text.index("وأضاف")
            quotes = (replace(quotes[0], cue=Span(cue_start, cue_start + 5, "وأضاف")),)
        gold = replace(document, quotes=quotes)
        gold_docs.append(gold)
        if document.id != "doc-0001":
            pred_docs.append(gold)
            continue
        event = gold.events[0]
        attacker = Span(gold.text.index("الرئيس"), gold.text.index("الرئيس") + 6, "الرئيس")
        arguments = (replace(event.arguments[1], role="Instrument"), Argument("Attacker", span=attacker))
        speaker = Speaker(ref="T3")
        pred = replace(
            gold, events=(replace(event, arguments=arguments),), quotes=(replace(quotes[0], speaker=speaker),)
        )
        pred_docs.append(pred)
    return gold_docs, pred_docs


def drawn(report, document_id: str, side: str, kind: str) -> list[tuple[str, str, str, str]]:
    """(text, label, category, link) of every mark of `kind` on one side of a document (the
    report's one layer)."""
    (document,) = [d for d in report.documents() if d.id == document_id]
    (view,) = document.layers
    found = []
    for row in view.rows:
        for piece in marks_of(getattr(row, side)):
            if piece.mark.kind == kind:
                found.append((text_of(piece.children), piece.mark.label, piece.mark.category, piece.mark.anchor))
    return sorted(found)


def test_event_arguments_are_drawn_linked_to_their_trigger() -> None:
    gold_docs, pred_docs = event_quote_pair()
    events = build_report(gold_docs, pred_docs, layers=["events"])
    link = "events-doc-0001-{}-E1"
    assert drawn(events, "doc-0001", "gold", "argument") == [
        ("الرياض", "Place", "missed", link.format("gold")),
        ("القاعدة", "Target", "wrong_type", link.format("gold")),  # a wrong role
    ]
    assert drawn(events, "doc-0001", "pred", "argument") == [
        ("الرئيس", "Attacker", "spurious", link.format("pred")),
        ("القاعدة", "Instrument", "wrong_type", link.format("pred")),
    ]
    assert [category for *_, category, _ in drawn(events, "doc-0003", "gold", "argument")] == ["correct", "correct"]
    # The trigger carries the id its arguments link to.
    (trigger,) = drawn(events, "doc-0001", "gold", "span")
    assert trigger == ("الهجوم", "Conflict:Attack", "correct", link.format("gold"))
    page = render_report(build_report(gold_docs, pred_docs, layers=["events"]))
    assert f'id="{link.format("gold")}"' in page and f'id="{link.format("pred")}"' in page
    assert f'data-chip="Place → E1" href="#{link.format("gold")}"' in page
    assert 'data-chip="E1 Conflict:Attack"' in page


def test_quote_cues_and_speakers_are_drawn_linked_to_their_quote() -> None:
    gold_docs, pred_docs = event_quote_pair()
    quotes = build_report(gold_docs, pred_docs, layers=["quotes"])
    link = "quotes-doc-0001-{}-Q1"
    assert drawn(quotes, "doc-0001", "gold", "speaker") == [("محمد بن سلمان", "speaker", "missed", link.format("gold"))]
    assert drawn(quotes, "doc-0001", "pred", "speaker") == [("الوزير", "speaker", "spurious", link.format("pred"))]
    assert drawn(quotes, "doc-0001", "gold", "cue") == [("وأضاف", "cue", "correct", link.format("gold"))]
    assert drawn(quotes, "doc-0003", "pred", "speaker") == [
        ("محمد بن سلمان", "speaker", "correct", "quotes-doc-0003-pred-Q1")
    ]
    speakers = quotes.layers[0].beside["speakers"]
    assert (speakers["correct"], speakers["missed"], speakers["spurious"]) == (2, 1, 1)  # doc-0002, doc-0003 agree
    page = render_report(build_report(gold_docs, pred_docs, layers=["quotes"]))
    assert f'data-chip="speaker → Q1" href="#{link.format("pred")}"' in page


# --- 4. tables and confusion by the headline's key --------------------------------------


def test_event_tables_and_confusion_are_by_role() -> None:
    gold_docs, pred_docs = event_quote_pair()
    result = evaluate(gold_docs, pred_docs, layers=("events",), bootstrap=0)
    (events,) = build_report(gold_docs, pred_docs, result, layers=["events"]).layers
    assert events.table_metric == result.layers["events"].headline_metric == "Arg-C+"
    roles = {row.label for row in events.table}
    confused = {label for label in events.gold_labels + events.pred_labels if label != "∅"}
    assert confused == roles == {"Attacker", "Destination", "Instrument", "Place", "Target"}
    assert events.confusion[("Target", "Instrument")] == 1 and events.confusion[("Target", "Target")] == 1
    assert "by role" in events.key and "Arg-C+" in events.key
    micro = result.layers["events"].metrics["Arg-C+"].averages["micro"]
    assert events.counts["correct"] == micro.tp


# --- 6. left-to-right runs --------------------------------------------------------------

LTR_TEXT = "قال المتحدث باسم (CENTCOM) إن f(x) و[1] انتهى عام 2025 (AFP). ثم ١١ نوفمبر Paris 😀 فقط"


def test_ltr_runs_take_the_brackets_at_their_edges() -> None:
    runs = [LTR_TEXT[start:end] for start, end in ltr_runs(LTR_TEXT)]
    assert runs == ["(CENTCOM)", "f(x)", "[1]", "2025 (AFP)", "Paris"]


class Isolates(HTMLParser):
    """The text of every `<bdi>` and the direction it is isolated in."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.runs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "bdi":
            self.depth += 1
            self.runs.append((dict(attrs).get("dir") or "", ""))

    def handle_endtag(self, tag):
        if tag == "bdi":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            direction, text = self.runs[-1]
            self.runs[-1] = (direction, text + data)


def test_ltr_runs_are_isolated_in_the_page_inside_and_outside_marks() -> None:
    start = LTR_TEXT.index("CENTCOM")
    gold = Document(id="doc-0001", text=LTR_TEXT, entities=(Entity("T1", start, start + 7, "ORG", "CENTCOM"),))
    page = render_report(build_report([gold, replace(gold, id="doc-0002")], [gold], layers=["entities"]))
    parser = Isolates()
    parser.feed(page)
    # Row 1 with the mark (its brackets keep the row's direction, around the isolated name),
    # row 1 without it, row 2 (no spans: one line). doc-0002 (no prediction: a missed span)
    # comes first, most errors first.
    marked, plain = ["CENTCOM", "f(x)", "[1]", "2025 (AFP)"], ["(CENTCOM)", "f(x)", "[1]", "2025 (AFP)"]
    expected = [*marked, *plain, "Paris", *marked, *marked, "Paris"]
    assert parser.runs == [("ltr", text) for text in expected]
    assert "".join(row_texts(page, "gold")) == LTR_TEXT * 2


# --- 7. one colour per label ------------------------------------------------------------


def test_chips_take_the_inventory_colour_of_their_label() -> None:
    gold_docs, pred_docs = event_quote_pair()
    pred_docs = [
        replace(pred_docs[0], entities=(*pred_docs[0].entities[:2], replace(pred_docs[0].entities[2], type="ZZZ"))),
        *pred_docs[1:],
    ]
    report = build_report(gold_docs, pred_docs, layers=["entities", "events", "quotes"])
    colours = {}
    for document in report.documents():
        for view in document.layers:
            for row in view.rows:
                for piece in marks_of(row.gold + row.pred):
                    colours[(view.layer, piece.mark.kind, piece.mark.label)] = piece.mark.colour
    assert colours[("entities", "span", "PER")] == LABEL_COLOURS["entities"]["PER"]
    assert colours[("entities", "span", "ZZZ")] == UNKNOWN_COLOUR  # a label outside the inventory
    assert colours[("events", "span", "Conflict:Attack")] == LABEL_COLOURS["events"]["Conflict:Attack"]
    assert colours[("events", "argument", "Target")] == ROLE_COLOURS["Target"]
    assert colours[("quotes", "span", "direct")] == LABEL_COLOURS["quotes"]["direct"]
    page = render_report(report)
    assert f'style="--c: {LABEL_COLOURS["entities"]["GPE"]}" data-chip="GPE"' in page
