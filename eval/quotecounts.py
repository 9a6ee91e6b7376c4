"""The PARC quote tables of a whole corpus at once: `quote_spans` + `add_quotes` on arrays.

Each side's quotes become columns (pair index, content extent, kind code, unit; cue extent
and its unit where there is a cue; speaker extent where there is one, a `ref` speaker
through its entity as `speaker_extent` gives it). Exact content (per kind) and cue extents
are keys matched by counting. Content overlap is paired one to one, per kind for
`content-overlap` and across kinds for speaker accuracy and joint attribution: pairs whose
spans overlap nothing else of the other side are read off the arrays, a document with a
tangle is paired by `content_pairs` itself, as the per-document path does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from khabar.document import Document
from khabar.eval.goldarrays import Arrays, coded, derived, label_columns
from khabar.eval.layers import ALL, GOLD, PRED, TP, Accumulator, content_pairs, quote_spans, speaker_extent
from khabar.eval.results import CountTable
from khabar.eval.spancounts import LocateMany, Pairs, Part, count_tables
from khabar.eval.spankeys import exact_matches, key_codes, one_to_one, overlaps
from khabar.eval.spanmaps import same_span


@dataclass(frozen=True)
class QuoteColumns:
    """One side's quotes, one row each; the cue and speaker extents are 0 where there is none."""

    pair: np.ndarray
    start: np.ndarray  # content
    end: np.ndarray
    kind: np.ndarray  # kind code
    unit: np.ndarray  # the unit of the content's start
    has_cue: np.ndarray  # bool
    cue_start: np.ndarray
    cue_end: np.ndarray
    has_speaker: np.ndarray  # bool (a speaker whose ref does not resolve has none)
    speaker_start: np.ndarray
    speaker_end: np.ndarray


def quote_columns(documents: Sequence[Document], locate_many: LocateMany, names: dict[str, int]) -> QuoteColumns:
    """The columns of `documents` (document i of pair i); kinds coded into `names`."""
    found = derived(documents, "quotes", _quote_arrays)
    pairs, table = found["pair"], found["table"]
    return QuoteColumns(
        pairs,
        table[:, 0],
        table[:, 1],
        coded(found, "kind", names),
        locate_many(pairs, table[:, 0]),
        table[:, 2] == 1,
        table[:, 3],
        table[:, 4],
        table[:, 5] == 1,
        table[:, 6],
        table[:, 7],
    )


def _quote_arrays(documents: Sequence[Document]) -> Arrays:
    pair: list[int] = []
    rows: list[tuple[int, int, int, int, int, int, int, int]] = []
    kinds: list[str] = []
    for index, document in enumerate(documents):
        mentions = None
        for quote in document.quotes:
            speaker = quote.speaker
            if speaker is not None and speaker.ref is not None and mentions is None:
                mentions = {entity.id: (entity.start, entity.end) for entity in document.entities}
            extent = speaker_extent(quote, mentions or {})
            speaker_part = (1, *extent) if extent is not None else (0, 0, 0)
            cue_part = (1, quote.cue.start, quote.cue.end) if quote.cue else (0, 0, 0)
            rows.append((quote.content.start, quote.content.end, *cue_part, *speaker_part))
            kinds.append(quote.kind)
        pair += [index] * len(document.quotes)
    return {
        "pair": np.array(pair, dtype=np.int64),
        "table": np.array(rows, dtype=np.int64).reshape(-1, 8),
        **label_columns("kind", kinds),
    }


def count_quotes(pairs: Pairs, locate_many: LocateMany, declared: Accumulator) -> dict[str, CountTable]:
    """The tables `add_quotes` gives for `pairs` (spans unmapped)."""
    names = {ALL: 0}
    gold = quote_columns([gold for gold, _ in pairs], locate_many, names)
    pred = quote_columns([pred for _, pred in pairs], locate_many, names)

    def both(column: str, rows: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        gold_column, pred_column = getattr(gold, column), getattr(pred, column)
        if rows is not None:
            gold_column, pred_column = gold_column[rows[0]], pred_column[rows[1]]
        return np.concatenate([gold_column, pred_column])

    content = key_codes([both("pair"), both("start"), both("end"), both("kind")], len(gold.pair))
    exact = exact_matches(*content)
    cues = (np.flatnonzero(gold.has_cue), np.flatnonzero(pred.has_cue))
    cue_units = locate_many(both("pair", cues), both("cue_start", cues))
    gold_cue_unit, pred_cue_unit = cue_units[: len(cues[0])], cue_units[len(cues[0]) :]
    cue_keys = key_codes([both("pair", cues), both("cue_start", cues), both("cue_end", cues)], len(cues[0]))
    cue_matches = exact_matches(*cue_keys)
    candidates = overlaps((gold.pair, gold.start, gold.end), (pred.pair, pred.start, pred.end))
    same_kind = gold.kind[candidates[0]] == pred.kind[candidates[1]]

    def per_kind(index: int) -> list[tuple[int, int]]:
        gold_quotes, pred_quotes = _quote_spans(pairs[index])
        return [
            pair
            for kind in sorted({quote.content.label for quote in gold_quotes + pred_quotes})
            for pair in content_pairs(gold_quotes, pred_quotes, kind)
        ]

    def any_kind(index: int) -> list[tuple[int, int]]:
        return content_pairs(*_quote_spans(pairs[index]))

    _, overlap_pred = one_to_one((candidates[0][same_kind], candidates[1][same_kind]), gold.pair, pred.pair, per_kind)
    joint_gold, joint_pred = one_to_one(candidates, gold.pair, pred.pair, any_kind)
    agree = _speakers_agree(gold, pred, joint_gold, joint_pred).astype(np.float64)
    joint_unit = pred.unit[joint_pred]
    joint_label = np.zeros(len(joint_pred), dtype=np.int64)
    everything = {side: np.zeros(n, dtype=np.int64) for side, n in (("gold", len(gold.pair)), ("pred", len(pred.pair)))}
    parts = {
        "content-exact": [
            Part(GOLD, gold.kind, gold.unit),
            Part(PRED, pred.kind, pred.unit),
            Part(TP, pred.kind[exact.last_pred], pred.unit[exact.last_pred], exact.count),
        ],
        "content-overlap": [
            Part(GOLD, gold.kind, gold.unit),
            Part(PRED, pred.kind, pred.unit),
            Part(TP, pred.kind[overlap_pred], pred.unit[overlap_pred]),
        ],
        "cue": [
            Part(GOLD, np.zeros(len(gold_cue_unit), dtype=np.int64), gold_cue_unit),
            Part(PRED, np.zeros(len(pred_cue_unit), dtype=np.int64), pred_cue_unit),
            Part(
                TP,
                np.zeros(len(cue_matches.count), dtype=np.int64),
                pred_cue_unit[cue_matches.last_pred],
                cue_matches.count,
            ),
        ],
        "speaker-accuracy": [
            Part(TP, joint_label, joint_unit, agree),
            Part(PRED, joint_label, joint_unit),
            Part(GOLD, joint_label, joint_unit),
        ],
        "joint": [
            Part(GOLD, everything["gold"], gold.unit),
            Part(PRED, everything["pred"], pred.unit),
            Part(TP, joint_label, joint_unit, agree),
        ],
    }
    return count_tables(declared, list(names), parts)


def _quote_spans(pair: tuple[Document, Document]) -> tuple[list, list]:
    return quote_spans(pair[0], same_span), quote_spans(pair[1], same_span)


def _speakers_agree(gold: QuoteColumns, pred: QuoteColumns, gold_rows: np.ndarray, pred_rows: np.ndarray) -> np.ndarray:
    """`speakers_agree` of each pair: both absent, or both present and overlapping."""
    gold_start, gold_end = gold.speaker_start[gold_rows], gold.speaker_end[gold_rows]
    pred_start, pred_end = pred.speaker_start[pred_rows], pred.speaker_end[pred_rows]
    gold_has, pred_has = gold.has_speaker[gold_rows], pred.has_speaker[pred_rows]
    overlap = np.minimum(gold_end, pred_end) > np.maximum(gold_start, pred_start)
    return (~gold_has & ~pred_has) | (gold_has & pred_has & overlap)
