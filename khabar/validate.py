"""Validation of annotation files against the schema and against their text.

`check_files` collects every problem of every file (one `Problem` each, sorted) and the
documents that passed; nothing here raises on bad input except `check_file`, which
raises `ValidationError` holding all problems of one file.

`check_prediction` runs the same checks, with one wording per fault, over a predicted
document (a line of a prediction file): the schema of `build_schema(prediction=True)`
(ids and span texts optional, a timex value optional), every span against the text, ids,
refs (which must name a predicted mention) and TimeML values. Predicted spans of one layer
may cross; gold spans may not.
"""

from __future__ import annotations

import difflib
import inspect
import json
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khabar import guard, inventories, plain_prediction, schema, strictjson, timeml, validcache
from khabar.document import Document, sha256_text
from khabar.errors import InputError, MalformedInput, Problem, ValidationError
from khabar.inventories import ENTITY_TYPES, LAYERS, REF_TARGETS
from khabar.paths import text_path_for
from khabar.plain_prediction import PlainPrediction, default_id
from khabar.progress import Progress
from khabar.schema import build_schema, compiled
from khabar.schema.compiled import Check, compile_check, ecma_pattern
from khabar.strictjson import loads, read_bytes
from khabar.timeml import is_timeml_value

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError as SchemaError

LAYER_NOUNS = {"entities": "entity", "timex": "timex", "events": "event", "quotes": "quote"}
ENTITY_LABELS = tuple(ENTITY_TYPES)
FIELD_NOUNS = {"type": "type", "kind": "kind", "role": "role", "mod": "mod", "realis": "realis"}


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[SchemaError]:
    """`pattern` as JSON Schema means it (ECMA-262): `$` ends the string. Python's `$` also
    matches before a final newline, which let an id `"x\n"` through (and into a file name)."""
    # Deferred for start-up time: jsonschema is imported only when a document has schema errors.
    from jsonschema.exceptions import ValidationError as SchemaError

    if not validator.is_type(instance, "string"):
        return
    if not ecma_pattern(pattern).search(instance):
        yield SchemaError(f"{instance!r} does not match {pattern!r}")


@cache
def _validator(prediction: bool = False, entity_types: tuple[str, ...] = ENTITY_LABELS) -> Draft202012Validator:
    """jsonschema's validator of the schema, with `pattern` as ECMA-262 means it: it words the
    errors the compiled check (`_compiled`) finds, so a valid corpus never needs it."""
    # Deferred for start-up time: importing jsonschema is a sixth of `khabar evaluate`'s start-up,
    # and a command whose files are all valid (or known valid) never asks it for errors.
    from jsonschema import Draft202012Validator, validators

    strict = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})
    return strict(build_schema(prediction=prediction, entity_types=entity_types))


@cache
def _compiled(prediction: bool = False, entity_types: tuple[str, ...] = ENTITY_LABELS) -> Check:
    return compile_check(build_schema(prediction=prediction, entity_types=entity_types))


def _pointer(parts: Iterable[Any]) -> str:
    return "".join(f"/{part}" for part in parts)


def _schema_message(error: SchemaError) -> tuple[str, str]:
    """A short message for a schema error, and the JSON pointer it belongs to."""
    path = list(error.absolute_path)
    pointer = _pointer(path)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return pointer, f"missing field '{missing}'"
    if error.validator == "additionalProperties":
        extra = error.message.split("'")[1]
        close = difflib.get_close_matches(extra, sorted(error.schema.get("properties", {})), n=1)
        return f"{pointer}/{extra}", f"unexpected field '{extra}'" + (f" (did you mean '{close[0]}'?)" if close else "")
    if error.validator == "enum":
        field = str(path[-1]) if path else "value"
        layer = str(path[0]) if path else ""
        noun = f"{LAYER_NOUNS.get(layer, layer)} {FIELD_NOUNS.get(field, field)}".strip()
        return pointer, f"unknown {noun} {error.instance!r}"
    if error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return pointer, f"expected {expected}, got {type(error.instance).__name__}"
    if error.validator == "minimum":
        return pointer, f"must be >= {error.validator_value}, got {error.instance!r}"
    if error.validator == "pattern":
        return pointer, f"{error.instance!r} does not match the pattern {error.validator_value}"
    if error.validator == "minLength":
        return pointer, "must not be empty"
    return pointer, error.message


Items = dict[str, list[tuple[int, dict[str, Any]]]]
"""Per layer, the well-formed items of an annotation with their index in the file."""


def _well_formed(data: dict[str, Any], schema_paths: list[tuple[Any, ...]]) -> Items:
    """The items of each layer that have no schema error of their own.

    An item is skipped when a schema error lies at or under its pointer; a layer that is
    not a list is skipped whole. The semantic checks run over what is left, so one pass
    of `validate` reports schema and semantic problems together.
    """
    items: Items = {}
    for layer in LAYERS:
        value = data.get(layer)
        if not isinstance(value, list) or (layer,) in schema_paths:
            items[layer] = []
            continue
        bad = {path[1] for path in schema_paths if len(path) >= 2 and path[0] == layer}
        items[layer] = [(index, item) for index, item in enumerate(value) if index not in bad]
    return items


def _spans_of(items: Items) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every span object of the well-formed items, with its JSON pointer."""
    for index, item in items["entities"]:
        yield f"/entities/{index}", item
    for index, item in items["timex"]:
        yield f"/timex/{index}", item
    for index, event in items["events"]:
        yield f"/events/{index}/trigger", event["trigger"]
        for position, argument in enumerate(event.get("arguments") or []):
            if "start" in argument or "end" in argument or "text" in argument:
                yield f"/events/{index}/arguments/{position}", argument
    for index, quote in items["quotes"]:
        for part in ("content", "cue", "speaker"):
            item = quote.get(part)
            if item is not None and ("start" in item or "end" in item or "text" in item):
                yield f"/quotes/{index}/{part}", item


def _check_span(pointer: str, span: dict[str, Any], text: str, *, text_required: bool = True) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    needed = ("start", "end", "text") if text_required else ("start", "end")
    if not all(key in span for key in needed):
        missing = [key for key in needed if key not in span]
        return [(pointer, f"a span needs {', '.join(needed[:-1])} and {needed[-1]}; missing {', '.join(missing)}")]
    start, end = span["start"], span["end"]
    # JSON Schema counts 3.0 as an integer; an offset must be an int to slice the text.
    for key, offset in (("start", start), ("end", end)):
        if not isinstance(offset, int) or isinstance(offset, bool):
            return [(f"{pointer}/{key}", f"expected integer, got {type(offset).__name__}")]
    if start >= end:
        return [(pointer, f"start {start} must be less than end {end}")]
    if end > len(text):
        return [(f"{pointer}/end", f"end {end} is beyond the text (length {len(text)})")]
    actual = text[start:end]
    if "text" in span and span["text"] != actual:
        found.append((f"{pointer}/text", f"{span['text']!r} does not equal the text at [{start}, {end}) {actual!r}"))
    return found


def _layer_extents(items: Items) -> dict[str, list[tuple[str, int, int]]]:
    extents: dict[str, list[tuple[str, int, int]]] = {
        "entities": [(f"/entities/{i}", e["start"], e["end"]) for i, e in items["entities"]],
        "timex": [(f"/timex/{i}", t["start"], t["end"]) for i, t in items["timex"]],
        "events": [(f"/events/{i}/trigger", e["trigger"]["start"], e["trigger"]["end"]) for i, e in items["events"]],
        "quotes": [(f"/quotes/{i}/content", q["content"]["start"], q["content"]["end"]) for i, q in items["quotes"]],
    }
    return extents


def crossing_pairs(extents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every pair `(later, earlier)` of list positions whose spans cross (share characters,
    neither inside the other), sorted as a nested loop over the list would find them.

    A sorted sweep: spans in order of start; the spans that started strictly before and
    are still open are kept sorted by end, and the ones crossing the current span are those
    ending strictly inside it — one binary search each, so the cost grows with the spans
    and the crossings found, not with the square of the spans.
    """
    order = sorted(range(len(extents)), key=lambda position: extents[position][0])
    open_ends: list[tuple[int, int]] = []  # (end, position) of spans started before the current start
    pairs: list[tuple[int, int]] = []
    group_start = 0
    while group_start < len(order):
        start = extents[order[group_start]][0]
        group_end = group_start
        while group_end < len(order) and extents[order[group_end]][0] == start:
            group_end += 1
        del open_ends[: bisect_right(open_ends, (start, len(extents)))]  # closed at or before start
        for position in order[group_start:group_end]:
            end = extents[position][1]
            for _, other in open_ends[: bisect_left(open_ends, (end, -1))]:
                pairs.append((max(position, other), min(position, other)))
        for position in order[group_start:group_end]:
            insort(open_ends, (extents[position][1], position))
        group_start = group_end
    return sorted(pairs)


def _check_crossing(items: Items) -> list[tuple[str, str]]:
    """Spans of one layer must nest or be disjoint."""
    found: list[tuple[str, str]] = []
    for spans in _layer_extents(items).values():
        for position, other in crossing_pairs([(start, end) for _, start, end in spans]):
            pointer, start, end = spans[position]
            other_pointer, other_start, other_end = spans[other]
            found.append((pointer, f"[{start}, {end}) crosses {other_pointer} [{other_start}, {other_end})"))
    return found


def _check_ids(data: dict[str, Any], *, default_ids: bool = False) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Ids are unique across the document; returns problems and id → layer.

    Every item with a string id counts, malformed or not: a ref to an item whose only
    fault is, say, an unknown type still resolves, so it is not reported twice. With
    `default_ids` (predictions) an item without an id has its `default_id`.
    """
    found: list[tuple[str, str]] = []
    first_seen: dict[str, str] = {}
    layer_of: dict[str, str] = {}
    for layer in LAYERS:
        value = data.get(layer)
        for index, item in enumerate(value if isinstance(value, list) else []):
            if default_ids and isinstance(item, dict) and "id" not in item:
                item = {**item, "id": default_id(layer, index)}
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            identifier, pointer = item["id"], f"/{layer}/{index}/id"
            if identifier in first_seen:
                found.append((pointer, f"duplicate id {identifier!r} (first at {first_seen[identifier]})"))
                continue
            first_seen[identifier] = pointer
            layer_of[identifier] = layer
    return found, layer_of


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


def _check_ref(pointer: str, ref: str, allowed: tuple[str, ...], layer_of: dict[str, str]) -> list[tuple[str, str]]:
    wanted = " or ".join(LAYER_NOUNS[layer] for layer in allowed)
    if ref not in layer_of:
        return [(pointer, f"{ref!r} does not resolve to {_article(wanted)} {wanted} id")]
    if layer_of[ref] not in allowed:
        return [(pointer, f"{ref!r} is a {LAYER_NOUNS[layer_of[ref]]} id; expected {_article(wanted)} {wanted} id")]
    return []


def _check_ref_or_span(
    pointer: str, item: dict[str, Any], noun: str, allowed: tuple[str, ...], layer_of: dict[str, str]
) -> list[tuple[str, str]]:
    """An argument or speaker names its mention by `ref` or by a span of its own, never both."""
    has_span = any(key in item for key in ("start", "end", "text"))
    if "ref" in item and has_span:
        return [(pointer, f"{noun} needs either a ref or start/end/text, not both")]
    if "ref" not in item and not has_span:
        return [(pointer, f"{noun} needs a ref or start/end/text")]
    if "ref" in item:
        return _check_ref(f"{pointer}/ref", item["ref"], allowed, layer_of)
    return []


def _check_refs(items: Items, layer_of: dict[str, str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for index, event in items["events"]:
        for position, argument in enumerate(event.get("arguments") or []):
            pointer = f"/events/{index}/arguments/{position}"
            found += _check_ref_or_span(pointer, argument, "an argument", REF_TARGETS["event_argument"], layer_of)
    for index, quote in items["quotes"]:
        speaker = quote.get("speaker")
        if speaker is not None:
            pointer = f"/quotes/{index}/speaker"
            found += _check_ref_or_span(pointer, speaker, "a speaker", REF_TARGETS["quote_speaker"], layer_of)
    for index, timex in items["timex"]:
        anchor = timex.get("anchor")
        if anchor is not None and anchor != "DCT":
            found += _check_ref(f"/timex/{index}/anchor", anchor, ("timex",), layer_of)
    return found


def _check_values(data: dict[str, Any], items: Items, schema_paths: list[tuple[Any, ...]]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for index, timex in items["timex"]:
        if timex.get("value") is not None and not is_timeml_value(timex["value"]):
            found.append((f"/timex/{index}/value", f"{timex['value']!r} is not a TimeML value"))
    dct = data.get("dct")
    dct_well_formed = not any(path[:1] == ("dct",) for path in schema_paths)
    if (
        dct_well_formed
        and isinstance(dct, dict)
        and isinstance(dct.get("value"), str)
        and not is_timeml_value(dct["value"])
    ):
        found.append(("/dct/value", f"{dct['value']!r} is not a TimeML value"))
    return found


def check_annotation(data: Any, text: str, *, stem: str | None = None) -> list[tuple[str, str]]:
    """Every problem of one parsed annotation against its text, as (pointer, message).

    Schema errors and semantic problems come together: the semantic checks (offsets,
    ids, refs, TimeML values, crossing spans) run over the items without schema errors.
    """
    return _check_document(data, text, stem=stem)


def check_prediction(data: Any, text: str, *, entity_types: tuple[str, ...] = ENTITY_LABELS) -> list[tuple[str, str]]:
    """Every problem of one predicted document against the gold text, as (pointer, message):
    the checks of `check_annotation` for a prediction (see the module docstring). A plainly
    valid document is vouched for in one pass (`khabar.plain_prediction`); any doubt, and
    every problem, goes through the full check."""
    if plain_reader(entity_types)(data, text):
        return []
    return prediction_problems(data, text, entity_types=entity_types)


def prediction_problems(
    data: Any, text: str, *, entity_types: tuple[str, ...] = ENTITY_LABELS
) -> list[tuple[str, str]]:
    """`check_prediction` without the quick yes: the full check, for a document the quick
    check (`plain_reader`) already doubted."""
    return _check_document(data, text, prediction=True, entity_types=entity_types)


@cache
def plain_reader(entity_types: tuple[str, ...] = ENTITY_LABELS) -> PlainPrediction:
    """The quick check of predictions with these entity types (the one `check_prediction` uses),
    whose `read` also builds a plainly valid document's items in the same pass."""
    return PlainPrediction(build_schema(prediction=True, entity_types=entity_types), _compiled(True, entity_types))


def _check_document(
    data: Any,
    text: str,
    *,
    stem: str | None = None,
    prediction: bool = False,
    entity_types: tuple[str, ...] = ENTITY_LABELS,
) -> list[tuple[str, str]]:
    # jsonschema is asked for the errors only when the compiled check finds some (it is the slow part).
    errors = (
        []
        if _compiled(prediction, entity_types)(data)
        else list(_validator(prediction, entity_types).iter_errors(data))
    )
    found: list[tuple[str, str]] = [_schema_message(error) for error in errors]
    if not isinstance(data, dict):
        return found
    schema_paths = [tuple(error.absolute_path) for error in errors]
    items = _well_formed(data, schema_paths)
    if stem is not None and ("id",) not in schema_paths and isinstance(data.get("id"), str) and data["id"] != stem:
        found.append(("/id", f"{data['id']!r} does not match the file name {stem!r}"))
    recorded_sha = data.get("text_sha256")
    if isinstance(recorded_sha, str) and ("text_sha256",) not in schema_paths and recorded_sha != sha256_text(text):
        found.append(("/text_sha256", f"does not match the text (its sha256 is {sha256_text(text)})"))
    span_problems: list[tuple[str, str]] = []
    for pointer, span in _spans_of(items):
        span_problems += _check_span(pointer, span, text, text_required=not prediction)
    found += span_problems
    id_problems, layer_of = _check_ids(data, default_ids=prediction)
    found += id_problems
    found += _check_refs(items, layer_of)
    found += _check_values(data, items, schema_paths)
    if not span_problems and not prediction:  # predicted spans may cross
        found += _check_crossing(items)
    return found


def _read_text(path: Path, label: str) -> tuple[str | None, str | None]:
    """The UTF-8 content of `path`, or a problem message."""
    if not path.is_file():
        return None, f"{label} not found: {path}"
    guard.declare_inputs(path)
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return None, f"{label} is not UTF-8: invalid byte 0x{raw[error.start]:02x} at offset {error.start}"


REQUIRED_HEADER = ("dct", "source", "guidelines_version")
"""Header fields the guidelines require of every annotation file of a corpus (guidelines/README.md,
"Extending the corpus"): the schema keeps them optional because predictions have no header."""


def header_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The required header fields `data` lacks (`dct` with provenance, a non-empty `source`, `guidelines_version`)."""
    found = []
    if data.get("dct") is None:
        found.append(("/dct", "required: the document creation time {value, provenance} (guidelines TMX-2)"))
    if not data.get("source"):
        found.append(("/source", "required: where the text comes from (e.g. name, url)"))
    if not isinstance(data.get("guidelines_version"), str) or not data["guidelines_version"].strip():
        found.append(("/guidelines_version", "required: the guidelines version the annotation follows"))
    return found


@cache
def checking_code() -> tuple[Path, ...]:
    """The files whose code decides what is valid: this module, those it checks with, the schema."""
    modules = (
        __file__,
        inspect.getfile(Document),
        schema.__file__,
        compiled.__file__,
        inventories.__file__,
        plain_prediction.__file__,
        strictjson.__file__,
        timeml.__file__,
    )
    return (*map(Path, modules), *sorted(Path(schema.__file__).parent.glob("*.json")))


def _cache_options(annotation_path: Path, require_header: bool) -> str:
    return f"{annotation_path.stem}\0require_header={require_header}"


def _known_valid(
    annotation_path: Path, raw: bytes, text_path: Path | None, require_header: bool, keys: dict[Path, str] | None = None
) -> Document | None:
    """The document of an annotation file recorded valid with these exact bytes (`khabar.validcache`), else None.

    Such a file is parsed with plain `json.loads`: its key holds its bytes and the strict
    reader's code, and it was recorded only after that reader accepted those bytes, so it has
    no repeated key, lone surrogate, refused number or excess depth, and there `json.loads`
    gives the very value the strict reader gives (same dicts, ints and floats)."""
    text_path = text_path or text_path_for(annotation_path)
    if not text_path.is_file():
        return None
    guard.declare_inputs(text_path)
    text_bytes = text_path.read_bytes()
    options = _cache_options(annotation_path, require_header)
    file_key = validcache.key(raw, text_bytes, options, checking_code())
    if not validcache.is_known_valid(file_key):
        return None
    if keys is not None:
        keys[annotation_path] = file_key
    return Document.from_json(json.loads(raw.decode("utf-8")), text_bytes.decode("utf-8"))


def read_keyed(paths: list[Path], *, require_header: bool = False) -> list[tuple[str, str]] | None:
    """The validation key (`khabar.validcache.key`, as `check_path` makes it with `cached`) and
    the text of each annotation file, in order; None as soon as one file or its text cannot be
    read as UTF-8 (the full check then says why). Both files are declared inputs."""
    code = checking_code()
    keyed = []
    for path in paths:
        text_path = text_path_for(path)
        try:
            with open(path, "rb") as file:
                raw = file.read()
            with open(text_path, "rb") as file:
                text_bytes = file.read()
            text = text_bytes.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        guard.declare_inputs(path, text_path)
        keyed.append((validcache.key(raw, text_bytes, _cache_options(path, require_header), code), text))
    return keyed


def check_path(
    annotation_path: Path,
    text_path: Path | None = None,
    *,
    require_header: bool = False,
    cached: bool = False,
    keys: dict[Path, str] | None = None,
) -> tuple[Document | None, list[Problem]]:
    """Validate one annotation file; returns the document (when valid) and its problems.

    `require_header` adds the header fields a corpus annotation must have (`REQUIRED_HEADER`).
    With `cached`, a file whose exact bytes (with its text's, under this checking code and
    these options) were found valid before is not checked again (see `khabar.validcache`)
    and is parsed with plain `json.loads` (`_known_valid` says why that is sound); the key of a
    valid file (its bytes, its text's, the checking code) is put in `keys` when given."""
    where = str(annotation_path)
    if not annotation_path.is_file():
        return None, [Problem(where, "", "annotation file not found", "missing-file")]
    try:
        raw = read_bytes(annotation_path)
        if not raw.strip():
            return None, [Problem(where, "", "empty file", "empty")]
        if cached:
            known = _known_valid(annotation_path, raw, text_path, require_header, keys)
            if known is not None:
                return known, []
        data = loads(raw, where=where)
    except InputError as error:
        return None, [Problem(where, error.pointer, error.message, "json")]
    text_path = text_path or text_path_for(annotation_path)
    text, text_problem = _read_text(text_path, "text file")
    if text is None:
        return None, [Problem(where, "", text_problem or "", "text")]
    found = check_annotation(data, text, stem=annotation_path.stem)
    if require_header and isinstance(data, dict):
        found += header_problems(data)
    problems = [Problem(where, pointer, message) for pointer, message in found]
    if problems:
        return None, sorted(problems)
    if cached:
        options = _cache_options(annotation_path, require_header)
        file_key = validcache.key(raw, text.encode("utf-8"), options, checking_code())
        validcache.record_valid(file_key)
        if keys is not None:
            keys[annotation_path] = file_key
    return Document.from_json(data, text), []


# Problems of a file that cannot be read as JSON at all (empty, not UTF-8, not strict JSON):
# input errors (exit 2), where a model problem — a missing text included — exits 1.
UNREADABLE = frozenset({"empty", "json"})


def problems_error(problems: list[Problem]) -> ValidationError:
    """The error of a list of problems: exit 2 when a file could not be read, else 1."""
    unreadable = any(problem.code in UNREADABLE for problem in problems)
    return (MalformedInput if unreadable else ValidationError)(problems)


def check_file(annotation_path: Path, text_path: Path | None = None, *, cached: bool = False) -> Document:
    """The validated document of one annotation file; raises ValidationError otherwise."""
    document, problems = check_path(annotation_path, text_path, cached=cached)
    if problems or document is None:
        raise problems_error(problems)
    return document


def check_files(
    paths: Iterable[Path],
    *,
    require_header: bool = False,
    cached: bool = False,
    progress: Progress | None = None,
    keys: dict[Path, str] | None = None,
) -> tuple[list[Document], list[Problem]]:
    """Validate many annotation files; every problem of every file, sorted (options: see `check_path`).
    `progress(done, total)` is called after each file."""
    documents: list[Document] = []
    problems: list[Problem] = []
    paths = list(paths)
    for done, path in enumerate(paths, start=1):
        document, found = check_path(path, require_header=require_header, cached=cached, keys=keys)
        problems += found
        if document is not None:
            documents.append(document)
        if progress is not None:
            progress(done, len(paths))
    return documents, sorted(problems)
