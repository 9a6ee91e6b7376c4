"""`khabar predict --baseline NAME [--out FILE]`: run one baseline over the corpus.

Writes one JSON line per document in the annotation shape (the submission format);
to stdout without `--out`. The file is written whole or not at all.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

DEFAULT_CORPUS = Path("corpus")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("predict", help="run a baseline tagger and write its predictions (JSONL)")
    parser.add_argument("--baseline", required=True, help="rules, crf, dateparser or hf")
    parser.add_argument("--out", type=Path, help="predictions file (default: stdout)")
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
    from khabar.store import load_corpus

    tagger = registry.get(args.baseline, **tagger_options(args))
    gold = load_corpus(args.corpus)
    pred = tagger.predict(gold)
    if args.out is None:
        sys.stdout.write(dumps_predictions(pred))
    else:
        write_predictions(args.out, pred)
    return 0


def dumps_predictions(documents) -> str:
    return "".join(json.dumps(document.to_json(), ensure_ascii=False) + "\n" for document in documents)


def write_predictions(path: Path, documents) -> None:
    write_atomically(path, dumps_predictions(documents))


def write_atomically(path: Path, content: str) -> None:
    """Write a file whole or not at all: a temporary file beside `path`, then a rename."""
    from khabar.errors import InputError

    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except OSError as error:
        raise InputError(f"cannot write {path.name}: {error.strerror}", where=str(path)) from error
