"""The `dateparser` baseline: an outside date extractor scored on the timex layer.

`dateparser.search.search_dates` (languages `ar`, relative base = the DCT) returns
`(substring, datetime)` pairs. Each substring is located in the text left to right (so
repeated strings map to successive occurrences) and trimmed of surrounding spaces and
punctuation, nothing else: its extent stays dateparser's own (it may include a
preposition such as `في`). The value has the granularity dateparser reports when the
substring is parsed alone (`DateDataParser.get_date_data(...).period`): day → `YYYY-MM-DD`,
week → `YYYY-Www`, month → `YYYY-MM`, year → `YYYY`, time → `YYYY-MM-DDTHH:MM` (TIME).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import replace
from importlib.metadata import version
from typing import Any

from khabar import __version__
from khabar.baselines.protocol import blank_prediction
from khabar.document import Document, Timex

TRIM = " \t\n،,.;:!؟?()«»\"'"


def _settings(dct: str | None) -> dict[str, Any]:
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
    if dct:
        # A DCT coarser than a day (`2025-12`) leaves dateparser's own base: today.
        with contextlib.suppress(ValueError):
            settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(dct[:10])
    return settings


def _value(moment: dt.datetime, period: str | None) -> tuple[str, str]:
    if period == "time":
        return "TIME", moment.strftime("%Y-%m-%dT%H:%M")
    if period == "year":
        return "DATE", f"{moment.year:04d}"
    if period == "month":
        return "DATE", f"{moment.year:04d}-{moment.month:02d}"
    if period == "week":
        year, week, _ = moment.isocalendar()
        return "DATE", f"{year:04d}-W{week:02d}"
    return "DATE", moment.date().isoformat()


def find_dates(text: str, dct: str | None) -> list[tuple[int, int, str, str]]:
    """(start, end, type, value) of every date dateparser finds in `text`."""
    # Deferred for start-up time: dateparser compiles its language data on import.
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    settings = _settings(dct)
    results = search_dates(text, languages=["ar"], settings=settings) or []
    parser = DateDataParser(languages=["ar"], settings=settings)
    found = []
    cursor = 0
    for substring, moment in results:
        position = text.find(substring, cursor)
        if position < 0:
            continue
        cursor = position + len(substring)
        stripped = substring.strip(TRIM)
        if not stripped:
            continue
        start = position + substring.index(stripped)
        end = start + len(stripped)
        data = parser.get_date_data(substring)
        moment = data.date_obj or moment
        timex_type, value = _value(moment, data.period)
        found.append((start, end, timex_type, value))
    return found


class DateparserTagger:
    """dateparser's `search_dates` for Arabic, as a timex extractor and normalizer."""

    name = "dateparser"
    layers: tuple[str, ...] = ("timex",)
    deterministic = True  # same input and seed → same output: re-scoring has no run-to-run noise

    def predict(self, documents: list[Document]) -> list[Document]:
        predictions = []
        for document in documents:
            dct = document.dct.value if document.dct else None
            timex = [
                Timex(f"t{n}", start, end, timex_type, value, document.text[start:end])
                for n, (start, end, timex_type, value) in enumerate(find_dates(document.text, dct), 1)
            ]
            predictions.append(replace(blank_prediction(document), timex=tuple(timex)))
        return predictions

    def signature(self) -> dict[str, Any]:
        return {"system": self.name, "khabar": __version__, "dateparser": version("dateparser"), "languages": "ar"}
