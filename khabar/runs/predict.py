"""`khabar predict`: run one baseline over a corpus and write its predictions (JSONL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from khabar.baselines import registry
from khabar.baselines.protocol import Tagger
from khabar.document import Document
from khabar.errors import InputError
from khabar.eval.predictions import predictions_jsonl, write_predictions
from khabar.progress import Progress
from khabar.store import load_corpus


def tagger_options(baseline: str, model: Path | None) -> dict[str, Any]:
    if baseline == "hf":
        if model is None:
            raise InputError("the hf baseline needs --model DIR (a Hugging Face token-classification model)")
        return {"model": model}
    if model is not None:
        raise InputError(f"--model applies to the hf baseline only, not {baseline}")
    return {}


def run_tagger(tagger: Tagger, documents: list[Document], progress: Progress | None = None) -> list[Document]:
    """`tagger.predict(documents)`, reporting to `progress` when the tagger can (`reports_progress`,
    e.g. the crf's cross-validation models); the protocol's `predict` takes the documents only."""
    if progress is not None and getattr(tagger, "reports_progress", False):
        return tagger.predict(documents, progress=progress)  # type: ignore[call-arg]
    return tagger.predict(documents)


def predict_corpus(
    baseline: str, corpus: Path, out: Path | None, *, model: Path | None = None, progress: Progress | None = None
) -> tuple[Tagger, list[Document], str | None]:
    """Run `baseline` over the documents of `corpus` and write its predictions to `out`
    (nothing is written when the tagger fails); without `out`, return their JSONL text.
    `progress(done, total)` follows a tagger that reports its steps (see `run_tagger`)."""
    tagger = registry.get(baseline, **tagger_options(baseline, model))
    gold = load_corpus(corpus)
    if not gold:
        raise InputError("no annotated documents", where=str(corpus))
    pred = run_tagger(tagger, gold, progress)
    if out is None:
        return tagger, pred, predictions_jsonl(pred, tagger.layers)
    write_predictions(out, pred, tagger.layers)
    return tagger, pred, None
