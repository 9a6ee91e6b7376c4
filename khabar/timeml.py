"""TimeML TIMEX3 value syntax (ISO 8601 with TimeML's extensions).

Covers what TimeML 1.2.1 and the TimeBank / TempEval-3 corpora use: dates with `X`
placeholders (`XXXX-11-24`), weeks, quarters, halves, seasons, decades (`201`) and
centuries (`20`), times and parts of day, durations (`P10Y`, `PT2H`, `PXY`) and the
reference values `PAST_REF`, `PRESENT_REF`, `FUTURE_REF`.
"""

from __future__ import annotations

import re

_D = "[0-9X]"
_DATE = (
    rf"{_D}{{2}}(?:{_D}(?:{_D}"
    r"(?:-(?:(?:0[1-9]|1[0-2]|XX)(?:-(?:0[1-9]|[12][0-9]|3[01]|XX))?"
    r"|W(?:0[1-9]|[1-4][0-9]|5[0-3]|XX)(?:-(?:[1-7]|WE))?"
    r"|Q[1-4X]|H[12X]|SP|SU|FA|WI))?)?)?"
)
_CLOCK = r"T(?:(?:[01][0-9]|2[0-4]|XX)(?::(?:[0-5][0-9]|XX)(?::(?:[0-5][0-9]|60|XX))?)?|MO|AF|EV|NI|DT)"
_AMOUNT = r"(?:[0-9]+(?:\.[0-9]+)?|X+)"
_DURATION = rf"P(?:(?:{_AMOUNT}(?:Y|M|W|D|DE|CE|ML|E|C|L))+(?:T(?:{_AMOUNT}[HMS])+)?|T(?:{_AMOUNT}[HMS])+)"
_REFERENCE = r"PAST_REF|PRESENT_REF|FUTURE_REF"

TIMEML_VALUE = re.compile(rf"(?:{_DATE}(?:{_CLOCK})?|{_CLOCK}|{_DURATION}|{_REFERENCE})")


def is_timeml_value(value: str) -> bool:
    """True when `value` is a well-formed TIMEX3 `value` attribute."""
    return TIMEML_VALUE.fullmatch(value) is not None
