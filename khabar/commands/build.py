"""`khabar build`: write the Hugging Face dataset (parquet files and card) of a corpus."""

from __future__ import annotations

import argparse
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_corpus


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "build",
        help="write the Hugging Face dataset: data/{documents,sentences}/test.parquet and README.md",
        description=(
            "Validate the corpus annotations and write the Hugging Face dataset: "
            "data/documents/test.parquet (one lossless row per document), data/sentences/test.parquet "
            "(one row per sentence with IOB2 tag columns) and the dataset card README.md. "
            "Deterministic: building twice gives identical files. Nothing is written on error. "
            "Exit 0 when built, 1 when the annotations have problems, 2 on usage or input errors."
        ),
    )
    add_corpus(parser, installed=False)  # build writes into the corpus: never the installed one
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: the corpus folder)")
    parser.add_argument(
        "--allow-collisions",
        action="store_true",
        help="build even when two outermost spans of a layer share a token; the card lists them",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.runs.build import build_corpus

    with status.progress_bar("build", unit="doc") as progress:
        assembled, written = build_corpus(
            args.corpus, args.out, allow_collisions=args.allow_collisions, progress=progress
        )
    for path in written:
        print(path)
    statistics = assembled.statistics
    status.status(
        f"built: {len(statistics.documents)} document(s), {statistics.sentences} sentence(s), "
        f"{statistics.tokens} token(s), {len(assembled.collisions)} collision(s)"
    )
    if assembled.unannotated:
        skipped = ", ".join(assembled.unannotated)
        status.remark(f"not in the dataset (text without annotation): {skipped}")
    return 0
