"""Label Studio JSON export → validated documents (the inverse of `khabar.labelstudio.tasks`).

Rules, in the order they apply:

- A result is a span region (`type: labels`), a per-region value (`textarea`/`choices`,
  joined to its span by region id) or a relation. Anything else, or anything that does
  not fit the config (unknown control, label, region id, relation label), is a problem.
- Offsets are code points, as in Python (Label Studio's `Text` counts `[...text]`). The
  span text is always `text[start:end]`; the exported `text` of a region is only compared
  with it, and a difference is reported.
- Leading and trailing whitespace of a span is trimmed (the `symbol` granularity lets a
  selection swallow the space after a word) and every trim is reported. A span that is
  only whitespace is a problem.
- A relation joins a trigger (or a quote content) to its target; whichever end is the
  trigger/quote is the source, whatever way the annotator drew the arrow. A relation
  with no label, or between two regions neither (or both) of which is a trigger/quote,
  is a problem. An argument/cue/speaker-span region that no relation reaches is a problem.
- Arguments come back in the order recorded in the task data (see `tasks`), new ones
  after, in relation order.
- Region ids are kept, including the random ids the editor gives new regions.
- Every document is validated with `khabar.validate`; a task without an annotation, or
  with only cancelled ones, is reported and skipped; unsubmitted drafts are reported.

- The export's structure is type-checked before anything is read (`structure_problems`):
  a task, its data, its `khabar` header, its annotations and every result must have the
  JSON types Label Studio writes, and a task with any such problem is reported at the
  JSON pointer of the bad value and not converted.

`problems` are fatal (nothing is written); `notes` are reported and the import goes on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from khabar.document import Document, sha256_text
from khabar.errors import Problem
from khabar.inventories import EVENT_REALIS, EVENT_ROLES, EVENT_TYPES, TIMEX_MODS
from khabar.labelstudio import config as c
from khabar.labelstudio.tasks import ARGUMENT_ORDER_KEY, HEADER_KEY
from khabar.validate import check_annotation

TRIMMED = "trimmed"
SKIPPED = "skipped"
TEXT_MISMATCH = "text-mismatch"
UNMAPPED = "unmapped"
MALFORMED = "malformed"  # the export's JSON structure is wrong: an input error (exit 2), not a mapping problem

_PER_REGION_KIND = {
    c.TIMEX_VALUE: "textarea",
    c.TIMEX_ANCHOR: "textarea",
    c.TIMEX_MOD: "choices",
    c.EVENT_TYPE: "choices",
    c.REALIS: "choices",
}
_PER_REGION_VALUES: dict[str, tuple[str, ...] | None] = {
    c.TIMEX_VALUE: None,
    c.TIMEX_ANCHOR: None,
    c.TIMEX_MOD: TIMEX_MODS,
    c.EVENT_TYPE: tuple(EVENT_TYPES),
    c.REALIS: EVENT_REALIS,
}
_SOURCES = (c.TRIGGER, c.QUOTE)


@dataclass
class _Region:
    id: str
    control: str
    label: str
    start: int
    end: int
    pointer: str
    values: dict[str, str] = field(default_factory=dict)

    def span(self, text: str) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": text[self.start : self.end]}


@dataclass
class Conversion:
    """The outcome of converting one annotation: a document when there were no problems."""

    document: Document | None
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_offset(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_list_of_text(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


# The JSON type each result field must have when present (None is always accepted: absent).
_RESULT_FIELDS: dict[str, tuple[Any, str]] = {
    "id": (_is_text, "a string"),
    "type": (_is_text, "a string"),
    "from_name": (_is_text, "a string"),
    "to_name": (_is_text, "a string"),
    "from_id": (_is_text, "a string"),
    "to_id": (_is_text, "a string"),
    "labels": (_is_list_of_text, "a list of strings"),
    "value": (lambda value: isinstance(value, dict), "an object"),
}
_VALUE_FIELDS: dict[str, tuple[Any, str]] = {
    "start": (_is_offset, "an integer"),
    "end": (_is_offset, "an integer"),
    "text": (lambda value: _is_text(value) or _is_list_of_text(value), "a string or a list of strings"),
    "labels": (_is_list_of_text, "a list of strings"),
    "choices": (_is_list_of_text, "a list of strings"),
}


def _field_problems(item: dict[str, Any], fields: dict[str, tuple[Any, str]], what: str, pointer: str) -> list[str]:
    return [
        f"{pointer}/{key}\0{what} {key} must be {kind}"
        for key, (check, kind) in fields.items()
        if item.get(key) is not None and not check(item[key])
    ]


def _data_problems(data: Any, pointer: str) -> list[tuple[str, str]]:
    """Structural problems of a task's data: (pointer, message)."""
    if not isinstance(data, dict):
        return [(pointer, "task data must be an object")]
    found = []
    if not isinstance(data.get("text"), str):
        found.append((f"{pointer}/text", "task data has no text"))
    if data.get("doc_id") is not None and not isinstance(data["doc_id"], str):
        found.append((f"{pointer}/doc_id", "task data doc_id must be a string"))
    header = data.get(HEADER_KEY)
    if header is None:
        return found
    if not isinstance(header, dict):
        return [*found, (f"{pointer}/{HEADER_KEY}", f"task data {HEADER_KEY} must be an object")]
    if header.get("text_sha256") is not None and not isinstance(header["text_sha256"], str):
        found.append((f"{pointer}/{HEADER_KEY}/text_sha256", "text_sha256 must be a string"))
    order = header.get(ARGUMENT_ORDER_KEY)
    at = f"{pointer}/{HEADER_KEY}/{ARGUMENT_ORDER_KEY}"
    if order is not None and not isinstance(order, dict):
        found.append((at, "the recorded argument order must be an object"))
    elif order is not None:
        for event_id, pairs in order.items():
            if not isinstance(pairs, list) or not all(
                isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)
                for pair in pairs
            ):
                found.append((f"{at}/{event_id}", "the recorded argument order must be a list of [role, id] pairs"))
    return found


def _result_problems(result: Any, pointer: str) -> list[tuple[str, str]]:
    """Structural problems of an annotation's result list: (pointer, message)."""
    if not isinstance(result, list):
        return [(pointer, "an annotation result must be a list")]
    found = []
    for index, item in enumerate(result):
        at = f"{pointer}/{index}"
        if not isinstance(item, dict):
            found.append((at, "a result must be an object"))
            continue
        messages = _field_problems(item, _RESULT_FIELDS, "a result", at)
        if isinstance(item.get("value"), dict):
            messages += _field_problems(item["value"], _VALUE_FIELDS, "a result value", f"{at}/value")
        found += [tuple(message.split("\0", 1)) for message in messages]
    return found


def structure_problems(task: Any, pointer: str) -> list[tuple[str, str]]:
    """Every value of one exported task whose JSON type is not what Label Studio writes."""
    if not isinstance(task, dict):
        return [(pointer, "a task must be an object with data")]
    found = _data_problems(task.get("data"), f"{pointer}/data")
    for key in ("annotations", "drafts"):
        if task.get(key) is not None and not isinstance(task[key], list):
            found.append((f"{pointer}/{key}", f"task {key} must be a list"))
    annotations = task.get("annotations") if isinstance(task.get("annotations"), list) else []
    for position, annotation in enumerate(annotations):
        at = f"{pointer}/annotations/{position}"
        if not isinstance(annotation, dict):
            found.append((at, "an annotation must be an object"))
        elif annotation.get("result") is not None:
            found += _result_problems(annotation["result"], f"{at}/result")
        elif not annotation.get("was_cancelled"):
            # Read as "nothing annotated", a missing result would replace a file with empty layers.
            found.append((f"{at}/result", "an annotation needs a result list (empty when nothing was annotated)"))
    return found


class _Converter:
    def __init__(self, data: dict[str, Any], where: str, pointer: str, trim: bool):
        self.data = data
        self.where = where
        self.base = pointer
        self.trim = trim
        self.text: str = data.get("text", "")
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.regions: dict[str, _Region] = {}
        self.relations: list[tuple[str, dict[str, Any]]] = []

    def problem(self, pointer: str, message: str) -> None:
        self.problems.append(Problem(self.where, pointer, message, UNMAPPED))

    def note(self, pointer: str, message: str, code: str) -> None:
        self.notes.append(Problem(self.where, pointer, message, code))

    # --- reading results -------------------------------------------------------------

    def read(self, result: list[Any]) -> None:
        per_region: list[tuple[str, dict[str, Any]]] = []
        for index, item in enumerate(result):
            pointer = f"{self.base}/result/{index}"
            if not isinstance(item, dict):
                self.problem(pointer, "a result must be an object")
            elif item.get("type") == "relation":
                self.relations.append((pointer, item))
            elif item.get("from_name") in c.SPAN_CONTROLS:
                self._read_region(pointer, item)
            elif item.get("from_name") in c.PER_REGION_CONTROLS:
                per_region.append((pointer, item))
            else:
                self.problem(pointer, f"result from unknown control {item.get('from_name')!r}")
        for pointer, item in per_region:
            self._read_per_region(pointer, item)

    def _read_region(self, pointer: str, item: dict[str, Any]) -> None:
        control = item["from_name"]
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        region_id = item.get("id")
        start, end, labels = value.get("start"), value.get("end"), value.get("labels")
        if item.get("type") != "labels" or item.get("to_name") != c.TEXT:
            self.problem(pointer, f"a {control} result must be of type 'labels' on {c.TEXT!r}")
            return
        if not isinstance(region_id, str) or not region_id:
            self.problem(pointer, "a region needs an id")
            return
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(self.text)):
            self.problem(pointer, f"offsets [{start}, {end}) are not a span of the text (length {len(self.text)})")
            return
        if not isinstance(labels, list) or len(labels) != 1 or labels[0] not in c.SPAN_CONTROLS[control]:
            self.problem(pointer, f"{control} region {region_id} needs exactly one of its labels, got {labels!r}")
            return
        if region_id in self.regions:
            self.problem(pointer, f"region id {region_id} is used by two span regions")
            return
        exported = value.get("text")
        if exported is not None and exported != self.text[start:end]:
            self.note(
                pointer,
                f"exported text {exported!r} differs from the text at [{start}, {end}) {self.text[start:end]!r}",
                TEXT_MISMATCH,
            )
        if self.trim:
            trimmed = _trim(self.text, start, end)
            if trimmed[0] == trimmed[1]:
                self.problem(pointer, f"{control} region {region_id} [{start}, {end}) is only whitespace")
                return
            if trimmed != (start, end):
                self.note(
                    pointer,
                    f"{control} region {region_id} trimmed from [{start}, {end}) to [{trimmed[0]}, {trimmed[1]})",
                    TRIMMED,
                )
                start, end = trimmed
        self.regions[region_id] = _Region(region_id, control, labels[0], start, end, pointer)

    def _read_per_region(self, pointer: str, item: dict[str, Any]) -> None:
        control = item["from_name"]
        region = self.regions.get(item.get("id", ""))
        kind = _PER_REGION_KIND[control]
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        entries = value.get("text" if kind == "textarea" else "choices")
        if region is None:
            self.problem(pointer, f"{control} value for region {item.get('id')!r}, which has no span")
        elif region.control != c.PER_REGION_CONTROLS[control]:
            self.problem(pointer, f"{control} value on a {region.control} region {region.id}")
        elif item.get("type") != kind or not isinstance(entries, list) or len(entries) != 1:
            self.problem(pointer, f"{control} of region {region.id} needs exactly one {kind} value, got {entries!r}")
        elif control in region.values:
            self.problem(pointer, f"region {region.id} has two {control} values")
        elif not isinstance(entries[0], str) or (
            _PER_REGION_VALUES[control] is not None and entries[0] not in _PER_REGION_VALUES[control]
        ):
            self.problem(pointer, f"unknown {control} {entries[0]!r} for region {region.id}")
        else:
            region.values[control] = entries[0]

    # --- building the annotation -----------------------------------------------------

    def _links(self) -> dict[str, list[tuple[str, str, str]]]:
        """Source region id → [(label, target id, pointer)] in relation order."""
        links: dict[str, list[tuple[str, str, str]]] = {}
        for pointer, relation in self.relations:
            ends = [self.regions.get(relation.get("from_id", "")), self.regions.get(relation.get("to_id", ""))]
            labels = relation.get("labels") or []
            if None in ends:
                self.problem(pointer, "relation between regions that do not exist")
                continue
            sources = [region for region in ends if region.control in _SOURCES]
            if len(sources) != 1:
                kinds = " and ".join(region.control for region in ends)
                self.problem(pointer, f"relation between {kinds}: one end must be a trigger or a quote")
                continue
            if not labels:
                self.problem(pointer, f"relation from {sources[0].id} has no label")
                continue
            source = sources[0]
            target = ends[1] if ends[0] is source else ends[0]
            for label in labels:
                links.setdefault(source.id, []).append((label, target.id, pointer))
        return links

    def _argument(self, event_id: str, role: str, target: _Region, pointer: str) -> dict[str, Any] | None:
        if role not in EVENT_ROLES:
            self.problem(pointer, f"relation from trigger {event_id} has label {role!r}, which is not an event role")
            return None
        if target.control in (c.ENTITY, c.TIMEX):
            return {"role": role, "ref": target.id}
        if target.control == c.ARGUMENT:
            return {"role": role, **target.span(self.text)}
        self.problem(pointer, f"argument {role} of {event_id} points at a {target.control} region {target.id}")
        return None

    def _events(self, links: dict[str, list[tuple[str, str, str]]], reached: set[str]) -> list[dict[str, Any]]:
        recorded = (self.data.get(HEADER_KEY) or {}).get(ARGUMENT_ORDER_KEY) or {}
        events = []
        for region in self.regions.values():
            if region.control != c.TRIGGER:
                continue
            if c.EVENT_TYPE not in region.values:
                self.problem(region.pointer, f"trigger {region.id} has no event type")
                continue
            order = {tuple(pair): index for index, pair in enumerate(recorded.get(region.id, []))}
            found = []
            for position, (role, target_id, pointer) in enumerate(links.get(region.id, [])):
                reached.add(target_id)
                argument = self._argument(region.id, role, self.regions[target_id], pointer)
                if argument is not None:
                    found.append((order.get((role, target_id), math.inf), position, argument))
            event = {
                "id": region.id,
                "type": region.values[c.EVENT_TYPE],
                "trigger": region.span(self.text),
                "arguments": [argument for _, _, argument in sorted(found, key=lambda entry: entry[:2])],
            }
            if c.REALIS in region.values:
                event["realis"] = region.values[c.REALIS]
            events.append(event)
        return events

    def _quotes(self, links: dict[str, list[tuple[str, str, str]]], reached: set[str]) -> list[dict[str, Any]]:
        quotes = []
        for region in self.regions.values():
            if region.control != c.QUOTE:
                continue
            quote: dict[str, Any] = {"id": region.id, "kind": region.label, "content": region.span(self.text)}
            for label, target_id, pointer in links.get(region.id, []):
                reached.add(target_id)
                target = self.regions[target_id]
                if label == c.CUE_RELATION and target.control == c.CUE:
                    if "cue" in quote:
                        self.problem(pointer, f"quote {region.id} has more than one cue")
                    quote.setdefault("cue", target.span(self.text))
                elif label == c.SPEAKER_RELATION and target.control in (c.ENTITY, c.SOURCE):
                    if "speaker" in quote:
                        self.problem(pointer, f"quote {region.id} has more than one speaker")
                    is_ref = target.control == c.ENTITY
                    quote.setdefault("speaker", {"ref": target.id} if is_ref else target.span(self.text))
                else:
                    self.problem(pointer, f"relation {label!r} from quote {region.id} to a {target.control} region")
            quotes.append(quote)
        return quotes

    def annotation(self) -> dict[str, Any]:
        links = self._links()
        reached: set[str] = set()
        entities = [
            {"id": r.id, **r.span(self.text), "type": r.label} for r in self.regions.values() if r.control == c.ENTITY
        ]
        timex = []
        for region in self.regions.values():
            if region.control != c.TIMEX:
                continue
            if c.TIMEX_VALUE not in region.values:
                self.problem(region.pointer, f"timex {region.id} has no value")
                continue
            item = {"id": region.id, **region.span(self.text), "type": region.label}
            item["value"] = region.values[c.TIMEX_VALUE]
            for key, control in (("mod", c.TIMEX_MOD), ("anchor", c.TIMEX_ANCHOR)):
                if region.values.get(control):
                    item[key] = region.values[control]
            timex.append(item)
        events = self._events(links, reached)
        quotes = self._quotes(links, reached)
        for region in self.regions.values():
            if region.control in (c.ARGUMENT, c.CUE, c.SOURCE) and region.id not in reached:
                self.problem(region.pointer, f"{region.control} region {region.id} is linked from no trigger or quote")
        header = {key: value for key, value in (self.data.get(HEADER_KEY) or {}).items() if key != ARGUMENT_ORDER_KEY}
        header.setdefault("id", self.data.get("doc_id"))
        header["text_sha256"] = sha256_text(self.text)
        header.setdefault("language", "ar")
        header.setdefault("source", {})
        return {**header, "entities": entities, "timex": timex, "events": events, "quotes": quotes}


def result_to_document(
    data: dict[str, Any], result: list[Any], *, where: str = "", pointer: str = "", trim: bool = True
) -> Conversion:
    """One annotation's result list (with its task data) → a validated document."""
    malformed = _data_problems(data, f"{pointer}/data") + _result_problems(result, f"{pointer}/result")
    if malformed:
        return Conversion(None, [Problem(where, at, message, MALFORMED) for at, message in malformed])
    converter = _Converter(data, where, pointer, trim)
    recorded_sha = (data.get(HEADER_KEY) or {}).get("text_sha256")
    if recorded_sha is not None and recorded_sha != sha256_text(data["text"]):
        converter.problem(f"{pointer}/data/text", "the task text differs from the text it was pushed with")
    converter.read(result)
    annotation = converter.annotation()
    if converter.problems:
        return Conversion(None, converter.problems, converter.notes)
    found = check_annotation(annotation, converter.text)
    if found:
        identifier = str(annotation.get("id"))
        shown = identifier if identifier.isprintable() else repr(identifier)  # a newline would split the line
        problems = [Problem(where, f"{pointer} {shown}{at}", message) for at, message in found]
        return Conversion(None, problems, converter.notes)
    return Conversion(Document.from_json(annotation, converter.text), [], converter.notes)


def _annotator(annotation: dict[str, Any]) -> Any:
    completed_by = annotation.get("completed_by")
    return completed_by.get("id") if isinstance(completed_by, dict) else completed_by


@dataclass
class ImportResult:
    documents: list[Document]
    problems: list[Problem]
    notes: list[Problem]
    # Per document id: who made the imported annotation and when (Label Studio's fields).
    origins: dict[str, dict[str, Any]] = field(default_factory=dict)


def annotation_origin(annotation: dict[str, Any]) -> dict[str, Any]:
    """The Label Studio user (id) and the time of an exported annotation."""
    origin = {"label_studio_user": _annotator(annotation)}
    when = annotation.get("updated_at") or annotation.get("created_at")
    if when:
        origin["annotated_at"] = when
    return origin


def export_to_documents(
    export: Any, *, where: str = "", trim: bool = True, annotator: int | None = None
) -> ImportResult:
    """A Label Studio JSON export (a list of tasks) → documents, problems, notes.

    Each task needs one annotation to import: cancelled ones are skipped; with several
    annotators, `annotator` (a user id, `completed_by`) chooses whose.
    """
    if not isinstance(export, list):
        return ImportResult([], [Problem(where, "", "a Label Studio JSON export is a list of tasks", MALFORMED)], [])
    documents: list[Document] = []
    problems: list[Problem] = []
    notes: list[Problem] = []
    seen: dict[str, str] = {}
    origins: dict[str, dict[str, Any]] = {}
    for index, task in enumerate(export):
        pointer = f"/{index}"
        malformed = structure_problems(task, pointer)
        if malformed:
            problems += [Problem(where, at, message, MALFORMED) for at, message in malformed]
            continue
        label = task["data"].get("doc_id", f"task {task.get('id', index)}")
        annotations = [
            (position, annotation)
            for position, annotation in enumerate(task.get("annotations") or [])
            if isinstance(annotation, dict)
        ]
        drafts = task.get("drafts") or []
        if drafts:
            message = f"{label}: {len(drafts)} unsubmitted draft(s) not imported (submit them in Label Studio)"
            notes.append(Problem(where, pointer, message, SKIPPED))
        cancelled = [position for position, annotation in annotations if annotation.get("was_cancelled")]
        if cancelled:
            notes.append(Problem(where, pointer, f"{label}: {len(cancelled)} cancelled annotation(s) skipped", SKIPPED))
        annotations = [
            (position, annotation)
            for position, annotation in annotations
            if not annotation.get("was_cancelled") and (annotator is None or _annotator(annotation) == annotator)
        ]
        if not annotations:
            notes.append(Problem(where, pointer, f"{label}: no annotation to import; skipped", SKIPPED))
            continue
        if len(annotations) > 1:
            who = ", ".join(str(_annotator(annotation)) for _, annotation in annotations)
            message = f"{label}: {len(annotations)} annotations (annotators {who}); choose one with --annotator"
            problems.append(Problem(where, pointer, message, UNMAPPED))
            continue
        position, annotation = annotations[0]
        conversion = result_to_document(
            task["data"],
            annotation["result"],
            where=where,
            pointer=f"{pointer}/annotations/{position}",
            trim=trim,
        )
        problems += conversion.problems
        notes += conversion.notes
        if conversion.document is None:
            continue
        if conversion.document.id in seen:
            message = f"document {conversion.document.id} also comes from {seen[conversion.document.id]}"
            problems.append(Problem(where, pointer, message, UNMAPPED))
            continue
        seen[conversion.document.id] = pointer
        documents.append(conversion.document)
        origins[conversion.document.id] = annotation_origin(annotation)
    return ImportResult(documents, sorted(problems), sorted(notes), origins)
