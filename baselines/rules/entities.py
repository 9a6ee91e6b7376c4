"""Rule-based entity tagger: gazetteer names plus trigger patterns written for Arabic news.

1. Gazetteer (see `khabar.baselines.gazetteer`): the longest name starting at a token
   (after its proclitics) is a GPE, LOC, ORG or NORP mention.
2. Titles (`resources/titles.tsv`): a title noun and the definite words that qualify it
   (`وزير الخارجية`، `الرئيس السوري`، `المتحدث باسم الوزارة`) form an OCC mention; a name
   right after it (one or two words not starting with ال, then at most one more word;
   connectors such as بن، أبو، عبد kept inside) is a PER mention.
3. Organisation heads (`resources/org_heads.tsv`): a head noun followed by its name
   (`تنظيم X` with an indefinite head) and/or definite qualifiers (`وزارة الدفاع السورية`)
   form an ORG mention; a bare head (`الوزارة`) is not a name.

The mention span starts after proclitics (`لسوريا` → `سوريا`) and ends with the last word.
Mentions may nest (a GPE or NORP inside an ORG or OCC); partly overlapping mentions are
not allowed, and the longer one wins.
"""

from __future__ import annotations

from functools import lru_cache

from khabar.baselines.arabic import stems
from khabar.baselines.gazetteer import gazetteer_index
from khabar.baselines.rules.tokens import WordToken, find_in, vocabulary
from khabar.document import Entity

NAME_CONNECTORS = frozenset({"بن", "ابن", "ابو", "ابي", "عبد", "ال"})
MAX_QUALIFIERS = 3


def _is_blocking(word: WordToken) -> bool:
    """A word that cannot continue a name or a title: punctuation, digits, function words."""
    return not word.is_word or _is_function_word(word.key)


@lru_cache(maxsize=200_000)
def _is_function_word(word_key: str) -> bool:
    words = vocabulary("function_words.tsv")
    return any(stem in words for stem, _ in stems(word_key))


@lru_cache(maxsize=200_000)
def _roles(word_key: str) -> tuple:
    """(title reading, organisation-head reading) of a word, cached by its key."""
    readings = stems(word_key)
    return find_in(readings, vocabulary("titles.tsv")), find_in(readings, vocabulary("org_heads.tsv"))


def _is_definite(word: WordToken) -> bool:
    return word.key.startswith("ال") and len(word.key) > 3


@lru_cache(maxsize=200_000)
def _gazetteer_entries(word_key: str) -> tuple[tuple[tuple[str, ...], str, int], ...]:
    """(name key, type, key offset of the reading) of the names that may start at a word,
    in the order of its readings (cached by its key: most words start no name)."""
    index = gazetteer_index()
    readings = stems(word_key) if word_key else ()  # as `WordToken.readings`
    return tuple((parts, label, offset) for stem, offset in readings for parts, label in index.get(stem, ()))


def _gazetteer_matches(words: list[WordToken]) -> list[tuple[int, int, str, int]]:
    """(first word, last word, type, key offset in the first word) of gazetteer names."""
    matches: list[tuple[int, int, str, int]] = []
    position = 0
    while position < len(words):
        best: tuple[int, int, str, int] | None = None
        for parts, label, offset in _gazetteer_entries(words[position].key):
            last = position + len(parts) - 1
            if last >= len(words):
                continue
            if all(words[position + i].key == parts[i] for i in range(1, len(parts))) and (
                best is None or last > best[1]
            ):
                best = (position, last, label, offset)
        if best is not None:
            matches.append(best)
            position = best[1] + 1
        else:
            position += 1
    return matches


def _qualifiers(words: list[WordToken], position: int, limit: int = MAX_QUALIFIERS) -> int:
    """The last index of the definite words (and `باسم` + definite word) after `position`."""
    last = position
    count = 0
    index = position + 1
    while index < len(words) and count < limit:
        word = words[index]
        if word.key == "باسم" and index + 1 < len(words) and not _is_blocking(words[index + 1]):
            last = index + 1
            index += 2
            count += 1
            continue
        if _is_blocking(word) or not _is_definite(word):
            break
        last = index
        index += 1
        count += 1
    return last


def _person_after(words: list[WordToken], position: int, stop_words: frozenset[str]) -> int | None:
    """The last index of a personal name starting at `position`, or None."""
    if position >= len(words):
        return None
    first = words[position]
    if _is_blocking(first) or _is_definite(first) or first.key in stop_words:
        return None
    last = position
    taken = 1
    index = position + 1
    while index < len(words) and taken < 3:
        word = words[index]
        if _is_blocking(word) or word.key in stop_words:
            break
        if word.key in NAME_CONNECTORS and index + 1 < len(words) and not _is_blocking(words[index + 1]):
            last = index + 1
            index += 2
            taken += 1
            continue
        if taken == 2 and not _is_definite(word):
            break
        last = index
        index += 1
        taken += 1
        if _is_definite(word):
            break
    return last


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """Words that end a name: verbs of speech, event triggers, titles, organisation heads."""
    return (
        vocabulary("speech_verbs.tsv")
        | vocabulary("event_triggers.tsv")
        | vocabulary("titles.tsv")
        | vocabulary("org_heads.tsv")
    )


def tag_entities(words: list[WordToken]) -> list[tuple[int, int, str]]:
    """Character spans `(start, end, type)` of the entity mentions in one sentence."""
    stop_words = _stop_words()
    spans: list[tuple[int, int, str]] = []
    gazetteer_words: set[int] = set()
    for first, last, label, offset in _gazetteer_matches(words):
        spans.append((words[first].start_of(offset), words[last].end, label))
        gazetteer_words.update(range(first, last + 1))
    for position, word in enumerate(words):
        if not word.is_word:
            continue
        title, head = _roles(word.key)
        if title is not None:
            last = _qualifiers(words, position)
            start = word.start_of(title[1])
            spans.append((start, words[last].end, "OCC"))
            name_last = _person_after(words, last + 1, stop_words)
            if name_last is not None and not gazetteer_words & set(range(last + 1, name_last + 1)):
                spans.append((words[last + 1].start_of(words[last + 1].readings[0][1]), words[name_last].end, "PER"))
            continue
        if head is not None:
            last = position
            head_is_definite = head[2]
            following = position + 1
            if (
                not head_is_definite
                and following < len(words)
                and not _is_blocking(words[following])
                and not _is_definite(words[following])
                and words[following].key not in stop_words
            ):
                last = following
            last = _qualifiers(words, last)
            if last > position:
                spans.append((word.start_of(head[1]), words[last].end, "ORG"))
    return _without_crossing(spans)


def _without_crossing(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Keep nested and disjoint spans; of two partly overlapping spans keep the longer."""
    kept: list[tuple[int, int, str]] = []
    for span in sorted(set(spans), key=lambda span: (span[0] - span[1], span[0], span[2])):
        start, end, _ = span
        crossing = any(
            (start < other_start < end < other_end) or (other_start < start < other_end < end)
            for other_start, other_end, _ in kept
        )
        duplicate_extent = any(start == other_start and end == other_end for other_start, other_end, _ in kept)
        if not crossing and not duplicate_extent:
            kept.append(span)
    return sorted(kept)


def entities_for(text: str, sentences) -> list[Entity]:
    """Entity mentions of a whole document, numbered in text order."""
    spans: list[tuple[int, int, str]] = []
    for _sentence, words in sentences:
        spans += tag_entities(words)
    return [
        Entity(id=f"e{number}", start=start, end=end, type=label, text=text[start:end])
        for number, (start, end, label) in enumerate(sorted(spans, key=lambda s: (s[0], -s[1])), start=1)
    ]
