"""Reader `brat`: BRAT standoff (`.ann`), character offsets into the document's `.txt`.

Lines read (others — relations `R`, attributes `A`, equivalences `*` — are ignored):
- `T1<TAB>TYPE START END[;START END…]<TAB>text` — a text-bound span. Its type decides the
  layer (entity types, TIMEX3 types, event types as triggers, quote kinds); a
  discontinuous span becomes the extent from its first start to its last end. The text,
  when given, must equal the gold text at those offsets (BRAT writes a line break in a span
  as a space, which is accepted).
- `E1<TAB>TYPE:T2 ROLE:T3 …` — an event: trigger `T2`, arguments by role (as refs).
- `#1<TAB>AnnotatorNotes T4<TAB>VALUE` — the TIMEX3 value of timex `T4` (checked).
BRAT counts offsets in Unicode characters, as khabar does. The document is the gold
document named by the file's stem (`doc-0001.ann`), else the only gold document. The file
predicts the layers its spans belong to.
"""

from __future__ import annotations

from dataclasses import replace

from khabar.document import Argument, Document, Event, Span
from khabar.errors import InputError
from khabar.formats.reading import DEFAULT_OPTIONS, Collector, Piece, ReadOptions, ReadResult, gold_for
from khabar.inventories import EVENT_ROLES


def read(data: bytes, gold: list[Document], *, where: str, options: ReadOptions = DEFAULT_OPTIONS) -> ReadResult:
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 (byte {error.start + 1})", where=where) from None
    stem = where.rsplit("/", 1)[-1].removesuffix(".ann")
    known = {document.id for document in gold}
    if stem in known:
        document = gold_for(gold, index=0, doc_id=stem, where=where, pointer="")
    elif len(gold) == 1:
        document = gold[0]
    else:
        raise InputError("cannot tell which gold document this is", where=where, hint="name the file DOC_ID.ann")
    collector = Collector(gold, options, where)
    spans: dict[str, tuple[Piece, int]] = {}
    values: dict[str, str] = {}
    events: list[tuple[str, list[tuple[str, str]], int]] = []
    for number, raw in enumerate(source.split("\n"), start=1):
        line = raw.rstrip("\r")
        pointer = f"line {number}"
        if not line.strip():
            continue
        fields = line.split("\t")
        identifier = fields[0]
        if identifier.startswith("T"):
            spans[identifier] = (_text_bound(collector, document, fields, pointer), number)
        elif identifier.startswith("E"):
            if len(fields) < 2:
                raise InputError("expected `E<n><TAB>TYPE:T<n> ROLE:T<n> …`", where=where, pointer=pointer)
            parts = [part.partition(":") for part in fields[1].split()]
            if not parts or not all(part[1] for part in parts):
                raise InputError("expected `TYPE:T<n>` pairs", where=where, pointer=pointer)
            events.append((parts[0][2], [(role, target) for role, _, target in parts[1:]], number))
        elif identifier.startswith("#") and len(fields) >= 3 and fields[1].startswith("AnnotatorNotes "):
            values[fields[1].split()[1]] = fields[2].strip()
    for identifier, value in values.items():
        if identifier in spans and spans[identifier][0].layer == "timex":
            piece, number = spans[identifier]
            value = collector.value(value, f"line {number}: AnnotatorNotes")
            spans[identifier] = (replace(piece, value=value), number)
    triggers = {target for target, _, _ in events}
    for identifier, (piece, _) in spans.items():
        if piece.layer != "events" or identifier not in triggers:
            collector.add(document.id, piece)
    result = collector.result({"events"} if events else set())
    if not events:
        return result
    return replace(result, documents=tuple(_with_events(result.documents, document.id, spans, events, where)))


def _text_bound(collector: Collector, document: Document, fields: list[str], pointer: str) -> Piece:
    where = collector.where
    if len(fields) < 2:
        raise InputError("expected `T<n><TAB>TYPE START END<TAB>text`", where=where, pointer=pointer)
    label, _, offsets = fields[1].partition(" ")
    try:
        pairs = [tuple(int(number) for number in part.split()) for part in offsets.split(";")]
        if not pairs or any(len(pair) != 2 for pair in pairs):
            raise ValueError
    except ValueError:
        raise InputError(f"invalid offsets {offsets!r}", where=where, pointer=pointer) from None
    start, end = pairs[0][0], pairs[-1][1]
    if not 0 <= start < end <= len(document.text):
        raise InputError(
            f"span {start}..{end} outside the text (0..{len(document.text)})", where=where, pointer=pointer
        )
    if len(fields) >= 3:
        expected = " ".join(document.text[a:b] for a, b in pairs)
        if fields[2] != expected and fields[2] != expected.replace("\n", " "):
            raise InputError(
                f"text {fields[2]!r} is not the gold text {expected!r} at {offsets}", where=where, pointer=pointer
            )
    return Piece(collector.layer(label, pointer), label, start, end)


def _with_events(documents, doc_id: str, spans, events, where: str) -> list[Document]:
    out = []
    for document in documents:
        if document.id != doc_id:
            out.append(document)
            continue
        ids = {(e.start, e.end, e.type): e.id for e in document.entities}
        ids.update({(t.start, t.end, t.type): t.id for t in document.timex})
        built = []
        for n, (trigger_id, arguments, number) in enumerate(events, 1):
            if trigger_id not in spans:
                raise InputError(f"unknown trigger {trigger_id!r}", where=where, pointer=f"line {number}")
            trigger = spans[trigger_id][0]
            refs = []
            for role, target in arguments:
                role = role.rstrip("0123456789")  # BRAT numbers repeated roles (Attacker2)
                if role not in EVENT_ROLES or target not in spans:
                    raise InputError(f"unknown role or target {role}:{target}", where=where, pointer=f"line {number}")
                piece = spans[target][0]
                refs.append(Argument(role, ref=ids[(piece.start, piece.end, piece.label)]))
            text = document.text[trigger.start : trigger.end]
            built.append(Event(f"E{n}", trigger.label, Span(trigger.start, trigger.end, text), tuple(refs)))
        out.append(replace(document, events=tuple(document.events) + tuple(built)))
    return out
