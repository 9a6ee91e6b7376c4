"""`khabar benchmark`: run every baseline usable without extras, score it, print the leaderboard.

`--format markdown` gives the README table; `--format json` the report itself;
`--write-reference` also writes it to `baselines/scores.json`, the reference `khabar check`
compares against.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.baselines.leaderboard import dumps_report
from khabar.commands import status
from khabar.commands.options import add_bootstrap, add_corpus, add_format, add_seed
from khabar.errors import InputError

DEFAULT_REFERENCE = Path("baselines") / "scores.json"
README = Path("README.md")  # its leaderboard block is rendered from the default reference


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "benchmark",
        help="score every baseline on the corpus and print the leaderboard",
        description=(
            "Run every baseline that needs no extra model (rules, crf, dateparser) over the corpus and print "
            "the leaderboard: each layer's headline F1 with its 95% bootstrap interval and the signature. "
            "--write-reference stores the scores for `khabar check`; --robustness adds each baseline's drop on "
            "every perturbed variant of the corpus; --plot writes figures. Exit 2 on bad input."
        ),
    )
    add_corpus(parser)
    parser.add_argument("--systems", help="comma-separated baselines (default: all that need no extras)")
    add_bootstrap(parser, help="bootstrap resamples (default: 1000)")
    add_seed(parser, help="seed of the bootstrap and the CRF folds (default: 7)")
    add_format(parser, ("table", "markdown", "json"))
    parser.add_argument(
        "--write-reference",
        nargs="?",
        const=DEFAULT_REFERENCE,
        type=Path,
        metavar="FILE",
        help=f"also write the scores as the reference for `khabar check` (default file: {DEFAULT_REFERENCE})",
    )
    parser.add_argument(
        "--readme",
        type=Path,
        help="with --write-reference, also rewrite the leaderboard block of this file (default: README.md, "
        "when it exists and the reference is the default one)",
    )
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
    parser.set_defaults(run=run, output_options=("out", "plot", "write_reference", "readme"))


def plot_formats(value: str) -> tuple[str, ...]:
    """argparse type of `--plot-format png,pdf,svg`: known formats, each once, in the order given."""
    # Deferred for start-up time, like every khabar.eval import of the command modules.
    from khabar.eval.plots import FORMATS

    names = tuple(dict.fromkeys(name.strip().lower() for name in value.split(",") if name.strip()))
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"expected formats from {', '.join(FORMATS)}, not {value!r}")
    return names


def parse_systems(value: str | None) -> list[str] | None:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.baselines import registry

    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise InputError("--systems names no baseline", hint=f"choose from {', '.join(registry.names())}")
    for name in names:
        if name not in registry.names():
            raise InputError(f"unknown system {name!r}", hint=f"choose from {', '.join(registry.names())}")
        reason = registry.unavailable(name) if name not in registry.NEEDS_EXTRAS else None
        if reason is not None:
            raise InputError(f"{name} cannot run here: {reason}")
        if name in registry.NEEDS_EXTRAS:
            raise InputError(f"{name} needs a model; use `khabar predict --baseline {name} --model DIR`")
    return names


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.baselines import registry
    from khabar.baselines.leaderboard import render_markdown, render_text
    from khabar.eval.robustness import render_robustness
    from khabar.runs.benchmark import (
        benchmark_extras,
        check_plot_folder,
        load_benchmark_corpus,
        run_benchmark,
        write_reference,
    )

    if args.bootstrap < 1:
        raise InputError("--bootstrap must be at least 1")
    check_plot_folder(args.plot)
    systems = parse_systems(args.systems)
    gold = load_benchmark_corpus(args.corpus)
    if systems is None:
        for name, reason in registry.skipped().items():
            status.warning(f"{name} skipped: {reason}")
    with status.progress_bar("benchmark", unit="system") as progress:
        report = run_benchmark(gold, systems=systems, bootstrap=args.bootstrap, seed=args.seed, progress=progress)
    if args.write_reference is not None:
        readme = args.readme
        if readme is None and args.write_reference == DEFAULT_REFERENCE and README.is_file():
            readme = README
        write_reference(report, args.write_reference, readme)
        status.status(f"wrote {args.write_reference}")
        if readme is not None:
            status.status(f"wrote the leaderboard of {readme}")
    extra = ""
    with status.progress_bar("robustness", unit="variant") as progress:
        data, written = benchmark_extras(
            gold,
            systems,
            bootstrap=args.bootstrap,
            seed=args.seed,
            with_robustness=args.robustness,
            plot=args.plot,
            plot_formats=args.plot_format,
            progress=progress,
        )
    if data is not None:
        report["robustness"] = data
        if args.format != "json":  # JSON carries the table itself
            extra = "\nRobustness: headline F1 on each perturbed variant (drop from clean)\n\n" + render_robustness(
                data
            )
    if args.plot is not None:
        status.status(f"wrote {len(written)} figure(s) to {args.plot}")
    rendered = {"table": render_text, "markdown": render_markdown, "json": dumps_report}[args.format](report)
    sys.stdout.write(rendered + extra)
    return 0
