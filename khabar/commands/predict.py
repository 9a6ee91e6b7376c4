"""`khabar predict --baseline NAME [--out FILE]`: run one baseline over the corpus.

Writes one JSON line per document in the annotation shape (the submission format, via
`khabar.eval.predictions`) to standard output, or to `--out FILE`; the status line goes
to standard error. Nothing is written when the tagger fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.commands.options import add_corpus


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "predict",
        help="run a baseline tagger and write its predictions (JSONL)",
        description=(
            "Run one baseline tagger (rules, crf, dateparser, or hf with --model) over the corpus and write its "
            "predictions as JSONL, one document per line in the annotation shape: to standard output, or to "
            "--out FILE. The status line goes to standard error. Nothing is written when the tagger fails."
        ),
    )
    parser.add_argument("--baseline", required=True, help="rules, crf, dateparser or hf")
    parser.add_argument("--out", type=Path, help="predictions file (default: standard output)")
    add_corpus(parser)
    parser.add_argument("--model", type=Path, help="model directory (hf only)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.runs.predict import predict_corpus

    tagger, pred, text = predict_corpus(args.baseline, args.corpus, args.out, model=args.model)
    if text is not None:
        sys.stdout.write(text)
    where = args.out or "standard output"
    print(f"{tagger.name}: {len(pred)} document{'' if len(pred) == 1 else 's'} → {where}", file=sys.stderr)
    return 0
