"""`khabar report PRED.jsonl --out report.html`: a self-contained HTML error analysis."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    from khabar.commands.evaluate import add_scoring_options, resamples

    parser = subparsers.add_parser(
        "report",
        help="write a self-contained HTML error analysis of a prediction file",
        description=(
            "Score predictions as `khabar evaluate` does and write one HTML file (no script, no network, "
            "inline CSS): every document right to left with gold and predicted spans per layer, styled as "
            "correct, wrong type, wrong boundary, wrong boundary and type, missed or spurious; the per-label "
            "table with 95%% intervals; the confusion matrix of labels; the signature. Exit 2 on bad input, "
            "with no file written."
        ),
    )
    parser.add_argument("predictions", type=Path, metavar="PRED.jsonl", help="prediction file")
    parser.add_argument("--out", type=Path, required=True, help="HTML file to write")
    add_scoring_options(parser)
    parser.add_argument("--bootstrap", type=resamples, default=1000, metavar="N", help="bootstrap resamples (0: none)")
    parser.add_argument("--title", default="", help="page title (default: the prediction file's name)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from khabar.commands.evaluate import gold_for, score_file, span_map_for
    from khabar.errors import InputError
    from khabar.eval.harness import compose, project_document, snap_to_tokens
    from khabar.eval.report import build_report, render_report
    from khabar.files import write_atomically
    from khabar.runs.inputs import load_any

    if args.bootstrap < 0:
        raise InputError("--bootstrap must be 0 or more")
    gold = gold_for(args)
    result = score_file(args.predictions, gold, args, args.bootstrap)
    predictions = load_any(
        args.predictions, gold, input_format=args.input_format, tagset=args.tagset, normalize=args.normalize
    ).predictions
    # The outcomes are matched after the same span mapping the scores used.
    span_map, _ = span_map_for(args.normalize)
    if predictions.shape == "sentence":
        span_map = compose(snap_to_tokens, span_map) if span_map is not None else snap_to_tokens
    variant = f", gold variant {args.perturbation} (seed {args.perturbation_seed})" if args.perturbation else ""
    source = f"{args.predictions} scored against {args.gold}{variant}"
    # Labels are compared in the scored tag set, as the harness compares them.
    report = build_report(
        [project_document(document, args.tagset) for document in gold],
        [project_document(document, args.tagset) for document in predictions.documents],
        result,
        # A layer the file does not predict is not shown as 100% missed.
        layers=tuple(layer for layer in args.layers if layer not in result.not_predicted),
        span_map=span_map,
        title=args.title or f"khabar error analysis: {args.predictions.name}",
        source=source,
    )
    html = render_report(report)
    if not args.out.parent.is_dir():
        raise InputError(f"no such folder for --out: {args.out.parent}")
    write_atomically(args.out, html)
    for warning in result.warnings:
        print(f"Warning: {args.predictions}: {warning}", file=sys.stderr)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0
