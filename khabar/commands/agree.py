"""`khabar agree`: inter-annotator agreement between two annotation folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_bootstrap, add_format, add_layers, add_seed


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "agree",
        help="inter-annotator agreement between two annotation folders",
        description=(
            "Agreement between two annotations of the same documents: span F1 per layer and label (with "
            "95% bootstrap intervals), quote cues, timex value and quote speaker agreement, Cohen's kappa on "
            "the token view, then every disagreement (layer, offsets, text, each side's label or value)."
        ),
    )
    parser.add_argument("annotations_a", type=Path, metavar="ANNOTATIONS_A", help="corpus or annotation folder")
    parser.add_argument("annotations_b", type=Path, metavar="ANNOTATIONS_B", help="corpus or annotation folder")
    add_layers(parser, help="layers to compare")
    add_bootstrap(parser)
    add_seed(parser)
    add_format(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.eval.render import render_agreement
    from khabar.runs.agree import agree_folders

    result, notes = agree_folders(
        args.annotations_a, args.annotations_b, layers=args.layers, bootstrap=args.bootstrap, seed=args.seed
    )
    status.note(notes)
    sys.stdout.write(render_agreement(result, args.format))
    return 0
