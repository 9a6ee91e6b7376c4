"""Documents → Label Studio tasks and results (the inverse of `khabar.labelstudio.annotations`).

Every annotation becomes regions of the single `text` object, with stable region ids so
that a round trip gives back the same ids:

- an entity, a timex, an event (its trigger) and a quote (its content) keep their own id;
- an argument span gets `<event id>-arg<n>`, a cue `<quote id>-cue`, a speaker span
  `<quote id>-speaker`;
- per-region values (timex value/mod/anchor, event type/realis) are results with the same
  id as their span;
- event arguments and quote speakers/cues are relations from the trigger or the quote
  content to the target region, labelled with the role (or `speaker` / `cue`).

What the Label Studio model cannot express is reported as a `Problem` (code
`unexpressible`), never dropped silently:

- Label Studio's editor keeps one relation per (from, to) pair, with a set of labels; so
  two arguments of one event pointing at the same target share a relation (their roles
  become its labels) and an argument repeated with the same role and target is kept once.
  The order of the arguments is kept in the task data (`khabar.arguments`) and restored
  on import.
- an argument or speaker with both a `ref` and a span, or with neither;
- a region id with `#` (the editor keys regions as `<id>#<annotation id>` and cuts the
  id at the first `#` when it saves) or one used by two regions.

The document header (id, DCT, source, language, further metadata) travels in the task data
under `khabar`, so the import rebuilds the same annotation file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from khabar.document import Document, Event, Quote, Span
from khabar.errors import Problem
from khabar.labelstudio import config as c

UNEXPRESSIBLE = "unexpressible"
HEADER_KEY = "khabar"
ARGUMENT_ORDER_KEY = "arguments"


def argument_region_id(event_id: str, index: int) -> str:
    return f"{event_id}-arg{index}"


def cue_region_id(quote_id: str) -> str:
    return f"{quote_id}-cue"


def speaker_region_id(quote_id: str) -> str:
    return f"{quote_id}-speaker"


def _span_value(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": span.text}


def _region(region_id: str, control: str, span: Span, label: str) -> dict[str, Any]:
    return {
        "id": region_id,
        "from_name": control,
        "to_name": c.TEXT,
        "type": "labels",
        "value": {**_span_value(span), "labels": [label]},
    }


def _per_region(region_id: str, control: str, span: Span, kind: str, value: str) -> dict[str, Any]:
    payload: dict[str, Any] = {"start": span.start, "end": span.end}
    payload[kind] = [value]
    return {
        "id": region_id,
        "from_name": control,
        "to_name": c.TEXT,
        "type": "textarea" if kind == "text" else "choices",
        "value": payload,
    }


def _relation(from_id: str, to_id: str, labels: list[str]) -> dict[str, Any]:
    return {"type": "relation", "from_id": from_id, "to_id": to_id, "direction": "right", "labels": labels}


class _Relations:
    """Collects relation labels per (from, to) pair, in first-appearance order of the pairs."""

    def __init__(self) -> None:
        self._labels: dict[tuple[str, str], list[str]] = {}

    def add(self, from_id: str, to_id: str, label: str) -> bool:
        """Add a label; False when the pair already has it (Label Studio keeps labels as a set)."""
        labels = self._labels.setdefault((from_id, to_id), [])
        if label in labels:
            return False
        labels.append(label)
        return True

    def results(self) -> list[dict[str, Any]]:
        # The editor lists a relation's labels in config order; emit them so, to compare equal after a save.
        order = {label: index for index, label in enumerate(c.RELATION_LABELS)}
        return [
            _relation(from_id, to_id, sorted(labels, key=lambda label: order.get(label, len(order))))
            for (from_id, to_id), labels in self._labels.items()
        ]


def _event_results(
    event: Event, pointer: str, relations: _Relations, where: str
) -> tuple[list[dict[str, Any]], list[Problem]]:
    results = [
        _region(event.id, c.TRIGGER, event.trigger, c.TRIGGER_LABEL),
        _per_region(event.id, c.EVENT_TYPE, event.trigger, "choices", event.type),
    ]
    if event.realis is not None:
        results.append(_per_region(event.id, c.REALIS, event.trigger, "choices", event.realis))
    problems = []
    for index, argument in enumerate(event.arguments):
        at = f"{pointer}/arguments/{index}"
        if (argument.ref is None) == (argument.span is None):
            problems.append(
                Problem(where, at, "an argument needs exactly one of ref or span in Label Studio", UNEXPRESSIBLE)
            )
            if argument.ref is None:
                continue
        if argument.ref is not None:
            target = argument.ref
        else:
            assert argument.span is not None
            target = argument_region_id(event.id, index)
            results.append(_region(target, c.ARGUMENT, argument.span, c.ARGUMENT_LABEL))
        if not relations.add(event.id, target, argument.role):
            problems.append(
                Problem(
                    where,
                    at,
                    f"argument {argument.role} → {target} repeats an earlier one; Label Studio keeps it once",
                    UNEXPRESSIBLE,
                )
            )
    return results, problems


def _quote_results(
    quote: Quote, pointer: str, relations: _Relations, where: str
) -> tuple[list[dict[str, Any]], list[Problem]]:
    results = [_region(quote.id, c.QUOTE, quote.content, quote.kind)]
    problems = []
    if quote.cue is not None:
        results.append(_region(cue_region_id(quote.id), c.CUE, quote.cue, c.CUE_LABEL))
        relations.add(quote.id, cue_region_id(quote.id), c.CUE_RELATION)
    speaker = quote.speaker
    if speaker is not None:
        if (speaker.ref is None) == (speaker.span is None):
            problems.append(
                Problem(where, f"{pointer}/speaker", "a speaker needs exactly one of ref or span", UNEXPRESSIBLE)
            )
        if speaker.ref is not None:
            relations.add(quote.id, speaker.ref, c.SPEAKER_RELATION)
        elif speaker.span is not None:
            results.append(_region(speaker_region_id(quote.id), c.SOURCE, speaker.span, c.SOURCE_LABEL))
            relations.add(quote.id, speaker_region_id(quote.id), c.SPEAKER_RELATION)
    return results, problems


def document_to_result(document: Document) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The Label Studio result list of a document, and what it could not express."""
    where = document.id
    results: list[dict[str, Any]] = []
    problems: list[Problem] = []
    relations = _Relations()
    for entity in document.entities:
        results.append(_region(entity.id, c.ENTITY, Span(entity.start, entity.end, entity.text), entity.type))
    for timex in document.timex:
        span = Span(timex.start, timex.end, timex.text)
        results.append(_region(timex.id, c.TIMEX, span, timex.type))
        results.append(_per_region(timex.id, c.TIMEX_VALUE, span, "text", timex.value))
        if timex.mod is not None:
            results.append(_per_region(timex.id, c.TIMEX_MOD, span, "choices", timex.mod))
        if timex.anchor is not None:
            results.append(_per_region(timex.id, c.TIMEX_ANCHOR, span, "text", timex.anchor))
    for index, event in enumerate(document.events):
        event_results, event_problems = _event_results(event, f"/events/{index}", relations, where)
        results += event_results
        problems += event_problems
    for index, quote in enumerate(document.quotes):
        quote_results, quote_problems = _quote_results(quote, f"/quotes/{index}", relations, where)
        results += quote_results
        problems += quote_problems
    problems += _duplicate_region_ids(results, where)
    return results + relations.results(), problems


def _duplicate_region_ids(results: Iterable[dict[str, Any]], where: str) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for result in results:
        if result["type"] != "labels":
            continue
        region_id = result["id"]
        if "#" in region_id:
            # The editor keys regions as `<id>#<annotation id>` and cuts at the first `#` on save.
            message = f"region id {region_id!r} contains '#', which the Label Studio editor cuts off"
            problems.append(Problem(where, f"region {region_id}", message, UNEXPRESSIBLE))
        if region_id in seen:
            problems.append(
                Problem(
                    where,
                    f"region {region_id}",
                    f"region id used by {seen[region_id]} and {result['from_name']}; Label Studio needs unique ids",
                    UNEXPRESSIBLE,
                )
            )
        seen[region_id] = result["from_name"]
    return problems


def argument_order(document: Document) -> dict[str, list[list[str]]]:
    """Per event, its arguments as [role, region id] in document order (restored on import)."""
    order = {}
    for event in document.events:
        pairs = []
        for index, argument in enumerate(event.arguments):
            target = argument.ref if argument.ref is not None else argument_region_id(event.id, index)
            pairs.append([argument.role, target])
        if pairs:
            order[event.id] = pairs
    return order


def task_header(document: Document) -> dict[str, Any]:
    """The annotation file's top-level fields, without the layers."""
    header = document.to_json()
    for layer in ("entities", "timex", "events", "quotes"):
        header.pop(layer)
    return header


def document_to_task(
    document: Document,
    predictions: Iterable[tuple[str, Document]] = (),
) -> tuple[dict[str, Any], list[Problem]]:
    """A Label Studio task for `document`, with one prediction per (model_version, predicted document).

    The text is the document's exact text. Returns the task and what its predictions could
    not express (problems of each prediction are located by its model version).
    """
    data = {
        "text": document.text,
        "doc_id": document.id,
        HEADER_KEY: {**task_header(document), ARGUMENT_ORDER_KEY: argument_order(document)},
    }
    task: dict[str, Any] = {"data": data}
    problems: list[Problem] = []
    task_predictions = []
    for model_version, pred in predictions:
        if pred.text != document.text:
            problems.append(Problem(document.id, model_version, "prediction text differs from the document text"))
            continue
        result, pred_problems = document_to_result(pred)
        problems += [Problem(p.where, f"{model_version}:{p.pointer}", p.message, p.code) for p in pred_problems]
        task_predictions.append({"model_version": model_version, "result": result})
    if task_predictions:
        task["predictions"] = task_predictions
    return task, problems


def render_signature(signature: dict[str, Any]) -> str:
    """A baseline's signature as a model_version string: `key:value|key:value` in its own order."""
    return "|".join(f"{key}:{value}" for key, value in signature.items())
