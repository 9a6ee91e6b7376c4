"""Hypothesis strategies for random documents: Arabic, Latin and non-BMP text, nested spans.

Shared by every round-trip test: a converter that loses anything on these fails.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from khabar.document import DCT, Argument, Document, Entity, Event, Quote, Span, Speaker, Timex
from khabar.eval.predictions import prediction_record
from khabar.inventories import ENTITY_TYPES, EVENT_ROLES, EVENT_TYPES, LAYERS, QUOTE_KINDS, TIMEX_TYPES

ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى"
DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
TATWEEL = "\u0640"
EASTERN_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PUNCTUATION = '،؛؟.,:!"«»“”/()-'
NON_BMP = "𝐀𝔸😀𐤀𞸀"  # mathematical letters, an emoji, Phoenician, Arabic mathematical alef
LATIN = "abcXYZ0123456789"

text_chars = st.sampled_from(
    ARABIC_LETTERS + DIACRITICS + TATWEEL + EASTERN_DIGITS + PUNCTUATION + NON_BMP + LATIN + "  \n"
)
document_texts = st.text(text_chars, min_size=1, max_size=120)


# Test fixture sentences (made up, not news): short Arabic with diacritics, tatweel,
# Eastern Arabic digits and a non-BMP character, joined into documents of a few sentences.
FIXTURE_SENTENCES = ("ذهب الولدُ إلى المدرسة.", "قـــال المدير: ٢٠٢٥ عامٌ جيد!", "𝔸 نصٌّ قصير؟", "وصل الوفد")


def sentence_document(index: int, parts: list[int]) -> Document:
    """Document `doc-{index:03d}` of the fixture sentences `parts` (indices), space-joined."""
    return Document(id=f"doc-{index:03d}", text=" ".join(FIXTURE_SENTENCES[part] for part in parts))


def sentence_corpora(min_size: int = 1, max_size: int = 6, max_sentences: int = 4) -> st.SearchStrategy:
    """Corpora of `sentence_document`s (an empty text included), without annotations."""
    sentences = st.lists(st.integers(0, len(FIXTURE_SENTENCES) - 1), max_size=max_sentences)
    return st.lists(sentences, min_size=min_size, max_size=max_size).map(
        lambda texts: [sentence_document(index, parts) for index, parts in enumerate(texts)]
    )


@st.composite
def spans_in(draw: st.DrawFn, text: str, max_spans: int = 6) -> list[tuple[int, int]]:
    """Non-crossing spans of `text` (nested or disjoint), as (start, end)."""
    spans: list[tuple[int, int]] = []
    for _ in range(draw(st.integers(0, max_spans))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        crosses = any(s < start < e < end or start < s < end < e for s, e in spans)
        if not crosses and (start, end) not in spans:
            spans.append((start, end))
    return spans


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


@st.composite
def documents(draw: st.DrawFn, doc_id: str | None = None, text: str | None = None) -> Document:
    """A valid random document with all four layers, refs resolved, spans non-crossing (on
    `text` when given, e.g. a prediction for a gold document)."""
    text = text if text is not None else draw(document_texts)
    identifier = doc_id or draw(st.from_regex(r"doc-[0-9]{4}", fullmatch=True))
    entity_spans = draw(spans_in(text))
    entities = tuple(
        Entity(f"T{index}", start, end, draw(st.sampled_from(sorted(ENTITY_TYPES))), text[start:end])
        for index, (start, end) in enumerate(entity_spans)
    )
    timex = tuple(
        Timex(
            f"X{index}",
            start,
            end,
            draw(st.sampled_from(sorted(TIMEX_TYPES))),
            draw(st.sampled_from(["2025-11-24", "XXXX-11", "P10Y", "PAST_REF", "2014"])),
            text[start:end],
            mod=draw(st.sampled_from([None, "MORE_THAN", "APPROX"])),
            anchor=draw(st.sampled_from([None, "DCT"])),
        )
        for index, (start, end) in enumerate(draw(spans_in(text, 3)))
    )
    refs = [entity.id for entity in entities] + [item.id for item in timex]
    events = []
    for index, (start, end) in enumerate(draw(spans_in(text, 3))):
        arguments = []
        for _ in range(draw(st.integers(0, 2))):
            role = draw(st.sampled_from(EVENT_ROLES))
            if refs and draw(st.booleans()):
                arguments.append(Argument(role, ref=draw(st.sampled_from(refs))))
            else:
                a_start = draw(st.integers(0, len(text) - 1))
                a_end = draw(st.integers(a_start + 1, len(text)))
                arguments.append(Argument(role, span=_span(text, a_start, a_end)))
        events.append(
            Event(
                f"E{index}",
                draw(st.sampled_from(sorted(EVENT_TYPES))),
                _span(text, start, end),
                tuple(arguments),
                realis=draw(st.sampled_from([None, "actual", "other"])),
            )
        )
    quotes = []
    for index, (start, end) in enumerate(draw(spans_in(text, 2))):
        speaker = None
        if entities and draw(st.booleans()):
            speaker = Speaker(ref=draw(st.sampled_from([entity.id for entity in entities])))
        elif draw(st.booleans()):
            s_start = draw(st.integers(0, len(text) - 1))
            speaker = Speaker(span=_span(text, s_start, draw(st.integers(s_start + 1, len(text)))))
        cue = None
        if draw(st.booleans()):
            c_start = draw(st.integers(0, len(text) - 1))
            cue = _span(text, c_start, draw(st.integers(c_start + 1, len(text))))
        quotes.append(
            Quote(f"Q{index}", draw(st.sampled_from(sorted(QUOTE_KINDS))), _span(text, start, end), cue, speaker)
        )
    return Document(
        id=identifier,
        text=text,
        dct=DCT("2025-12-01", "test"),
        source={"origin": "hypothesis"},
        entities=entities,
        timex=timex,
        events=tuple(events),
        quotes=tuple(quotes),
    )


def prediction_items(record: dict[str, Any]) -> list[dict[str, Any]]:
    layers = [record.get(layer) for layer in LAYERS]
    return [item for items in layers if isinstance(items, list) for item in items if isinstance(item, dict)]


@st.composite
def prediction_records(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A valid document as a prediction line (and its text): ids, span texts and the header kept or
    dropped, scores added."""
    document = draw(documents())
    record = copy.deepcopy(prediction_record(document))
    if draw(st.booleans()):
        record = {key: value for key, value in record.items() if key in ("id", *LAYERS)}
    drop_ids = draw(st.booleans()) and not any(
        "ref" in part or item.get("anchor") not in (None, "DCT")
        for item in prediction_items(record)
        for part in [item, *item.get("arguments", []), item.get("speaker") or {}]
    )
    for item in prediction_items(record):
        if drop_ids:
            item.pop("id", None)
        if draw(st.booleans()):
            item["score"] = draw(st.sampled_from([0, 0.5, 1]))
        for part in (item, item.get("trigger"), item.get("content")):
            if isinstance(part, dict) and "start" in part and draw(st.booleans()):
                part.pop("text", None)
    return record, document.text


def value_paths(value: Any, path: tuple = ()) -> list[tuple]:
    """Every path to a value inside a JSON `value` (the root included), for damaging it."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += value_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += value_paths(item, (*path, index))
    return found
