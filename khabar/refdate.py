"""The reference date: the day a tool that needs one resolves relative expressions against.

Tools such as HeidelTime (`-dct YYYY-MM-DD`) and dateparser (`RELATIVE_BASE`) need a
calendar day; a document's DCT may be coarser (the seed's is `2025-12`: the text supports
no more). The rule, stated once here and recorded in each such system's signature
(`reference_date`):

- the DCT when it names a day (`2025-12-03`, or a time on that day) → that day;
- a DCT of a month (`2025-12`) → the first day of that month; of a year (`2025`) → 1 January;
  the first day of the DCT's period is the earliest day the document can have been
  written, so "last November" and "11 November" resolve as they would at any day of it;
- no DCT, or one with no calendar year (`XXXX-12`) → `FALLBACK` (1 January 1900): never the
  machine's clock, so the output is the same on every machine and day, and relative
  expressions in such a document visibly resolve to the wrong century instead of to today.

Nothing in khabar reads the clock to predict (a test runs every baseline under two frozen
clocks and compares).
"""

from __future__ import annotations

import datetime as dt
import re

FALLBACK = dt.date(1900, 1, 1)
# No "|" in the rule: it is a value inside a signature, whose fields "|" separates.
RULE = "dct-day,else-first-day-of-dct-period,else-1900-01-01"
_DCT = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>0[1-9]|1[0-2])(?:-(?P<day>0[1-9]|[12][0-9]|3[01]))?)?")


def reference_date(dct: str | None) -> dt.date:
    """The reference day of a document with DCT `dct` (see the module docstring)."""
    match = _DCT.match(dct or "")
    if match is None:
        return FALLBACK
    year, month, day = int(match["year"]), int(match["month"] or 1), int(match["day"] or 1)
    try:
        return dt.date(year, month, day)
    except ValueError:  # 2025-02-30: the first day of its month
        return dt.date(year, month, 1)


def describe(dct: str | None) -> str:
    """`2025-12-01 (from DCT 2025-12)` — for signatures and notes."""
    return f"{reference_date(dct).isoformat()} (from DCT {dct or 'none'})"
