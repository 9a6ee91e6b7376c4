"""`khabar report PRED.jsonl --out report.html` (one page) or `--out report/` (a page per document)."""

from __future__ import annotations

import argparse
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_bootstrap, add_scoring, scoring_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write a self-contained HTML error analysis of a prediction file",
        description=(
            "Score predictions as `khabar evaluate` does and write an HTML error analysis (no script, no "
            "network, inline CSS): a summary (headline scores, the per-label tables with 95% intervals, the "
            "confusion matrices of labels, the signature, and the index of documents with their outcome "
            "counts, most errors first), and every document right to left with gold and predicted spans per "
            "layer, styled as correct, wrong type, wrong boundary, wrong boundary and type, missed or "
            "spurious. `--out report.html` writes one page, the documents after the summary; `--out report/` "
            "(a folder) writes report/index.html, the summary, and report/docs/<id>.html, one page per "
            "document, linked both ways: use a folder for a large corpus. Exit 2 on bad input, with no file "
            "written."
        ),
    )
    parser.add_argument("predictions", type=Path, metavar="PRED.jsonl", help="prediction file")
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="PAGE.html|FOLDER/",
        help="one page (a path ending in .html or .htm) or else a folder (index.html and docs/<id>.html)",
    )
    add_scoring(parser)
    add_bootstrap(parser)
    parser.add_argument("--title", default="", help="page title (default: the prediction file's name)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.runs.report import error_analysis, write_html_report

    report, scored = error_analysis(
        args.predictions,
        gold_path=args.corpus,
        settings=scoring_settings(args),
        title=args.title,
        input_format=args.input_format,
        strict_coverage=args.strict_coverage,
    )
    pages = write_html_report(report, args.out)
    status.note(scored.notes)
    for warning in scored.result.warnings:
        status.warning(f"{args.predictions}: {warning}")
    documents = f" and {len(pages) - 1} document page{'s' if len(pages) != 2 else ''}" if len(pages) > 1 else ""
    status.status(f"wrote {pages[0]}{documents}")
    return 0
