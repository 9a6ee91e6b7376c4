"""`run_benchmark`: every baseline run over the gold corpus and scored — the leaderboard.

Each system predicts the whole corpus once (the CRF through its declared k-fold
cross-validation), `khabar.eval.evaluate` scores the layers the system predicts, and the
report keeps, per system and layer, the headline metric, its F1 and 95% bootstrap
interval, whether the system is deterministic, and a signature (the scorer's settings plus the system's own).
"""

from __future__ import annotations

from typing import Any

from khabar import __version__
from khabar.baselines import registry
from khabar.document import Document


def system_options(name: str, seed: int) -> dict[str, Any]:
    """Options a baseline takes from the benchmark: the CRF's fold shuffle uses its seed."""
    return {"seed": seed} if name == "crf" else {}


def score_system(name: str, gold: list[Document], *, bootstrap: int, seed: int, **options: Any) -> dict[str, Any]:
    """{layer: {metric, f1, ci, signature}} of one system over `gold`."""
    from khabar.eval import evaluate

    tagger = registry.get(name, **{**system_options(name, seed), **options})
    pred = tagger.predict(gold)
    result = evaluate(gold, pred, layers=tagger.layers, bootstrap=bootstrap, seed=seed)
    system_signature = tagger.signature()
    scores: dict[str, Any] = {}
    for layer in tagger.layers:
        headline = result.headline[layer]
        signature = dict(result.signature)
        layer_results = getattr(result, "layers", {})
        if layer in layer_results:
            signature.update(layer_results[layer].signature)
        signature["system"] = system_signature
        scores[layer] = {
            "metric": headline.name,
            "f1": headline.f1,
            "ci": [headline.low, headline.high],
            # Read by `khabar check`: a deterministic system's score may not drop beyond the
            # minimum tolerance (a tagger without the attribute is taken as non-deterministic).
            "deterministic": bool(getattr(tagger, "deterministic", False)),
            "signature": signature,
        }
    return scores


def run_benchmark(
    documents: list[Document], *, systems: list[str] | None = None, bootstrap: int = 1000, seed: int = 7
) -> dict[str, Any]:
    """The leaderboard of `systems` (default: every baseline usable without extras)."""
    names = list(systems) if systems is not None else registry.available()
    return {
        "khabar_version": __version__,
        "systems": {name: score_system(name, documents, bootstrap=bootstrap, seed=seed) for name in names},
    }
