"""`khabar check`: the regression gate — re-score the reference systems, exit 1 on a regression."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_REFERENCE = Path("baselines") / "scores.json"


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
    parser.add_argument("--gold", type=Path, default=Path("corpus"), help="gold corpus")
    parser.add_argument(
        "--min-tolerance", type=min_tolerance, default=0.005, metavar="F1", help="smallest tolerance, as a fraction"
    )
    parser.set_defaults(run=run)


def min_tolerance(value: str) -> float:
    """argparse type of `--min-tolerance`: a finite fraction ≥ 0 (`nan` would pass every score)."""
    from khabar.limits import tolerance

    try:
        return tolerance(float(value))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a finite number >= 0, not {value!r}") from None


def read_reference(path: Path) -> dict:
    from khabar.errors import InputError
    from khabar.eval.gate import check_shape
    from khabar.strictjson import read_json

    if not path.exists():
        raise InputError("no such reference file", where=str(path))
    data = read_json(path)
    check_shape(data, str(path))
    return data


def reference_settings(reference: dict) -> tuple[int, int]:
    """Bootstrap size and seed the reference was computed with (so intervals are comparable)."""
    for layers in reference["systems"].values():
        for entry in layers.values():
            signature = entry.get("signature", {})
            if "boot" in signature and "seed" in signature:
                return int(signature["boot"]), int(signature["seed"])
    return 1000, 7


def run(args: argparse.Namespace) -> int:
    from khabar.commands.evaluate import load_gold
    from khabar.errors import KhabarError
    from khabar.eval.gate import UPDATE_COMMAND, regressions, stale_corpus
    from khabar.eval.signature import corpus_hash

    reference = read_reference(args.reference)
    gold = load_gold(args.gold)
    stale_corpus(reference, corpus_hash(gold))
    # The baselines package is imported only here: the gate itself does not depend on it.
    try:
        from khabar.baselines.benchmark import run_benchmark
    except ImportError as error:
        raise KhabarError(f"cannot re-score the reference systems: {error}") from None

    bootstrap, seed = reference_settings(reference)
    current = run_benchmark(gold, systems=list(reference["systems"]), bootstrap=bootstrap, seed=seed)
    report = regressions(reference, current, min_tolerance=args.min_tolerance)
    for change in report.regressions:
        print(f"regressed: {change.describe()}")
    for change in report.improvements:
        print(f"improved: {change.describe()}")
    if report.improvements:
        print(f"update the reference with: {UPDATE_COMMAND}")
    for note in report.notes:
        print(f"note: {note}")
    total = len(report.regressions) + len(report.improvements) + len(report.unchanged)
    verdict = "FAILED" if report.failed else "ok"
    summary = f"{verdict}: {len(report.regressions)} regressed, {len(report.improvements)} improved, "
    print(summary + f"{len(report.unchanged)} within tolerance, of {total} headline scores", file=sys.stderr)
    return 1 if report.failed else 0
