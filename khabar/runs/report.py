"""The HTML error analysis of a prediction file: scored as `khabar evaluate` scores it,
its spans matched after the same span mapping, rendered and written in one piece."""

from __future__ import annotations

from pathlib import Path

from khabar.errors import InputError
from khabar.eval.harness import project_document
from khabar.eval.report import build_report, render_report
from khabar.eval.settings import ScoringSettings
from khabar.files import write_file
from khabar.runs.scoring import Scored, load_scoring_gold, score


def write_html_report(
    predictions_path: Path,
    out: Path,
    *,
    gold_path: Path,
    settings: ScoringSettings,
    title: str = "",
    input_format: str | None = None,
    strict_coverage: bool = False,
) -> Scored:
    """Score `predictions_path` against the gold of `gold_path` and write the page to `out`."""
    gold = load_scoring_gold(gold_path, settings)
    scored = score(predictions_path, gold, settings, input_format=input_format, strict_coverage=strict_coverage)
    result, predictions = scored.result, scored.predictions
    variant = (
        f", gold variant {settings.perturbation} (seed {settings.perturbation_seed})" if settings.perturbation else ""
    )
    # Labels are compared in the scored tag set, as the harness compares them.
    report = build_report(
        [project_document(document, settings.tagset) for document in gold],
        [project_document(document, settings.tagset) for document in predictions.documents],
        result,
        # A layer the file does not predict is not shown as 100% missed.
        layers=tuple(layer for layer in settings.layers if layer not in result.not_predicted),
        # The outcomes are matched after the same span mapping the scores used.
        span_map=settings.span_map(tokens=predictions.shape == "sentence"),
        title=title or f"khabar error analysis: {predictions_path.name}",
        source=f"{predictions_path} scored against {gold_path}{variant}",
    )
    html = render_report(report)
    if not out.parent.is_dir():
        raise InputError(f"no such folder for --out: {out.parent}")
    write_file(out, html)
    return scored
