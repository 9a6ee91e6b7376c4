"""Rule-based TIMEX3 tagger and normalizer for Arabic news.

Patterns run over the matching key of the whole text (diacritics and tatweel dropped,
alef/ya/ta marbuta folded; see `khabar.baselines.arabic`), whose characters keep their
raw offsets, so spans are exact in the original text.

- Gregorian months in both series (CLDR through Babel: يناير… for ar/ar_EG, كانون الثاني…
  for ar_SY/ar_IQ/ar_LB/ar_JO, جانفي… and نونبر… for the Maghreb), alone or in the dual
  form `نوفمبر/تشرين الثاني` or `نوفمبر (تشرين الثاني)`; Hijri months (`resources/hijri_months.tsv`),
  converted with the arithmetic (tabular) Islamic calendar (can differ by a day or two
  from the Umm al-Qura calendar or a sighting).
- Dates `24 نوفمبر 2025`, day ranges `24 و27 نوفمبر`/`24-27 نوفمبر` (one DATE per day, as
  TimeML annotates each date), month and year, `عام 2025`, Western and Eastern digits.
- Relative expressions resolved against the DCT (anchor `DCT`): `الشهر الماضي`،
  `العام المقبل`، `أمس`، `اليوم`، weekdays, `نوفمبر الماضي`، `قبل 3 أيام`; vague ones get
  `PAST_REF`/`PRESENT_REF`/`FUTURE_REF` (`قبل أسابيع`، `حاليا`).
- A month or day without a year takes the year that puts it nearest the DCT (`الماضي`: the
  latest one before the DCT; `المقبل`: the first one after).
- Durations `10 سنوات` → P10Y, `عامين` → P2Y, `ثلاثة أشهر` → P3M, with mods from the
  words before them (`أكثر من` MORE_THAN, `أقل من` LESS_THAN, `نحو` APPROX …), which the
  extent includes, as in TimeML; sets `كل عام`/`سنويا` → P1Y; times `الساعة 10 صباحا`.
- Parts of a period `مطلع/منتصف/أواخر` + month or year: the period's value with mod
  START/MID/END.

The rules are data: `RULES` lists each kind of expression with its pattern (a template
over the named fragments of `_fragments`, built from the word lists above) and its
resolver; their order is the rank that breaks ties between matches of the same extent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from babel import Locale

from khabar.baselines.arabic import _IGNORED, KeyMap, key
from khabar.baselines.resources import read_list
from khabar.document import Timex

GREGORIAN_LOCALES = ("ar", "ar_SY", "ar_MA", "ar_DZ")
# Most patterns start at a word boundary (the text start, a space, a bracket or an opening
# quote), then allow proclitics; `_gate` relies on this shared start.
BOUNDARY = r"(?:(?<=[\s(«\"“])|^)"
PROCLITICS = r"(?:[وفبل]|وب|ول|لل(?=ا))?"
CLITIC = BOUNDARY + PROCLITICS
# Matches every proclitic sequence above (and a few more): the gate may over-accept.
LOOSE_PROCLITICS = r"[وفبل]{0,2}"
END = r"(?![^\W\d_])"
DIGITS = r"\d"

RELATIVE_WORDS = {
    "الماضي": -1,
    "الماضيه": -1,
    "المنصرم": -1,
    "المنصرمه": -1,
    "السابق": -1,
    "الفائت": -1,
    "المقبل": 1,
    "المقبله": 1,
    "القادم": 1,
    "القادمه": 1,
    "الجاري": 0,
    "الحالي": 0,
    "الحاليه": 0,
}
PERIOD_PARTS = {
    "مطلع": "START",
    "بدايه": "START",
    "اوائل": "START",
    "منتصف": "MID",
    "اواسط": "MID",
    "اواخر": "END",
    "نهايه": "END",
    "اخر": "END",
}
MODS = {
    "اكثر من": "MORE_THAN",
    "ما يزيد عن": "MORE_THAN",
    "ما يزيد على": "MORE_THAN",
    "اطول من": "MORE_THAN",
    "اقل من": "LESS_THAN",
    "نحو": "APPROX",
    "حوالي": "APPROX",
    "قرابه": "APPROX",
    "زهاء": "APPROX",
    "ما يقارب": "APPROX",
}
WEEKDAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}
DAY_WORDS = {"امس": -1, "البارحه": -1, "اول امس": -2, "اليوم": 0, "غدا": 1, "بعد غد": 2}
PRESENT_WORDS = {"الان", "حاليا", "راهنا"}
PERIOD_NOUNS = {"الاسبوع": "W", "الشهر": "M", "العام": "Y", "السنه": "Y"}
SET_ADVERBS = {"يوميا": "P1D", "اسبوعيا": "P1W", "شهريا": "P1M", "سنويا": "P1Y"}
DAY_PARTS = {"صباحا": 0, "فجرا": 0, "ظهرا": 12, "عصرا": 12, "مساء": 12, "ليلا": 12}


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    type: str
    value: str
    mod: str | None = None
    anchored: bool = False


def _alternation(words) -> str:
    """A regex matching any of `words`, the longest first, written as a prefix tree.

    Equivalent to `longest|…|shortest` (two words both match at a position only when one is
    a prefix of the other, and the tree tries the longer continuation first, then stops),
    but the engine tests one branch per distinct next letter instead of every word, which
    matters at each of the hundreds of thousands of word starts of a long text.
    """
    tree: dict = {}
    for word in set(words):
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[_WORD_END] = {}
    return _tree_regex(tree)


_WORD_END = ""


def _tree_regex(node: dict) -> str:
    branches = [re.escape(char) + _tree_regex(child) for char, child in node.items() if char != _WORD_END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if _WORD_END in node else body


@cache
def month_numbers() -> dict[str, int]:
    """Month-name keys of both Gregorian series (CLDR) → month number."""
    months: dict[str, int] = {}
    for locale_name in GREGORIAN_LOCALES:
        wide = Locale.parse(locale_name).months["format"]["wide"]
        for number in range(1, 13):
            months[key(wide[number])] = number
    return months


@cache
def hijri_numbers() -> dict[str, int]:
    return {key(row[0]): int(row[1]) for row in read_list("hijri_months.tsv").rows}


@cache
def time_units() -> dict[str, tuple[str, int | None]]:
    units: dict[str, tuple[str, int | None]] = {}
    for row in read_list("time_units.tsv").rows:
        count = int(row[2]) if len(row) > 2 and row[2] else None
        units[key(row[0])] = (row[1], count)
    return units


@cache
def number_words() -> dict[str, int]:
    return {key(row[0]): int(row[1]) for row in read_list("number_words.tsv").rows}


Resolved = tuple[str, str, str | None, bool]  # (type, value, mod, anchored on the DCT)


@dataclass(frozen=True)
class Rule:
    """One kind of temporal expression: its pattern over the matching key, and how a match
    becomes a timex (`resolve`: `Resolved`, or None when the match is not one).

    `pattern` is a template: `{name}` takes the fragment of that name (`_fragments`), and a
    literal brace is doubled (`\\d{{4}}`). The order of `RULES` is the rank that breaks ties
    between matches of the same extent."""

    kind: str
    pattern: str
    resolve: Callable[[re.Match[str], dt.date | None], Resolved | None]


def _fragments() -> dict[str, str]:
    """The named pieces the rule patterns are built from (alternations of the word lists)."""
    month = f"(?:{_alternation(month_numbers())})"
    units = time_units()
    numbers = f"(?:{_alternation(number_words())})"
    return {
        "clitic": CLITIC,
        "end": END,
        "digits": DIGITS,
        "month": month,
        "hijri": f"(?:{_alternation(hijri_numbers())})",
        # The second month name; a closing parenthesis is taken with the space before it, never a
        # bare trailing space (so the span ends on a letter and a year after it still attaches).
        "dual": rf"(?:\s*(?:/|\(|-)\s*{month}(?:\s*\))?)?",
        "relative": f"(?:{_alternation(RELATIVE_WORDS)})",
        "part": f"(?:{_alternation(PERIOD_PARTS)})",
        "mod": f"(?:{_alternation(MODS)})",
        "counted": f"(?:{_alternation(u for u, (_, c) in units.items() if c is None or c == 1)})",
        "dual_units": f"(?:{_alternation(u for u, (_, c) in units.items() if c == 2)})",
        "weekday": f"(?:{_alternation(WEEKDAYS)})",
        "amount": rf"(?:{DIGITS}+|{numbers})",
        "year": rf"(?P<year>{DIGITS}{{4}})",
        "hijri_suffix": r"(?:\s*ه(?:ـ)?(?=[\s.,،)]|$))?",
        "day": rf"{DIGITS}{{1,2}}",
        "period_noun": _alternation(PERIOD_NOUNS),
        "set_adverb": _alternation(SET_ADVERBS),
        "day_part": _alternation(DAY_PARTS),
        "day_word": _alternation(DAY_WORDS),
        "present_word": _alternation(PRESENT_WORDS),
    }


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """(kind, compiled pattern) of every rule, in rank order."""
    fragments = _fragments()
    return [(rule.kind, re.compile(rule.pattern.format(**fragments))) for rule in RULES]


def _is_gated(pattern: re.Pattern[str]) -> bool:
    return pattern.pattern.startswith(CLITIC)


@cache
def _gate() -> re.Pattern[str]:
    """Matches (empty) at each position where at least one clitic-led pattern matches, and
    maybe at a few more (looser proclitics, which are cheaper to try).

    Scanning a long text costs each pattern a try at every position; one scan for all of
    them, then a try of each pattern at the few positions found, gives the same matches
    (see `_matches_at`) in less than half the time. Group names are dropped: they repeat
    across patterns, and the gate only tells where.
    """
    bodies = [pattern.pattern[len(CLITIC) :] for _, pattern in _patterns() if _is_gated(pattern)]
    unnamed = [re.sub(r"\(\?P<\w+>", "(?:", body) for body in bodies]
    return re.compile(BOUNDARY + "(?=" + LOOSE_PROCLITICS + "(?:" + "|".join(f"(?:{body})" for body in unnamed) + "))")


def _matches_at(pattern: re.Pattern[str], text: str, positions: list[int]) -> list[re.Match[str]]:
    """`pattern.finditer(text)`, trying `pattern` only at `positions` (ascending), which must
    include every position where it matches (others are tried and fail).

    finditer takes the first position at or after the previous match's end where the pattern
    matches, and the match found there; `pattern.match(text, position)` finds the same one
    (lookbehinds see the text before `position`, and `^` matches only at 0, as in a search).
    No pattern here matches the empty string, so the next search starts at the match's end.
    """
    matches: list[re.Match[str]] = []
    resume = 0
    match_at = pattern.match
    for position in positions:
        if position < resume:
            continue
        match = match_at(text, position)
        if match is not None:
            matches.append(match)
            resume = match.end()
    return matches


# ---------- resolution against the DCT ----------


def parse_dct(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _nearest_year(month: int, day: int, dct: dt.date | None, direction: int | None) -> int | None:
    """The year that puts month/day nearest the DCT (direction -1: latest before, +1: first after)."""
    if dct is None:
        return None
    candidates = []
    for year in (dct.year - 1, dct.year, dct.year + 1):
        try:
            candidates.append(dt.date(year, month, min(day, 28) if day > 28 else day))
        except ValueError:
            continue
    if direction == -1:
        before = [date for date in candidates if date < dct]
        return max(before).year if before else None
    if direction == 1:
        after = [date for date in candidates if date > dct]
        return min(after).year if after else None
    return min(candidates, key=lambda date: abs((date - dct).days)).year


def _shift_months(date: dt.date, months: int) -> tuple[int, int]:
    total = date.year * 12 + date.month - 1 + months
    return total // 12, total % 12 + 1


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """The arithmetic Islamic calendar (epoch 16 July 622 Julian, 11-in-30 leap years)."""
    days = day + int(29.5 * (month - 1) + 0.99) + (year - 1) * 354 + (3 + 11 * year) // 30
    julian_day = days + 1948439 - 1
    return dt.date.fromordinal(julian_day - 1721425)


def gregorian_to_hijri_year(date: dt.date) -> int:
    return int((date.toordinal() + 1721425 - 1948439) * 30 / 10631) + 1


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    return number_words().get(text)


def _part_mod(groups: dict[str, str | None]) -> str | None:
    return PERIOD_PARTS.get(groups.get("part") or "")


def _rel(groups: dict[str, str | None]) -> int | None:
    return RELATIVE_WORDS.get(groups.get("rel") or "")


def _date(match: re.Match[str], dct: dt.date | None) -> Resolved | None:
    groups = match.groupdict()
    month, day = month_numbers()[groups["month"]], int(groups["day"])
    if not 1 <= day <= 31:
        return None
    if groups.get("year"):
        year, anchored = int(groups["year"]), False
    else:
        year, anchored = _nearest_year(month, day, dct, _rel(groups)), True
    prefix = f"{year:04d}" if year else "XXXX"
    return "DATE", f"{prefix}-{month:02d}-{day:02d}", _part_mod(groups), anchored


def _hijri(match: re.Match[str], dct: dt.date | None) -> Resolved | None:
    groups = match.groupdict()
    month = hijri_numbers()[groups["month"]]
    year = int(groups["year"]) if groups.get("year") else (gregorian_to_hijri_year(dct) if dct else None)
    if year is None:
        return None
    if groups.get("day"):
        date = hijri_to_gregorian(year, month, int(groups["day"]))
        return "DATE", date.isoformat(), None, not groups.get("year")
    first = hijri_to_gregorian(year, month, 1)
    return "DATE", f"{first.year:04d}-{first.month:02d}", None, not groups.get("year")


def _month(match: re.Match[str], dct: dt.date | None) -> Resolved | None:
    groups = match.groupdict()
    month = month_numbers()[groups["month"]]
    if groups.get("year"):
        return "DATE", f"{int(groups['year']):04d}-{month:02d}", _part_mod(groups), False
    year = _nearest_year(month, 15, dct, _rel(groups))
    return "DATE", (f"{year:04d}" if year else "XXXX") + f"-{month:02d}", _part_mod(groups), True


def _period(match: re.Match[str], dct: dt.date | None) -> Resolved | None:
    groups = match.groupdict()
    unit, rel, part_mod = PERIOD_NOUNS[groups["noun"]], _rel(groups), _part_mod(groups)
    if dct is None:
        return "DATE", {-1: "PAST_REF", 1: "FUTURE_REF"}.get(rel or 0, "PRESENT_REF"), part_mod, True
    step = rel or 0
    if unit == "Y":
        return "DATE", f"{dct.year + step:04d}", part_mod, True
    if unit == "M":
        year, month = _shift_months(dct, step)
        return "DATE", f"{year:04d}-{month:02d}", part_mod, True
    week = (dct + dt.timedelta(weeks=step)).isocalendar()
    return "DATE", f"{week[0]:04d}-W{week[1]:02d}", part_mod, True


def _year(match: re.Match[str], dct: dt.date | None) -> Resolved | None:
    groups = match.groupdict()
    return "DATE", f"{int(groups['year']):04d}", _part_mod(groups), False


def _ago(match: re.Match[str], dct: dt.date | None) -> Resolved | None:
    groups = match.groupdict()
    unit, fixed = time_units()[groups["unit"]]
    amount = _int(groups.get("amount")) or fixed
    if amount is None or dct is None or unit not in ("D", "W", "M", "Y"):
        return "DATE", "PAST_REF", None, True
    if unit in ("D", "W"):
        date = dct - dt.timedelta(days=amount * (7 if unit == "W" else 1))
        return "DATE", date.isoformat(), None, True
    year, month = _shift_months(dct, -amount * (12 if unit == "Y" else 1))
    return "DATE", f"{year:04d}" if unit == "Y" else f"{year:04d}-{month:02d}", None, True


def _duration(match: re.Match[str], dct: dt.date | None) -> Resolved | None:
    groups = match.groupdict()
    if groups.get("dual"):
        unit, amount = time_units()[groups["dual"]]
    else:
        unit, _ = time_units()[groups["unit"]]
        amount = _int(groups.get("amount"))
    if amount is None:
        return None
    mod = MODS.get(groups.get("mod") or "")
    return "DURATION", duration_value(amount, unit), mod, False


def _set(match: re.Match[str], dct: dt.date | None) -> Resolved | None:
    groups = match.groupdict()
    if groups.get("adverb"):
        return "SET", SET_ADVERBS[groups["adverb"]], None, False
    unit, _ = time_units()[groups["unit"]]
    return "SET", duration_value(1, unit), None, False


def _weekday(match: re.Match[str], dct: dt.date | None) -> Resolved | None:
    groups = match.groupdict()
    rel = _rel(groups)
    if groups["weekday"] == "الاثنين" and not groups.get("rel") and not match.group("x").startswith("يوم"):
        return None  # also the numeral "two"
    if dct is None:
        return "DATE", "XXXX-WXX-" + str(WEEKDAYS[groups["weekday"]] + 1), None, True
    target = WEEKDAYS[groups["weekday"]]
    if rel == 1:
        delta = (target - dct.weekday()) % 7 or 7
    else:
        delta = -((dct.weekday() - target) % 7)
        if rel == -1 and delta == 0:
            delta = -7
    return "DATE", (dct + dt.timedelta(days=delta)).isoformat(), None, True


def _time(match: re.Match[str], dct: dt.date | None) -> Resolved | None:
    groups = match.groupdict()
    hour = int(groups["hour"])
    if hour > 24:
        return None
    if groups.get("daypart") and DAY_PARTS[groups["daypart"]] == 12 and hour < 12:
        hour += 12
    minute = int(groups["minute"]) if groups.get("minute") else 0
    prefix = dct.isoformat() if dct else "XXXX-XX-XX"
    return "TIME", f"{prefix}T{hour:02d}:{minute:02d}", None, True


def _day_word(match: re.Match[str], dct: dt.date | None) -> Resolved | None:
    offset = DAY_WORDS[match.group("x")]
    if dct is None:
        return "DATE", "PRESENT_REF" if offset == 0 else ("PAST_REF" if offset < 0 else "FUTURE_REF"), None, True
    return "DATE", (dct + dt.timedelta(days=offset)).isoformat(), None, True


def _present(match: re.Match[str], dct: dt.date | None) -> Resolved | None:
    return "DATE", "PRESENT_REF", None, True


RULES: tuple[Rule, ...] = (
    Rule(
        "date",
        r"{clitic}(?P<x>(?:(?P<part>{part})\s+)?(?:(?P<day1>{day})\s*(?:-|–|و|الي|حتي)\s*)?(?P<day>{day})\s+"
        r"(?:من\s+)?(?:شهر\s+)?(?P<month>{month}){dual}(?:\s+(?:عام\s+|سنه\s+)?{year})?"
        r"(?:\s+(?P<rel>{relative}))?){end}",
        _date,
    ),
    Rule(
        "hijri",
        r"{clitic}(?P<x>(?:(?P<day>{day})\s+)?(?:شهر\s+)?(?P<month>{hijri})"
        r"(?:\s+(?P<year>{digits}{{3,4}}){hijri_suffix})?){end}",
        _hijri,
    ),
    Rule(
        "month",
        r"{clitic}(?P<x>(?:(?P<part>{part})\s+)?(?:شهر\s+)?(?P<month>{month}){dual}"
        r"(?:\s+(?:(?:من\s+)?(?:عام\s+|سنه\s+)?{year}|(?P<rel>{relative})))?){end}",
        _month,
    ),
    Rule(
        "period", r"{clitic}(?P<x>(?:(?P<part>{part})\s+)?(?P<noun>{period_noun})\s+(?P<rel>{relative})){end}", _period
    ),
    Rule("year", r"{clitic}(?P<x>(?:(?P<part>{part})\s+)?(?:(?:ال)?عام|(?:ال)?سنه)\s+{year}){end}", _year),
    Rule("bare_year", r"(?<![\d/.-])(?P<x>(?P<year>(?:19|20)\d\d))(?![\d/.-]\d)", _year),
    Rule(
        "ago", r"{clitic}(?P<x>(?:قبل|منذ)\s+(?:(?P<amount>{amount})\s+)?(?P<unit>{counted}|{dual_units})){end}", _ago
    ),
    Rule(
        "duration",
        r"{clitic}(?P<x>(?:(?P<mod>{mod})\s+)?(?:(?P<amount>{amount})\s+(?P<unit>{counted})|(?P<dual>{dual_units}))){end}",
        _duration,
    ),
    Rule("set", r"{clitic}(?P<x>كل\s+(?P<unit>{counted})|(?P<adverb>{set_adverb})){end}", _set),
    Rule("weekday", r"{clitic}(?P<x>(?:يوم\s+)?(?P<weekday>{weekday})(?:\s+(?P<rel>{relative}))?){end}", _weekday),
    Rule(
        "time",
        r"{clitic}(?P<x>الساعه\s+(?P<hour>{digits}{{1,2}})(?:[:.](?P<minute>{digits}{{2}}))?"
        r"(?:\s+(?P<daypart>{day_part}))?){end}",
        _time,
    ),
    Rule("day_word", r"{clitic}(?P<x>{day_word}){end}", _day_word),
    Rule("present", r"{clitic}(?P<x>{present_word}){end}", _present),
)
RESOLVERS = {rule.kind: rule.resolve for rule in RULES}


def duration_value(amount: int, unit: str) -> str:
    if unit == "H":
        return f"PT{amount}H"
    if unit == "MIN":
        return f"PT{amount}M"
    return f"P{amount}{unit}"


def find_timex(text: str, dct_value: str | None) -> list[Found]:
    """Every temporal expression of `text`, leftmost-longest, resolved against the DCT."""
    key_map = KeyMap(text)
    text_key, raw = key_map.key, key_map.raw
    dct = parse_dct(dct_value)
    candidates: list[tuple[int, int, int, str, re.Match[str]]] = []
    gate_positions = [match.start() for match in _gate().finditer(text_key)]
    for rank, (kind, pattern) in enumerate(_patterns()):
        matches = _matches_at(pattern, text_key, gate_positions) if _is_gated(pattern) else pattern.finditer(text_key)
        for match in matches:
            candidates.append((match.start("x"), -match.end("x"), rank, kind, match))
    found: list[Found] = []
    taken_until = -1
    for key_start, negative_end, _rank, kind, match in sorted(candidates):
        if key_start < taken_until:
            continue
        resolved = RESOLVERS[kind](match, dct)
        if resolved is None:
            continue
        timex_type, value, mod, anchored = resolved
        start, end = raw(key_start), _raw_end(text, raw(-negative_end - 1) + 1)
        end = _without_trailing_space(text, start, end)
        if kind == "date" and match.group("day1"):
            first_end = raw(match.end("day1") - 1) + 1
            first_value = value[:-2] + f"{int(match.group('day1')):02d}"
            found.append(Found(raw(match.start("day1")), first_end, "DATE", first_value, None, anchored))
            start = raw(match.start("day")) if not match.group("part") else start
        found.append(Found(start, end, timex_type, value, mod, anchored))
        taken_until = -negative_end
    return found


def _without_trailing_space(text: str, start: int, end: int) -> int:
    """A span never ends in whitespace (guidelines GEN-1): a pattern's optional tail may leave one."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _raw_end(text: str, end: int) -> int:
    """Extend an end offset over the diacritics and tatweel that follow the last letter."""
    while end < len(text) and text[end] in _IGNORED:
        end += 1
    return end


def timex_for(text: str, dct_value: str | None) -> list[Timex]:
    return [
        Timex(
            id=f"t{number}",
            start=item.start,
            end=item.end,
            type=item.type,
            value=item.value,
            text=text[item.start : item.end],
            mod=item.mod,
            anchor="DCT" if item.anchored and dct_value else None,
        )
        for number, item in enumerate(find_timex(text, dct_value), start=1)
    ]
