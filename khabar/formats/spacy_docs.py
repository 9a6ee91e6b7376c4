"""Reader `spacy`: spaCy documents — a `DocBin` file (`.spacy`) or `Doc.to_json()` output.

- `.spacy` (`DocBin.to_bytes()`): read with spaCy (the optional `spacy` extra), entities
  from `doc.ents` (`start_char`, `end_char`, `label_`).
- JSON: one `Doc.to_json()` object, a list of them, or JSONL (one per line); entities from
  `ents` (`start`, `end`, `label`: character offsets into the object's `text`).
Each document is matched to the gold by a `user_data`/`id` document id, else by its text,
else by position; offsets in the tool's text are carried to the gold text
(`align.text_mapping`), and an entity that cannot be carried is reported and counted as a
false positive. Labels go to their layer (`DATE` to timex, without a value). The file
predicts the entity layer, plus the layers its labels name.
"""

from __future__ import annotations

from typing import Any

from khabar import strictjson
from khabar.document import Document
from khabar.errors import InputError
from khabar.formats.align import text_mapping
from khabar.formats.reading import DEFAULT_OPTIONS, Collector, Piece, ReadOptions, ReadResult, gold_for, jsonl_values

JSON_STARTS = (b"{", b"[")  # Doc JSON (or JSONL) starts so; DocBin bytes are zlib-compressed msgpack


def _from_docbin(data: bytes, where: str) -> list[dict[str, Any]]:
    # spaCy is an optional extra and slow to import: loaded only when a DocBin is read.
    try:
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab
    except ImportError:
        raise InputError("reading a DocBin needs spaCy", where=where, hint="pip install 'khabar[spacy]'") from None
    try:
        docs = list(DocBin().from_bytes(data).get_docs(Vocab()))
    except Exception as error:  # spaCy raises several types on corrupt bytes
        raise InputError(f"not a spaCy DocBin ({type(error).__name__})", where=where) from None
    return [
        {
            "id": doc.user_data.get("id") if isinstance(doc.user_data.get("id"), str) else None,
            "text": doc.text,
            "ents": [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents],
        }
        for doc in docs
    ]


def _from_json(data: bytes, where: str) -> list[dict[str, Any]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 (byte {error.start + 1})", where=where) from None
    try:
        parsed = strictjson.parse(text)
        records = parsed if isinstance(parsed, list) else [parsed]
    except strictjson.JSONProblem:
        records = [value for _, value in jsonl_values(text, where)]  # JSONL: one Doc.to_json() a line
    for index, record in enumerate(records):
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError("expected a Doc.to_json() object with text", where=where, pointer=f"/{index}")
    return records


def read(data: bytes, gold: list[Document], *, where: str, options: ReadOptions = DEFAULT_OPTIONS) -> ReadResult:
    is_json = data.lstrip()[:1] in JSON_STARTS
    records = _from_json(data, where) if is_json else _from_docbin(data, where)
    collector = Collector(gold, options, where)
    for index, record in enumerate(records):
        doc_id = record.get("id") or (record.get("user_data") or {}).get("id")
        document = gold_for(gold, index=index, doc_id=doc_id, text=record["text"], where=where, pointer=f"/{index}")
        mapping = text_mapping(record["text"], document.text)
        for position, entity in enumerate(record.get("ents") or []):
            pointer = f"/{index}/ents/{position}"
            try:
                start, end, label = entity["start"], entity["end"], str(entity["label"])
            except (KeyError, TypeError):
                raise InputError("an entity needs start, end and label", where=where, pointer=pointer) from None
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(record["text"])):
                raise InputError(f"span {start!r}..{end!r} outside the text", where=where, pointer=pointer)
            layer = collector.layer(label, f"{pointer}/label")
            span = mapping.span(start, end)
            if span is None:
                collector.miss(document.id, layer, label, record["text"][start:end], 0, pointer)
                continue
            collector.add(document.id, Piece(layer, label, *span))
    return collector.result({"entities"})
