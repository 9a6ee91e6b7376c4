# PYTHON_ARGCOMPLETE_OK
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

Every run happens inside an output guard (`khabar.guard`) that knows the command's path
arguments: an output that resolves to one of them, or into a gold corpus, is refused
(exit 2). SIGINT and SIGTERM end a run with one line, `interrupted; nothing written`, and
exit 130 or 143; the write path undoes whatever it had staged on the way out.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from khabar import __version__, gcpause, guard
from khabar.commands import status
from khabar.errors import Interrupted, KhabarError
from khabar.extras import missing_extra

RUN_GC_THRESHOLD = 200_000

COMMAND_MODULES: tuple[str, ...] = (
    "add",
    "validate",
    "build",
    "export",
    "convert",
    "predict",
    "evaluate",
    "compare",
    "agree",
    "adjudicate",
    "promote",
    "benchmark",
    "check",
    "ls",
    "perturb",
    "report",
    "guidelines",
)
# Path arguments that name outputs; every other path argument is an input of the command.
# A command whose outputs have other names sets `output_options` with `set_defaults`.
OUTPUT_OPTIONS = ("out", "plot", "write_reference")


def command_parser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The parser of subcommand `name`, so that its errors show its own usage."""
    actions = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    return actions[0].choices[name] if actions and name in actions[0].choices else parser


def complete(parser: argparse.ArgumentParser) -> None:
    """Shell completion when argcomplete is installed and the shell asks for it (a no-op otherwise)."""
    if "_ARGCOMPLETE" not in os.environ:
        return  # the shell sets it when it asks (argcomplete does nothing without it): spare every run the import
    try:
        import argcomplete  # optional: only completion needs it
    except ModuleNotFoundError:
        return
    argcomplete.autocomplete(parser)


QUIET_HELP = (
    "less on standard error: -q silences status lines and progress bars, -qq warnings and notes too; "
    "results and errors are never silenced"
)


def add_quiet(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("-q", "--quiet", action="count", default=default, help=QUIET_HELP)


def _leaf_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """The parsers that run something: every subcommand, and every action of one that has actions (`ls`)."""
    actions = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    if not actions:
        yield parser
    for action in actions:
        for child in dict.fromkeys(action.choices.values()):  # an alias maps to the same parser
            yield from _leaf_parsers(child)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="khabar",
        description="Arabic news information-extraction benchmark: validate, build, evaluate, compare.",
    )
    parser.add_argument("--version", action="version", version=f"khabar {__version__}")
    add_quiet(parser, 0)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"khabar.commands.{name}").register(subparsers)
    # `--quiet` is accepted after the command too (`khabar evaluate P -q`), as pip's general options
    # are; the subcommand's default is SUPPRESS so that `khabar -q evaluate P` keeps the count.
    for command in _leaf_parsers(parser):
        add_quiet(command, argparse.SUPPRESS)
    return parser


def _paths(value: Any) -> Iterator[Path]:
    if isinstance(value, Path):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, Path):
                yield item


def split_paths(args: argparse.Namespace) -> tuple[list[Path], list[Path]]:
    """The input and the output path arguments of a parsed command line."""
    outputs_named = set(getattr(args, "output_options", OUTPUT_OPTIONS))
    inputs: list[Path] = []
    outputs: list[Path] = []
    for name, value in vars(args).items():
        (outputs if name in outputs_named else inputs).extend(_paths(value))
    return inputs, outputs


def _terminated(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if in_main_thread else None
    try:
        return _run(argv)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def _run(argv: list[str] | None) -> int:
    try:
        parser = build_parser()
        complete(parser)
        args, unknown = parser.parse_known_args(argv)
    except (KeyboardInterrupt, Interrupted) as interrupt:  # while starting up: nothing written yet
        status.error("interrupted; nothing written")
        return 128 + getattr(interrupt, "signum", signal.SIGINT)
    if unknown:  # reported by the subcommand's parser, with its usage (exit 2)
        command_parser(parser, args.command).error(f"unrecognized arguments: {' '.join(unknown)}")
    inputs, outputs = split_paths(args)
    status.set_quiet(args.quiet)
    # A run makes millions of small objects that live until it ends (documents, spans, tokens,
    # tags); at the default threshold (700 allocations) the collector rescans them over and
    # over, a third of `report`'s time on a large corpus. Rarer collections change no result.
    collection_thresholds = gc.get_threshold()
    gc.set_threshold(RUN_GC_THRESHOLD, *collection_thresholds[1:])
    # Called without arguments, `main` is the process (the `khabar` script, `python -m khabar`),
    # which ends with the run; called with them, it is a caller's process that goes on.
    with guard.guarded(inputs) as run_guard, gcpause.run_scope(process_ends=argv is None):
        try:
            for output in outputs:
                guard.check_output(output)
            return int(args.run(args))
        except KhabarError as error:
            status.error(f"Error: {error}")
            return error.exit_code
        except ModuleNotFoundError as error:
            # Optional dependencies are imported where they are used: name the extra that installs one.
            missing = missing_extra(error, args.command)
            if missing is None:
                raise
            status.error(f"Error: {missing}")
            return missing.exit_code
        except BrokenPipeError:
            return 0
        except KeyboardInterrupt:
            status.error(_interrupted(run_guard))
            return 128 + signal.SIGINT
        except Interrupted as interrupt:
            status.error(_interrupted(run_guard))
            return 128 + interrupt.signum
        finally:
            gc.set_threshold(*collection_thresholds)
            for message in run_guard.notes:
                status.remark(f"note: {message}")
            status.set_quiet(0)


def _interrupted(run_guard: guard.Guard) -> str:
    if not run_guard.written:
        return "interrupted; nothing written"
    return "interrupted; written before the interrupt, complete: " + ", ".join(map(str, run_guard.written))


if __name__ == "__main__":
    sys.exit(main())
