"""Rule-based quote tagger (PARC 3.0: content, cue, source).

- Direct: text of three words or more inside quotation marks (« », “ ”, " ") with a speech verb
  (`resources/speech_verbs.tsv`) in the same sentence before the opening mark, or right
  after the closing mark; the content excludes the marks.
- Indirect: a speech verb followed (within three words) by أن/إن/بأن; the content runs
  from that particle to the end of the sentence (final punctuation excluded). When the
  content holds a quotation-marked part, the quote is `mixed`.
- Source: the nearest PER (else ORG, GPE, NORP, OCC) mention between the cue and the
  content (verb-subject order: `وقال الوزير X إن`), else the nearest one before the cue in
  the sentence (subject-verb order: `الوزارة تؤكد أن`); with no mention there, the span of
  the (at most three) words right after the cue, else right before it, stopping at
  punctuation and function words (`وأكدت الوزارة أن` → `الوزارة`). The cue is the speech verb.
"""

from __future__ import annotations

import re
from functools import lru_cache

from khabar.baselines.arabic import stems
from khabar.baselines.rules.entities import _is_blocking
from khabar.baselines.rules.tokens import WordToken, find_in, vocabulary, within
from khabar.document import Entity, Quote, Span, Speaker

QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"', "„": "“"}
THAT_PARTICLES = frozenset({"ان", "بان", "انه", "انها", "بانه", "بانها", "انهم", "انهما"})
SOURCE_PREFERENCE = ("PER", "ORG", "GPE", "NORP", "OCC")
FINAL = ".!؟?…"
MIN_QUOTED_WORDS = 3
MAX_SUBJECT_WORDS = 3


_QUOTED = re.compile(r"«[^»]+»|“[^”]+”|\"[^\"]+\"")


def _quoted_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for match in _QUOTED.finditer(text, start, end):
        # One or two quoted words are a name or a term (`"X"` as a label), not a quotation.
        if len(match.group().split()) >= MIN_QUOTED_WORDS:
            spans.append((match.start() + 1, match.end() - 1))
    return spans


def _speaker(entities: list[Entity], between_start: int, between_end: int, cue_start: int) -> Entity | None:
    """The preferred mention between cue and content, else the nearest one before the cue."""
    between = [e for e in entities if between_start <= e.start and e.end <= between_end]
    before = [e for e in entities if e.end <= cue_start]
    for candidates, nearest_last in ((between, False), (before, True)):
        for label in SOURCE_PREFERENCE:
            typed = [e for e in candidates if e.type == label]
            if typed:
                return max(typed, key=lambda e: e.start) if nearest_last else min(typed, key=lambda e: e.start)
    return None


def quotes_for(text: str, sentences, entities: list[Entity]) -> list[Quote]:
    quotes: list[tuple[str, Span, Span, Entity | Span | None]] = []
    groups = within(list(entities), [sentence for sentence, _ in sentences])
    for (sentence, words), in_sentence in zip(sentences, groups, strict=True):
        quoted = _quoted_spans(text, sentence.start, sentence.end)
        cues = [
            (index, word, reading)
            for index, word in enumerate(words)
            if word.is_word and (reading := _cue_reading(word.key)) is not None
        ]
        used_quotes: set[tuple[int, int]] = set()
        for index, cue_word, reading in cues:
            cue_start = cue_word.start_of(reading[1])
            cue = Span(cue_start, cue_word.end, text[cue_start : cue_word.end])
            particle = _that_particle(words, index)
            if particle is not None:
                content_start = words[particle].start
                content_end = _content_end(text, words, particle, sentence.end)
                if content_end <= content_start:
                    continue
                inner = [q for q in quoted if content_start <= q[0] and q[1] <= content_end]
                used_quotes.update(inner)
                kind = "mixed" if inner else "indirect"
                source = _speaker(in_sentence, cue.end, content_start, cue.start) or _subject(
                    text, words, index, particle
                )
                quotes.append((kind, Span(content_start, content_end, text[content_start:content_end]), cue, source))
                continue
            following = [q for q in quoted if q[0] > cue.end and q not in used_quotes]
            preceding = [q for q in quoted if q[1] < cue.start and q not in used_quotes and cue.start - q[1] <= 3]
            target = following[0] if following else (preceding[-1] if preceding else None)
            if target is None:
                continue
            used_quotes.add(target)
            before_quote = next((i for i, word in enumerate(words) if word.start >= target[0] - 1), len(words))
            source = _speaker(in_sentence, cue.end, target[0], cue.start) or _subject(
                text, words, index, max(before_quote, index + 1)
            )
            quotes.append(("direct", Span(target[0], target[1], text[target[0] : target[1]]), cue, source))
    return [
        Quote(
            id=f"q{number}",
            kind=kind,
            content=content,
            cue=cue,
            speaker=_as_speaker(source),
        )
        for number, (kind, content, cue, source) in enumerate(sorted(quotes, key=lambda q: q[1].start), start=1)
    ]


def _as_speaker(source: Entity | Span | None) -> Speaker | None:
    if source is None:
        return None
    return Speaker(ref=source.id) if isinstance(source, Entity) else Speaker(span=source)


def _subject(text: str, words: list[WordToken], cue: int, limit: int) -> Span | None:
    """A source that is no tagged mention: the words right after the cue (verb-subject order,
    up to the content) or else right before it (subject-verb order), at most `MAX_SUBJECT_WORDS`,
    stopping at punctuation and function words."""
    after = []
    for index in range(cue + 1, min(limit, cue + 1 + MAX_SUBJECT_WORDS)):
        if _is_blocking(words[index]):
            break
        after.append(words[index])
    before = []
    for index in range(cue - 1, max(cue - 1 - MAX_SUBJECT_WORDS, -1), -1):
        if _is_blocking(words[index]):
            break
        before.insert(0, words[index])
    chosen = after or before
    if not chosen:
        return None
    # A proclitic is cut off only when the article follows it (والوزارة → الوزارة): `بيان` keeps its ب.
    offset = next((o for stem, o in chosen[0].readings[1:] if stem.startswith("ال")), 0)
    start = chosen[0].start_of(offset)
    return Span(start, chosen[-1].end, text[start : chosen[-1].end])


@lru_cache(maxsize=200_000)
def _cue_reading(word_key: str) -> tuple[str, int, bool] | None:
    return find_in(stems(word_key), vocabulary("speech_verbs.tsv"), article=False)


def _that_particle(words: list[WordToken], cue_index: int) -> int | None:
    for index in range(cue_index + 1, min(cue_index + 11, len(words))):
        word = words[index]
        if word.key in THAT_PARTICLES or any(stem in THAT_PARTICLES for stem, _ in word.readings[1:]):
            return index
        if not word.is_word and word.key not in ("،", ","):
            return None
    return None


def _content_end(text: str, words: list[WordToken], particle: int, sentence_end: int) -> int:
    last = words[-1]
    end = last.end
    if last.token.text in FINAL or last.token.text in '»”"':
        end = last.start if last.token.text in FINAL else end
    return min(end, sentence_end)
