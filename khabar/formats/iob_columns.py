"""Reader `conll`: IOB2 token columns in any tokenization, aligned to the gold text.

Input: one token per line, columns separated by tabs (or, without tabs, by spaces); a
blank line ends a sentence; `-DOCSTART-` starts a document, as does a comment line
`# newdoc id = ID` or `# doc_id = ID` (which also names it). The token is the first
column. The tags:
- khabar's own export (`khabar export conll`: token + `ner_tags timex_tags trigger_tags
  quote_tags`, five columns, each a valid tag of its layer throughout) gives all four layers;
- any other file: the last column (CoNLL-2003's NER column), each label sent to its layer
  (entity types; TIMEX3 types `DATE`/`TIME`/`DURATION`/`SET` to the timex layer, without
  values). The file predicts the entity layer, plus the layers its labels name.
Prefixes B/I (IOB2, read as conlleval does), S/U and E/L (BIOES/BILOU) are accepted.

Tokens are aligned to the text in order (`khabar.formats.align.align_tokens`: clitic
segmentation and a restored article tolerated). A chunk becomes the character span from
its first placed token to its last; every token that cannot be placed is reported with its
line, and a chunk none of whose tokens is placed is counted as a false positive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from khabar.document import Document
from khabar.errors import InputError
from khabar.formats.align import align_tokens
from khabar.formats.reading import DEFAULT_OPTIONS, Collector, Piece, ReadOptions, ReadResult, gold_for
from khabar.inventories import LAYERS, entity_labels_of, layer_labels

DOCSTART = "-DOCSTART-"
_DOC_COMMENT = re.compile(r"^#\s*(?:newdoc\s+id|doc_id)\s*=\s*(\S+)\s*$")
PREFIXES = {"B": "B", "I": "I", "S": "B", "U": "B", "E": "I", "L": "I"}


@dataclass(frozen=True)
class _Row:
    line: int
    token: str
    tags: tuple[str, ...]


@dataclass
class _Block:
    doc_id: str | None
    rows: list[_Row]
    sentence_ends: list[int]


def _split(line: str) -> list[str]:
    return line.split("\t") if "\t" in line else line.split()


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        comment = _DOC_COMMENT.match(line)
        fields = _split(line) if line.strip() else []
        if comment or (fields and fields[0] == DOCSTART):
            blocks.append(_Block(comment.group(1) if comment else None, [], []))
            continue
        if not fields:
            if blocks and blocks[-1].rows:
                blocks[-1].sentence_ends.append(len(blocks[-1].rows))
            continue
        if not blocks:
            blocks.append(_Block(None, [], []))
        if len(fields) < 2:
            raise InputError("expected a token and a tag column", pointer=f"line {number}")
        blocks[-1].rows.append(_Row(number, fields[0], tuple(fields[1:])))
    return [block for block in blocks if block.rows or block.doc_id]


def parse_tag(tag: str) -> tuple[str, str] | None:
    """`B-PER` → ("B", "PER"); `O` → None; unreadable → ValueError."""
    if tag == "O":
        return None
    prefix, separator, label = tag.partition("-")
    if not separator or prefix not in PREFIXES or not label:
        raise ValueError(tag)
    return PREFIXES[prefix], label


def _is_tag_of(tag: str, layer: str, tagset: str) -> bool:
    try:
        parsed = parse_tag(tag)
    except ValueError:
        return False
    if parsed is None:
        return True
    labels = entity_labels_of(tagset) if layer == "entities" else frozenset(layer_labels(layer))
    return parsed[1] in labels


def _khabar_columns(blocks: list[_Block], tagset: str) -> bool:
    rows = [row for block in blocks for row in block.rows]
    if not rows or any(len(row.tags) != len(LAYERS) for row in rows):
        return False
    return all(_is_tag_of(tag, layer, tagset) for row in rows for tag, layer in zip(row.tags, LAYERS, strict=True))


def chunks(tags: list[tuple[str, str] | None], breaks: set[int]) -> list[tuple[int, int, str]]:
    """(first index, last index, label) of each chunk, read as conlleval does."""
    found: list[tuple[int, int, str]] = []
    current: list = []
    for index, parsed in enumerate(tags):
        continues = (
            parsed is not None and parsed[0] == "I" and current and current[2] == parsed[1] and index not in breaks
        )
        if current and not continues:
            found.append(tuple(current))
            current = []
        if parsed is not None and not continues:
            current = [index, index, parsed[1]]
        elif continues:
            current[1] = index
    if current:
        found.append(tuple(current))
    return found


def read(data: bytes, gold: list[Document], *, where: str, options: ReadOptions = DEFAULT_OPTIONS) -> ReadResult:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 (byte {error.start + 1})", where=where) from None
    try:
        blocks = _blocks(text)
    except InputError as error:
        raise InputError(error.message, where=where, pointer=error.pointer) from None
    if not blocks:
        raise InputError("no tokens", where=where)
    if len(blocks) > 1 and any(block.doc_id is None for block in blocks) and len(blocks) > len(gold):
        raise InputError(f"{len(blocks)} documents for {len(gold)} gold documents", where=where)
    if len(blocks) == 1 and blocks[0].doc_id is None and len(gold) > 1:
        raise InputError(
            f"one document for {len(gold)} gold documents",
            where=where,
            hint="start each document with a -DOCSTART- line or `# newdoc id = ID`",
        )
    multi = _khabar_columns(blocks, options.tagset)
    collector = Collector(gold, options, where)
    for index, block in enumerate(blocks):
        pointer = f"line {block.rows[0].line}" if block.rows else "document"
        document = gold_for(gold, index=index, doc_id=block.doc_id, where=where, pointer=pointer)
        _read_block(collector, document, block, multi)
    return collector.result(set(LAYERS) if multi else {"entities"})


def _read_block(collector: Collector, document: Document, block: _Block, multi: bool) -> None:
    placed = align_tokens(document.text, [row.token for row in block.rows])
    for row, span in zip(block.rows, placed, strict=True):
        if span is None:
            collector.notes.append(
                f"{collector.where}:line {row.line}: cannot place token {row.token!r} in the text of {document.id}"
            )
    columns = range(len(LAYERS)) if multi else [None]
    breaks = set(block.sentence_ends)
    for column in columns:
        parsed = []
        for row in block.rows:
            tag = row.tags[column] if column is not None else row.tags[-1]
            pointer = f"line {row.line}" + (f": column {column + 2}" if column is not None else "")
            try:
                parsed.append(parse_tag(tag))
            except ValueError:
                raise InputError(
                    f"invalid tag {tag!r} (expected O, B-LABEL or I-LABEL)", where=collector.where, pointer=pointer
                ) from None
        for first, last, label in chunks(parsed, breaks):
            pointer = f"line {block.rows[first].line}"
            layer = LAYERS[column] if column is not None else collector.layer(label, pointer)
            if column is not None and layer == "entities":
                collector.layer(label, pointer)  # checks the label against the tag set
            spans = [span for span in placed[first : last + 1] if span is not None]
            if not spans:
                words = " ".join(row.token for row in block.rows[first : last + 1])
                previous = [span for span in placed[:first] if span is not None]
                at = previous[-1][1] if previous else 0
                collector.miss(document.id, layer, label, words, at, pointer)
                continue
            collector.add(document.id, Piece(layer, label, spans[0][0], spans[-1][1]))
