"""`khabar predict --system NAME [--out FILE]`: run one system (baseline, outside system or plug-in) over the corpus.

Writes one JSON line per document in the annotation shape (the submission format, via
`khabar.eval.predictions`) to standard output, or to `--out FILE`; the status line goes
to standard error. Nothing is written when the tagger fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_corpus


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "predict",
        help="run a system (baseline, outside tool or plug-in) and write its predictions (JSONL)",
        description=(
            "Run one registered system (rules, crf, dateparser, heideltime, hf with --model, or a plug-in of the "
            "entry-point group khabar.systems) over the corpus and write its predictions as JSONL, one document "
            "per line in the annotation shape with only the layers it predicts: to standard output, or to "
            "--out FILE. The status line goes to standard error. Nothing is written when the tagger fails."
        ),
    )
    parser.add_argument(
        "--system",
        "--baseline",
        dest="baseline",
        required=True,
        metavar="NAME",
        help="a registered system: rules, crf, dateparser, heideltime, hf, or a plug-in",
    )
    parser.add_argument("--out", type=Path, help="predictions file (default: standard output)")
    add_corpus(parser)
    parser.add_argument("--model", type=Path, help="model directory (hf only)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.runs.predict import predict_corpus

    with status.progress_bar(f"predict {args.baseline}", unit="step") as progress:
        tagger, pred, text = predict_corpus(args.baseline, args.corpus, args.out, model=args.model, progress=progress)
    if text is not None:
        sys.stdout.write(text)
    where = args.out or "standard output"
    status.status(f"{tagger.name}: {len(pred)} document{'' if len(pred) == 1 else 's'} → {where}")
    return 0
