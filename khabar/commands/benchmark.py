"""`khabar benchmark`: run every baseline usable without extras, score it, print the leaderboard.

`--format markdown` gives the README table; `--format json` the report itself;
`--write-reference` also writes it to `baselines/scores.json`, the reference `khabar check`
compares against.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from khabar.commands.evaluate import non_negative_int, resamples

DEFAULT_REFERENCE = Path("baselines") / "scores.json"
README = Path("README.md")  # its leaderboard block is rendered from the default reference


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("benchmark", help="score every baseline on the corpus and print the leaderboard")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus)")
    parser.add_argument("--systems", help="comma-separated baselines (default: all that need no extras)")
    parser.add_argument("--bootstrap", type=resamples, default=1000, help="bootstrap resamples (default: 1000)")
    parser.add_argument(
        "--seed", type=non_negative_int, default=7, help="seed of the bootstrap and the CRF folds (default: 7)"
    )
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
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
        help="with --write-reference, also rewrite the leaderboard block of this file (default: README.md "
        "when the reference is the default one)",
    )
    from khabar.commands.perturb import add_benchmark_options

    add_benchmark_options(parser)
    parser.set_defaults(run=run, output_options=("out", "plot", "write_reference", "readme"))


def parse_systems(value: str | None) -> list[str] | None:
    from khabar.baselines import registry
    from khabar.errors import InputError

    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise InputError("--systems names no baseline", hint=f"choose from {', '.join(registry.names())}")
    for name in names:
        if name not in registry.names():
            raise InputError(f"unknown baseline {name!r}", hint=f"choose from {', '.join(registry.names())}")
        if name in registry.NEEDS_EXTRAS:
            raise InputError(f"{name} needs a model; use `khabar predict --baseline {name} --model DIR`")
    return names


def dumps_report(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def write_reference(report: dict, reference: Path, readme: Path | None) -> None:
    """The reference scores, and the README's leaderboard rendered from them: both written or neither."""
    from khabar.baselines.leaderboard import with_leaderboard
    from khabar.errors import InputError
    from khabar.files import write_files

    files: dict[Path, str] = {reference: dumps_report(report)}
    if readme is not None:
        try:
            text = readme.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"cannot read: {error}", where=str(readme)) from None
        files[readme] = with_leaderboard(text, report, str(readme))
    write_files(files, make_folders=False)
    print(f"wrote {reference}", file=sys.stderr)
    if readme is not None:
        print(f"wrote the leaderboard of {readme}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from khabar.baselines.benchmark import run_benchmark
    from khabar.baselines.leaderboard import render_markdown, render_text
    from khabar.errors import InputError
    from khabar.store import load_corpus

    if args.bootstrap < 1:
        raise InputError("--bootstrap must be at least 1")
    from khabar.commands.perturb import benchmark_extras, check_benchmark_options

    check_benchmark_options(args)
    systems = parse_systems(args.systems)
    gold = load_corpus(args.corpus)
    if not gold:
        raise InputError("no annotated documents", where=str(args.corpus))
    report = run_benchmark(gold, systems=systems, bootstrap=args.bootstrap, seed=args.seed)
    if args.write_reference is not None:
        readme = args.readme
        if readme is None and args.write_reference == DEFAULT_REFERENCE:
            readme = README
        write_reference(report, args.write_reference, readme)
    extra = benchmark_extras(args, gold, systems, report)  # --robustness, --plot
    rendered = {"text": render_text, "markdown": render_markdown, "json": dumps_report}[args.format](report)
    sys.stdout.write(rendered + extra)
    return 0
