"""`khabar report` and `khabar evaluate` count from one matching pass: the report's outcome
counts equal the scoring tables `khabar evaluate --format json` prints.

The report reads the prediction file once and draws the span matches the scored result
carries (`EvaluationResult.matches`); this test ties its categories to the tables, per layer:
exact matches (same extent and label) are the table's true positives, and every gold and
every predicted span is counted once on each side.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from khabar.baselines.registry import get
from khabar.cli import main
from khabar.document import Document, Entity
from khabar.eval import report as report_module
from khabar.eval.predictions import write_predictions
from khabar.eval.report import PART_TITLES
from khabar.eval.settings import ScoringSettings
from khabar.runs.report import error_analysis
from khabar.store import load_corpus
from tests.fixture_corpus import make_corpus

# The table whose exact matches are the report's `correct` (same extent and label), per layer;
# for timex, strict extent ignores the type and the value, so it also takes the report's
# `wrong_type` and `wrong_value`. Events are counted by argument, with the headline's Arg-C+ key.
TABLES = {"entities": "span-strict", "timex": "strict-extent", "events": "Arg-C+", "quotes": "content-exact"}
EXACT = {
    "entities": ("correct",),
    "timex": ("correct", "wrong_value", "wrong_type"),
    "events": ("correct",),
    "quotes": ("correct",),
}
PAIRED = ("correct", "wrong_value", "wrong_type", "wrong_boundary", "wrong_boundary_type")


def _edited(document: Document) -> Document:
    """Predictions with an outcome of every kind: a correct, a wrong-type, a wrong-boundary, a
    missed and a spurious entity, a timex of another type or value, a quote of another kind,
    an event argument of another role."""
    entities = list(document.entities)
    first, second = entities[0], entities[1]
    entities[0] = replace(first, type="ORG" if first.type != "ORG" else "PER")
    entities[1] = replace(second, end=second.end - 1, text=document.text[second.start : second.end - 1])
    referenced = {argument.ref for event in document.events for argument in event.arguments}
    referenced |= {quote.speaker.ref for quote in document.quotes if quote.speaker is not None}
    if document.id == "doc-0003":  # a copy of doc-0001: there the unreferenced entity is correct, here missed
        entities = entities[:2] + [entity for entity in entities[2:] if entity.id in referenced]
    start = document.text.index(" ") + 1
    end = document.text.index(" ", start)
    entities.append(Entity("spurious", start, end, "LOC", document.text[start:end]))
    timex = tuple(replace(item, type="TIME") for item in document.timex[:1])
    if document.id == "doc-0003":  # the right extent and type, another value
        timex = tuple(replace(item, value="2024-11-24") for item in document.timex[:1])
    quotes = tuple(replace(item, kind="indirect") for item in document.quotes[:1])
    events = list(document.events)
    if events and events[0].arguments:  # an argument with another role: a wrong role under Arg-C+
        last = replace(events[0].arguments[-1], role="Instrument")
        events[0] = replace(events[0], arguments=(*events[0].arguments[:-1], last))
    return replace(document, entities=tuple(entities), timex=timex, quotes=quotes, events=tuple(events))


def _fixture_case(tmp_path: Path) -> tuple[Path, Path]:
    corpus = make_corpus(tmp_path / "corpus", count=3, built=False)
    predictions = tmp_path / "pred.jsonl"
    write_predictions(predictions, [_edited(document) for document in load_corpus(corpus)])
    return corpus, predictions


def _published_case(tmp_path: Path, corpus_dir: Path) -> tuple[Path, Path]:
    predictions = tmp_path / "pred-rules.jsonl"
    write_predictions(predictions, get("rules").predict(load_corpus(corpus_dir)))
    return corpus_dir, predictions


@pytest.mark.parametrize("case", ["fixture corpus, edited gold", "published corpus, rules baseline"])
def test_report_counts_equal_the_evaluate_tables(case, tmp_path, corpus_dir, capsys) -> None:
    corpus, predictions = (
        _fixture_case(tmp_path) if case.startswith("fixture") else _published_case(tmp_path, corpus_dir)
    )
    arguments = ["evaluate", str(predictions), "--corpus", str(corpus), "--bootstrap", "0", "--format", "json"]
    assert main(arguments) == 0
    tables = json.loads(capsys.readouterr().out)["layers"]
    report, scored = error_analysis(predictions, gold_path=corpus, settings=ScoringSettings(bootstrap=0))
    assert [view.layer for view in report.layers] == list(TABLES)
    for view in report.layers:
        counts, micro = view.counts, tables[view.layer]["metrics"][TABLES[view.layer]]["micro"]
        assert sum(counts.values()) > 0, view.layer
        assert sum(counts[category] for category in EXACT[view.layer]) == micro["tp"], (view.layer, counts, micro)
        assert sum(counts[category] for category in (*PAIRED, "missed")) == micro["support"], view.layer
        assert sum(counts[category] for category in (*PAIRED, "spurious")) == micro["pred"], view.layer
        # The page shows the matches the scores were counted from, not a second matching.
        shown = [outcome for entry in report.index for outcome in scored.matches[view.layer][entry.id]]
        spans = view.beside[PART_TITLES["trigger"]] if view.layer == "events" else counts
        assert len(shown) == sum(spans.values())
        # The index of documents adds up to the layer's counts, category by category.
        for category, count in counts.items():
            assert sum(entry.counts[view.layer][category] for entry in report.index) == count, category
    # The triggers drawn beside the arguments reconcile with Trig-C.
    triggers, table = report.layers[2].beside[PART_TITLES["trigger"]], tables["events"]["metrics"]["Trig-C"]["micro"]
    assert triggers["correct"] == table["tp"]
    assert sum(triggers[category] for category in (*PAIRED, "missed")) == table["support"]


def test_the_fixture_case_has_every_outcome(tmp_path) -> None:
    corpus, predictions = _fixture_case(tmp_path)
    report, _ = error_analysis(predictions, gold_path=corpus, settings=ScoringSettings(bootstrap=0))
    by_layer = {view.layer: view.counts for view in report.layers}
    for category in ("correct", "wrong_type", "wrong_boundary", "missed", "spurious"):
        assert by_layer["entities"][category] > 0, category
    assert by_layer["timex"]["wrong_type"] > 0 and by_layer["quotes"]["wrong_type"] > 0
    assert by_layer["timex"]["wrong_value"] > 0
    assert by_layer["events"]["wrong_type"] > 0 and by_layer["events"]["missed"] > 0  # a role, an extent


def test_the_report_does_not_match_again(tmp_path, monkeypatch) -> None:
    """With the harness's matches available, building the report never calls the matcher."""
    corpus, predictions = _fixture_case(tmp_path)
    calls = []
    monkeypatch.setattr(report_module, "layer_outcomes", lambda *arguments: calls.append(arguments) or [])
    report, _ = error_analysis(predictions, gold_path=corpus, settings=ScoringSettings(bootstrap=0))
    assert calls == [] and sum(report.layers[0].counts.values()) > 0
