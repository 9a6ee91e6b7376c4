"""Per-span outcomes: one worked example per category, and parity with nervaluate's counts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator

from khabar.document import Document, Timex
from khabar.eval.outcomes import CATEGORIES, category_counts, confusion, layer_outcomes, match_spans
from khabar.views import LabeledSpan


def span(start: int, end: int, label: str, identifier: str = "") -> LabeledSpan:
    return LabeledSpan(start, end, label, identifier)


def test_one_example_per_category():
    gold = [span(0, 4, "PER", "T1"), span(10, 14, "ORG", "T2"), span(20, 25, "GPE", "T3"), span(30, 35, "LOC", "T4")]
    gold += [span(40, 44, "PER", "T5"), span(60, 64, "DATE", "T6")]
    pred = [span(0, 4, "PER", "P1"), span(10, 14, "GPE", "P2"), span(19, 25, "GPE", "P3"), span(31, 35, "ORG", "P4")]
    pred += [span(50, 53, "ORG", "P5"), span(60, 64, "DATE", "P6")]
    # Values (a timex's TimeML value): the same but for T6 / P6.
    gold_values = ["a", "b", "c", "d", "e", "2025-11-24"]
    pred_values = ["a", "b", "c", "d", "f", "2025-11-25"]
    outcomes = match_spans(gold, pred, gold_values, pred_values)
    found = [(o.category, o.gold.id if o.gold else None, o.pred.id if o.pred else None) for o in outcomes]
    assert found == [
        ("correct", "T1", "P1"),
        ("wrong_type", "T2", "P2"),
        ("wrong_boundary", "T3", "P3"),
        ("wrong_boundary_type", "T4", "P4"),
        ("missed", "T5", None),
        ("spurious", None, "P5"),
        ("wrong_value", "T6", "P6"),
    ]
    assert category_counts(outcomes) == dict.fromkeys(CATEGORIES, 1)
    assert confusion(outcomes) == {
        ("PER", "PER"): 1,
        ("ORG", "GPE"): 1,
        ("GPE", "GPE"): 1,
        ("LOC", "ORG"): 1,
        ("PER", "∅"): 1,
        ("∅", "ORG"): 1,
        ("DATE", "DATE"): 1,
    }
    # Without values, the right extent and label is correct.
    assert [o.category for o in match_spans(gold, pred)][-1] == "correct"


def test_a_timex_with_the_right_extent_and_another_value_is_not_correct():
    """Gold and predicted timex of two fixture documents: the value decides `correct`."""
    text = "وصل الوفد يوم ٢٤ نوفمبر وغادر في ٢٥ نوفمبر."  # test fixture, made up
    first, second = text.index("٢٤ نوفمبر"), text.index("٢٥ نوفمبر")

    def timex(identifier: str, start: int, value: str) -> Timex:
        return Timex(identifier, start, start + 9, "DATE", value, text[start : start + 9])

    gold = Document(
        id="doc-0001", text=text, timex=(timex("X1", first, "2025-11-24"), timex("X2", second, "2025-11-25"))
    )
    pred = Document(
        id="doc-0001", text=text, timex=(timex("X1", first, "2025-11-24"), timex("X2", second, "2024-11-25"))
    )
    identity = lambda document: lambda start, end: (start, end)  # noqa: E731
    outcomes = layer_outcomes(gold, pred, "timex", identity)
    assert [(o.category, o.gold.id) for o in outcomes] == [("correct", "X1"), ("wrong_value", "X2")]
    valueless = Document(id="doc-0001", text=text, timex=(timex("X1", first, ""),))  # extent only: no value
    assert [o.category for o in layer_outcomes(gold, valueless, "timex", identity)] == ["wrong_value", "missed"]


def test_an_exact_match_wins_over_an_earlier_overlap():
    gold = [span(0, 10, "ORG", "T1"), span(4, 8, "PER", "T2")]  # nested gold
    pred = [span(4, 8, "PER", "P1")]
    outcomes = match_spans(gold, pred)
    assert [(o.category, o.gold.id if o.gold else None) for o in outcomes] == [("missed", "T1"), ("correct", "T2")]


def test_touching_spans_do_not_overlap():
    outcomes = match_spans([span(0, 4, "PER")], [span(4, 8, "PER")])
    assert [o.category for o in outcomes] == ["missed", "spurious"]


@st.composite
def one_to_one_spans(draw):
    """Gold and pred spans where each pred overlaps at most one gold and vice versa."""
    gold, pred = [], []
    position = 0
    for _ in range(draw(st.integers(0, 8))):
        position += draw(st.integers(1, 4))
        kind = draw(st.sampled_from(["gold", "pred", "both"]))
        start, end = position, position + draw(st.integers(1, 5))
        label = draw(st.sampled_from("ABC"))
        if kind in ("gold", "both"):
            gold.append(span(start, end, label))
        if kind in ("pred", "both"):
            shift_start = draw(st.integers(0, 1)) if kind == "both" else 0
            shift_end = draw(st.integers(0, 1)) if kind == "both" else 0
            p_start, p_end = start + shift_start, end + shift_end
            if p_start >= p_end:
                p_start = start
            pred.append(span(p_start, p_end, draw(st.sampled_from([label, "A", "B"]))))
        position = end + 2
    return gold, pred


@settings(max_examples=100, deadline=None)
@given(one_to_one_spans())
def test_counts_equal_nervaluate_when_pairings_are_unambiguous(spans):
    gold, pred = spans
    counts = category_counts(match_spans(gold, pred))
    # nervaluate's ends are inclusive.
    as_dicts = [[{"label": s.label, "start": s.start, "end": s.end - 1} for s in side] for side in (gold, pred)]
    results = Evaluator([as_dicts[0]], [as_dicts[1]], tags=["A", "B", "C"], loader="dict").evaluate()["overall"]
    assert counts["correct"] == results["strict"].correct
    assert counts["correct"] + counts["wrong_type"] == results["exact"].correct
    assert counts["correct"] + counts["wrong_boundary"] == results["ent_type"].correct
    assert counts["missed"] == results["strict"].missed
    assert counts["spurious"] == results["strict"].spurious
    assert len(gold) == sum(counts[c] for c in CATEGORIES if c != "spurious")
    assert len(pred) == sum(counts[c] for c in CATEGORIES if c != "missed")
