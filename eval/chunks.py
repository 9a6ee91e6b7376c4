"""Chunks of IOB2 tag sequences, extracted exactly as seqeval does, vectorized with numpy.

Two readings, both seqeval's:
- `default` (conlleval): a chunk starts at `B-X`, or at `I-X` after `O` or after another
  label; it goes on over `I-X` of the same label. `O I-PER I-PER` is one PER chunk.
- `strict` (seqeval `mode="strict", scheme=IOB2`): only a chain starting at `B-X` and
  going on over `I-X` is a chunk; chains starting with `I-X` are discarded.

Sentences never share a chunk (seqeval appends an `O` after every sentence).

Accepted tags are `O`, `B-LABEL` and `I-LABEL` with a non-empty LABEL that does not start
or end with `-`. Inside the label `-` and `:` are fine (`B-Justice:Arrest-Jail`): seqeval
takes everything after the first `-` in default mode and strips `-` from both ends in
strict mode, which agree on such labels; they disagree only on labels with a leading or
trailing `-`, hence the restriction. Anything else is rejected with the position.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np

from khabar.errors import InputError

OUTSIDE, BEGIN, INSIDE = 0, 1, 2
MODES = ("strict", "default")


def parse_tag(tag: object) -> tuple[int, str] | None:
    """(prefix code, label) of a valid IOB2 tag string, None when invalid."""
    if tag == "O":
        return OUTSIDE, ""
    if not isinstance(tag, str) or len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI":
        return None
    label = tag[2:]
    if label.strip("-") != label or not label.strip():
        return None
    return (BEGIN if tag[0] == "B" else INSIDE), label


@dataclass(frozen=True)
class EncodedTags:
    """Tag sequences flattened: per token its prefix code, label id and sequence index."""

    prefix: np.ndarray  # int8, OUTSIDE / BEGIN / INSIDE
    label: np.ndarray  # int32, -1 for O
    sequence: np.ndarray  # int32, index of the sequence the token belongs to
    first: np.ndarray  # bool, the token starts its sequence


def encode(sequences: list[list[str]], labels: dict[str, int], *, side: str = "") -> EncodedTags:
    """Encode tag sequences; new labels are added to `labels` (label → id) in order of appearance."""
    lengths = np.fromiter((len(sequence) for sequence in sequences), dtype=np.int64, count=len(sequences))
    flat = list(chain.from_iterable(sequences))
    vocabulary = {tag: index for index, tag in enumerate(dict.fromkeys(flat))}
    prefix_of = np.zeros(len(vocabulary), dtype=np.int8)
    label_of = np.full(len(vocabulary), -1, dtype=np.int32)
    for tag, index in vocabulary.items():
        parsed = parse_tag(tag)
        if parsed is None:
            position = flat.index(tag)
            sequence_index = int(np.searchsorted(np.cumsum(lengths), position, side="right"))
            offset = position - int(lengths[:sequence_index].sum())
            raise InputError(
                f"invalid tag {tag!r} (expected O, B-LABEL or I-LABEL)",
                pointer=f"{side + ' ' if side else ''}sequence {sequence_index}, position {offset}",
            )
        prefix_of[index] = parsed[0]
        if parsed[0] != OUTSIDE:
            label_of[index] = labels.setdefault(parsed[1], len(labels))
    codes = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int32, count=len(flat))
    first = np.zeros(len(flat), dtype=bool)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(lengths) else np.zeros(0, dtype=np.int64)
    first[starts[lengths > 0]] = True
    sequence = np.repeat(np.arange(len(sequences), dtype=np.int32), lengths)
    return EncodedTags(prefix_of[codes], label_of[codes], sequence, first)


@dataclass(frozen=True)
class Chunks:
    """Chunks as parallel arrays: first token (flat index), end (exclusive), label id."""

    start: np.ndarray
    end: np.ndarray
    label: np.ndarray


def chunks(encoded: EncodedTags, mode: str) -> Chunks:
    """The chunks of encoded sequences under `mode` ("strict" or "default")."""
    prefix, label = encoded.prefix, encoded.label
    n = len(prefix)
    previous_prefix = np.empty_like(prefix)
    previous_label = np.empty_like(label)
    if n:
        previous_prefix[0], previous_label[0] = OUTSIDE, -1
        previous_prefix[1:], previous_label[1:] = prefix[:-1], label[:-1]
    previous_prefix[encoded.first] = OUTSIDE
    previous_label[encoded.first] = -1
    continues = (prefix == INSIDE) & (previous_prefix != OUTSIDE) & (previous_label == label)
    starts = np.flatnonzero((prefix != OUTSIDE) & ~continues)
    boundaries = np.append(np.flatnonzero(~continues), n)
    ends = boundaries[np.searchsorted(boundaries, starts, side="right")]
    if mode == "strict":
        keep = prefix[starts] == BEGIN
        starts, ends = starts[keep], ends[keep]
    elif mode != "default":
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    return Chunks(starts, ends, label[starts])


def count_matches(gold: Chunks, pred: Chunks) -> np.ndarray:
    """Boolean mask over `pred`: the chunk has a gold chunk with the same start, end and label.

    Chunks of one side never share a token, so the gold chunks' starts are distinct and in
    order (as `chunks` gives them): the only candidate is the gold chunk at the same start."""
    if not len(gold.start):
        return np.zeros(len(pred.start), dtype=bool)
    at = np.minimum(np.searchsorted(gold.start, pred.start), len(gold.start) - 1)
    return (gold.start[at] == pred.start) & (gold.end[at] == pred.end) & (gold.label[at] == pred.label)


def unit_label_counts(gold: Chunks, pred: Chunks, token_unit: np.ndarray, n_units: int, n_labels: int) -> np.ndarray:
    """Counts `(units, labels, 3)` of (tp, pred, gold) chunks per unit and label."""
    matched = count_matches(gold, pred)
    size = n_units * n_labels
    pred_keys = token_unit[pred.start].astype(np.int64) * n_labels + pred.label
    gold_keys = token_unit[gold.start].astype(np.int64) * n_labels + gold.label
    table = np.empty((n_units, n_labels, 3), dtype=np.int64)
    table[..., 0] = np.bincount(pred_keys[matched], minlength=size).reshape(n_units, n_labels)
    table[..., 1] = np.bincount(pred_keys, minlength=size).reshape(n_units, n_labels)
    table[..., 2] = np.bincount(gold_keys, minlength=size).reshape(n_units, n_labels)
    return table
