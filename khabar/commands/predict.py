"""`khabar predict --baseline NAME [--out FILE]`: run one baseline over the corpus.

Writes one JSON line per document in the annotation shape (the submission format, via
`khabar.eval.predictions.dumps_predictions`); the default file is `pred-<NAME>.jsonl`.
Nothing is written when the tagger fails.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from khabar.commands.options import add_corpus


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("predict", help="run a baseline tagger and write its predictions (JSONL)")
    parser.add_argument("--baseline", required=True, help="rules, crf, dateparser or hf")
    parser.add_argument("--out", type=Path, help="predictions file (default: pred-NAME.jsonl)")
    add_corpus(parser)
    parser.add_argument("--model", type=Path, help="model directory (hf only)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.runs.predict import predict_corpus

    out = args.out or Path(f"pred-{args.baseline}.jsonl")
    tagger, pred = predict_corpus(args.baseline, args.corpus, out, model=args.model)
    print(f"{tagger.name}: {len(pred)} document{'' if len(pred) == 1 else 's'} → {out}")
    return 0
