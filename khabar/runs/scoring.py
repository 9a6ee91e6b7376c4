"""Scoring a prediction file: load the gold (or its perturbed variant), read the
predictions, score them with the harness under one `ScoringSettings`."""

from __future__ import annotations

from pathlib import Path

from khabar.document import Document
from khabar.errors import InputError
from khabar.eval import evaluate
from khabar.eval.predictions import load_predictions
from khabar.eval.results import EvaluationResult
from khabar.eval.settings import ScoringSettings
from khabar.files import write_file
from khabar.paths import annotation_paths
from khabar.perturb import perturb_corpus
from khabar.store import load_corpus


def load_gold(path: Path) -> list[Document]:
    """The validated documents of a gold folder; a missing or empty folder is an input error."""
    if not path.exists():
        raise InputError(f"no such gold folder: {path}")
    if not annotation_paths(path):
        raise InputError(f"no annotation files in {path}")
    return load_corpus(path)


def gold_variant(gold: list[Document], settings: ScoringSettings) -> list[Document]:
    """The gold documents, or their `settings.perturbation` variant (the one `khabar perturb` writes)."""
    if settings.perturbation is None:
        return gold
    return perturb_corpus(gold, settings.perturbation, settings.perturbation_seed)


def load_scoring_gold(path: Path, settings: ScoringSettings) -> list[Document]:
    """The gold a prediction file is scored against under `settings`."""
    return gold_variant(load_gold(path), settings)


def score_file(path: Path, gold: list[Document], settings: ScoringSettings) -> EvaluationResult:
    """Score the prediction file `path` against `gold` under `settings`."""
    predictions = load_predictions(path, gold, tagset=settings.tagset)
    return evaluate(
        gold,
        predictions.documents,
        layers=settings.layers,
        tagset=settings.tagset,
        bootstrap=settings.bootstrap,
        seed=settings.seed,
        pred_tags=predictions.tags or None,
        span_map=settings.span_map(tokens=predictions.shape == "sentence"),
        normalize=settings.normalization,
        perturbation=settings.perturbation_name,
    )


def write_report(report: str, out: Path) -> None:
    """Write a finished report to `out`, whole or not at all."""
    write_file(out, report)
