"""The command reference `docs/cli.md`, generated from the parsers' own `--help`.

Generated, never hand-edited: a test fails when it is stale. Regenerate with
`python -m khabar.clidocs`.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from khabar.cli import build_parser

DOCS_PATH = Path("docs") / "cli.md"
HELP_WIDTH = "100"


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _sections(parser: argparse.ArgumentParser, prefix: str) -> list[str]:
    sections = [f"## `{prefix}`\n\n```text\n{parser.format_help().rstrip()}\n```\n"]
    for name, child in _subparsers(parser).items():
        sections += _sections(child, f"{prefix} {name}")
    return sections


def render() -> str:
    """Markdown with the `--help` of `khabar` and every subcommand, at a fixed width."""
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_WIDTH
    try:
        parser = build_parser()
        body = "\n".join(_sections(parser, "khabar"))
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    header = "# Command reference\n\nGenerated from `--help` by `python -m khabar.clidocs`; do not edit by hand.\n\n"
    return header + body


if __name__ == "__main__":
    from khabar.files import write_file

    write_file(DOCS_PATH, render(), make_folders=True)
