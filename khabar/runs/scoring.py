"""Scoring a prediction file: load the gold (or its perturbed variant), read the
predictions, score them with the harness under one `ScoringSettings`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from khabar.document import Document
from khabar.errors import InputError
from khabar.eval import evaluate
from khabar.eval.outcomes import Outcome
from khabar.eval.predictions import Predictions
from khabar.eval.results import EvaluationResult
from khabar.eval.settings import ScoringSettings
from khabar.files import write_file
from khabar.paths import annotation_paths
from khabar.perturb import perturb_corpus
from khabar.runs.inputs import load_any
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


@dataclass(frozen=True)
class Scored:
    """A prediction file read once and scored once: what it holds, the scores, the span
    matches the scores were counted from, and the notes of the reader that read it."""

    predictions: Predictions
    result: EvaluationResult
    notes: tuple[str, ...] = ()

    @property
    def matches(self) -> dict[str, dict[str, list[Outcome]]]:
        """Layer → document id → span outcomes (`EvaluationResult.matches`)."""
        return self.result.matches


def score(
    path: Path,
    gold: list[Document],
    settings: ScoringSettings,
    *,
    input_format: str | None = None,
    strict_coverage: bool = False,
) -> Scored:
    """Read the prediction file `path` (in `input_format`, else the one its extension names)
    against `gold` and score it under `settings`; `strict_coverage` makes a document or
    sentence without predictions an error."""
    loaded = load_any(path, gold, input_format=input_format, tagset=settings.tagset, normalize=settings.normalize)
    return Scored(
        loaded.predictions, score_predictions(loaded.predictions, gold, settings, strict_coverage), loaded.notes
    )


def score_predictions(
    predictions: Predictions, gold: list[Document], settings: ScoringSettings, strict_coverage: bool = False
) -> EvaluationResult:
    """Score predictions already read (from a file or built in memory) against `gold`."""
    return evaluate(
        gold,
        predictions.documents,
        settings,
        pred_tags=predictions.tags or None,
        predicted=predictions.layers,
        unaligned=predictions.unaligned,
        coverage=predictions.coverage,
        strict_coverage=strict_coverage,
        valueless_timex=predictions.valueless_timex,
    )


def write_report(report: str, out: Path) -> None:
    """Write a finished report to `out`, whole or not at all."""
    write_file(out, report)
