"""`khabar validate`: check annotation files against the schema and their texts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.errors import KhabarError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check annotation files against the schema and their texts",
        description=(
            "Check annotation files: schema, offsets, span texts, types, unique ids, refs, "
            "crossing spans, TimeML values and text hashes. Prints every problem as "
            "PATH:JSON-POINTER: message, sorted. Exit 0 when none, 1 when any, 2 on usage errors."
        ),
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, default=[Path("corpus")], help="corpus folders or annotation files"
    )
    parser.set_defaults(run=run)


def _expand(paths: list[Path]) -> list[Path]:
    from khabar.store import annotation_paths

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += annotation_paths(path)
        elif path.exists():
            files.append(path)
        else:
            raise KhabarError(f"no such file or folder: {path}")
    return files


def run(args: argparse.Namespace) -> int:
    from khabar.validate import check_files, problems_error

    files = _expand(args.paths)
    if not files:
        # As build, export and agree: nothing to check is a usage error, not a pass.
        raise KhabarError(f"no annotation files in {', '.join(map(str, args.paths))}")
    documents, problems = check_files(files)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {len(files)} file(s)", file=sys.stderr)
        return problems_error(problems).exit_code
    print(f"ok: {len(documents)} document(s) valid", file=sys.stderr)
    return 0
