"""Scoring of arbitrary IOB2 tag sequences, equal to seqeval's `classification_report`.

`score_tags(gold_tags, pred_tags, scheme="IOB2")` gives seqeval's strict IOB2 numbers,
`scheme="conlleval"` its default (conlleval-compatible) numbers, both with bootstrap
intervals over the sequences (or over `units`, a unit index per sequence).

Other tagging schemes (IOB1, IOE1, IOE2, IOBES, BILOU) are read by seqeval's own scheme
tables (`seqeval.scheme`, strict mode: invalid chains dropped) and re-tagged as IOB2
chunks, so their scores equal seqeval's `classification_report(mode="strict", scheme=…)`.
Tags may be ClassLabel ids (ints) when their `names` are given, as `datasets` stores them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from seqeval import scheme as seqeval_scheme

from khabar import __version__
from khabar.errors import InputError
from khabar.eval.bootstrap import Bootstrap
from khabar.eval.chunks import Chunks, EncodedTags, chunks, encode, unit_label_counts
from khabar.eval.prf import ZERO_DIVISION
from khabar.eval.results import CountTable, MetricResult, score_table

SCHEMES = {"IOB2": "strict", "IOB2-strict": "strict", "conlleval": "default", "default": "default"}
# Schemes read through seqeval's tables and re-tagged as IOB2 before counting.
SEQEVAL_SCHEMES = {
    "IOB1": seqeval_scheme.IOB1,
    "IOE1": seqeval_scheme.IOE1,
    "IOE2": seqeval_scheme.IOE2,
    "IOBES": seqeval_scheme.IOBES,
    "BILOU": seqeval_scheme.BILOU,
}
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
    return encoded_count_tables(gold, pred, tuple(labels), unit_of_sequence, modes=modes, name_prefix=name_prefix)


def encoded_count_tables(
    gold: EncodedTags,
    pred: EncodedTags,
    label_names: tuple[str, ...],
    unit_of_sequence: np.ndarray,
    *,
    modes: tuple[str, ...] = ("strict", "default"),
    name_prefix: str = "seqeval",
) -> dict[str, CountTable]:
    """`tag_count_tables` of sequences already encoded (both sides over the same sequences),
    with the labels of the codes in `label_names` and the unit of each sequence."""
    n_units = int(unit_of_sequence.max()) + 1 if len(unit_of_sequence) else 0
    token_unit = unit_of_sequence[gold.sequence] if len(gold.sequence) else gold.sequence
    return chunk_count_tables(
        {mode: chunks(gold, mode) for mode in modes},
        {mode: chunks(pred, mode) for mode in modes},
        label_names,
        token_unit,
        n_units,
        name_prefix=name_prefix,
    )


def chunk_count_tables(
    gold: dict[str, Chunks],
    pred: dict[str, Chunks],
    label_names: tuple[str, ...],
    token_unit: np.ndarray,
    n_units: int,
    *,
    name_prefix: str = "seqeval",
) -> dict[str, CountTable]:
    """The count tables of chunks already read, per mode (both sides over the same tokens),
    with the labels of their ids in `label_names` and the unit of each token."""
    tables = {}
    for mode, gold_chunks in gold.items():
        counts = unit_label_counts(gold_chunks, pred[mode], token_unit, n_units, len(label_names))
        tables[mode] = CountTable(
            f"{name_prefix}-{SCHEME_NAMES[mode]}",
            label_names,
            counts,
            description=DESCRIPTIONS[mode],
            settings={"scheme": SCHEME_NAMES[mode], "match": "exact"},
        )
    return tables


def tag_names(sequences: Sequence[Sequence[str | int]], names: Sequence[str] | None, side: str) -> list[list[str]]:
    """Tag strings of `sequences`, whose tags may be ClassLabel ids of `names`."""
    result = []
    for index, sequence in enumerate(sequences):
        tags = []
        for position, tag in enumerate(sequence):
            if isinstance(tag, str):
                tags.append(tag)
            elif names is None:
                raise InputError(
                    f"{side} sequence {index}, tag {position}: tag id {tag!r} needs names= (the ClassLabel names)"
                )
            elif isinstance(tag, int | np.integer) and 0 <= int(tag) < len(names):
                tags.append(names[int(tag)])
            else:
                raise InputError(
                    f"{side} sequence {index}, tag {position}: {tag!r} is not a tag id of {len(names)} names"
                )
        result.append(tags)
    return result


def to_iob2(sequences: list[list[str]], scheme: str) -> list[list[str]]:
    """The chunks seqeval reads under `scheme` (strict: invalid chains dropped), tagged IOB2."""
    entities = seqeval_scheme.Entities(sequences, SEQEVAL_SCHEMES[scheme]).entities
    result = []
    for sequence, found in zip(sequences, entities, strict=True):
        tags = ["O"] * len(sequence)
        for entity in found:
            tags[entity.start : entity.end] = [f"B-{entity.tag}"] + [f"I-{entity.tag}"] * (
                entity.end - entity.start - 1
            )
        result.append(tags)
    return result


def score_tags(
    gold_tags: Sequence[Sequence[str | int]],
    pred_tags: Sequence[Sequence[str | int]],
    *,
    scheme: str = "IOB2",
    names: Sequence[str] | None = None,
    bootstrap: int = 1000,
    seed: int = 7,
    units: list[int] | None = None,
) -> MetricResult:
    """seqeval's per-label and averaged P/R/F1 for `scheme`, with percentile 95% intervals.

    `scheme`: IOB2 (strict), conlleval (seqeval's default mode), or IOB1, IOE1, IOE2, IOBES,
    BILOU (seqeval's strict mode with that scheme). Tags are strings, or ClassLabel ids
    with their `names` (`dataset.features["ner_tags"].feature.names`)."""
    if scheme not in SCHEMES and scheme not in SEQEVAL_SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {sorted([*SCHEMES, *SEQEVAL_SCHEMES])}")
    gold, pred = tag_names(gold_tags, names, "gold"), tag_names(pred_tags, names, "pred")
    if scheme in SEQEVAL_SCHEMES:
        gold, pred = to_iob2(gold, scheme), to_iob2(pred, scheme)
    mode = SCHEMES.get(scheme, "strict")
    table = tag_count_tables(gold, pred, units=units, modes=(mode,))[mode]
    signature = {
        "khabar": __version__,
        "scheme": SCHEME_NAMES[mode] if scheme in SCHEMES else f"{scheme}-strict",
        "match": "exact",
        "zero_division": ZERO_DIVISION,
        "unit": "sequence" if units is None else "given",
        "boot": bootstrap,
        "seed": seed,
    }
    return score_table(table, Bootstrap(bootstrap, seed), signature)
