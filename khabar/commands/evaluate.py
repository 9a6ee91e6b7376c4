"""`khabar evaluate`: score a prediction file against the gold corpus, per layer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.inventories import LAYERS, TAGSET_PROJECTIONS


def non_negative_int(value: str) -> int:
    """argparse type of counts and seeds: a negative value is a usage error (exit 2), not a traceback."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, not {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, not {value!r}")
    return number


def resamples(value: str) -> int:
    """argparse type of `--bootstrap`: 0 to `MAX_RESAMPLES` (every resample stays in memory)."""
    from khabar.limits import MAX_RESAMPLES, bounded_count

    try:
        return bounded_count(non_negative_int(value), MAX_RESAMPLES, "resamples (each is kept in memory)")
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{error}, not {value!r}") from None


def trials(value: str) -> int:
    """argparse type of `--trials`: 0 to `MAX_TRIALS`."""
    from khabar.limits import MAX_TRIALS, bounded_count

    try:
        return bounded_count(non_negative_int(value), MAX_TRIALS, "trials")
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{error}, not {value!r}") from None


def add_scoring_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `evaluate` and `compare`."""
    parser.add_argument("--gold", type=Path, default=Path("corpus"), help="gold corpus or annotation folder")
    parser.add_argument("--layers", nargs="+", choices=LAYERS, default=list(LAYERS), help="layers to score")
    parser.add_argument(
        "--tagset", choices=list(TAGSET_PROJECTIONS), default="khabar", help="project entity labels onto this tag set"
    )
    parser.add_argument(
        "--normalize", action="store_true", help="match spans after orthographic normalization of both sides"
    )
    parser.add_argument("--seed", type=non_negative_int, default=7, help="random seed of the resampling")
    add_input_options(parser)
    from khabar.commands.perturb import add_perturbation_options

    add_perturbation_options(parser)


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """How a prediction file is read, and whether leaving units out is an error."""
    from khabar.formats.readers import FORMATS

    parser.add_argument(
        "--input-format",
        choices=FORMATS,
        help="format of the predictions (default: from the extension, else jsonl)",
    )
    parser.add_argument(
        "--strict-coverage",
        action="store_true",
        help="a document or sentence without predictions is an error (default: a warning)",
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="score predictions (JSONL) against the gold annotation",
        description=(
            "Score predictions against the gold annotation: seqeval (strict IOB2 and conlleval) on the token "
            "view, span, timex, event and quote metrics on character offsets, each F1 with a 95%% bootstrap "
            "interval and a signature. PRED is JSONL, one document per line in the annotation shape, or one "
            "sentence per line with IOB2 tags. Exit 2 on bad input, with no output written."
        ),
    )
    parser.add_argument("predictions", type=Path, metavar="PRED.jsonl", help="prediction file")
    add_scoring_options(parser)
    parser.add_argument("--bootstrap", type=resamples, default=1000, metavar="N", help="bootstrap resamples (0: none)")
    parser.add_argument("--format", choices=["table", "json", "markdown"], default="table", help="output format")
    parser.add_argument("--out", type=Path, help="write the report to this file instead of standard output")
    parser.set_defaults(run=run)


def load_gold(path: Path):
    from khabar.errors import InputError
    from khabar.store import annotation_paths, load_corpus

    if not path.exists():
        raise InputError(f"no such gold folder: {path}")
    if not annotation_paths(path):
        raise InputError(f"no annotation files in {path}")
    return load_corpus(path)


def span_map_for(normalize: bool):
    """The span-mapping step: identity, or canonical raw spans under orthographic normalization."""
    if not normalize:
        return None, "none"
    from khabar.eval.harness import normalized_spans
    from khabar.normalize import DEFAULT_RULES

    return normalized_spans, DEFAULT_RULES.name


def perturbation_name(args: argparse.Namespace) -> str | None:
    """The signature value of `--perturbation` (name and seed), None when scoring the gold as is."""
    if getattr(args, "perturbation", None) is None:
        return None
    return f"{args.perturbation}.seed{args.perturbation_seed}"


def gold_for(args: argparse.Namespace):
    """The gold of `--gold`, or its `--perturbation` variant."""
    from khabar.commands.perturb import apply_perturbation

    return apply_perturbation(load_gold(args.gold), args)


def score_file(path: Path, gold, args: argparse.Namespace, bootstrap: int):
    from khabar.eval import evaluate
    from khabar.eval.harness import snap_to_tokens
    from khabar.runs.inputs import load_any

    loaded = load_any(
        path, gold, input_format=getattr(args, "input_format", None), tagset=args.tagset, normalize=args.normalize
    )
    for note in loaded.notes:
        print(f"Note: {note}", file=sys.stderr)
    predictions = loaded.predictions
    span_map, normalize = span_map_for(args.normalize)
    if predictions.shape == "sentence" and span_map is not None:
        from khabar.eval.harness import compose

        span_map = compose(snap_to_tokens, span_map)
    return evaluate(
        gold,
        predictions.documents,
        layers=tuple(args.layers),
        tagset=args.tagset,
        bootstrap=bootstrap,
        seed=args.seed,
        pred_tags=predictions.tags or None,
        span_map=span_map,
        normalize=normalize,
        perturbation=perturbation_name(args),
        predicted=predictions.layers,
        unaligned=predictions.unaligned,
        coverage=predictions.coverage,
        strict_coverage=getattr(args, "strict_coverage", False),
        valueless_timex=predictions.valueless_timex,
    )


def run(args: argparse.Namespace) -> int:
    from khabar.errors import InputError
    from khabar.eval.render import RENDERERS

    if args.bootstrap < 0:
        raise InputError("--bootstrap must be 0 or more")
    gold = gold_for(args)
    result = score_file(args.predictions, gold, args, args.bootstrap)
    for warning in result.warnings:
        print(f"Warning: {args.predictions}: {warning}", file=sys.stderr)
    write_report(RENDERERS[args.format](result), args.out)
    return 0


def write_report(report: str, out: Path | None) -> None:
    """Write the finished report to `out` (or standard output); nothing is written before."""
    from khabar.files import write_file

    if out is None:
        sys.stdout.write(report)
        return
    write_file(out, report)
