"""`khabar compare`: paired significance tests between two systems' predictions."""

from __future__ import annotations

import argparse
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_bootstrap, add_format, add_scoring, scoring_settings, trials
from khabar.commands.output import emit
from khabar.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="is system A really better than system B? (paired tests per layer)",
        description=(
            "Compare two prediction files on the headline F1 of each layer: the difference, a paired "
            "bootstrap p-value and an approximate randomization p-value, both p = (c+1)/(n+1)."
        ),
    )
    parser.add_argument("prediction_a", type=Path, metavar="A.jsonl", help="predictions of system A")
    parser.add_argument("prediction_b", type=Path, metavar="B.jsonl", help="predictions of system B")
    add_scoring(parser)
    add_bootstrap(parser, help="paired bootstrap resamples")
    parser.add_argument("--trials", type=trials, default=10000, metavar="N", help="approximate randomization trials")
    add_format(parser)
    parser.add_argument("--out", type=Path, help="write the report to this file instead of standard output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.eval.render import render_comparison
    from khabar.eval.significance import compare_results
    from khabar.runs.scoring import load_scoring_gold, score

    if args.bootstrap < 1 or args.trials < 1:
        raise InputError("--bootstrap and --trials must be 1 or more")
    # The paired tests resample on their own: the files are scored without a bootstrap.
    settings = scoring_settings(args, bootstrap=0)
    gold = load_scoring_gold(args.corpus, settings)
    options = {"input_format": args.input_format, "strict_coverage": args.strict_coverage}
    scored_a = score(args.prediction_a, gold, settings, **options)
    status.note(scored_a.notes)
    scored_b = score(args.prediction_b, gold, settings, **options)
    status.note(scored_b.notes)
    result_a, result_b = scored_a.result, scored_b.result
    for path, result in ((args.prediction_a, result_a), (args.prediction_b, result_b)):
        for warning in result.warnings:
            status.warning(f"{path}: {warning}")
    comparison = compare_results(result_a, result_b, bootstrap=args.bootstrap, trials=args.trials, seed=args.seed)
    emit(render_comparison(comparison, str(args.prediction_a), str(args.prediction_b), args.format), args.out)
    return 0
