"""`khabar export conll`: the corpus's token view as CoNLL columns, for other tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.errors import InputError, ValidationError
from khabar.files import write_atomically
from khabar.published import DEFAULT_CORPUS_HELP, default_corpus


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
    parser.add_argument("--corpus", type=Path, default=default_corpus(), help=f"corpus folder {DEFAULT_CORPUS_HELP}")
    parser.add_argument("--out", type=Path, default=None, help="output file (default: stdout)")
    parser.add_argument(
        "--allow-collisions",
        action="store_true",
        help="export even when two outermost spans of a layer share a token (one of them is not tagged)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from khabar.build import collision_problems, document_collisions
    from khabar.formats.conll import dumps_conll
    from khabar.store import annotation_paths, load_corpus
    from khabar.views import token_view

    if not args.corpus.is_dir():
        raise InputError(f"no such corpus folder: {args.corpus}")
    paths = annotation_paths(args.corpus)
    if not paths:
        raise InputError(f"{args.corpus}: no annotation files (expected annotations/<id>.json)")
    documents = load_corpus(args.corpus)
    collisions = [row for document in documents for row in document_collisions(document)]
    if collisions and not args.allow_collisions:
        raise ValidationError(collision_problems(collisions, {path.stem: str(path) for path in paths}))
    views = [token_view(document)[0] for document in documents]
    text = dumps_conll(views)
    if args.out is None:
        sys.stdout.write(text)
    else:
        if not args.out.parent.is_dir():
            raise InputError(f"no such folder: {args.out.parent}", hint="create it first")
        write_atomically(args.out, text)
        sentence_count = sum(len(document_views) for document_views in views)
        print(f"wrote {args.out}: {len(documents)} document(s), {sentence_count} sentence(s)", file=sys.stderr)
    return 0
