"""The timex gate (one scan for every boundary-led pattern) finds what each pattern's own
`finditer` finds, on texts dense with temporal words and on the seed document."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.baselines.arabic import key
from khabar.baselines.rules.timex import (
    DAY_WORDS,
    MODS,
    PERIOD_NOUNS,
    PERIOD_PARTS,
    RELATIVE_WORDS,
    WEEKDAYS,
    _alternation,
    _gate,
    _is_gated,
    _matches_at,
    _patterns,
    hijri_numbers,
    month_numbers,
    number_words,
    time_units,
)

SEPARATORS = [" ", "  ", "\n", "/", " (", ") ", "-", "«", "“", '"', "،", "."]
CLITICS = ["", "و", "ف", "ب", "ل", "وب", "ول", "لل"]


def _words() -> list[str]:
    fixed = ["شهر", "عام", "العام", "سنه", "من", "قبل", "منذ", "كل", "يوم", "الساعه", "ه", "الي", "حتي", "سنويا"]
    fixed += ["صباحا", "مساء", "حاليا", "الان", "ما", "اكثر", "2025", "٢٠٢٤", "24", "٣", "10:30", "1999", "x"]
    lists = [month_numbers(), hijri_numbers(), number_words(), time_units(), RELATIVE_WORDS, PERIOD_PARTS]
    lists += [PERIOD_NOUNS, WEEKDAYS, DAY_WORDS, MODS]
    return sorted({word for mapping in lists for word in mapping} | set(fixed))


temporal_texts = st.lists(
    st.tuples(st.sampled_from(CLITICS), st.sampled_from(_words()), st.sampled_from(SEPARATORS)), max_size=25
).map(lambda parts: "".join(clitic + word + separator for clitic, word, separator in parts))


def _assert_gate_finds_every_match(text_key: str) -> None:
    positions = [match.start() for match in _gate().finditer(text_key)]
    for _kind, pattern in _patterns():
        if not _is_gated(pattern):
            continue
        expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text_key)]
        assert [(m.span(), m.groupdict()) for m in _matches_at(pattern, text_key, positions)] == expected


@settings(max_examples=100)
@given(temporal_texts)
def test_gated_matches_equal_finditer(text: str) -> None:
    _assert_gate_finds_every_match(key(text))


def test_gated_matches_equal_finditer_on_the_seed(corpus_dir) -> None:
    text = (corpus_dir / "documents" / "doc-0001.txt").read_text(encoding="utf-8")
    _assert_gate_finds_every_match(key(text))


def test_every_pattern_but_bare_year_is_gated() -> None:
    assert [kind for kind, pattern in _patterns() if not _is_gated(pattern)] == ["bare_year"]


def _longest_first(words: list[str]) -> str:
    """The plain alternation the prefix tree stands for."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


@settings(max_examples=100)
@given(st.lists(st.text("abc", max_size=4), max_size=8), st.text("abc ", max_size=30))
def test_prefix_tree_alternation_equals_longest_first(words: list[str], text: str) -> None:
    # What follows the alternation forces backtracking into shorter words.
    tail = r"(?P<tail>b|\s|$)"
    tree = re.compile(f"(?P<word>{_alternation(words)}){tail}")
    plain = re.compile(f"(?P<word>(?:{_longest_first(words)})){tail}")
    assert [m.groupdict() | {"span": m.span()} for m in tree.finditer(text)] == [
        m.groupdict() | {"span": m.span()} for m in plain.finditer(text)
    ]
