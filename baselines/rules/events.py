"""Rule-based event tagger: triggers from an ACE 2005 lexicon, arguments by proximity.

A word whose stem (proclitics removed, then the article ال, then a pronoun suffix
ه/ها/هم/هما/هن or an accusative alif) is in `resources/event_triggers.tsv` is a trigger of the listed type; the
span is the stem's letters, without proclitics. Arguments, within the trigger's
sentence only: the nearest timex is `Time-Within`; the nearest GPE/LOC/FAC mention after
`في` is `Place`; for `Conflict:Attack` the nearest entity after `ضد` or `على` is `Target`.
"""

from __future__ import annotations

from functools import cache, lru_cache

from khabar.baselines.arabic import key, stems
from khabar.baselines.resources import read_list
from khabar.baselines.rules.tokens import WordToken, within
from khabar.document import Argument, Entity, Event, Span, Timex

# Pronoun suffixes, and the alif of the indefinite accusative (هجوما).
PRONOUN_SUFFIXES = ("هما", "هم", "هن", "ها", "ه", "ا")
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})


@cache
def trigger_lexicon() -> dict[str, str]:
    return {key(row[0]): row[1] for row in read_list("event_triggers.tsv").rows}


@lru_cache(maxsize=200_000)
def _trigger_of(word_key: str, taa_marbuta: bool = False) -> tuple[str, int, int] | None:
    """(event type, key offset of the stem start, key length of the stem) of a word, or None.

    The match is always the whole word after its proclitics, less a pronoun suffix; the
    key folds ة into ه, so a word written with a final ة (`taa_marbuta`) has no pronoun
    suffix ه to strip: `وزارة` is never و + `زار` + ه."""
    lexicon = trigger_lexicon()
    for stem, offset in stems(word_key):
        candidates = [(stem, 0)]
        if stem.startswith("ال") and len(stem) > 4:
            candidates.append((stem[2:], 0))
        for suffix in PRONOUN_SUFFIXES:
            if taa_marbuta and suffix.endswith("ه"):
                continue
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                candidates.append((stem[: -len(suffix)], len(suffix)))
        for candidate, cut in candidates:
            if candidate in lexicon:
                return lexicon[candidate], offset, len(stem) - cut
    return None


def _ends_in_taa_marbuta(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and letters[-1] == "ة"


def find_triggers(words: list[WordToken]) -> list[tuple[int, int, str]]:
    triggers = []
    for word in words:
        found = _trigger_of(word.key, _ends_in_taa_marbuta(word.token.text)) if word.is_word else None
        if found is None:
            continue
        label, offset, length = found
        start = word.start_of(offset)
        last_key = offset + length - 1
        end = word.token.start + word.offsets[last_key] + 1 if last_key < len(word.offsets) - 1 else word.end
        triggers.append((start, end, label))
    return triggers


def _preceded_by(text: str, start: int, words: tuple[str, ...]) -> bool:
    """Whether one of `words` stands right before `start` (a short window: no copy of the text)."""
    return text[max(start - 12, 0) : start].rstrip().endswith(words)


def _arguments(
    label: str, trigger: tuple[int, int], text: str, entities: list[Entity], timex: list[Timex]
) -> tuple[Argument, ...]:
    """Arguments from the mentions of the trigger's sentence (`entities`, `timex`)."""
    start, end = trigger
    arguments: list[Argument] = []
    if timex:
        nearest = min(timex, key=lambda t: abs(t.start - start))
        arguments.append(Argument(role="Time-Within", ref=nearest.id))
    after = [e for e in entities if e.start >= end]
    places = [e for e in after if e.type in PLACE_TYPES and _preceded_by(text, e.start, ("في",))]
    if places:
        arguments.append(Argument(role="Place", ref=places[0].id))
    if label == "Conflict:Attack":
        targets = [e for e in after if _preceded_by(text, e.start, ("ضد", "على"))]
        if targets:
            arguments.append(Argument(role="Target", ref=targets[0].id))
    return tuple(arguments)


def events_for(text: str, sentences, entities: list[Entity], timex: list[Timex]) -> list[Event]:
    """Events of a whole document; `entities` and `timex` sorted by start."""
    plain = [sentence for sentence, _ in sentences]
    entity_groups = within(list(entities), plain)
    timex_groups = within(list(timex), plain)
    events: list[Event] = []
    groups = zip(sentences, entity_groups, timex_groups, strict=True)
    for (_sentence, words), sentence_entities, sentence_timex in groups:
        for start, end, label in find_triggers(words):
            arguments = _arguments(label, (start, end), text, sentence_entities, sentence_timex)
            events.append(
                Event(
                    id=f"v{len(events) + 1}",
                    type=label,
                    trigger=Span(start, end, text[start:end]),
                    arguments=arguments,
                )
            )
    return events
