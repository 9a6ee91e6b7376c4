"""Reader `timeml`: TimeML with inline TIMEX3 tags (HeidelTime's output), aligned to the text.

One or more `<TimeML>` elements; each is one document, named by a `<DOCID>` element when
it has one (TempEval-3 files), else matched by its text or position (`reading.gold_for`).
The text of a document is the element's content with the tags removed and XML character
references decoded (`<TEXT>` is used when present). Each `<TIMEX3 type value …>` becomes a
timex with its type and value (checked against the TIMEX3 value grammar); its offsets in
the tool's text are carried to the gold text (`align.text_mapping`: identical texts map
one to one; a copy that differs in whitespace or escaping maps through the equal blocks of
a character diff). A TIMEX3 that cannot be carried over is reported and counted as a
false positive. The file predicts the timex layer only.
"""

from __future__ import annotations

import html
import re

from khabar.document import Document
from khabar.errors import InputError
from khabar.formats.align import text_mapping
from khabar.formats.reading import DEFAULT_OPTIONS, Collector, Piece, ReadOptions, ReadResult, gold_for

_DOCUMENT = re.compile(r"<TimeML\b[^>]*>(.*?)</TimeML>", re.DOTALL)
_DOCID = re.compile(r"<DOCID>(.*?)</DOCID>", re.DOTALL)
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)((?:\s+[^>]*?)?)\s*(/?)>")
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _line_of(source: str, offset: int) -> int:
    return source.count("\n", 0, offset) + 1


def strip_tags(content: str) -> tuple[str, list[tuple[int, int, dict[str, str], int]]]:
    """The plain text of inline TimeML and each TIMEX3 as (start, end, attributes, source offset)."""
    plain: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str], int]] = []
    found = []
    position = 0
    for match in _TAG.finditer(content):
        piece = html.unescape(content[position : match.start()])
        plain.append(piece)
        length += len(piece)
        position = match.end()
        closing, name = match.group(1), match.group(2)
        if name != "TIMEX3":
            continue
        if closing:
            if not open_timex:
                raise ValueError(f"</TIMEX3> without <TIMEX3> at offset {match.start()}")
            start, attributes, origin = open_timex.pop()
            found.append((start, length, attributes, origin))
        else:
            attributes = {key: first or second for key, first, second in _ATTRIBUTE.findall(match.group(3))}
            if match.group(4):  # an empty element (a non-consuming TIMEX3)
                continue
            open_timex.append((length, attributes, match.start()))
    plain.append(html.unescape(content[position:]))
    if open_timex:
        raise ValueError(f"<TIMEX3> without </TIMEX3> at offset {open_timex[-1][2]}")
    return "".join(plain), found


def read(data: bytes, gold: list[Document], *, where: str, options: ReadOptions = DEFAULT_OPTIONS) -> ReadResult:
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 (byte {error.start + 1})", where=where) from None
    documents = list(_DOCUMENT.finditer(source))
    if not documents:
        raise InputError("no <TimeML> element", where=where)
    collector = Collector(gold, options, where)
    for index, element in enumerate(documents):
        content = element.group(1)
        offset = element.start(1)
        docid = _DOCID.search(content)
        body = _TEXT.search(content)
        if body:
            offset += body.start(1)
            content = body.group(1)
        pointer = f"line {_line_of(source, offset)}"
        try:
            plain, timexes = strip_tags(content)
        except ValueError as error:
            raise InputError(str(error), where=where, pointer=pointer) from None
        doc_id = html.unescape(docid.group(1).strip()) if docid else None
        document = gold_for(gold, index=index, doc_id=doc_id, text=plain.strip("\n"), where=where, pointer=pointer)
        mapping = text_mapping(plain, document.text)
        for start, end, attributes, origin in sorted(timexes):
            line = f"line {_line_of(source, offset + origin)}"
            label = attributes.get("type", "")
            if collector.layer(label, f"{line}: type") != "timex":
                raise InputError(f"TIMEX3 type {label!r} is not a TIMEX3 type", where=where, pointer=f"{line}: type")
            value = collector.value(attributes.get("value"), f"{line}: value")
            span = mapping.span(start, end)
            if span is None:
                previous = mapping.span(0, start) if start else None
                collector.miss(document.id, "timex", label, plain[start:end], previous[1] if previous else 0, line)
                continue
            collector.add(document.id, Piece("timex", label, span[0], span[1], value))
    return collector.result({"timex"})
