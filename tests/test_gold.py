"""Properties of the gold annotation of doc-0001 that the guidelines promise.

Not a re-implementation of `khabar validate` (schema, offsets, references): these are the
annotation conventions of guidelines/ — word-aligned spans with proclitics outside (GEN-2,
GEN-4), quotation marks outside names (GEN-5), direct quotes exactly between marks (QUO-5),
nesting without crossing (ENT-8), anchors and extension types defined, and every type the
gold uses defined with a corpus example in its guideline's type table.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from khabar.document import Document, Span
from khabar.inventories import ENTITY_TYPES, EVENT_EXTENSIONS, EVENT_ROLES, EVENT_TYPES, TIMEX_MODS, TIMEX_TYPES
from khabar.store import dumps_annotation
from khabar.views import token_view

PROCLITICS = re.compile(r"[وفبلكس]+ـ?")
CITATION = re.compile(r"`([^`]+)` \[(\d+), (\d+)\)")
QUOTATION_MARKS = frozenset('"«»“”')
# A backticked Arabic example (the guidelines' examples are constructed, never cited).
ARABIC_EXAMPLE = re.compile(r"`[^`]*[\u0600-\u06FF][^`]*`")


@pytest.fixture(scope="module")
def gold(corpus_dir: Path) -> Document:
    text = (corpus_dir / "documents" / "doc-0001.txt").read_text(encoding="utf-8")
    data = json.loads((corpus_dir / "annotations" / "doc-0001.json").read_text(encoding="utf-8"))
    return Document.from_json(data, text)


def is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def alignment_problem(text: str, start: int, end: int) -> str | None:
    """Why `[start, end)` is not word-aligned (GEN-2/GEN-4), or None when it is."""
    if start >= end:
        return "empty"
    if text[start].isspace() or text[end - 1].isspace():
        return "whitespace at an edge"
    if end < len(text) and is_word_char(text[end]) and is_word_char(text[end - 1]):
        return "ends inside a word"
    word_start = start
    while word_start > 0 and is_word_char(text[word_start - 1]):
        word_start -= 1
    prefix = text[word_start:start]
    if prefix and not PROCLITICS.fullmatch(prefix):
        return f"starts inside a word after {prefix!r}"
    if prefix.endswith("لل"):
        # GEN-4: the second ل of لل is the article's and belongs to the span.
        return "leaves the article's lam outside"
    return None


def all_spans(document: Document) -> list[tuple[str, Span]]:
    spans: list[tuple[str, Span]] = []
    spans += [(e.id, Span(e.start, e.end, e.text)) for e in document.entities]
    spans += [(t.id, Span(t.start, t.end, t.text)) for t in document.timex]
    for event in document.events:
        spans.append((f"{event.id}.trigger", event.trigger))
        spans += [(f"{event.id}.{a.role}", a.span) for a in event.arguments if a.span is not None]
    for quote in document.quotes:
        spans.append((f"{quote.id}.content", quote.content))
        if quote.cue is not None:
            spans.append((f"{quote.id}.cue", quote.cue))
        if quote.speaker is not None and quote.speaker.span is not None:
            spans.append((f"{quote.id}.speaker", quote.speaker.span))
    return spans


def test_alignment_check_accepts_proclitics_and_rejects_word_pieces() -> None:
    text = 'وقال للغرب بـ"التطرف" الإسلامية'
    assert alignment_problem(text, text.index("قال"), text.index("قال") + 3) is None
    assert alignment_problem(text, text.index("لغرب"), text.index("لغرب") + 4) is None
    assert alignment_problem(text, text.index("الإسلام"), text.index("الإسلام") + 7) == "ends inside a word"
    assert alignment_problem(text, text.index("غرب"), text.index("غرب") + 3) == "leaves the article's lam outside"


def test_file_is_canonical_and_matches_the_text(gold: Document, corpus_dir: Path) -> None:
    stored = (corpus_dir / "annotations" / "doc-0001.json").read_text(encoding="utf-8")
    assert dumps_annotation(gold) == stored
    assert gold.id == "doc-0001"
    assert gold.to_json()["text_sha256"] == json.loads(stored)["text_sha256"]


def test_metadata(gold: Document, repo: Path) -> None:
    readme = (repo / "guidelines" / "README.md").read_text(encoding="utf-8")
    version = re.search(r"Guidelines version (\d+\.\d+)", readme)
    assert version is not None
    assert gold.metadata["guidelines_version"] == version[1]
    assert gold.metadata["annotators"]
    assert gold.dct is not None and gold.dct.value == "2025-12"
    assert "TMX-2" in gold.dct.provenance
    assert {"origin", "outlet", "text"} <= set(gold.source)


def test_every_span_slices_back_and_is_word_aligned(gold: Document) -> None:
    spans = all_spans(gold)
    assert spans
    assert [where for where, span in spans if gold.text[span.start : span.end] != span.text] == []
    problems = [(where, span.text, alignment_problem(gold.text, span.start, span.end)) for where, span in spans]
    assert [problem for problem in problems if problem[2] is not None] == []


def test_names_times_triggers_and_cues_exclude_quotation_marks(gold: Document) -> None:
    spans = [(e.id, e.text) for e in gold.entities] + [(t.id, t.text) for t in gold.timex]
    spans += [(e.id, e.trigger.text) for e in gold.events]
    spans += [(q.id, q.cue.text) for q in gold.quotes if q.cue is not None]
    assert [(where, text) for where, text in spans if QUOTATION_MARKS & set(text)] == []


def test_ids_run_in_text_order(gold: Document) -> None:
    for prefix, items in (("T", gold.entities), ("X", gold.timex)):
        assert [item.id for item in items] == [f"{prefix}{n}" for n in range(1, len(items) + 1)]
        assert [(item.start, -item.end) for item in items] == sorted((item.start, -item.end) for item in items)
    assert [e.id for e in gold.events] == [f"E{n}" for n in range(1, len(gold.events) + 1)]
    assert [q.id for q in gold.quotes] == [f"Q{n}" for n in range(1, len(gold.quotes) + 1)]


def test_labels_are_in_the_inventories(gold: Document) -> None:
    assert {e.type for e in gold.entities} <= set(ENTITY_TYPES)
    assert {t.type for t in gold.timex} <= set(TIMEX_TYPES)
    assert {t.mod for t in gold.timex if t.mod} <= set(TIMEX_MODS)
    assert {e.type for e in gold.events} <= set(EVENT_TYPES)
    assert {a.role for e in gold.events for a in e.arguments} <= set(EVENT_ROLES)


def test_entities_nest_but_never_cross(gold: Document) -> None:
    crossing = [(a.id, b.id) for a in gold.entities for b in gold.entities if a.start < b.start < a.end < b.end]
    assert crossing == []
    nested = [
        (a.id, b.id)
        for a in gold.entities
        for b in gold.entities
        if a is not b and a.start <= b.start and b.end <= a.end
    ]
    assert len(nested) >= 10  # CENTCOM x2, the ministry, the embassy, HTS x2, the Syrian president (ENT-8)


def test_references_point_to_the_right_layer(gold: Document) -> None:
    entity_ids = {e.id for e in gold.entities}
    timex_ids = {t.id for t in gold.timex}
    for event in gold.events:
        for argument in event.arguments:
            assert (argument.ref is None) != (argument.span is None), (event.id, argument)
            if argument.ref is not None:
                expected = timex_ids if argument.role.startswith("Time-") else entity_ids
                assert argument.ref in expected, (event.id, argument)
    for quote in gold.quotes:
        if quote.speaker is not None:
            assert quote.speaker.ref in entity_ids
    assert {t.anchor for t in gold.timex if t.anchor} <= timex_ids | {"DCT"}


def test_anchored_timex_precede_or_share_the_sentence(gold: Document) -> None:
    by_id = {t.id: t for t in gold.timex}
    for timex in gold.timex:
        if timex.anchor and timex.anchor != "DCT":
            anchor = by_id[timex.anchor]
            # A range's first endpoint borrows its month from the second (TMX-6); all
            # other anchors refer back (TMX-9).
            assert anchor.start < timex.start or gold.text[timex.end : anchor.start].strip().startswith("و")


def test_direct_quotes_sit_exactly_between_quotation_marks(gold: Document) -> None:
    direct = [q for q in gold.quotes if q.kind == "direct"]
    assert direct
    for quote in direct:
        assert gold.text[quote.content.start - 1] in QUOTATION_MARKS
        assert gold.text[quote.content.end] in QUOTATION_MARKS
        assert QUOTATION_MARKS.isdisjoint(quote.content.text)


def test_indirect_contents_exclude_sentence_final_stop(gold: Document) -> None:
    for quote in gold.quotes:
        assert not quote.content.text.endswith((".", "،")), quote.id


def test_flat_token_view_has_no_collisions(gold: Document) -> None:
    _, collisions = token_view(gold)
    assert collisions == []


def test_every_extension_type_is_used_and_every_used_type_has_an_example(gold: Document, repo: Path) -> None:
    assert set(EVENT_EXTENSIONS) <= {e.type for e in gold.events}
    guidelines = {
        "entities.md": {e.type for e in gold.entities},
        "timex.md": {t.type for t in gold.timex},
        "events.md": {e.type for e in gold.events},
        "quotes.md": {q.kind for q in gold.quotes},
    }
    for name, used in guidelines.items():
        markdown = (repo / "guidelines" / name).read_text(encoding="utf-8")
        for label in used:
            row = re.search(rf"^\| {re.escape(label)}(?: \(extension\))? \|(.*)$", markdown, re.MULTILINE)
            assert row is not None, (name, label)
            assert ARABIC_EXAMPLE.search(row[1]), (name, label)


def test_adjudication_citations_of_gold_spans_agree_with_the_gold(gold: Document, repo: Path) -> None:
    """A span cited in the adjudication record that the gold annotates is annotated at
    exactly those offsets: each cited entity-like span is found among the gold spans by extent."""
    markdown = (repo / "guidelines" / "adjudication" / f"{gold.id}.md").read_text(encoding="utf-8")
    gold_extents = {(span.start, span.end) for _, span in all_spans(gold)}
    cited = {(int(m[2]), int(m[3])) for m in CITATION.finditer(markdown)}
    assert len(cited & gold_extents) >= 60


def test_guidelines_and_gold_agree_on_proclitic_boundaries(gold: Document, repo: Path) -> None:
    """No gold span differs from a span cited in the guidelines only by leading
    proclitics: where the guidelines say a span starts after و/ل/ب (GEN-2, GEN-4), so
    does the gold. Only the adjudication record and the agreement report cite offsets."""
    cited = {
        (int(m[2]), int(m[3]))
        for path in sorted((repo / "guidelines").glob("**/*.md"))
        for m in CITATION.finditer(path.read_text(encoding="utf-8"))
    }
    disagreements = [
        (where, span.text, gold.text[start:end])
        for where, span in all_spans(gold)
        for start, end in cited
        if end == span.end
        and start != span.start
        and PROCLITICS.fullmatch(gold.text[min(start, span.start) : max(start, span.start)])
    ]
    assert disagreements == []
