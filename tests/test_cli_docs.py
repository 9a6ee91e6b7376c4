"""The generated command reference matches the parsers."""

from __future__ import annotations

from khabar.cli import main
from khabar.clidocs import DOCS_PATH, render


def test_command_reference_is_fresh(repo) -> None:
    assert (repo / DOCS_PATH).read_text(encoding="utf-8") == render(), "run: python -m khabar.clidocs"


def test_every_command_has_help(capsys) -> None:
    from khabar.cli import COMMAND_MODULES

    for name in COMMAND_MODULES:
        try:
            main([name, "--help"])
        except SystemExit as done:
            assert done.code == 0
        assert capsys.readouterr().out.startswith(f"usage: khabar {name}")
