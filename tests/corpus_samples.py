"""Small annotated documents for build and export tests (not the gold: made for testing).

Spans are found by searching the text, so their offsets are exact by construction.
"""

from __future__ import annotations

from pathlib import Path

from khabar.document import DCT, Argument, Document, Entity, Event, Quote, Speaker, Timex
from tests.eval_helpers import at as _find
from tests.eval_helpers import span as _span

REPO = Path(__file__).resolve().parent.parent
SEED_TEXT = (REPO / "corpus" / "documents" / "doc-0001.txt").read_bytes().decode("utf-8")


def seed_sample() -> Document:
    """The seed text with a few spans in every layer, a nested entity among them."""
    text = SEED_TEXT

    def entity(identifier: str, needle: str, label: str, occurrence: int = 0) -> Entity:
        start, end = _find(text, needle, occurrence)
        return Entity(identifier, start, end, label, needle)

    entities = (
        entity("T1", "دمشق", "GPE"),
        entity("T2", "التحالف الدولي", "ORG"),
        entity("T3", "القيادة المركزية الأميركية", "ORG"),
        entity("T4", "الأميركية", "NORP"),  # nested inside T3
        entity("T5", "سنتكوم", "ORG", 1),
        entity("T6", "وزارة الداخلية السورية", "ORG"),
    )
    date_start, date_end = _find(text, "27 نوفمبر")
    timex = (Timex("X1", date_start, date_end, "DATE", "2025-11-27", text[date_start:date_end], anchor="DCT"),)
    events = (
        Event(
            "E1",
            "Conflict:Attack",
            _span(text, "عملية", 2),
            (
                Argument("Attacker", ref="T3"),
                Argument("Time-Within", ref="X1"),
                Argument("Target", span=_span(text, "داعش", 1)),
            ),
            realis="actual",
        ),
    )
    quotes = (
        Quote(
            "Q1",
            "indirect",
            _span(text, "أن العملية المشتركة استهدفت أكثر من 15 مستودع أسلحة", 1),
            cue=_span(text, "وأشارت"),
            speaker=Speaker(ref="T5"),
        ),
    )
    return Document(
        id="doc-0001",
        text=text,
        dct=DCT("2025-12", "test sample"),
        source={"origin": "seed article"},
        entities=entities,
        timex=timex,
        events=events,
        quotes=quotes,
    )


def mixed_script_sample() -> Document:
    """A short document with Latin, non-BMP, diacritics, tatweel and Eastern digits."""
    text = "قالَ 𝔸حمـد: «سنعود» في ١١ نوفمبر.\nزار Paris 😀 يوم ٢٠٢٥."
    speaker_start, speaker_end = _find(text, "𝔸حمـد")
    paris_start, paris_end = _find(text, "Paris")
    year_start, year_end = _find(text, "٢٠٢٥")
    return Document(
        id="doc-0002",
        text=text,
        dct=None,
        source={"origin": "test"},
        entities=(
            Entity("T1", speaker_start, speaker_end, "PER", text[speaker_start:speaker_end]),
            Entity("T2", paris_start, paris_end, "GPE", "Paris"),
        ),
        timex=(Timex("X1", year_start, year_end, "DATE", "2025", "٢٠٢٥"),),
        events=(Event("E1", "Movement:Transport", _span(text, "زار"), (Argument("Destination", ref="T2"),)),),
        quotes=(Quote("Q1", "direct", _span(text, "«سنعود»"), speaker=Speaker(ref="T1")),),
        metadata={"annotators": ["test"]},
    )


def collision_sample() -> Document:
    """Two entities inside one token (`دمشقوبغداد` is one token): a collision."""
    text = "زار دمشقوبغداد أمس."
    start, _ = _find(text, "دمشقوبغداد")
    return Document(
        id="doc-0003",
        text=text,
        entities=(
            Entity("T1", start, start + 4, "GPE", text[start : start + 4]),
            Entity("T2", start + 5, start + 10, "GPE", text[start + 5 : start + 10]),
        ),
    )
