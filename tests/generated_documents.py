"""Generated multi-document fixture corpora for behaviour tests, with headers (DCT, source).

Every text is a few short made-up Arabic sentences, marked as a test fixture (not news);
names, places and dates vary with the document's number so documents differ. Each
document is annotated in all four layers, so every command has something to work on.
"""

from __future__ import annotations

from pathlib import Path

from khabar.document import DCT, Argument, Document, Entity, Event, Quote, Span, Speaker, Timex
from khabar.store import save_document

PERSONS = ("سامي نور", "ليلى حسن", "كريم يوسف", "هدى سالم")
CITIES = ("القاهرة", "تونس", "عمّان", "الرباط")
MONTHS = ("يناير", "فبراير", "مارس", "أبريل")
FIXTURE_SOURCE = {"name": "khabar test fixture", "note": "made-up sentences for tests, not news"}
FIXTURE_DCT = DCT("2025-06-01", "test fixture: a fixed made-up date")


def fixture_text(number: int) -> str:
    person, city = PERSONS[number % len(PERSONS)], CITIES[number % len(CITIES)]
    day, month = 1 + number % 27, MONTHS[number % len(MONTHS)]
    return (
        f"نص اختبار مصطنع رقم {number}. "
        f"قال {person} إن الاجتماع في {city} يوم {day} {month} 2025. "
        f"وصل الوفد إلى {city} أمس."
    )


def _span(text: str, part: str, after: int = 0) -> Span:
    start = text.index(part, after)
    return Span(start, start + len(part), part)


def fixture_document(number: int, doc_id: str | None = None) -> Document:
    """Fixture document `number` (its id `doc-<number>` unless given), annotated in every layer."""
    text = fixture_text(number)
    person, city = PERSONS[number % len(PERSONS)], CITIES[number % len(CITIES)]
    day, month = 1 + number % 27, MONTHS[number % len(MONTHS)]
    person_span = _span(text, person)
    city_span = _span(text, city)
    second_city = _span(text, city, city_span.end)
    date = _span(text, f"{day} {month} 2025")
    meeting = _span(text, "الاجتماع")
    arrival = _span(text, "وصل")
    delegation = _span(text, "الوفد")
    content = _span(text, f"الاجتماع في {city} يوم {day} {month} 2025")
    entities = (
        Entity("T1", person_span.start, person_span.end, "PER", person),
        Entity("T2", city_span.start, city_span.end, "GPE", city),
        Entity("T3", second_city.start, second_city.end, "GPE", city),
    )
    month_number = MONTHS.index(month) + 1
    timex = (Timex("X1", date.start, date.end, "DATE", f"2025-{month_number:02d}-{day:02d}", date.text),)
    events = (
        Event("E1", "Contact:Meet", meeting, (Argument("Place", ref="T2"), Argument("Time-Within", ref="X1")), "other"),
        Event(
            "E2",
            "Movement:Transport",
            arrival,
            (Argument("Artifact", span=delegation), Argument("Destination", ref="T3")),
            "actual",
        ),
    )
    quotes = (Quote("Q1", "indirect", content, cue=_span(text, "قال"), speaker=Speaker(ref="T1")),)
    return Document(
        id=doc_id or f"doc-{number:04d}",
        text=text,
        dct=FIXTURE_DCT,
        source=dict(FIXTURE_SOURCE),
        entities=entities,
        timex=timex,
        events=events,
        quotes=quotes,
        metadata={"guidelines_version": "1.1"},
    )


def fixture_documents(count: int, first: int = 1) -> list[Document]:
    return [fixture_document(number) for number in range(first, first + count)]


def write_fixture_corpus(folder: Path, count: int = 3, first: int = 1) -> list[Document]:
    """A corpus folder (documents/ + annotations/) of `count` fixture documents."""
    documents = fixture_documents(count, first)
    for document in documents:
        save_document(document, folder)
    return documents
