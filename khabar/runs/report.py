"""The HTML error analysis of a prediction file: read and scored once as `khabar evaluate`
scores it, and drawn from the very span matches the scores were counted from."""

from __future__ import annotations

from pathlib import Path

from khabar.errors import InputError
from khabar.eval.harness import project_document
from khabar.eval.report import Report, build_report, render_report
from khabar.eval.settings import ScoringSettings
from khabar.files import write_file
from khabar.runs.scoring import Scored, load_scoring_gold, score


def error_analysis(
    predictions_path: Path,
    *,
    gold_path: Path,
    settings: ScoringSettings,
    title: str = "",
    input_format: str | None = None,
    strict_coverage: bool = False,
) -> tuple[Report, Scored]:
    """Score `predictions_path` against the gold of `gold_path`: the report (its outcomes are
    the scored result's matches, never matched again) and the scored file."""
    gold = load_scoring_gold(gold_path, settings)
    scored = score(predictions_path, gold, settings, input_format=input_format, strict_coverage=strict_coverage)
    result = scored.result
    variant = (
        f", gold variant {settings.perturbation} (seed {settings.perturbation_seed})" if settings.perturbation else ""
    )
    report = build_report(
        # Labels are shown in the scored tag set, as the harness compared them.
        [project_document(document, settings.tagset) for document in gold],
        [project_document(document, settings.tagset) for document in scored.predictions.documents],
        result,
        # A layer the file does not predict is not shown as 100% missed.
        layers=tuple(layer for layer in settings.layers if layer not in result.not_predicted),
        title=title or f"khabar error analysis: {predictions_path.name}",
        source=f"{predictions_path} scored against {gold_path}{variant}",
    )
    return report, scored


def write_html_report(report: Report, out: Path) -> None:
    """The page of `report`, written to `out` whole (its folder must exist)."""
    html = render_report(report)
    if not out.parent.is_dir():
        raise InputError(f"no such folder for --out: {out.parent}")
    write_file(out, html)
