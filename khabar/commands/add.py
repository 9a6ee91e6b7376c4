"""`khabar add`: a new document in the corpus — its verbatim text and a header-only annotation."""

from __future__ import annotations

import argparse
from pathlib import Path

from khabar.commands import status


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "add",
        help="add a document: copy its text verbatim and write its header-only annotation",
        description=(
            "Copy TEXT byte for byte to CORPUS/documents/ID.txt and write CORPUS/annotations/ID.json with the "
            "header the guidelines require (id, text_sha256, language, dct with its provenance, source, "
            "guidelines_version) and empty layers, validated. Never overwrites: an id or a text already in the "
            "corpus is refused."
        ),
    )
    parser.add_argument("text", type=Path, metavar="TEXT", help="the text file (UTF-8), copied verbatim")
    parser.add_argument("--id", required=True, dest="doc_id", metavar="doc-NNNN", help="the new document's id")
    parser.add_argument("--dct", required=True, metavar="VALUE", help="document creation time, a TimeML value")
    parser.add_argument(
        "--dct-provenance", required=True, metavar="TEXT", help="how the DCT was established (guidelines TMX-2)"
    )
    parser.add_argument("--source-name", help="where the text comes from (outlet, publisher)")
    parser.add_argument("--source-url", help="the text's address")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus)")
    parser.add_argument("--guidelines", type=Path, default=Path("guidelines"), help="guidelines folder")
    parser.add_argument(
        "--guidelines-version", help="the guidelines version (default: the one stated in GUIDELINES/README.md)"
    )
    parser.set_defaults(run=run, output_options=())


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.document import DCT
    from khabar.runs.annotate import add_document, current_guidelines_version

    source = {key: value for key, value in (("name", args.source_name), ("url", args.source_url)) if value}
    version = args.guidelines_version or current_guidelines_version(args.guidelines)
    dct = DCT(args.dct, args.dct_provenance)
    document = add_document(args.corpus, args.text, args.doc_id, dct, source, version)
    status.status(f"added {document.id} ({len(document.text)} characters) to {args.corpus}")
    return 0
