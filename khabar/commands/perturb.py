"""`khabar perturb NAME --out DIR`: write an orthographic variant of the corpus."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.errors import InputError
from khabar.published import DEFAULT_CORPUS_HELP, default_corpus


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
    parser.add_argument(
        "--corpus", type=Path, default=default_corpus(), help=f"gold corpus folder {DEFAULT_CORPUS_HELP}"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from khabar.perturb import perturb_corpus
    from khabar.store import load_corpus, save_documents

    if not args.corpus.is_dir():
        raise InputError(f"no such corpus folder: {args.corpus}")
    if args.out.exists() and (not args.out.is_dir() or any(args.out.iterdir())):
        raise InputError(f"{args.out} already exists and is not an empty folder")
    documents = load_corpus(args.corpus)
    perturbed = perturb_corpus(documents, args.name, args.seed)
    save_documents(perturbed, args.out)  # all or nothing
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


def add_benchmark_options(parser: argparse.ArgumentParser) -> None:
    """`--robustness` and `--plot DIR` for `khabar benchmark`."""
    parser.add_argument(
        "--robustness",
        action="store_true",
        help="also run every baseline on each perturbed variant of the corpus (see `khabar perturb`) and "
        "report its headline F1 there and the drop from the clean corpus",
    )
    parser.add_argument(
        "--plot",
        type=Path,
        metavar="DIR",
        help="also write figures to DIR: headline F1 per layer and F1 per label with 95 percent intervals, "
        "per system (and the drops with their intervals, with --robustness)",
    )
    parser.add_argument(
        "--plot-format",
        type=plot_formats,
        default=("png",),
        metavar="FORMATS",
        help="comma-separated figure formats: png (300 dpi), pdf, svg (default: png)",
    )


def plot_formats(value: str) -> tuple[str, ...]:
    """argparse type of `--plot-format png,pdf,svg`: known formats, each once, in the order given."""
    from khabar.eval.plots import FORMATS  # deferred for start-up time, as every khabar.eval import here

    names = tuple(dict.fromkeys(name.strip().lower() for name in value.split(",") if name.strip()))
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"expected formats from {', '.join(FORMATS)}, not {value!r}")
    return names


def check_benchmark_options(args: argparse.Namespace) -> None:
    """Fail before the long run when `--plot` cannot be a folder."""
    plot = getattr(args, "plot", None)
    if plot is not None and plot.exists() and not plot.is_dir():
        raise InputError(f"--plot {plot} exists and is not a folder")


def benchmark_extras(args: argparse.Namespace, gold: list, systems: list[str] | None, report: dict) -> str:
    """Run `--robustness` (added to `report` as "robustness") and `--plot`; returns the text
    to print after the leaderboard (empty for JSON, which carries the table itself)."""
    if not getattr(args, "robustness", False) and getattr(args, "plot", None) is None:
        return ""
    from khabar.baselines import registry
    from khabar.eval.robustness import render_robustness, robustness, score_systems

    names = systems if systems is not None else registry.available()
    clean = score_systems(gold, names, bootstrap=args.bootstrap, seed=args.seed)
    text = ""
    if args.robustness:
        report["robustness"] = robustness(gold, names, bootstrap=args.bootstrap, seed=args.seed, clean_results=clean)
        if args.format != "json":
            text = "\nRobustness: headline F1 on each perturbed variant (drop from clean)\n\n"
            text += render_robustness(report["robustness"])
    if args.plot is not None:
        from khabar.eval.plots import benchmark_plots, robustness_plots
        from khabar.files import write_files

        figures = benchmark_plots(clean, args.plot, args.plot_format)
        if "robustness" in report:
            figures.update(robustness_plots(report["robustness"], args.plot, args.plot_format))
        written = write_files(figures)  # all or nothing
        print(f"wrote {len(written)} figure(s) to {args.plot}", file=sys.stderr)
    return text
