"""Parity: score_tags equals seqeval's classification_report (both modes) to 1e-12."""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from khabar.errors import InputError
from khabar.eval import score_tags

LABELS = ["PER", "ORG", "Justice:Arrest-Jail", "Conflict:Attack", "A-B-C"]
tags = st.sampled_from(["O"] + [f"{prefix}-{label}" for prefix in "BI" for label in LABELS])


@st.composite
def paired_sequences(draw):
    lengths = draw(st.lists(st.integers(0, 12), min_size=1, max_size=8))
    gold = [draw(st.lists(tags, min_size=n, max_size=n)) for n in lengths]
    pred = [draw(st.lists(tags, min_size=n, max_size=n)) for n in lengths]
    return gold, pred


def seqeval_report(gold, pred, scheme):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if scheme == "IOB2":
            return classification_report(gold, pred, mode="strict", scheme=IOB2, output_dict=True)
        return classification_report(gold, pred, output_dict=True)


def assert_close(ours, theirs):
    # Undefined is None here and 0 (or NaN for an empty macro average) in seqeval.
    if ours is None:
        assert theirs == 0 or math.isnan(theirs)
    else:
        assert abs(ours - theirs) <= 1e-12


def assert_parity(gold, pred, scheme):
    ours = score_tags(gold, pred, scheme=scheme, bootstrap=0).to_dict()
    theirs = seqeval_report(gold, pred, scheme)
    labels = [key for key in theirs if not key.endswith(" avg")]
    assert sorted(ours["per_label"]) == labels
    rows = [(ours["per_label"][label], theirs[label]) for label in labels]
    rows += [(ours[average], theirs[f"{average} avg"]) for average in ("micro", "macro", "weighted")]
    for row, expected in rows:
        for name, key in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
            assert_close(row[name], float(expected[key]))
        assert row["support"] == int(expected["support"])


@pytest.mark.parametrize("scheme", ["IOB2", "conlleval"])
@settings(max_examples=100, deadline=None)
@given(data=paired_sequences())
def test_parity_with_seqeval_on_random_ill_formed_sequences(scheme, data):
    gold, pred = data
    assert_parity(gold, pred, scheme)


@pytest.mark.parametrize("scheme", ["IOB2", "conlleval"])
@settings(max_examples=50, deadline=None)
@given(data=paired_sequences())
def test_parity_when_pred_is_gold(scheme, data):
    gold, _ = data
    assert_parity(gold, gold, scheme)


def test_strict_drops_chains_that_start_with_inside_while_conlleval_keeps_them():
    gold = [["O", "B-PER", "I-PER", "O"]]
    pred = [["O", "I-PER", "I-PER", "O"]]
    assert score_tags(gold, pred, scheme="IOB2", bootstrap=0).micro.f1 == 0.0
    assert score_tags(gold, pred, scheme="conlleval", bootstrap=0).micro.f1 == 1.0


def test_hand_computed_averages():
    # gold: PER, PER, ORG; pred: PER (right), ORG (wrong extent), LOC (spurious).
    gold = [["B-PER", "O", "B-PER"], ["B-ORG", "I-ORG", "O"]]
    pred = [["B-PER", "O", "O"], ["B-ORG", "O", "B-LOC"]]
    result = score_tags(gold, pred, bootstrap=0)
    per = result.per_label
    assert (per["PER"].precision, per["PER"].recall, per["PER"].f1) == (1.0, 0.5, 2 / 3)
    assert (per["ORG"].precision, per["ORG"].recall, per["ORG"].f1) == (0.0, 0.0, 0.0)
    assert (per["LOC"].precision, per["LOC"].recall, per["LOC"].f1) == (0.0, None, 0.0)
    assert result.micro.precision == 1 / 3 and result.micro.recall == 1 / 3
    assert result.averages["macro"].f1 == pytest.approx((2 / 3 + 0 + 0) / 3, abs=1e-15)
    assert result.averages["weighted"].f1 == pytest.approx((2 / 3 * 2 + 0 * 1) / 3, abs=1e-15)


def test_nothing_to_score_is_undefined_not_zero():
    result = score_tags([["O", "O"]], [["O", "O"]], bootstrap=10)
    assert result.micro.f1 is None and result.micro.precision is None and result.micro.ci is None


@pytest.mark.parametrize("bad", ["B-", "X-PER", "B-PER-", "B--PER", "b-PER", "BPER", "", "E-PER", "B- "])
def test_invalid_tag_strings_are_rejected_with_their_position(bad):
    with pytest.raises(InputError) as error:
        score_tags([["O", "O"]], [["O", bad]], bootstrap=0)
    assert str(error.value) == f"pred sequence 0, position 1: invalid tag {bad!r} (expected O, B-LABEL or I-LABEL)"


def test_length_mismatch_is_rejected():
    with pytest.raises(InputError, match="sequence 0: 2 gold tags but 1 predicted"):
        score_tags([["O", "O"]], [["O"]], bootstrap=0)


@settings(max_examples=50, deadline=None)
@given(data=paired_sequences(), cut=st.integers(0, 8))
def test_counts_add_across_any_split(data, cut):
    from khabar.eval.tags import tag_count_tables

    gold, pred = data
    whole = tag_count_tables(gold, pred)
    first = tag_count_tables(gold[:cut], pred[:cut]) if cut else None
    second = tag_count_tables(gold[cut:], pred[cut:]) if gold[cut:] else None
    for mode, table in whole.items():
        totals = dict(zip(table.labels, table.summed().tolist(), strict=True))
        parts: dict[str, list[int]] = {}
        for part in (first, second):
            if part is None:
                continue
            for label, row in zip(part[mode].labels, part[mode].summed().tolist(), strict=True):
                parts[label] = [a + b for a, b in zip(parts.get(label, [0, 0, 0]), row, strict=True)]
        assert {label: row for label, row in totals.items() if any(row)} == {
            label: row for label, row in parts.items() if any(row)
        }
