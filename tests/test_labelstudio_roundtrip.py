"""Documents → Label Studio tasks → export shape → documents is identity (pure functions, no server)."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.document import DCT, Argument, Document, Entity, Event, Quote, Span, Speaker, Timex
from khabar.labelstudio.annotations import TRIMMED, export_to_documents
from khabar.labelstudio.tasks import UNEXPRESSIBLE, document_to_task
from khabar.store import load_corpus
from tests.strategies import documents


def exported(tasks: list[dict[str, Any]], source: str = "gold") -> list[dict[str, Any]]:
    """The JSON export Label Studio gives once an annotator has submitted each task's prediction unchanged."""
    export = []
    for number, task in enumerate(tasks, start=1):
        (prediction,) = [p for p in task["predictions"] if p["model_version"] == source]
        annotation = {
            "id": number,
            "completed_by": 1,
            "was_cancelled": False,
            "result": copy.deepcopy(prediction["result"]),
        }
        export.append({"id": number, "data": task["data"], "annotations": [annotation], "predictions": []})
    return export


def round_trip(document: Document, *, trim: bool = True):
    task, problems = document_to_task(document, [("gold", document)])
    result = export_to_documents(exported([task]), where="export.json", trim=trim)
    return result, problems


def without_repeated_arguments(document: Document) -> Document:
    """What Label Studio can hold: an argument repeated with the same role and target is kept once."""
    events = []
    for event in document.events:
        seen, kept = set(), []
        for index, argument in enumerate(event.arguments):
            key = (argument.role, argument.ref if argument.ref is not None else ("span", index))
            if key not in seen:
                seen.add(key)
                kept.append(argument)
        events.append(dataclasses.replace(event, arguments=tuple(kept)))
    return dataclasses.replace(document, events=tuple(events))


def has_edge_whitespace(document: Document) -> bool:
    spans = [Span(e.start, e.end, e.text) for e in document.entities]
    spans += [Span(t.start, t.end, t.text) for t in document.timex]
    for event in document.events:
        spans.append(event.trigger)
        spans += [argument.span for argument in event.arguments if argument.span is not None]
    for quote in document.quotes:
        spans += [quote.content, quote.cue] + ([quote.speaker.span] if quote.speaker else [])
    return any(span is not None and span.text != span.text.strip() for span in spans)


@settings(max_examples=80, deadline=None)
@given(documents())
def test_round_trip_without_trimming_is_identity(document: Document) -> None:
    result, problems = round_trip(document, trim=False)
    assert result.problems == []
    assert result.documents == [without_repeated_arguments(document)]
    # Whatever Label Studio cannot hold was reported when the task was made.
    assert (without_repeated_arguments(document) != document) == bool(problems)
    assert all(problem.code == UNEXPRESSIBLE for problem in problems)


@settings(max_examples=80, deadline=None)
@given(documents())
def test_round_trip_with_trimming_reports_every_trim(document: Document) -> None:
    result, _ = round_trip(document, trim=True)
    trims = [note for note in result.notes if note.code == TRIMMED]
    if not has_edge_whitespace(document):
        assert result.documents == [without_repeated_arguments(document)]
        assert trims == []
    elif result.documents:
        assert trims, "a trimmed span must be reported"
        (pulled,) = result.documents
        assert pulled != document
    else:  # a span that was only whitespace cannot be trimmed to anything: reported, nothing written
        assert any("only whitespace" in problem.message for problem in result.problems)


def test_seed_round_trip(corpus_dir) -> None:
    seed = load_corpus(corpus_dir)
    tasks = [document_to_task(document, [("gold", document)])[0] for document in seed]
    result = export_to_documents(exported(tasks), where="export.json")
    assert result.problems == [] and result.notes == []
    assert result.documents == seed


# A hand-made document: non-BMP characters before every span (a UTF-16 count would be off by
# one per character), nested entities, every kind of argument and speaker.
TEXT = "𝐀 قال 😀 وزير الدفاع الأمريكي إن الهجوم على 𞸀مدينة حلب وقع في 11 نوفمبر «انتهى الأمر»."


def _span(fragment: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(fragment, start + 1)
    return Span(start, start + len(fragment), fragment)


def hand_made() -> Document:
    minister = _span("وزير الدفاع الأمريكي")
    american = _span("الأمريكي")
    aleppo = _span("مدينة حلب")
    date = _span("11 نوفمبر")
    return Document(
        id="doc-9100",
        text=TEXT,
        dct=DCT("2025-12", "test"),
        source={"origin": "test"},
        metadata={"guidelines_version": "0.1"},
        entities=(
            Entity("T1", minister.start, minister.end, "OCC", minister.text),
            Entity("T2", american.start, american.end, "GPE", american.text),
            Entity("T3", aleppo.start, aleppo.end, "GPE", aleppo.text),
        ),
        timex=(Timex("X1", date.start, date.end, "DATE", "2025-11-11", date.text, mod="APPROX", anchor="DCT"),),
        events=(
            Event(
                "E1",
                "Conflict:Attack",
                _span("الهجوم"),
                (
                    Argument("Time-Within", ref="X1"),
                    Argument("Place", ref="T3"),
                    Argument("Target", span=_span("حلب")),
                    Argument("Attacker", ref="T3"),  # same target as an earlier argument: one relation, two labels
                ),
                realis="actual",
            ),
        ),
        quotes=(
            Quote("Q1", "direct", _span("انتهى الأمر"), cue=_span("قال"), speaker=Speaker(ref="T1")),
            Quote("Q2", "indirect", _span("الهجوم على 𞸀مدينة حلب وقع"), speaker=Speaker(span=_span("😀 وزير"))),
        ),
    )


def test_hand_made_document_round_trip_keeps_code_point_offsets() -> None:
    document = hand_made()
    assert document.text[document.entities[2].start] == "م"  # right after the non-BMP alef
    task, problems = document_to_task(document, [("gold", document)])
    assert problems == []
    (prediction,) = task["predictions"]
    region = next(r for r in prediction["result"] if r["id"] == "T3" and r["type"] == "labels")
    assert (region["value"]["start"], region["value"]["end"]) == (document.entities[2].start, document.entities[2].end)
    # The two arguments of E1 that point at T3 share one relation, labels in config order.
    assert [r["labels"] for r in prediction["result"] if r["type"] == "relation" and r["to_id"] == "T3"] == [
        ["Attacker", "Place"]
    ]
    result = export_to_documents(exported([task]), where="export.json")
    assert result.problems == [] and result.notes == []
    assert result.documents == [document]  # argument order restored from the task data


def _labels_region(region_id: str, control: str, start: int, end: int, label: str) -> dict[str, Any]:
    value = {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]}
    return {"id": region_id, "from_name": control, "to_name": "text", "type": "labels", "value": value}


def _task_with(result: list[dict[str, Any]]) -> list[dict[str, Any]]:
    document = Document(id="doc-9101", text=TEXT, source={"origin": "test"})
    task, _ = document_to_task(document)
    return [{"id": 7, "data": task["data"], "annotations": [{"id": 1, "completed_by": 3, "result": result}]}]


def test_exported_text_is_ignored_and_whitespace_trimmed_with_a_note() -> None:
    minister = _span("وزير الدفاع")
    region = _labels_region("abc123", "entity", minister.start - 1, minister.end + 1, "OCC")
    region["value"]["text"] = "something else"
    result = export_to_documents(_task_with([region]), where="x.json")
    assert result.problems == []
    (document,) = result.documents
    assert document.entities == (Entity("abc123", minister.start, minister.end, "OCC", minister.text),)
    codes = sorted(note.code for note in result.notes)
    assert codes == ["text-mismatch", "trimmed"]
    trimmed = next(note for note in result.notes if note.code == TRIMMED)
    assert str(trimmed) == (
        f"x.json:/0/annotations/0/result/0: entity region abc123 trimmed from "
        f"[{minister.start - 1}, {minister.end + 1}) to [{minister.start}, {minister.end})"
    )


def test_what_cannot_be_mapped_is_reported_and_nothing_is_returned() -> None:
    aleppo = _span("مدينة حلب")
    result = [
        _labels_region("r1", "entity", aleppo.start, aleppo.end, "NOT-A-TYPE"),
        _labels_region("r2", "argument", aleppo.start, aleppo.end, "ARGUMENT"),
        _labels_region("r3", "trigger", 0, 1, "TRIGGER"),
        {"id": "zz", "from_name": "timex_value", "to_name": "text", "type": "textarea", "value": {"text": ["2025"]}},
        {"id": "r9", "from_name": "mystery", "to_name": "text", "type": "labels", "value": {}},
        {"type": "relation", "from_id": "r2", "to_id": "r2", "direction": "right", "labels": ["Place"]},
    ]
    imported = export_to_documents(_task_with(result), where="x.json")
    assert imported.documents == []
    messages = [str(problem) for problem in imported.problems]
    assert messages == [
        "x.json:/0/annotations/0/result/0: entity region r1 needs exactly one of its labels, got ['NOT-A-TYPE']",
        "x.json:/0/annotations/0/result/1: argument region r2 is linked from no trigger or quote",
        "x.json:/0/annotations/0/result/2: trigger r3 has no event type",
        "x.json:/0/annotations/0/result/3: timex_value value for region 'zz', which has no span",
        "x.json:/0/annotations/0/result/4: result from unknown control 'mystery'",
        "x.json:/0/annotations/0/result/5: relation between argument and argument: "
        "one end must be a trigger or a quote",
    ]


def test_tasks_without_annotation_or_with_several_are_reported() -> None:
    tasks = _task_with([])
    tasks[0]["annotations"] = []
    skipped = export_to_documents(tasks, where="x.json")
    assert skipped.documents == [] and skipped.problems == []
    assert [str(note) for note in skipped.notes] == ["x.json:/0: doc-9101: no annotation to import; skipped"]
    tasks = _task_with([])
    tasks[0]["annotations"] = [{"id": 1, "completed_by": 3, "was_cancelled": True, "result": []}]
    tasks[0]["drafts"] = [{"id": 4, "result": []}]
    assert [str(note) for note in export_to_documents(tasks, where="x.json").notes] == [
        "x.json:/0: doc-9101: 1 cancelled annotation(s) skipped",
        "x.json:/0: doc-9101: 1 unsubmitted draft(s) not imported (submit them in Label Studio)",
        "x.json:/0: doc-9101: no annotation to import; skipped",
    ]
    tasks = _task_with([])
    tasks[0]["annotations"].append({"id": 2, "completed_by": 5, "result": []})
    several = export_to_documents(tasks, where="x.json")
    assert [str(problem) for problem in several.problems] == [
        "x.json:/0: doc-9101: 2 annotations (annotators 3, 5); choose one with --annotator"
    ]
    chosen = export_to_documents(tasks, where="x.json", annotator=5)
    assert chosen.problems == [] and [document.id for document in chosen.documents] == ["doc-9101"]


def test_unexpressible_annotations_are_reported_when_making_tasks() -> None:
    document = hand_made()
    event = document.events[0]
    repeated = dataclasses.replace(event, arguments=(*event.arguments, Argument("Place", ref="T3")))
    both = dataclasses.replace(document, events=(repeated,))
    _, problems = document_to_task(both, [("gold", both)])
    assert [str(problem) for problem in problems] == [
        "doc-9100:gold:/events/0/arguments/4: argument Place → T3 repeats an earlier one; Label Studio keeps it once"
    ]


@given(st.sampled_from(["𝐀", "😀", "𞸀"]), st.integers(1, 5))
def test_offsets_after_non_bmp_characters_are_code_points(character: str, count: int) -> None:
    text = character * count + " حلب"
    document = Document(id="doc-9102", text=text, entities=(Entity("T1", count + 1, count + 4, "GPE", "حلب"),))
    task, _ = document_to_task(document, [("gold", document)])
    region = task["predictions"][0]["result"][0]
    assert region["value"]["start"] == count + 1  # UTF-16 would give 2 * count + 1
    assert export_to_documents(exported([task])).documents == [document]


def _widen(span: Span) -> Span:
    """The span with the whitespace on either side of it, as a careless selection would take it."""
    start = span.start - 1 if span.start > 0 and TEXT[span.start - 1].isspace() else span.start
    end = span.end + 1 if span.end < len(TEXT) and TEXT[span.end].isspace() else span.end
    return Span(start, end, TEXT[start:end])


def test_trimming_gives_back_the_tight_spans_of_every_layer() -> None:
    tight = hand_made()
    entities = tuple(
        dataclasses.replace(e, start=w.start, end=w.end, text=w.text)
        for e in tight.entities
        for w in [_widen(Span(e.start, e.end, e.text))]
    )
    timex = tuple(
        dataclasses.replace(t, start=w.start, end=w.end, text=w.text)
        for t in tight.timex
        for w in [_widen(Span(t.start, t.end, t.text))]
    )
    events = tuple(
        dataclasses.replace(
            event,
            trigger=_widen(event.trigger),
            arguments=tuple(dataclasses.replace(a, span=_widen(a.span)) if a.span else a for a in event.arguments),
        )
        for event in tight.events
    )
    quotes = tuple(
        dataclasses.replace(
            quote,
            content=_widen(quote.content),
            cue=_widen(quote.cue) if quote.cue else None,
            speaker=Speaker(span=_widen(quote.speaker.span)) if quote.speaker and quote.speaker.span else quote.speaker,
        )
        for quote in tight.quotes
    )
    loose = dataclasses.replace(tight, entities=entities, timex=timex, events=events, quotes=quotes)
    assert has_edge_whitespace(loose) and not has_edge_whitespace(tight)
    result, _ = round_trip(loose, trim=True)
    assert result.problems == []
    assert result.documents == [tight]
    widened = [n for n in result.notes if n.code == TRIMMED]
    # 3 entities, 1 timex, 1 trigger, 1 argument span, 1 quote content (the other sits inside «»), 1 cue, 1 speaker
    assert len(widened) == 9


def test_ids_the_editor_would_cut_are_reported() -> None:
    document = hand_made()
    entity = dataclasses.replace(document.entities[0], id="T#1")
    _, problems = document_to_task(dataclasses.replace(document, entities=(entity, *document.entities[1:])))
    assert problems == []  # no predictions, nothing to express
    _, problems = document_to_task(document, [("gold", dataclasses.replace(document, entities=(entity,)))])
    assert [str(problem) for problem in problems] == [
        "doc-9100:gold:region T#1: region id 'T#1' contains '#', which the Label Studio editor cuts off"
    ]
