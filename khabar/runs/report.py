"""The HTML error analysis of a prediction file: read and scored once as `khabar evaluate`
scores it, and drawn from the very span matches the scores were counted from.

Where it is written (`--out`) decides its shape, never the size of the corpus, so a script
gets what it asked for:

- a path ending in `.html` (or `.htm`): one self-contained page, the summary and then every
  document (a corpus of one document gives one page);
- any other path (`report/`, `report`): a folder of `index.html`,
  the summary with the index of documents, and `docs/<id>.html`, one page per document,
  linked both ways. For a large corpus: the summary opens at once and a document page is
  as small as its document. Files of the folder this report does not write are left alone.

Either way the pages are rendered and staged one document at a time and swapped in together
(`khabar.files.file_set`): all or nothing.
"""

from __future__ import annotations

from pathlib import Path

from khabar.errors import InputError
from khabar.eval.harness import project_document
from khabar.eval.report import DOCUMENTS_FOLDER, Report, build_report, render_document, render_index, render_single
from khabar.eval.settings import ScoringSettings
from khabar.files import file_set
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


PAGE_SUFFIXES = (".html", ".htm")
INDEX_PAGE = "index.html"


def report_folder(out: Path) -> bool:
    """Whether `--out` names a report folder (True) or one page (False): a path ending in
    `.html` or `.htm` is a page, any other a folder (see the module docstring)."""
    return out.suffix.lower() not in PAGE_SUFFIXES


def write_html_report(report: Report, out: Path) -> list[Path]:
    """Write `report` to `out` (one page or a folder, see `report_folder`), all or nothing;
    the folder `out` is in must exist. Returns the pages written, the summary first."""
    target = Path(out)
    if not target.parent.is_dir():
        raise InputError(f"no such folder for --out: {target.parent}")
    if not report_folder(target):
        with file_set([target], make_folders=False) as files:
            files.write(target, render_single(report))
        return [target]
    index = target / INDEX_PAGE
    pages = {entry.id: target / DOCUMENTS_FOLDER / f"{entry.id}.html" for entry in report.index}
    with file_set([index, *pages.values()]) as files:
        files.write(index, render_index(report))
        for document in report.documents():
            files.write(pages[document.id], render_document(report, document))
    return [index, *pages.values()]
