"""Reproducibility signatures: typed settings, a mapping for output, rendered only at output time.

`corpus_hash` (of the gold) is `khabar.store.corpus_hash`, imported here for its users.

`khabar:0.1.0|corpus:1a2b3c4d|tok:ws-punct.1+flat-outer.1|layer:entities|scheme:IOB2-strict|…`

As in sacreBLEU (`metrics/base.py` `get_signature`), the signature is derived from the
scoring settings (`ScoringSettings.signature`), never assembled by hand: `Signature` holds
typed fields and reads as a mapping with the short keys of the rendered form
(`dict(signature)` for JSON, `render(signature)` for text).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from khabar import __version__
from khabar.eval.prf import ZERO_DIVISION
from khabar.store import corpus_hash
from khabar.views import TOKEN_VIEW_SIGNATURE

__all__ = ["ORDER", "SHORT", "Signature", "corpus_hash", "render"]

# Order of keys in the rendered form; keys not listed follow in insertion order.
ORDER = (
    "khabar",
    "corpus",
    "tok",
    "layer",
    "metric",
    "scheme",
    "match",
    "tagset",
    "average",
    "normalize",
    "perturb",
    "spans",
    "zero_division",
    "unit",
    "boot",
    "seed",
)
SHORT = {"zero_division": "zero"}


@dataclass(frozen=True)
class Signature(Mapping[str, Any]):
    """The settings behind a score. `corpus` is `corpus_hash` of the gold; `unit` the
    resampling unit; `spans` whether spans were compared on characters or snapped to tokens;
    `layer`, `metric` and `metric_settings` (such as the scheme and match rule) are set for
    one metric's score (`for_metric`), `average` for a layer's headline."""

    corpus: str
    unit: str
    spans: str = "characters"
    tagset: str = "khabar"
    normalize: str = "none"
    bootstrap: int = 1000
    seed: int = 7
    perturbation: str | None = None
    layer: str | None = None
    metric: str | None = None
    metric_settings: tuple[tuple[str, str], ...] = ()
    average: str | None = None
    version: str = __version__
    tok: str = TOKEN_VIEW_SIGNATURE
    zero_division: str = ZERO_DIVISION

    def _entries(self) -> dict[str, Any]:
        entries: dict[str, Any] = {
            "khabar": self.version,
            "corpus": self.corpus,
            "tok": self.tok,
            "tagset": self.tagset,
            "normalize": self.normalize,
            "zero_division": self.zero_division,
            "unit": self.unit,
            "boot": self.bootstrap,
            "seed": self.seed,
            "spans": self.spans,
        }
        if self.perturbation is not None:
            entries["perturb"] = self.perturbation
        if self.layer is not None:
            entries["layer"] = self.layer
        if self.metric is not None:
            entries["metric"] = self.metric
        entries.update(self.metric_settings)
        if self.average is not None:
            entries["average"] = self.average
        return entries

    def __getitem__(self, key: str) -> Any:
        return self._entries()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries())

    def __len__(self) -> int:
        return len(self._entries())

    def for_metric(self, layer: str, metric: str, settings: Mapping[str, str]) -> Signature:
        """The signature of one metric's score of `layer`."""
        return replace(self, layer=layer, metric=metric, metric_settings=tuple(settings.items()))

    def averaged(self, average: str) -> Signature:
        return replace(self, average=average)


def render(signature: dict[str, Any]) -> str:
    keys = [key for key in ORDER if key in signature] + [key for key in signature if key not in ORDER]
    return "|".join(f"{SHORT.get(key, key)}:{signature[key]}" for key in keys)
