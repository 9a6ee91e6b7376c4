"""`khabar predict --baseline NAME [--out FILE]`: run one baseline over the corpus.

Writes one JSON line per document in the annotation shape (the submission format, via
`khabar.eval.predictions.write_predictions`); the default file is `pred-<NAME>.jsonl`.
Nothing is written when the tagger fails.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_CORPUS = Path("corpus")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("predict", help="run a baseline tagger and write its predictions (JSONL)")
    parser.add_argument("--baseline", required=True, help="rules, crf, dateparser or hf")
    parser.add_argument("--out", type=Path, help="predictions file (default: pred-NAME.jsonl)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (default: corpus)")
    parser.add_argument("--model", type=Path, help="model directory (hf only)")
    parser.set_defaults(run=run)


def tagger_options(args: argparse.Namespace) -> dict:
    from khabar.errors import InputError

    if args.baseline == "hf":
        if args.model is None:
            raise InputError("the hf baseline needs --model DIR (a Hugging Face token-classification model)")
        return {"model": args.model}
    if getattr(args, "model", None) is not None:
        raise InputError(f"--model applies to the hf baseline only, not {args.baseline}")
    return {}


def run(args: argparse.Namespace) -> int:
    from khabar.baselines import registry
    from khabar.errors import InputError
    from khabar.eval.predictions import write_predictions
    from khabar.store import load_corpus

    tagger = registry.get(args.baseline, **tagger_options(args))
    gold = load_corpus(args.corpus)
    if not gold:
        raise InputError("no annotated documents", where=str(args.corpus))
    pred = tagger.predict(gold)
    out = args.out or Path(f"pred-{args.baseline}.jsonl")
    write_predictions(out, pred, tagger.layers)
    print(f"{tagger.name}: {len(pred)} document{'' if len(pred) == 1 else 's'} → {out}")
    return 0
