"""CoNLL columns for other tools: one token per line, then one IOB2 tag column per layer.

    -DOCSTART- O O O O
    <blank>
    أعلنت O O O O
    القيادة B-ORG O O O
    …
    <blank>

Columns, separated by one space as in CoNLL-2003 and conlleval: the token, then
`ner_tags`, `timex_tags`, `trigger_tags`, `quote_tags` (the `sentences` config's tag
columns, in that order). A blank line ends each sentence; each document starts with a
`-DOCSTART-` line tagged `O`, as in CoNLL-2003 (the tokenizer splits `-`, so no token
can be `-DOCSTART-`). Tokens never contain whitespace, so the format is unambiguous.
Sentences come in the order of the `sentences` config; ids are not written.

`dumps_conll` and `loads_conll` are inverse on tokens and tags.
"""

from __future__ import annotations

from dataclasses import dataclass

from khabar.errors import InputError
from khabar.inventories import LAYERS, TAG_COLUMNS, iob2_tags
from khabar.views import SentenceView

DOCSTART = "-DOCSTART-"
COLUMNS: tuple[str, ...] = ("token", *(TAG_COLUMNS[layer] for layer in LAYERS))


@dataclass(frozen=True)
class ConllSentence:
    """A sentence read back from CoNLL: its tokens and tags per layer."""

    tokens: tuple[str, ...]
    tags: dict[str, tuple[str, ...]]


def sentence_lines(view: SentenceView) -> list[str]:
    """The token lines of one sentence (without the blank line that ends it)."""
    lines = []
    for index, token in enumerate(view.tokens):
        lines.append(" ".join([token.text, *(view.tags[layer][index] for layer in LAYERS)]))
    return lines


def dumps_conll(documents: list[list[SentenceView]]) -> str:
    """CoNLL text of documents, each given as its sentence views in order."""
    lines: list[str] = []
    for sentences in documents:
        lines += [" ".join([DOCSTART, *("O" for _ in LAYERS)]), ""]
        for view in sentences:
            lines += [*sentence_lines(view), ""]
    return "\n".join(lines) + "\n" if lines else ""


def _parse_line(line: str, number: int, where: str) -> tuple[str, list[str]]:
    fields = line.split(" ")
    if len(fields) != len(COLUMNS):
        raise InputError(
            f"expected {len(COLUMNS)} space-separated columns ({' '.join(COLUMNS)}), got {len(fields)}",
            where=where,
            pointer=f"line {number}",
        )
    token, tags = fields[0], fields[1:]
    for layer, tag in zip(LAYERS, tags, strict=True):
        if tag not in iob2_tags(layer):
            raise InputError(f"unknown tag {tag!r}", where=where, pointer=f"line {number}: {TAG_COLUMNS[layer]}")
    return token, tags


def loads_conll(text: str, where: str = "<conll>") -> list[list[ConllSentence]]:
    """Documents of CoNLL text, each as its sentences; raises `InputError` naming the line."""
    documents: list[list[ConllSentence]] = []
    rows: list[tuple[str, list[str]]] = []

    def close_sentence() -> None:
        if not rows:
            return
        if not documents:
            documents.append([])  # text without a -DOCSTART- line is one document
        tags = {layer: tuple(tags[position] for _, tags in rows) for position, layer in enumerate(LAYERS)}
        documents[-1].append(ConllSentence(tuple(token for token, _ in rows), tags))
        rows.clear()

    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.removesuffix("\r")  # files edited on Windows
        if line == "":
            close_sentence()
            continue
        token, tags = _parse_line(line, number, where)
        if token == DOCSTART:
            close_sentence()
            documents.append([])
            continue
        rows.append((token, tags))
    close_sentence()
    return documents
