"""`khabar check`: the regression gate — re-score the reference systems, exit 1 on a regression."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_corpus, add_format
from khabar.limits import tolerance

DEFAULT_REFERENCE = Path("baselines") / "scores.json"


def min_tolerance(value: str) -> float:
    """argparse type of `--min-tolerance`: a finite fraction ≥ 0 (`nan` would pass every score)."""
    try:
        return tolerance(float(value))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a finite number >= 0, not {value!r}") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="exit 1 when a system's headline F1 falls below its committed reference",
        description=(
            "Re-score the systems named in the reference and compare every headline F1 with it. Exit 1 when "
            "any falls below its reference by more than the tolerance, printing what regressed; exit 0 otherwise. "
            "The tolerance is --min-tolerance for systems marked deterministic in the reference (every "
            "baseline: same input, same output); for others, the larger of the reference interval's half-width "
            "and --min-tolerance. Improvements are "
            "listed with the command that updates the reference. A reference computed on another version of "
            "the corpus is not compared: exit 3 with the command that refreshes it."
        ),
    )
    parser.add_argument(
        "--reference", type=Path, default=DEFAULT_REFERENCE, help="reference scores (default: baselines/scores.json)"
    )
    add_corpus(parser, help="gold corpus (default: corpus)")
    parser.add_argument(
        "--min-tolerance", type=min_tolerance, default=0.005, metavar="F1", help="smallest tolerance, as a fraction"
    )
    add_format(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.eval.gate import render_gate
    from khabar.runs.check import check_reference

    report = check_reference(args.reference, args.corpus, min_tolerance=args.min_tolerance)
    sys.stdout.write(render_gate(report, args.format))
    total = len(report.regressions) + len(report.improvements) + len(report.unchanged)
    verdict = "FAILED" if report.failed else "ok"
    summary = f"{verdict}: {len(report.regressions)} regressed, {len(report.improvements)} improved, "
    status.status(summary + f"{len(report.unchanged)} within tolerance, of {total} headline scores")
    return 1 if report.failed else 0
