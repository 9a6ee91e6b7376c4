"""`khabar report PRED.jsonl --out report.html`: a self-contained HTML error analysis."""

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
            "Score predictions as `khabar evaluate` does and write one HTML file (no script, no network, "
            "inline CSS): every document right to left with gold and predicted spans per layer, styled as "
            "correct, wrong type, wrong boundary, wrong boundary and type, missed or spurious; the per-label "
            "table with 95% intervals; the confusion matrix of labels; the signature. Exit 2 on bad input, "
            "with no file written."
        ),
    )
    parser.add_argument("predictions", type=Path, metavar="PRED.jsonl", help="prediction file")
    parser.add_argument("--out", type=Path, required=True, help="HTML file to write")
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
    write_html_report(report, args.out)
    status.note(scored.notes)
    for warning in scored.result.warnings:
        status.warning(f"{args.predictions}: {warning}")
    status.status(f"wrote {args.out}")
    return 0
