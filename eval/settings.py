"""`ScoringSettings`: every choice that changes a score, in one frozen object.

A command builds it once from its flags; the run layer and the harness read it. What
depends on the settings is derived here — the span-mapping step and the signature
(sacreBLEU's `get_signature`) — so callers never rebuild those rules on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from khabar.eval.signature import Signature
from khabar.eval.spanmaps import SpanMapFactory, compose, identity_spans, normalized_spans, snap_to_tokens
from khabar.inventories import LAYERS
from khabar.normalize import DEFAULT_RULES
from khabar.perturb import DEFAULT_SEED


@dataclass(frozen=True)
class ScoringSettings:
    """How predictions are scored against the gold.

    `normalize`: match spans after orthographic normalization of both sides;
    `perturbation`: score against this perturbed variant of the gold (`khabar.perturb`),
    made with `perturbation_seed`; `bootstrap`: resamples (0: none); `seed`: of the
    resampling.
    """

    layers: tuple[str, ...] = LAYERS
    tagset: str = "khabar"
    normalize: bool = False
    perturbation: str | None = None
    perturbation_seed: int = DEFAULT_SEED
    bootstrap: int = 1000
    seed: int = 7

    @property
    def normalization(self) -> str:
        """The signature value of `normalize`: the rule set's name, or "none"."""
        return DEFAULT_RULES.name if self.normalize else "none"

    @property
    def perturbation_name(self) -> str | None:
        """The signature value of `perturbation` (name and seed); None when scoring the gold as is."""
        return None if self.perturbation is None else f"{self.perturbation}.seed{self.perturbation_seed}"

    def signature(self, *, corpus: str, unit: str, spans: str) -> Signature:
        """The signature of scores under these settings, on the gold corpus of hash `corpus`
        resampled by `unit`, with spans compared on `spans` ("characters" or "tokens")."""
        return Signature(
            corpus=corpus,
            unit=unit,
            spans=spans,
            tagset=self.tagset,
            normalize=self.normalization,
            bootstrap=self.bootstrap,
            seed=self.seed,
            perturbation=self.perturbation_name,
        )

    def span_map(self, *, tokens: bool) -> SpanMapFactory:
        """The span-mapping step: snapped to tokens for tag predictions (`tokens`), then
        normalized under `normalize`; the identity when neither applies."""
        if tokens and self.normalize:
            return compose(snap_to_tokens, normalized_spans)
        if tokens:
            return snap_to_tokens
        return normalized_spans if self.normalize else identity_spans
