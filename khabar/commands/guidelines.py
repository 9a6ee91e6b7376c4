"""`khabar guidelines`: the guidelines proper as one document for an extractor."""

from __future__ import annotations

import argparse
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_corpus
from khabar.commands.output import emit


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "guidelines",
        help="write the guidelines proper, label inventories and prediction format as one Markdown prompt",
        description=(
            "Assemble the guidelines proper (README, entities, timex, events, quotes — never an adjudication "
            "record), the label inventories and the annotation/prediction format into one Markdown document "
            "that a guideline-conditioned extractor can take as its prompt. The prompt is checked against "
            "every corpus document first: an offset citation, a document id or a run of five or more shared "
            "words is a leak, and nothing is written. Exit 0 when written, 1 on a leak, 2 on input errors."
        ),
    )
    parser.add_argument("--format", choices=["prompt"], default="prompt", help="output form (default: prompt)")
    parser.add_argument(
        "--guidelines", type=Path, default=Path("guidelines"), help="guidelines folder (default: guidelines)"
    )
    add_corpus(parser, help="corpus whose documents must not leak (default: corpus)")
    parser.add_argument("--out", type=Path, default=None, help="output file (default: standard output)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.guidelines import read_documents
    from khabar.guidelines_prompt import checked_prompt

    emit(checked_prompt(args.guidelines, read_documents(args.corpus)), args.out)
    if args.out is not None:
        status.status(str(args.out))
    return 0
