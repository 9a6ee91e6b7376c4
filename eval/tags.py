"""Scoring of arbitrary IOB2 tag sequences, equal to seqeval's `classification_report`.

`score_tags(gold_tags, pred_tags, scheme="IOB2")` gives seqeval's strict IOB2 numbers,
`scheme="conlleval"` its default (conlleval-compatible) numbers, both with bootstrap
intervals over the sequences (or over `units`, a unit index per sequence).
"""

from __future__ import annotations

import numpy as np

from khabar import __version__
from khabar.errors import InputError
from khabar.eval.bootstrap import Bootstrap
from khabar.eval.chunks import chunks, encode, unit_label_counts
from khabar.eval.prf import ZERO_DIVISION
from khabar.eval.results import CountTable, MetricResult, score_table

SCHEMES = {"IOB2": "strict", "IOB2-strict": "strict", "conlleval": "default", "default": "default"}
SCHEME_NAMES = {"strict": "IOB2-strict", "default": "conlleval"}
DESCRIPTIONS = {
    "strict": "chunks of B-X followed by I-X, exact start, end and label (seqeval strict IOB2; I-X chains dropped)",
    "default": "chunks as conlleval reads them (I-X after O starts a chunk), exact start, end and label",
}


def tag_count_tables(
    gold_tags: list[list[str]],
    pred_tags: list[list[str]],
    *,
    units: list[int] | np.ndarray | None = None,
    modes: tuple[str, ...] = ("strict", "default"),
    name_prefix: str = "seqeval",
) -> dict[str, CountTable]:
    """Per-unit chunk counts of both seqeval modes; one unit per sequence unless `units` is given."""
    if len(gold_tags) != len(pred_tags):
        raise InputError(f"{len(gold_tags)} gold sequences but {len(pred_tags)} predicted")
    for index, (gold, pred) in enumerate(zip(gold_tags, pred_tags, strict=True)):
        if len(gold) != len(pred):
            raise InputError(f"sequence {index}: {len(gold)} gold tags but {len(pred)} predicted")
    labels: dict[str, int] = {}
    gold = encode(gold_tags, labels, side="gold")
    pred = encode(pred_tags, labels, side="pred")
    unit_of_sequence = np.arange(len(gold_tags)) if units is None else np.asarray(units, dtype=np.int64)
    n_units = int(unit_of_sequence.max()) + 1 if len(unit_of_sequence) else 0
    token_unit = unit_of_sequence[gold.sequence] if len(gold.sequence) else gold.sequence
    label_names = tuple(labels)
    tables = {}
    for mode in modes:
        counts = unit_label_counts(
            chunks(gold, mode), chunks(pred, mode), token_unit, n_units, len(labels), len(gold.prefix)
        )
        tables[mode] = CountTable(
            f"{name_prefix}-{SCHEME_NAMES[mode]}",
            label_names,
            counts,
            description=DESCRIPTIONS[mode],
            settings={"scheme": SCHEME_NAMES[mode], "match": "exact"},
        )
    return tables


def score_tags(
    gold_tags: list[list[str]],
    pred_tags: list[list[str]],
    *,
    scheme: str = "IOB2",
    bootstrap: int = 1000,
    seed: int = 7,
    units: list[int] | None = None,
) -> MetricResult:
    """seqeval's per-label and averaged P/R/F1 for `scheme`, with percentile 95% intervals."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {sorted(SCHEMES)}")
    mode = SCHEMES[scheme]
    table = tag_count_tables(gold_tags, pred_tags, units=units, modes=(mode,))[mode]
    signature = {
        "khabar": __version__,
        "scheme": SCHEME_NAMES[mode],
        "match": "exact",
        "zero_division": ZERO_DIVISION,
        "unit": "sequence" if units is None else "given",
        "boot": bootstrap,
        "seed": seed,
    }
    return score_table(table, Bootstrap(bootstrap, seed), signature)
