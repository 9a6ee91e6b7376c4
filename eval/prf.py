"""Precision, recall and F1 derived from summed counts, vectorized over bootstrap resamples.

Counts are the state: a table of shape `(..., labels, 3)` holding `(tp, pred, gold)` per
label. Every score is derived from summed counts, never stored, so the same functions
serve the full sample (`...` empty) and 1,000 resamples at once (`...` = `(1000,)`).

Zero-division policy (it goes into every signature as `zero_division`):
- precision is undefined (None) when nothing is predicted, recall when there is no gold,
  F1 = 2·tp / (pred + gold) when neither is present — never a silent 0;
- macro and weighted averages run over the labels present in gold or pred (seqeval's
  target names) and count a label's undefined precision or recall as 0, as seqeval and
  scikit-learn do with `zero_division=0`; so they equal seqeval's averages.
"""

from __future__ import annotations

import numpy as np

ZERO_DIVISION = "none,avg0"  # undefined → None; counted as 0 inside macro/weighted averages
TP, PRED, GOLD = 0, 1, 2


def _divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)


def per_label(table: np.ndarray) -> dict[str, np.ndarray]:
    """Precision, recall, F1 and support per label; NaN where undefined."""
    tp, pred, gold = table[..., TP], table[..., PRED], table[..., GOLD]
    precision = _divide(tp, pred)
    recall = _divide(tp, gold)
    f1 = _divide(2 * tp, pred + gold)
    return {"precision": precision, "recall": recall, "f1": f1, "support": gold}


def micro(table: np.ndarray) -> dict[str, np.ndarray]:
    """Scores of the counts summed over labels."""
    return per_label(table.sum(axis=-2))


def macro(table: np.ndarray) -> dict[str, np.ndarray]:
    """Unweighted mean over the labels present in gold or pred (undefined counts as 0)."""
    scores = per_label(table)
    present = (table[..., PRED] + table[..., GOLD]) > 0
    n_present = present.sum(axis=-1)
    averaged = {}
    for name in ("precision", "recall", "f1"):
        values = np.where(present, np.nan_to_num(scores[name], nan=0.0), 0.0)
        averaged[name] = _divide(values.sum(axis=-1), n_present.astype(float))
    averaged["support"] = table[..., GOLD].sum(axis=-1)
    return averaged


def weighted(table: np.ndarray) -> dict[str, np.ndarray]:
    """Mean over labels weighted by gold support (undefined counts as 0); None without gold."""
    scores = per_label(table)
    support = table[..., GOLD]
    total = support.sum(axis=-1)
    averaged = {}
    for name in ("precision", "recall", "f1"):
        values = np.nan_to_num(scores[name], nan=0.0) * support
        averaged[name] = _divide(values.sum(axis=-1), total.astype(float))
    averaged["support"] = total
    return averaged


AVERAGES = {"micro": micro, "macro": macro, "weighted": weighted}


def as_optional(value: float | np.floating) -> float | None:
    """A float for JSON, None for NaN (undefined)."""
    value = float(value)
    return None if np.isnan(value) else value
