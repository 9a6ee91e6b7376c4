"""The report's short cuts give what the long way gives: the span pairing tests only the pairs
that touch (overlap or share an extent) — the same outcomes as testing every gold × pred pair,
on random spans; `ltr_runs` skips, without a Unicode look-up, only characters that can never
start or extend a left-to-right run."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.eval import outcomes as outcomes_module
from khabar.eval.outcomes import Outcome, match_spans
from khabar.eval.report import NEVER_LTR
from khabar.views import LabeledSpan


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
