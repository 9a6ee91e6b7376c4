"""Option definitions shared by the commands: one name, type, default and help per flag.

A command adds a flag through the function here (the sqlite-utils way of shared option
groups), so `--corpus`, `--bootstrap`, `--seed`, `--format` … mean the same thing and
accept the same values everywhere. `scoring_settings(args)` turns the scoring flags into
the `ScoringSettings` the run layer takes.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from khabar.formats.readers import FORMATS as INPUT_FORMATS
from khabar.inventories import LAYERS, TAGSET_PROJECTIONS
from khabar.limits import MAX_RESAMPLES, MAX_TRIALS, bounded_count
from khabar.perturb import DEFAULT_SEED, PERTURBATIONS
from khabar.published import DEFAULT_CORPUS_HELP, default_corpus

if TYPE_CHECKING:
    from khabar.eval.settings import ScoringSettings

DEFAULT_CORPUS = Path("corpus")
DEFAULT_BOOTSTRAP = 1000
DEFAULT_RESAMPLING_SEED = 7
# The output formats of commands that print results; each command offers those it renders.
OUTPUT_FORMATS = ("table", "json", "markdown")


def non_negative_int(value: str) -> int:
    """argparse type of counts and seeds: a negative value is a usage error (exit 2), not a traceback."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, not {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, not {value!r}")
    return number


def _bounded(value: str, maximum: int, what: str) -> int:
    try:
        return bounded_count(non_negative_int(value), maximum, what)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{error}, not {value!r}") from None


def resamples(value: str) -> int:
    """argparse type of `--bootstrap`: 0 to `MAX_RESAMPLES` (every resample stays in memory)."""
    return _bounded(value, MAX_RESAMPLES, "resamples (each is kept in memory)")


def trials(value: str) -> int:
    """argparse type of `--trials`: 0 to `MAX_TRIALS`."""
    return _bounded(value, MAX_TRIALS, "trials")


def add_corpus(
    parser: argparse.ArgumentParser, help: str = "corpus folder (default: corpus)", *, installed: bool = True
) -> None:
    """`--corpus DIR`; `--gold` is the same option under its older name.

    Commands that read the gold default to `./corpus` when the current folder holds one,
    else to the corpus installed with khabar (`installed`), so they work from any folder;
    a command that writes into the corpus (`build`) passes `installed=False` and keeps `./corpus`.
    """
    if installed:
        default, help = default_corpus(), help.replace("(default: corpus)", DEFAULT_CORPUS_HELP)
    else:
        default = DEFAULT_CORPUS
    parser.add_argument("--corpus", type=Path, default=default, help=help)
    parser.add_argument("--gold", type=Path, dest="corpus", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def add_bootstrap(parser: argparse.ArgumentParser, help: str = "bootstrap resamples (0: none)") -> None:
    parser.add_argument("--bootstrap", type=resamples, default=DEFAULT_BOOTSTRAP, metavar="N", help=help)


def add_seed(parser: argparse.ArgumentParser, help: str = "random seed of the resampling") -> None:
    parser.add_argument("--seed", type=non_negative_int, default=DEFAULT_RESAMPLING_SEED, metavar="N", help=help)


def _format_name(value: str) -> str:
    return "table" if value == "text" else value  # `text`: the older name of `table`


def add_format(parser: argparse.ArgumentParser, formats: tuple[str, ...] = OUTPUT_FORMATS) -> None:
    """`--format`, with the formats of `OUTPUT_FORMATS` the command renders (default: table)."""
    unknown = [name for name in formats if name not in OUTPUT_FORMATS]
    if unknown:
        raise ValueError(f"unknown output format {unknown[0]!r}")
    parser.add_argument("--format", type=_format_name, choices=list(formats), default="table", help="output format")


def add_layers(parser: argparse.ArgumentParser, help: str = "layers to score") -> None:
    parser.add_argument("--layers", nargs="+", choices=LAYERS, default=list(LAYERS), help=help)


def add_input(parser: argparse.ArgumentParser) -> None:
    """How a prediction file is read (`--input-format`), and whether leaving units out is an error."""
    parser.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        help="format of the predictions (default: from the extension, else jsonl)",
    )
    parser.add_argument(
        "--strict-coverage",
        action="store_true",
        help="a document or sentence without predictions is an error (default: a warning)",
    )


def add_perturbation(parser: argparse.ArgumentParser) -> None:
    """`--perturbation NAME` and `--perturbation-seed N`, for commands that score against gold."""
    parser.add_argument(
        "--perturbation",
        choices=list(PERTURBATIONS),
        metavar="NAME",
        help=f"score against this perturbed variant of the gold ({', '.join(PERTURBATIONS)}); "
        "the predictions must be made on that variant's texts (see `khabar perturb`)",
    )
    parser.add_argument(
        "--perturbation-seed",
        type=non_negative_int,
        default=DEFAULT_SEED,
        metavar="N",
        help=f"seed of the perturbation (default: {DEFAULT_SEED}, as `khabar perturb`)",
    )


def add_scoring(parser: argparse.ArgumentParser) -> None:
    """The options that decide a score, shared by `evaluate`, `compare` and `report`."""
    add_corpus(parser, help="gold corpus or annotation folder (default: corpus)")
    add_layers(parser)
    parser.add_argument(
        "--tagset", choices=list(TAGSET_PROJECTIONS), default="khabar", help="project entity labels onto this tag set"
    )
    parser.add_argument(
        "--normalize", action="store_true", help="match spans after orthographic normalization of both sides"
    )
    add_seed(parser)
    add_input(parser)
    add_perturbation(parser)


def scoring_settings(args: argparse.Namespace, *, bootstrap: int | None = None) -> ScoringSettings:
    """The `ScoringSettings` of a command's scoring flags (`bootstrap` overrides `--bootstrap`)."""
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.eval.settings import ScoringSettings

    return ScoringSettings(
        layers=tuple(args.layers),
        tagset=args.tagset,
        normalize=args.normalize,
        perturbation=args.perturbation,
        perturbation_seed=args.perturbation_seed,
        bootstrap=args.bootstrap if bootstrap is None else bootstrap,
        seed=args.seed,
    )
