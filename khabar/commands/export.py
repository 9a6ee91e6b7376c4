"""`khabar export conll`: the corpus's token view as CoNLL columns, for other tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_corpus


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export the corpus for other tools (conll: token + one IOB2 tag column per layer)",
        description=(
            "Export the validated corpus. conll: one token per line with the columns token, ner_tags, "
            "timex_tags, trigger_tags, quote_tags (space-separated), a blank line after each sentence, "
            "and a -DOCSTART- line before each document. Writes to stdout unless --out is given; "
            "nothing is written on error. Exit 0 on success, 1 when the annotations have problems, "
            "2 on usage or input errors."
        ),
    )
    parser.add_argument("format", choices=["conll"], help="output format")
    add_corpus(parser)
    parser.add_argument("--out", type=Path, default=None, help="output file (default: stdout)")
    parser.add_argument(
        "--allow-collisions",
        action="store_true",
        help="export even when two outermost spans of a layer share a token (one of them is not tagged)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.runs.export import export_conll, write_export

    text, document_count, sentence_count = export_conll(args.corpus, allow_collisions=args.allow_collisions)
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_export(text, args.out)
        status.status(f"wrote {args.out}: {document_count} document(s), {sentence_count} sentence(s)")
    return 0
