"""Rule-based event tagger: triggers from an ACE 2005 lexicon, arguments by proximity.

A word whose stem (proclitics removed, then the article ال, then a pronoun suffix
ه/ها/هم/هما/هن or an accusative alif) is in `resources/event_triggers.tsv` is a trigger of the listed type; the
span is the stem's letters, without proclitics. Arguments, within the trigger's
sentence only: the nearest timex is `Time-Within`; the nearest GPE/LOC/FAC mention after
`في` is `Place`; for `Conflict:Attack` the nearest entity after `ضد` or `على` is `Target`.
"""

from __future__ import annotations

from functools import cache

from khabar.baselines.arabic import key
from khabar.baselines.resources import read_list
from khabar.baselines.rules.tokens import WordToken

from khabar.document import Argument, Entity, Event, Span, Timex

# Pronoun suffixes, and the alif of the indefinite accusative (هجوما).
PRONOUN_SUFFIXES = ("هما", "هم", "هن", "ها", "ه", "ا")
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})


@cache
def trigger_lexicon() -> dict[str, str]:
    return {key(row[0]): row[1] for row in read_list("event_triggers.tsv").rows}


def _trigger_type(word: WordToken) -> tuple[str, int, int] | None:
    """(event type, key offset of the stem start, key length of the stem) or None."""
    lexicon = trigger_lexicon()
    for stem, offset in word.readings:
        candidates = [(stem, 0)]
        if stem.startswith("ال") and len(stem) > 4:
            candidates.append((stem[2:], 0))
        for suffix in PRONOUN_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                candidates.append((stem[: -len(suffix)], len(suffix)))
        for candidate, cut in candidates:
            if candidate in lexicon:
                return lexicon[candidate], offset, len(stem) - cut
    return None


def find_triggers(words: list[WordToken]) -> list[tuple[int, int, str]]:
    triggers = []
    for word in words:
        if not word.is_word:
            continue
        found = _trigger_type(word)
        if found is None:
            continue
        label, offset, length = found
        start = word.start_of(offset)
        last_key = offset + length - 1
        end = word.token.start + word.offsets[last_key] + 1 if last_key < len(word.offsets) - 1 else word.end
        triggers.append((start, end, label))
    return triggers


def _arguments(
    label: str, trigger: tuple[int, int], text: str, extent: tuple[int, int], entities: list[Entity], timex: list[Timex]
) -> tuple[Argument, ...]:
    start, end = trigger
    inside = [e for e in entities if extent[0] <= e.start and e.end <= extent[1]]
    arguments: list[Argument] = []
    times = [t for t in timex if extent[0] <= t.start and t.end <= extent[1]]
    if times:
        nearest = min(times, key=lambda t: abs(t.start - start))
        arguments.append(Argument(role="Time-Within", ref=nearest.id))
    places = [e for e in inside if e.type in PLACE_TYPES and e.start >= end and text[: e.start].rstrip().endswith("في")]
    if places:
        arguments.append(Argument(role="Place", ref=min(places, key=lambda e: e.start).id))
    if label == "Conflict:Attack":
        targets = [e for e in inside if e.start >= end and text[: e.start].rstrip().endswith(("ضد", "على"))]
        if targets:
            arguments.append(Argument(role="Target", ref=min(targets, key=lambda e: e.start).id))
    return tuple(arguments)


def events_for(text: str, sentences, entities: list[Entity], timex: list[Timex]) -> list[Event]:
    events: list[Event] = []
    for sentence, words in sentences:
        for start, end, label in find_triggers(words):
            arguments = _arguments(label, (start, end), text, (sentence.start, sentence.end), entities, timex)
            events.append(
                Event(
                    id=f"v{len(events) + 1}",
                    type=label,
                    trigger=Span(start, end, text[start:end]),
                    arguments=arguments,
                )
            )
    return events
