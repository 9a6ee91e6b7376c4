"""Small hand-made documents for the eval tests: spans are found by their text."""

from __future__ import annotations

from khabar.document import Argument, Document, Entity, Event, Quote, Span, Speaker, Timex
from khabar.eval.results import CountTable

TEXT = (
    "قال الرئيس محمد بن سلمان في الرياض يوم ٢٤ نوفمبر إن الهجوم على القاعدة استمر عشر سنوات.\n"
    "وأضاف: «سنواصل العمل» وأكد الوزير أن اعتقال المشتبه به تمّ أمس."
)


def at(text: str, fragment: str, occurrence: int = 0) -> tuple[int, int]:
    """(start, end) of the `occurrence`-th appearance of `fragment` in `text`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(fragment, start + 1)
    return start, start + len(fragment)


def span(text: str, fragment: str, occurrence: int = 0) -> Span:
    start, end = at(text, fragment, occurrence)
    return Span(start, end, fragment)


def entity(text: str, identifier: str, fragment: str, label: str, occurrence: int = 0) -> Entity:
    start, end = at(text, fragment, occurrence)
    return Entity(identifier, start, end, label, fragment)


def timex(text: str, identifier: str, fragment: str, label: str, value: str) -> Timex:
    start, end = at(text, fragment)
    return Timex(identifier, start, end, label, value, fragment)


def document(text: str = TEXT, doc_id: str = "doc-0001", **layers) -> Document:
    return Document(id=doc_id, text=text, **layers)


__all__ = ["TEXT", "Argument", "Document", "Event", "Quote", "Speaker", "at", "document", "entity", "span", "timex"]


def assert_same_tables(got: dict[str, CountTable] | None, expected: dict[str, CountTable]) -> None:
    """`got` are the count tables `expected`: the same metrics in the same order, labels, counts
    (exactly), kind, description and settings."""
    assert got is not None
    assert list(got) == list(expected)
    for metric, table in expected.items():
        assert got[metric].labels == table.labels, metric
        assert got[metric].counts.tolist() == table.counts.tolist(), metric
        assert (got[metric].kind, got[metric].description, got[metric].settings) == (
            table.kind,
            table.description,
            table.settings,
        )
