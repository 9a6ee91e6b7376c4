"""`khabar promote`: an adjudicated pass becomes the gold — validated first, logged."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_format


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "promote",
        help="make a pass the gold of the corpus (validated first, logged)",
        description=(
            "The one step that writes gold annotations from a pass: every file of PASS is validated (schema, "
            "offsets against the corpus texts, the required header) and, only when all are valid, written to "
            "CORPUS/annotations/ together with a line in CORPUS/annotations/promotions.jsonl (date, pass, each "
            "document's file hash before and after, its layer counts). Then refresh: `khabar benchmark "
            "--write-reference` and `khabar build`."
        ),
    )
    parser.add_argument("pass_folder", type=Path, metavar="PASS", help="the pass folder to promote")
    parser.add_argument("--into", type=Path, required=True, metavar="CORPUS", help="the corpus folder")
    add_format(parser)
    parser.set_defaults(run=run, output_options=())


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.runs.annotate import promote, render_promotion

    promotion = promote(args.pass_folder, args.into)
    sys.stdout.write(render_promotion(promotion, args.format))
    status.status(
        f"promoted {len(promotion.documents)} document(s) from {args.pass_folder}; logged in {promotion.log}; "
        "now run `khabar benchmark --write-reference` and `khabar build`"
    )
    return 0
