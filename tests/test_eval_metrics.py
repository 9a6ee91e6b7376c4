"""Hand-computed expectations for every span metric, and properties of `evaluate`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nervaluate.strategies import StrictEvaluation

from khabar.document import Entity
from khabar.eval import evaluate
from khabar.eval.matching import _to_nervaluate, match_spans
from khabar.views import LabeledSpan
from tests.eval_helpers import TEXT, Argument, Event, Quote, Speaker, document, entity, span, timex
from tests.strategies import documents, spans_in


def scores(result, layer, metric, average="micro"):
    return result.layers[layer].metrics[metric].to_dict()[average]


GOLD_ENTITIES = (
    entity(TEXT, "T1", "الرئيس", "OCC"),
    entity(TEXT, "T2", "محمد بن سلمان", "PER"),
    entity(TEXT, "T3", "الرياض", "GPE"),
)
PRED_ENTITIES = (
    entity(TEXT, "P1", "الرئيس", "ORG"),  # right extent, wrong type
    entity(TEXT, "P2", "محمد بن", "PER"),  # overlaps PER
    entity(TEXT, "P3", "الرياض", "GPE"),  # exact
    entity(TEXT, "P4", "يوم", "LOC"),  # spurious
)


def test_entity_span_matching_by_hand():
    result = evaluate([document(entities=GOLD_ENTITIES)], [document(entities=PRED_ENTITIES)], layers=["entities"])
    strict = scores(result, "entities", "span-strict")
    assert (strict["tp"], strict["pred"], strict["support"]) == (1, 4, 3)
    assert strict["f1"] == pytest.approx(2 / 7, abs=1e-15)
    assert scores(result, "entities", "span-boundary")["f1"] == pytest.approx(4 / 7, abs=1e-15)
    assert scores(result, "entities", "span-type")["f1"] == pytest.approx(4 / 7, abs=1e-15)
    partial = scores(result, "entities", "span-partial")
    assert partial["tp"] == 2.5 and partial["f1"] == pytest.approx(5 / 7, abs=1e-15)
    per_type = result.layers["entities"].metrics["span-type"].to_dict()["per_label"]
    assert per_type["PER"]["f1"] == 1.0 and per_type["OCC"]["recall"] == 0.0 and per_type["ORG"]["precision"] == 0.0


def test_seqeval_layer_scores_by_hand():
    # Token view: الرئيس/OCC vs ORG wrong, محمد بن سلمان vs محمد بن wrong, الرياض right, يوم spurious.
    result = evaluate([document(entities=GOLD_ENTITIES)], [document(entities=PRED_ENTITIES)], layers=["entities"])
    headline = result.headline["entities"]
    assert headline.name == "exact micro F1 (IOB2 strict)"
    assert headline.f1 == pytest.approx(2 / 7, abs=1e-15)
    assert headline.low <= headline.f1 <= headline.high


def test_exact_matches_are_paired_before_nervaluate_runs_on_nested_spans():
    gold = [LabeledSpan(0, 5, "PER")]
    pred = [LabeledSpan(0, 3, "PER"), LabeledSpan(0, 5, "PER")]
    # nervaluate alone lets the first (overlapping) prediction take the gold span as incorrect.
    raw, _ = StrictEvaluation().evaluate(_to_nervaluate(gold), _to_nervaluate(pred), [])
    assert (raw.correct, raw.incorrect, raw.spurious) == (0, 1, 1)
    categories = sorted(outcome.category for outcome in match_spans(gold, pred, "strict"))
    assert categories == ["correct", "spurious"]


def test_nested_entities_are_scored_on_spans_and_outermost_in_seqeval():
    gold = (entity(TEXT, "T1", "الهجوم على القاعدة", "EVENT"), entity(TEXT, "T2", "القاعدة", "FAC"))
    pred = (entity(TEXT, "P1", "القاعدة", "FAC"),)
    result = evaluate([document(entities=gold)], [document(entities=pred)], layers=["entities"])
    strict = scores(result, "entities", "span-strict")
    assert (strict["tp"], strict["pred"], strict["support"]) == (1, 1, 2)
    assert result.headline["entities"].f1 == 0.0  # flat view: only the outer EVENT is gold


def test_timex_metrics_by_hand():
    gold = (
        timex(TEXT, "X1", "يوم ٢٤ نوفمبر", "DATE", "2025-11-24"),
        timex(TEXT, "X2", "عشر سنوات", "DURATION", "P10Y"),
    )
    pred = (
        timex(TEXT, "P1", "٢٤ نوفمبر", "DATE", "2024-11-24"),  # relaxed match, wrong value
        timex(TEXT, "P2", "عشر سنوات", "DATE", "P10Y"),  # strict match, wrong type, right value
        timex(TEXT, "P3", "أمس", "DATE", "2025-11-30"),  # spurious
    )
    result = evaluate([document(timex=gold)], [document(timex=pred)], layers=["timex"])
    assert scores(result, "timex", "strict-extent")["f1"] == pytest.approx(2 / 5, abs=1e-15)
    assert scores(result, "timex", "relaxed-extent")["f1"] == pytest.approx(4 / 5, abs=1e-15)
    metrics = result.layers["timex"].metrics
    assert metrics["type-accuracy"].to_dict()["accuracy"]["accuracy"] == 0.5
    assert metrics["value-accuracy"].to_dict()["accuracy"]["accuracy"] == 0.5
    value = scores(result, "timex", "value")
    assert value["f1"] == pytest.approx(2 / 5, abs=1e-15)
    # value F1 = value accuracy × relaxed F1 (TempEval-3)
    assert value["f1"] == pytest.approx(0.5 * 4 / 5, abs=1e-15)
    assert result.headline["timex"].f1 == value["f1"]


def test_event_metrics_by_hand_with_a_ref_matched_through_its_span():
    attacker = entity(TEXT, "T2", "محمد بن سلمان", "PER")
    gold_event = Event(
        "E1",
        "Conflict:Attack",
        span(TEXT, "الهجوم"),
        (Argument("Attacker", ref="T2"), Argument("Place", span=span(TEXT, "الرياض"))),
    )
    pred_events = (
        Event(
            "E1",
            "Conflict:Attack",
            span(TEXT, "الهجوم"),
            (Argument("Attacker", span=span(TEXT, "محمد بن سلمان")), Argument("Target", span=span(TEXT, "الرياض"))),
        ),
        Event("E2", "Justice:Arrest-Jail", span(TEXT, "اعتقال")),
    )
    result = evaluate(
        [document(entities=(attacker,), events=(gold_event,))], [document(events=pred_events)], layers=["events"]
    )
    assert scores(result, "events", "Trig-I")["f1"] == pytest.approx(2 / 3, abs=1e-15)
    assert scores(result, "events", "Trig-C")["f1"] == pytest.approx(2 / 3, abs=1e-15)
    assert scores(result, "events", "Arg-I")["f1"] == 1.0
    assert scores(result, "events", "Arg-C")["f1"] == 0.5
    assert scores(result, "events", "Arg-I+")["f1"] == 1.0
    assert scores(result, "events", "Arg-C+")["f1"] == 0.5
    assert result.headline["events"].f1 == 0.5
    # The seqeval trigger view tags event types containing '-' and ':'.
    assert scores(result, "events", "seqeval-IOB2-strict")["f1"] == pytest.approx(2 / 3, abs=1e-15)


def test_arguments_attached_to_the_wrong_trigger_fail_only_the_attached_keys():
    argument = (Argument("Place", span=span(TEXT, "الرياض")),)
    gold = (Event("E1", "Conflict:Attack", span(TEXT, "الهجوم"), argument),)
    pred = (Event("E1", "Conflict:Attack", span(TEXT, "استمر"), argument),)
    result = evaluate([document(events=gold)], [document(events=pred)], layers=["events"])
    assert scores(result, "events", "Arg-C")["f1"] == 1.0
    assert scores(result, "events", "Arg-C+")["f1"] == 0.0


def test_quote_metrics_by_hand():
    speaker = entity(TEXT, "T2", "محمد بن سلمان", "PER")
    gold = (
        Quote("Q1", "direct", span(TEXT, "سنواصل العمل"), span(TEXT, "وأضاف"), Speaker(ref="T2")),
        Quote("Q2", "indirect", span(TEXT, "اعتقال المشتبه به تمّ أمس"), span(TEXT, "وأكد")),
    )
    pred = (
        Quote("Q1", "direct", span(TEXT, "«سنواصل العمل»"), span(TEXT, "وأضاف"), Speaker(span=span(TEXT, "محمد بن"))),
        Quote("Q2", "indirect", span(TEXT, "اعتقال المشتبه به تمّ أمس"), None, Speaker(span=span(TEXT, "الوزير"))),
    )
    result = evaluate([document(entities=(speaker,), quotes=gold)], [document(quotes=pred)], layers=["quotes"])
    exact = result.layers["quotes"].metrics["content-exact"].to_dict()
    assert exact["micro"]["f1"] == 0.5
    assert exact["per_label"]["direct"]["f1"] == 0.0 and exact["per_label"]["indirect"]["f1"] == 1.0
    assert scores(result, "quotes", "content-overlap")["f1"] == 1.0
    cue = scores(result, "quotes", "cue")
    assert (cue["tp"], cue["pred"], cue["support"], cue["f1"]) == (1, 1, 2, pytest.approx(2 / 3, abs=1e-15))
    speaker_accuracy = result.layers["quotes"].metrics["speaker-accuracy"].to_dict()["accuracy"]
    assert (speaker_accuracy["correct"], speaker_accuracy["total"]) == (1, 2)
    assert result.headline["quotes"].f1 == 0.5


def test_tagset_projection_scores_models_trained_on_other_tag_sets():
    gold = (entity(TEXT, "T1", "الرياض", "GPE"), entity(TEXT, "T2", "الرئيس", "OCC"))
    pred = (entity(TEXT, "P1", "الرياض", "LOC"),)  # a CoNLL model says LOC
    khabar = evaluate([document(entities=gold)], [document(entities=pred)], layers=["entities"], bootstrap=0)
    conll = evaluate(
        [document(entities=gold)], [document(entities=pred)], layers=["entities"], tagset="conll", bootstrap=0
    )
    assert khabar.headline["entities"].f1 == 0.0
    assert conll.headline["entities"].f1 == 1.0  # OCC has no CoNLL counterpart and is dropped
    assert conll.signature["tagset"] == "conll"


def test_signature_holds_every_setting():
    result = evaluate([document(entities=GOLD_ENTITIES)], [document()], layers=["entities"], bootstrap=20, seed=3)
    signature = result.layers["entities"].signature
    for key in ("khabar", "corpus", "tok", "layer", "scheme", "match", "tagset", "average", "zero_division"):
        assert key in signature
    assert (signature["boot"], signature["seed"], signature["unit"]) == (20, 3, "sentence")
    assert signature["scheme"] == "IOB2-strict" and signature["average"] == "micro"


def test_missing_documents_are_scored_as_nothing_predicted_with_a_warning():
    gold = [document(entities=GOLD_ENTITIES), document(doc_id="doc-0002", entities=GOLD_ENTITIES)]
    result = evaluate(gold, [document(doc_id="doc-0002", entities=GOLD_ENTITIES)], layers=["entities"], bootstrap=0)
    assert result.headline["entities"].f1 == pytest.approx(2 / 3, abs=1e-15)
    assert result.warnings == ("predictions cover 1 of 2 documents; scored as nothing predicted for doc-0001",)
    assert result.signature["unit"] == "sentence-by-document"


@settings(max_examples=40, deadline=None)
@given(documents(doc_id="doc-0001"))
def test_pred_equal_to_gold_scores_one_everywhere_it_is_defined(doc):
    result = evaluate([doc], [doc], bootstrap=0)
    for layer in result.layers.values():
        for name, metric in layer.metrics.items():
            if metric.kind == "accuracy":
                assert metric.accuracy.accuracy in (None, 1.0), name
            else:
                assert metric.micro.f1 in (None, 1.0), (layer.layer, name)


@settings(max_examples=40, deadline=None)
@given(documents(doc_id="doc-0001"), st.data())
def test_swapping_gold_and_pred_swaps_precision_and_recall(gold, data):
    other_spans = data.draw(spans_in(gold.text))
    labels = data.draw(
        st.lists(st.sampled_from(["PER", "ORG", "GPE"]), min_size=len(other_spans), max_size=len(other_spans))
    )
    pred_entities = tuple(
        Entity(f"P{i}", start, end, label, gold.text[start:end])
        for i, ((start, end), label) in enumerate(zip(other_spans, labels, strict=True))
    )
    pred = document(gold.text, entities=pred_entities)
    forward = evaluate([gold], [pred], layers=["entities"], bootstrap=0).layers["entities"].metrics
    backward = evaluate([pred], [gold], layers=["entities"], bootstrap=0).layers["entities"].metrics
    for name in ("seqeval-IOB2-strict", "seqeval-conlleval", "span-strict", "span-boundary"):
        assert forward[name].micro.precision == backward[name].micro.recall
        assert forward[name].micro.recall == backward[name].micro.precision


@pytest.mark.parametrize(
    ("match", "category"), [("partial", "partial"), ("type", "correct"), ("boundary", "incorrect")]
)
def test_one_shared_character_with_a_long_gold_span_is_an_overlap(match, category):
    # nervaluate's own threshold (≥ 1% of the gold span) would call this spurious.
    gold = [LabeledSpan(0, 150, "direct", "G")]
    pred = [LabeledSpan(149, 160, "direct", "P")]
    outcomes = match_spans(gold, pred, match)
    assert [(outcome.category, outcome.side) for outcome in outcomes if outcome.side == "pred"] == [(category, "pred")]
    assert not [outcome for outcome in outcomes if outcome.category == "missed"] or match == "boundary"
    assert match_spans(gold, [LabeledSpan(150, 160, "direct", "P")], match)[0].category == "spurious"


def test_a_one_character_overlap_with_a_long_gold_entity_earns_partial_credit():
    name = "الهيئة " + "العامة للتنمية والتطوير " * 5 + "في المملكة"
    text = f"أعلنت {name} أمس."
    gold = document(text, entities=(entity(text, "T1", name, "ORG"),))
    last = text.index(name) + len(name) - 1
    pred = document(text, entities=(Entity("T1", last, last + 3, "ORG", text[last : last + 3]),))
    assert len(name) > 100
    metrics = evaluate([gold], [pred], layers=["entities"], bootstrap=0).layers["entities"].metrics
    assert metrics["span-partial"].micro.tp == 0.5
    assert metrics["span-type"].micro.tp == 1
    assert metrics["span-strict"].micro.tp == 0


# --- predicted spans the flat view cannot hold are counted, never dropped silently ----------


def test_duplicated_entities_of_another_type_are_false_positives_and_warned():
    gold = document(entities=(entity(TEXT, "T1", "الرياض", "GPE"), entity(TEXT, "T2", "محمد بن سلمان", "PER")))
    duplicates = (entity(TEXT, "D1", "الرياض", "ORG"), entity(TEXT, "D2", "محمد بن سلمان", "WEBSITE"))
    pred = document(entities=gold.entities + duplicates)
    result = evaluate([gold], [pred], layers=["entities"], bootstrap=0)
    for name in ("seqeval-IOB2-strict", "seqeval-conlleval"):
        micro = result.layers["entities"].metrics[name].micro
        assert (micro.tp, micro.pred, micro.gold) == (2, 4, 2)
        assert set(result.layers["entities"].metrics[name].per_label) == {"GPE", "ORG", "PER", "WEBSITE"}
    assert result.layers["entities"].metrics["span-strict"].micro.pred == 4
    assert result.warnings == (
        "2 predicted span(s) of the entities layer cannot be represented in the flat IOB2 view "
        "(2 with the extent of another span, counted as false positives in the seqeval tables; "
        "0 sharing tokens with another span, tagged on "
        "their free tokens only); the span metrics count them in full",
    )


def test_spans_sharing_a_token_are_warned():
    gold = document(entities=(entity(TEXT, "T2", "محمد بن سلمان", "PER"),))
    pred = document(entities=(entity(TEXT, "P1", "محمد بن", "PER"), entity(TEXT, "P2", "بن سلمان", "PER")))
    result = evaluate([gold], [pred], layers=["entities"], bootstrap=0)
    assert "(0 with the extent of another span" in result.warnings[0]
    assert "1 sharing tokens with another span" in result.warnings[0]
    assert evaluate([gold], [gold], layers=["entities"], bootstrap=0).warnings == ()
