"""`khabar perturb NAME --out DIR`: write an orthographic variant of the corpus."""

from __future__ import annotations

import argparse
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_corpus, add_seed
from khabar.perturb import DEFAULT_SEED, PERTURBATIONS


def register(subparsers: argparse._SubParsersAction) -> None:
    listing = "; ".join(f"{name}: {perturbation.description}" for name, perturbation in PERTURBATIONS.items())
    parser = subparsers.add_parser(
        "perturb",
        help="write an orthographic variant of the corpus with every gold span carried over",
        description=(
            "Write a corpus folder (documents/ + annotations/) whose texts are rewritten by one "
            "perturbation and whose gold spans are carried over exactly. Deterministic for a seed. "
            f"Perturbations — {listing}."
        ),
    )
    parser.add_argument("name", choices=list(PERTURBATIONS), metavar="NAME", help="the perturbation")
    parser.add_argument("--out", type=Path, required=True, help="output folder (must not exist or be empty)")
    add_corpus(parser, help="gold corpus folder (default: corpus)")
    add_seed(parser, help=f"random seed (default: {DEFAULT_SEED})")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.runs.perturb import write_variant

    documents, perturbed = write_variant(args.corpus, args.out, args.name, args.seed)
    changed = sum(gold.text != variant.text for gold, variant in zip(documents, perturbed, strict=True))
    status.status(
        f"{args.name} (seed {args.seed}): {len(perturbed)} document(s), {changed} changed, written to {args.out}"
    )
    return 0
