"""Reproducibility signatures: a structured mapping, rendered only at output time.

`khabar:0.1.0|corpus:1a2b3c4d|tok:ws-punct.1+flat-outer.1|layer:entities|scheme:IOB2-strict|…`
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from khabar import __version__
from khabar.document import Document
from khabar.eval.prf import ZERO_DIVISION
from khabar.views import TOKEN_VIEW_SIGNATURE

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


def corpus_hash(documents: list[Document]) -> str:
    """First 8 hex digits of the SHA-256 of the gold annotations (which include each text's hash)."""
    payload = json.dumps(
        [document.to_json() for document in sorted(documents, key=lambda document: document.id)],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:8]


def base_signature(
    *, corpus: str, tagset: str, unit: str, bootstrap: int, seed: int, normalize: str = "none"
) -> dict[str, Any]:
    return {
        "khabar": __version__,
        "corpus": corpus,
        "tok": TOKEN_VIEW_SIGNATURE,
        "tagset": tagset,
        "normalize": normalize,
        "zero_division": ZERO_DIVISION,
        "unit": unit,
        "boot": bootstrap,
        "seed": seed,
    }


def render(signature: dict[str, Any]) -> str:
    keys = [key for key in ORDER if key in signature] + [key for key in signature if key not in ORDER]
    return "|".join(f"{SHORT.get(key, key)}:{signature[key]}" for key in keys)
