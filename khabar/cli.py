"""The `khabar` command: a thin layer over the library.

Each subcommand lives in `khabar.commands.<name>` with `register(subparsers)` and a
`run(args) -> int`: it parses its flags (shared definitions in `khabar.commands.options`),
calls the run layer (`khabar.runs`) and prints. Library errors become one line `Error: …`
on stderr with exit code 2 (input or usage) or 1 (problems found); the library itself
never prints or exits.

Building the parser imports every command module, so a command module imports the run
layer and the libraries inside `run` (numpy, seqeval, datasets and the Label Studio SDK
take seconds to import; `khabar --help` should not wait for them). That is the one
reason for an import inside a function, and each says so.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from khabar import __version__
from khabar.errors import KhabarError

COMMAND_MODULES: tuple[str, ...] = (
    "validate",
    "build",
    "export",
    "predict",
    "evaluate",
    "compare",
    "agree",
    "benchmark",
    "check",
    "ls",
    "perturb",
    "report",
    "guidelines",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="khabar",
        description="Arabic news information-extraction benchmark: validate, build, evaluate, compare.",
    )
    parser.add_argument("--version", action="version", version=f"khabar {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"khabar.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KhabarError as error:
        print(f"Error: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
