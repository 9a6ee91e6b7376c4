"""Is system A really better than system B? Paired tests on the headline F1 of each layer.

Both tests work on per-unit count vectors of A and B against the same gold, so a test
costs a few matrix products, never a re-scoring:
- paired bootstrap: units resampled with replacement, the same resamples for A and B;
  two-sided, on the resampled difference shifted to mean 0 (sacreBLEU's approach);
- approximate randomization: each unit's output swapped between A and B with
  probability 1/2; two-sided on |difference|.
Both report p = (c + 1) / (n + 1), so p is never 0 and identical systems give p = 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from khabar.document import Document
from khabar.eval import prf
from khabar.eval.bootstrap import Bootstrap, approximate_randomization_p, paired_bootstrap_p
from khabar.eval.harness import evaluate
from khabar.eval.results import EvaluationResult
from khabar.inventories import LAYERS


def micro_f1(summed: np.ndarray) -> np.ndarray:
    """Micro F1 of counts (..., 3); NaN when undefined."""
    return prf.per_label(summed)["f1"]


@dataclass(frozen=True)
class LayerComparison:
    layer: str
    metric: str
    f1_a: float | None
    f1_b: float | None
    difference: float
    p_bootstrap: float
    p_randomization: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "f1_a": self.f1_a,
            "f1_b": self.f1_b,
            "difference": self.difference,
            "p_bootstrap": self.p_bootstrap,
            "p_randomization": self.p_randomization,
        }


@dataclass(frozen=True)
class Comparison:
    layers: dict[str, LayerComparison]
    signature: dict[str, Any]
    warnings: tuple[str, ...] = ()
    skipped: dict[str, str] = field(default_factory=dict)  # layer → why it is not compared

    def to_dict(self) -> dict[str, Any]:
        layers: dict[str, Any] = {layer: comparison.to_dict() for layer, comparison in self.layers.items()}
        layers.update({layer: None for layer in self.skipped})
        return {
            "signature": dict(self.signature),
            "layers": layers,
            "skipped": dict(self.skipped),
            "warnings": list(self.warnings),
        }


def skip_reason(layer: str, result_a: EvaluationResult, result_b: EvaluationResult) -> str | None:
    """Why `layer` cannot be compared (predicted by one side only, or by neither), or None."""
    a, b = layer not in result_a.not_predicted, layer not in result_b.not_predicted
    if a and b:
        return None
    if not a and not b:
        return "not predicted by either system"
    side = "A" if a else "B"
    other = "B" if a else "A"
    return f"only {side} predicts this layer ({other} has no {layer}): a comparison would score {other} as 0"


def compare_results(
    result_a: EvaluationResult, result_b: EvaluationResult, *, bootstrap: int = 1000, trials: int = 10000, seed: int = 7
) -> Comparison:
    """Paired tests on the headline metric of every layer the two results share."""
    layers = {}
    skipped = {}
    requested = [*result_a.layers, *result_a.not_predicted]
    for layer in [layer for layer in LAYERS if layer in requested]:
        reason = skip_reason(layer, result_a, result_b)
        if reason is not None:
            skipped[layer] = reason
            continue
        layer_a, layer_b = result_a.layers[layer], result_b.layers[layer]
        metric = layer_a.headline_metric
        counts_a = result_a.tables[layer][metric].counts.sum(axis=1)  # (units, 3): labels summed
        counts_b = result_b.tables[layer][metric].counts.sum(axis=1)
        difference, p_bootstrap = paired_bootstrap_p(
            counts_a, counts_b, micro_f1, Bootstrap(bootstrap, seed, result_a.strata)
        )
        p_randomization = approximate_randomization_p(counts_a, counts_b, micro_f1, trials, seed)
        layers[layer] = LayerComparison(
            layer,
            layer_a.headline.name,
            layer_a.headline.f1,
            layer_b.headline.f1,
            difference,
            p_bootstrap,
            p_randomization,
        )
    signature = {**result_a.signature, "boot": bootstrap, "test": "paired-bootstrap+approximate-randomization"}
    signature["trials"] = trials
    return Comparison(layers, signature, result_a.warnings + result_b.warnings, skipped)


def compare(
    gold_docs: list[Document],
    pred_a: list[Document],
    pred_b: list[Document],
    *,
    layers: tuple[str, ...] | list[str] = LAYERS,
    bootstrap: int = 1000,
    trials: int = 10000,
    seed: int = 7,
    **options: Any,
) -> Comparison:
    """Compare two systems' predictions on the same gold documents."""
    result_a = evaluate(gold_docs, pred_a, layers=layers, bootstrap=0, seed=seed, **options)
    result_b = evaluate(gold_docs, pred_b, layers=layers, bootstrap=0, seed=seed, **options)
    return compare_results(result_a, result_b, bootstrap=bootstrap, trials=trials, seed=seed)
