"""The report's short cuts give what the long way gives: the span pairing tests only the pairs
that touch (overlap or share an extent), found by a sweep — the same outcomes as testing every
gold × pred pair, on random spans; `ltr_runs` skips, without a Unicode look-up, only characters
that can never start or extend a left-to-right run; a row drawn by the sweep over the marks
(`Sweep`) is the HTML `draw_pieces(nest(...))` gives from all the marks of its side, on random
marks and on the rows of a fixture corpus and of the published corpus."""

from __future__ import annotations

import re
import sys
import unicodedata
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.baselines.registry import get
from khabar.eval import outcomes as outcomes_module
from khabar.eval.outcomes import Outcome, match_spans
from khabar.eval.predictions import write_predictions
from khabar.eval.report import NEVER_LTR, Mark, PlainText, Report, Sweep, build_report, draw_pieces, nest
from khabar.eval.settings import ScoringSettings
from khabar.runs.report import error_analysis
from khabar.store import load_corpus
from khabar.views import LabeledSpan
from tests.strategies import document_texts
from tests.test_report_drawing import event_quote_pair


def every_pair_match(
    gold: list[LabeledSpan], pred: list[LabeledSpan], gold_values: list[str], pred_values: list[str]
) -> list[Outcome]:
    """The pairing over every gold × pred pair (the rules as they are, no pre-selection)."""
    gold_free, pred_free = set(range(len(gold))), set(range(len(pred)))
    found: list[Outcome] = []
    for category, rule in outcomes_module._RULES:
        candidates = sorted(
            (outcomes_module._distance(gold[g], pred[p]), gold[g].start, pred[p].start, g, p)
            for g in gold_free
            for p in pred_free
            if rule(gold[g], pred[p], gold_values[g] == pred_values[p])
        )
        for *_, g, p in candidates:
            if g in gold_free and p in pred_free:
                gold_free.discard(g)
                pred_free.discard(p)
                found.append(Outcome(category, gold[g], pred[p]))
    found += [Outcome("missed", gold[g], None) for g in gold_free]
    found += [Outcome("spurious", None, pred[p]) for p in pred_free]
    order = outcomes_module.CATEGORIES.index
    return sorted(found, key=lambda o: ((o.gold or o.pred).start, (o.gold or o.pred).end, order(o.category)))


def spans(prefix: str) -> st.SearchStrategy[list[LabeledSpan]]:
    span = st.tuples(st.integers(0, 40), st.integers(0, 6), st.sampled_from(["PER", "ORG", "GPE"]))
    return st.lists(span, max_size=12).map(
        lambda items: [
            LabeledSpan(start, start + length, label, f"{prefix}{i}") for i, (start, length, label) in enumerate(items)
        ]
    )


@settings(max_examples=300, deadline=None)
@given(spans("T"), spans("P"), st.data())
def test_pairing_touching_spans_only_gives_the_outcomes_of_every_pair(gold, pred, data):
    values = st.sampled_from(["2025-11-24", "XXXX-11-24"])  # as a timex's TimeML values
    gold_values = data.draw(st.lists(values, min_size=len(gold), max_size=len(gold)))
    pred_values = data.draw(st.lists(values, min_size=len(pred), max_size=len(pred)))
    found = match_spans(gold, pred, gold_values, pred_values)
    assert found == every_pair_match(gold, pred, gold_values, pred_values)


@settings(max_examples=300, deadline=None)
@given(spans("T"), spans("P"))
def test_the_sweep_finds_every_touching_pair(gold, pred):
    every = {
        (g, p)
        for g, gold_span in enumerate(gold)
        for p, pred_span in enumerate(pred)
        if outcomes_module._overlaps(gold_span, pred_span) or outcomes_module._same_extent(gold_span, pred_span)
    }
    found = outcomes_module._touching(gold, pred)
    assert len(found) == len(set(found)) and set(found) == every


def test_the_characters_ltr_runs_skips_are_never_left_to_right():
    skipped = re.compile(f"[{NEVER_LTR}]")
    assert all(skipped.match(character) for character in "عربي ٢٤ ،؛؟«» .,:()\n\u0650\u0640")  # most of a text
    assert not any(skipped.match(character) for character in "A1z9\u06f1\u200e")  # Latin, digits, LRM
    wrong = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if skipped.match(chr(code)) and unicodedata.bidirectional(chr(code)) in ("L", "EN")
    ]
    assert wrong == []


# --- rows: the sweep against `nest` ------------------------------------------------------

TITLES = st.sampled_from(["a", 'q"uote', "<b>&amp;</b>", "it's", "عربي « »"])


@st.composite
def marks_of(draw: st.DrawFn, text: str) -> list[Mark]:
    """Marks of a side: nested, crossing, repeated, empty, continued, parts and spans."""
    marks = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        kind = draw(st.sampled_from(["span", "span", "argument", "cue", "speaker"]))
        marks.append(
            Mark(
                start,
                end,
                draw(st.sampled_from(["PER", "ORG", "Place"])),
                draw(st.sampled_from(["correct", "missed", "wrong_boundary"])),
                draw(TITLES),
                continued=draw(st.booleans()),
                kind=kind,
                chip=draw(st.sampled_from(["", "E1 Conflict:Attack", "Place → E1", "<x>"])),
                colour=draw(st.sampled_from(["#1f77b4", "#5f6368"])),
                anchor=draw(st.sampled_from(["", "events-doc-0001-gold-E1", 'q"1'])),
            )
        )
    return marks


@settings(max_examples=400, deadline=None)
@given(document_texts, st.data())
def test_a_row_drawn_by_the_sweep_is_the_nested_pieces_drawn(text, data):
    marks = data.draw(marks_of(text))
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=5)) | {0, len(text)})
    sweep = Sweep(text, marks, PlainText(text))
    for start, end in pairwise(cuts):  # rows in order, partitioning the text
        overlapping = sweep.advance(start, end)
        assert overlapping == [i for i, m in enumerate(marks) if m.start < end and start < m.end]
        assert sweep.draw(start, end, overlapping) == draw_pieces(nest(text, start, end, marks))


def assert_rows_drawn_as_nested(report: Report) -> int:
    """Every row of every document of `report` equals its pieces drawn; the rows counted."""
    rows = 0
    for document in report.documents():
        for view in document.layers:
            for row in view.rows:
                assert row.gold_html == draw_pieces(row.gold), (document.id, view.layer, row.start)
                if row.has_spans:
                    assert row.pred_html == draw_pieces(row.pred), (document.id, view.layer, row.start)
                else:
                    assert not row.pred_html and not any(piece.mark for piece in row.gold + row.pred)
                rows += 1
    return rows


def test_rows_of_a_fixture_corpus_are_drawn_as_nested() -> None:
    gold_docs, pred_docs = event_quote_pair()
    report = build_report(gold_docs, pred_docs)
    assert assert_rows_drawn_as_nested(report) > 0


def test_rows_of_the_published_corpus_are_drawn_as_nested(tmp_path, corpus_dir) -> None:
    predictions = tmp_path / "pred-rules.jsonl"
    write_predictions(predictions, get("rules").predict(load_corpus(corpus_dir)))
    report, _ = error_analysis(predictions, gold_path=corpus_dir, settings=ScoringSettings(bootstrap=0))
    assert assert_rows_drawn_as_nested(report) > 0
