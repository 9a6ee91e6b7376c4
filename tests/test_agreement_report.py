"""guidelines/adjudication/agreement.md cannot go stale: its agreement tables are `khabar agree` output.

Each table in the report is the fenced `text` block that follows the fenced command that
produced it. The test runs each such command on the committed annotation folders (the
two pre-adjudication passes and the gold) and requires the block to be its exact output,
so a changed pass, a changed gold or a changed metric shows up as a failure here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from khabar.cli import main

# A fenced `khabar agree …` command, then prose, then the fenced table it printed.
COMMAND_AND_TABLE = re.compile(r"```\n(khabar agree [^\n]+)\n```\n.*?```text\n(.*?)```", re.DOTALL)
BEFORE_ADJUDICATION = "khabar agree corpus/annotations/passes/annotator-1 corpus/annotations/passes/annotator-2"


@pytest.fixture(scope="module")
def report(repo: Path) -> str:
    return (repo / "guidelines" / "adjudication" / "agreement.md").read_text(encoding="utf-8")


def tables(markdown: str) -> dict[str, str]:
    return {command: table for command, table in COMMAND_AND_TABLE.findall(markdown)}


def test_tables_pair_each_command_with_the_next_table() -> None:
    markdown = "```\nkhabar agree a b\n```\n\nsome prose\n\n```text\nrow 1\nrow 2\n```\n"
    assert tables(markdown) == {"khabar agree a b": "row 1\nrow 2\n"}


def test_report_holds_the_table_before_adjudication(report: str) -> None:
    assert BEFORE_ADJUDICATION in tables(report)
    assert "## Agreement before adjudication" in report


def test_every_table_is_what_khabar_agree_prints(
    report: str, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    found = tables(report)
    assert len(found) >= 3
    for command, table in found.items():
        assert main(command.split()[1:]) == 0
        printed = capsys.readouterr().out
        assert printed == table, f"agreement.md is stale for: {command}"
