"""`khabar convert IN --input-format F --out pred.jsonl`: another tool's output as aligned JSONL."""

from __future__ import annotations

import argparse
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_corpus
from khabar.formats.readers import FORMATS
from khabar.inventories import TAGSET_PROJECTIONS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="align another tool's output (CoNLL, TimeML, BRAT, HF pipeline, spaCy, strings) to the text as JSONL",
        description=(
            "Read predictions in another tool's format, align them to the gold texts and write khabar's "
            "document-level JSONL (the predicted layers only; spans that cannot be aligned are listed under "
            "`unaligned` and count as false positives). Every unplaced token or string is reported on stderr. "
            "Exit 2 on bad input, with nothing written."
        ),
    )
    parser.add_argument("input", type=Path, metavar="IN", help="the tool's output")
    parser.add_argument("--input-format", choices=FORMATS, help="format of IN (default: from the extension)")
    parser.add_argument("--out", type=Path, required=True, help="aligned JSONL to write")
    add_corpus(parser, help="gold corpus, for the texts (default: corpus)")
    parser.add_argument("--tagset", choices=list(TAGSET_PROJECTIONS), default="khabar", help="entity tag set of IN")
    parser.add_argument(
        "--normalize", action="store_true", help="align strings after orthographic normalization (strings format)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.runs.inputs import convert_file
    from khabar.runs.scoring import load_gold

    gold = load_gold(args.corpus)
    loaded = convert_file(
        args.input, args.out, gold, input_format=args.input_format, tagset=args.tagset, normalize=args.normalize
    )
    status.note(loaded.notes)
    predictions = loaded.predictions
    unaligned = len(predictions.unaligned)
    status.status(
        f"{loaded.input_format}: {len(predictions.documents)} documents, layers "
        f"{', '.join(sorted(predictions.layers)) or 'none'}, {unaligned} unaligned → {args.out}"
    )
    return 0
