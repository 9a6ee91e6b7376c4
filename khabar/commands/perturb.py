"""`khabar perturb NAME --out DIR`: write an orthographic variant of the corpus."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    from khabar.perturb import DEFAULT_SEED, PERTURBATIONS

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
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="gold corpus folder (default: corpus)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    from khabar.perturb import perturb_corpus
    from khabar.store import load_corpus, save_document

    if not args.corpus.is_dir():
        raise InputError(f"no such corpus folder: {args.corpus}")
    if args.out.exists() and (not args.out.is_dir() or any(args.out.iterdir())):
        raise InputError(f"{args.out} already exists and is not an empty folder")
    documents = load_corpus(args.corpus)
    perturbed = perturb_corpus(documents, args.name, args.seed)
    # Write beside the target, then rename: a failure leaves no partial corpus behind.
    args.out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".perturb-", dir=args.out.parent))
    try:
        for document in perturbed:
            save_document(document, staging)
        if args.out.exists():
            args.out.rmdir()
        staging.rename(args.out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    changed = sum(gold.text != variant.text for gold, variant in zip(documents, perturbed, strict=True))
    print(
        f"{args.name} (seed {args.seed}): {len(perturbed)} document(s), {changed} changed, written to {args.out}",
        file=sys.stderr,
    )
    return 0


def add_perturbation_options(parser: argparse.ArgumentParser) -> None:
    """`--perturbation NAME` and `--perturbation-seed N`, for commands that score against gold."""
    from khabar.perturb import DEFAULT_SEED, PERTURBATIONS

    parser.add_argument(
        "--perturbation",
        choices=list(PERTURBATIONS),
        metavar="NAME",
        help=f"score against this perturbed variant of the gold ({', '.join(PERTURBATIONS)}); "
        "the predictions must be made on that variant's texts (see `khabar perturb`)",
    )
    parser.add_argument(
        "--perturbation-seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="N",
        help=f"seed of the perturbation (default: {DEFAULT_SEED}, as `khabar perturb`)",
    )


def apply_perturbation(gold: list, args: argparse.Namespace) -> list:
    """The gold documents, or their `--perturbation` variant (the same one `khabar perturb` writes)."""
    if getattr(args, "perturbation", None) is None:
        return gold
    from khabar.perturb import perturb_corpus

    return perturb_corpus(gold, args.perturbation, args.perturbation_seed)
