"""Result objects: per-unit count tables, the scores derived from them, and their signatures.

Counts are the state (`CountTable`); precision, recall and F1 are derived when a table is
scored (`score_table`), with a bootstrap interval for every F1. Everything is frozen and
`to_dict()` keeps a stable key order; F1 values are fractions in 0..1, None when undefined.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from khabar.document import Document
from khabar.eval import prf
from khabar.eval.bootstrap import Bootstrap, percentile_interval, undefined_resamples
from khabar.eval.outcomes import Outcome, layer_outcomes
from khabar.eval.spanmaps import SpanMapFactory
from khabar.inventories import LAYERS


@dataclass(frozen=True)
class CountTable:
    """Per-unit counts of one metric: `counts[unit, label] = (tp, pred, gold)`.

    `kind="f1"` reads them as precision/recall/F1; `kind="accuracy"` as (correct, total,
    total), so accuracy = tp / pred. `description` says in plain words what a match is.
    """

    name: str
    labels: tuple[str, ...]
    counts: np.ndarray
    kind: str = "f1"
    description: str = ""
    settings: dict[str, str] = field(default_factory=dict)

    def summed(self) -> np.ndarray:
        return self.counts.sum(axis=0)


@dataclass(frozen=True)
class Score:
    """One row of a report: summed counts and the scores derived from them."""

    tp: float
    pred: float
    gold: float
    precision: float | None
    recall: float | None
    f1: float | None
    ci: tuple[float, float] | None = None
    undefined: int = 0  # bootstrap resamples where F1 is undefined, left out of `ci`

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "support": _number(self.gold),
            "tp": _number(self.tp),
            "pred": _number(self.pred),
            "ci": list(self.ci) if self.ci else None,
            "ci_undefined_resamples": self.undefined,
        }


@dataclass(frozen=True)
class Accuracy:
    correct: float
    total: float
    accuracy: float | None
    ci: tuple[float, float] | None = None
    undefined: int = 0  # bootstrap resamples where accuracy is undefined, left out of `ci`

    def to_dict(self) -> dict[str, Any]:
        return {
            "accuracy": self.accuracy,
            "correct": _number(self.correct),
            "total": _number(self.total),
            "ci": list(self.ci) if self.ci else None,
            "ci_undefined_resamples": self.undefined,
        }


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


@dataclass(frozen=True)
class MetricResult:
    """The scores of one metric: per label and micro/macro/weighted (or one accuracy)."""

    name: str
    kind: str
    description: str
    per_label: dict[str, Score]
    averages: dict[str, Score]
    accuracy: Accuracy | None
    signature: dict[str, Any]

    @property
    def micro(self) -> Score:
        return self.averages["micro"]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "kind": self.kind, "description": self.description}
        if self.kind == "accuracy":
            data["accuracy"] = self.accuracy.to_dict() if self.accuracy else None
        else:
            data["per_label"] = {label: score.to_dict() for label, score in self.per_label.items()}
            data.update({name: score.to_dict() for name, score in self.averages.items()})
        data["signature"] = dict(self.signature)
        return data


def _interval(resampled_values: np.ndarray | None) -> tuple[tuple[float, float] | None, int]:
    """The percentile interval of resampled scores and how many resamples were left out as undefined."""
    if resampled_values is None:
        return None, 0
    return percentile_interval(resampled_values), undefined_resamples(resampled_values)


def _score(summed: np.ndarray, resampled: np.ndarray | None) -> Score:
    scores = prf.per_label(summed)
    ci, undefined = _interval(prf.per_label(resampled)["f1"] if resampled is not None else None)
    return Score(
        tp=float(summed[prf.TP]),
        pred=float(summed[prf.PRED]),
        gold=float(summed[prf.GOLD]),
        precision=prf.as_optional(scores["precision"]),
        recall=prf.as_optional(scores["recall"]),
        f1=prf.as_optional(scores["f1"]),
        ci=ci,
        undefined=undefined,
    )


def _average(table: np.ndarray, resampled: np.ndarray | None, average: str) -> Score:
    scores = prf.AVERAGES[average](table)
    summed = table.sum(axis=0)
    ci, undefined = _interval(prf.AVERAGES[average](resampled)["f1"] if resampled is not None else None)
    return Score(
        tp=float(summed[prf.TP]),
        pred=float(summed[prf.PRED]),
        gold=float(summed[prf.GOLD]),
        precision=prf.as_optional(scores["precision"]),
        recall=prf.as_optional(scores["recall"]),
        f1=prf.as_optional(scores["f1"]),
        ci=ci,
        undefined=undefined,
    )


def score_table(table: CountTable, bootstrap: Bootstrap, signature: dict[str, Any]) -> MetricResult:
    """Scores of a count table, with percentile intervals from `bootstrap` (none when n = 0)."""
    summed = table.summed() if table.counts.size else np.zeros((len(table.labels), 3))
    resampled = bootstrap.resample(table.counts) if bootstrap.n and table.counts.shape[0] else None
    if table.kind == "accuracy":
        total = summed.sum(axis=0)
        resampled_accuracy = prf.per_label(resampled.sum(axis=-2))["precision"] if resampled is not None else None
        ci, undefined = _interval(resampled_accuracy)
        value = prf.as_optional(prf.per_label(total)["precision"])
        accuracy = Accuracy(float(total[prf.TP]), float(total[prf.PRED]), value, ci, undefined)
        return MetricResult(table.name, table.kind, table.description, {}, {}, accuracy, signature)
    present = [index for index in range(len(table.labels)) if summed[index, prf.PRED] + summed[index, prf.GOLD] > 0]
    order = sorted(present, key=lambda index: table.labels[index])
    per_label = {
        table.labels[index]: _score(summed[index], resampled[:, index] if resampled is not None else None)
        for index in order
    }
    averages = {name: _average(summed, resampled, name) for name in prf.AVERAGES}
    return MetricResult(table.name, table.kind, table.description, per_label, averages, None, signature)


@dataclass(frozen=True)
class Headline:
    """The headline score of a layer: metric name, F1 and its 95% interval."""

    name: str
    f1: float | None
    low: float | None
    high: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.name, "f1": self.f1, "ci": [self.low, self.high]}


@dataclass(frozen=True)
class LayerResult:
    layer: str
    headline: Headline
    headline_metric: str
    metrics: dict[str, MetricResult]
    signature: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "headline": self.headline.to_dict(),
            "headline_metric": self.headline_metric,
            "signature": dict(self.signature),
            "metrics": {name: metric.to_dict() for name, metric in self.metrics.items()},
        }


@dataclass(frozen=True)
class EvaluationResult:
    """Scores of every requested layer, the shared signature, and warnings about the input.

    `pairs` are the (gold, pred) documents as the harness compared them (tag set projected)
    and `span_map` its span-mapping step: `matches` pairs their spans from those, so the
    error analysis shows the very spans the scores were counted from.
    """

    layers: dict[str, LayerResult]
    signature: Mapping[str, Any]
    warnings: tuple[str, ...] = ()
    tables: dict[str, dict[str, CountTable]] = field(default_factory=dict, repr=False, compare=False)
    # Requested layers the predictions do not predict: shown as `·`, `null` in JSON, never 0.
    not_predicted: tuple[str, ...] = ()
    strata: tuple[int, ...] = field(default=(), repr=False, compare=False)  # of the tables' units
    pairs: tuple[tuple[Document, Document], ...] = field(default=(), repr=False, compare=False)
    span_map: SpanMapFactory | None = field(default=None, repr=False, compare=False)

    @cached_property
    def matches(self) -> dict[str, dict[str, list[Outcome]]]:
        """Layer → document id → the outcome of every gold and predicted span
        (`khabar.eval.outcomes`), matched once, on demand, after the harness's span mapping."""
        if self.span_map is None:
            return {}
        return {
            layer: {gold.id: layer_outcomes(gold, pred, layer, self.span_map) for gold, pred in self.pairs}
            for layer in self.layers
        }

    @property
    def headline(self) -> dict[str, Headline]:
        return {layer: result.headline for layer, result in self.layers.items()}

    def to_dict(self) -> dict[str, Any]:
        # Requested layers in their usual order; a layer not predicted is null, never 0.
        order = [layer for layer in LAYERS if layer in self.layers or layer in self.not_predicted]
        headline = {layer: self.layers[layer].headline.to_dict() if layer in self.layers else None for layer in order}
        layers = {layer: self.layers[layer].to_dict() if layer in self.layers else None for layer in order}
        return {
            "signature": dict(self.signature),
            "headline": headline,
            "layers": layers,
            "not_predicted": list(self.not_predicted),
            "warnings": list(self.warnings),
        }
