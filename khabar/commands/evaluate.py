"""`khabar evaluate`: score a prediction file against the gold corpus, per layer."""

from __future__ import annotations

import argparse
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_bootstrap, add_format, add_scoring, scoring_settings
from khabar.commands.output import emit


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="score predictions (JSONL) against the gold annotation",
        description=(
            "Score predictions against the gold annotation: seqeval (strict IOB2 and conlleval) on the token "
            "view, span, timex, event and quote metrics on character offsets, each F1 with a 95% bootstrap "
            "interval and a signature. PRED is JSONL, one document per line in the annotation shape, or one "
            "sentence per line with IOB2 tags. Exit 2 on bad input, with no output written."
        ),
    )
    parser.add_argument("predictions", type=Path, metavar="PRED.jsonl", help="prediction file")
    add_scoring(parser)
    add_bootstrap(parser)
    add_format(parser)
    parser.add_argument("--out", type=Path, help="write the report to this file instead of standard output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.eval.render import RENDERERS
    from khabar.runs.scoring import load_scoring_gold, score

    settings = scoring_settings(args)
    gold = load_scoring_gold(args.corpus, settings)
    scored = score(
        args.predictions, gold, settings, input_format=args.input_format, strict_coverage=args.strict_coverage
    )
    status.note(scored.notes)
    result = scored.result
    for warning in result.warnings:
        status.warning(f"{args.predictions}: {warning}")
    report = RENDERERS[args.format](result)
    emit(report, args.out)
    return 0
