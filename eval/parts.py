"""The parts of events and quotes that decide those layers' headlines, matched as the
headlines match them: event arguments (Arg-C+, TextEE) and quote cues and speakers (PARC).

An event's trigger and a quote's content are spans of their layer (`khabar.eval.outcomes`);
their parts are drawn beside them in the report, each linked to its event or quote:

- argument (label: its role): `correct` when the other side has an argument with the same
  trigger extent, event type, argument extent and role — the Arg-C+ key of the events
  headline, so the `correct` arguments are its true positives; `wrong_type` (a wrong role)
  when only the role differs; else `missed` (gold) or `spurious` (predicted). Pairs are
  one to one, exact keys first.
- cue: `correct` when a cue of the other side has the same extent (the cue metric), else
  `missed` / `spurious`.
- speaker: quotes pair by content overlap, one to one (the joint attribution headline's
  pairing); the speakers of a pair are `correct` when they overlap (a `ref` speaker is its
  entity's span), else the gold speaker is `missed` and the predicted one `spurious`, as is
  every speaker of an unpaired quote.

Parts are compared after the span map of the harness and drawn on the raw text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from khabar.document import Document
from khabar.eval.layers import (
    QuoteSpans,
    argument_extents,
    mention_extents,
    quote_spans,
    speaker_extent,
    speakers_agree,
)
from khabar.eval.matching import overlap_pairs
from khabar.eval.spanmaps import SpanMap, SpanMapFactory

PART_KINDS = ("argument", "cue", "speaker")


@dataclass(frozen=True)
class Part:
    """An argument, cue or speaker on one side: its raw extent, its label (an argument's
    role; `cue`, `speaker`), and the event or quote it belongs to."""

    kind: str
    start: int
    end: int
    label: str
    owner: str  # the id of the event or quote
    owner_label: str  # the event type or the quote kind
    owner_text: str  # the trigger or the quote content


@dataclass(frozen=True)
class PartOutcome:
    """One gold part, one predicted part, or a pair of them, with its category."""

    category: str
    gold: Part | None
    pred: Part | None

    @property
    def kind(self) -> str:
        part = self.gold or self.pred
        assert part is not None  # every outcome holds at least one part
        return part.kind


def _arguments(document: Document, span_map: SpanMap) -> list[tuple[tuple, Part]]:
    """Every argument with its Arg-C+ key (trigger extent, event type, argument extent, role)."""
    found = []
    mentions = mention_extents(document)
    for event in document.events:
        trigger = span_map(event.trigger.start, event.trigger.end)
        for argument, (start, end) in argument_extents(document, event, mentions):
            key = (*trigger, event.type, *span_map(start, end), argument.role)
            found.append((key, Part("argument", start, end, argument.role, event.id, event.type, event.trigger.text)))
    return found


def _pair_by(
    gold: list[tuple[tuple, Part]], pred: list[tuple[tuple, Part]], key_length: int | None, category: str
) -> list[PartOutcome]:
    """Pair gold and predicted parts whose keys agree (on their first `key_length` fields),
    one to one, in order; the pairs are removed from both lists."""
    free: dict[tuple, list[int]] = defaultdict(list)
    for index, (key, _) in enumerate(pred):
        free[key[:key_length]].append(index)
    outcomes, taken_gold, taken_pred = [], set(), set()
    for index, (key, part) in enumerate(gold):
        candidates = free.get(key[:key_length])
        if candidates:
            match = candidates.pop(0)
            taken_gold.add(index)
            taken_pred.add(match)
            outcomes.append(PartOutcome(category, part, pred[match][1]))
    gold[:] = [item for index, item in enumerate(gold) if index not in taken_gold]
    pred[:] = [item for index, item in enumerate(pred) if index not in taken_pred]
    return outcomes


def argument_outcomes(gold: Document, pred: Document | None, span_map: SpanMapFactory) -> list[PartOutcome]:
    """The outcome of every gold and predicted event argument (see the module docstring)."""
    gold_items = _arguments(gold, span_map(gold))
    pred_items = _arguments(pred, span_map(pred)) if pred is not None else []
    outcomes = _pair_by(gold_items, pred_items, None, "correct")
    outcomes += _pair_by(gold_items, pred_items, -1, "wrong_type")  # all but the role
    outcomes += [PartOutcome("missed", part, None) for _, part in gold_items]
    outcomes += [PartOutcome("spurious", None, part) for _, part in pred_items]
    return _ordered(outcomes)


def _quote_parts(document: Document, span_map: SpanMap) -> list[tuple[QuoteSpans, Part | None, Part | None]]:
    """Per quote: its mapped spans, and its cue and speaker as raw parts."""
    mentions = {entity.id: (entity.start, entity.end) for entity in document.entities}
    found = []
    for quote, mapped in zip(document.quotes, quote_spans(document, span_map), strict=True):
        owner = (quote.id, quote.kind, quote.content.text)
        cue = Part("cue", quote.cue.start, quote.cue.end, "cue", *owner) if quote.cue else None
        speaker_raw = speaker_extent(quote, mentions)
        speaker = Part("speaker", *speaker_raw, "speaker", *owner) if speaker_raw else None
        found.append((mapped, cue, speaker))
    return found


def quote_part_outcomes(gold: Document, pred: Document | None, span_map: SpanMapFactory) -> list[PartOutcome]:
    """The outcome of every gold and predicted cue and speaker (see the module docstring)."""
    gold_items = _quote_parts(gold, span_map(gold))
    pred_items = _quote_parts(pred, span_map(pred)) if pred is not None else []
    gold_cues = [((*mapped.cue,), cue) for mapped, cue, _ in gold_items if mapped.cue and cue]
    pred_cues = [((*mapped.cue,), cue) for mapped, cue, _ in pred_items if mapped.cue and cue]
    outcomes = _pair_by(gold_cues, pred_cues, None, "correct")
    outcomes += [PartOutcome("missed", part, None) for _, part in gold_cues]
    outcomes += [PartOutcome("spurious", None, part) for _, part in pred_cues]
    by_content = {id(mapped.content): (mapped, speaker) for mapped, _, speaker in gold_items + pred_items}
    paired_gold, paired_pred = set(), set()
    pairs = overlap_pairs(
        [mapped.content for mapped, _, _ in gold_items], [mapped.content for mapped, _, _ in pred_items]
    )
    for gold_content, pred_content in pairs:
        (gold_mapped, gold_speaker), (pred_mapped, pred_speaker) = (
            by_content[id(gold_content)],
            by_content[id(pred_content)],
        )
        paired_gold.add(id(gold_content))
        paired_pred.add(id(pred_content))
        agree = speakers_agree(gold_mapped.speaker, pred_mapped.speaker)
        if agree and gold_speaker is not None and pred_speaker is not None:
            outcomes.append(PartOutcome("correct", gold_speaker, pred_speaker))
            continue
        if gold_speaker is not None:
            outcomes.append(PartOutcome("missed", gold_speaker, None))
        if pred_speaker is not None:
            outcomes.append(PartOutcome("spurious", None, pred_speaker))
    outcomes += [
        PartOutcome("missed", speaker, None)
        for mapped, _, speaker in gold_items
        if speaker is not None and id(mapped.content) not in paired_gold
    ]
    outcomes += [
        PartOutcome("spurious", None, speaker)
        for mapped, _, speaker in pred_items
        if speaker is not None and id(mapped.content) not in paired_pred
    ]
    return _ordered(outcomes)


def part_outcomes(gold: Document, pred: Document | None, layer: str, span_map: SpanMapFactory) -> list[PartOutcome]:
    """The parts of `layer` drawn beside its spans: arguments of events, cues and speakers of
    quotes; none for the other layers."""
    if layer == "events":
        return argument_outcomes(gold, pred, span_map)
    if layer == "quotes":
        return quote_part_outcomes(gold, pred, span_map)
    return []


def _ordered(outcomes: list[PartOutcome]) -> list[PartOutcome]:
    def position(outcome: PartOutcome) -> tuple[int, int, str]:
        part = outcome.gold or outcome.pred
        assert part is not None  # every outcome holds at least one part
        return part.start, part.end, outcome.kind

    return sorted(outcomes, key=position)
