"""`khabar validate`: check annotation files against the schema and their texts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.commands import status
from khabar.commands.options import add_format
from khabar.published import DEFAULT_CORPUS_HELP, default_corpus


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check annotation files against the schema and their texts",
        description=(
            "Check annotation files: schema, offsets, span texts, types, unique ids, refs, "
            "crossing spans, TimeML values, text hashes and the required header (dct with provenance, source, "
            "guidelines_version). Prints every problem as "
            "PATH:JSON-POINTER: message, sorted. Exit 0 when none, 1 when any, 2 on usage errors."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[default_corpus()],
        help=f"corpus folders or annotation files {DEFAULT_CORPUS_HELP}",
    )
    add_format(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.runs.validate import render_problems, validate_paths
    from khabar.validate import problems_error

    with status.progress_bar("validate", unit="file") as progress:
        files, documents, problems = validate_paths(args.paths, progress)
    sys.stdout.write(render_problems(problems, files, documents, args.format))
    if problems:
        status.status(f"{len(problems)} problem(s) in {len(files)} file(s)")
        return problems_error(problems).exit_code
    status.status(f"ok: {len(documents)} document(s) valid")
    return 0
