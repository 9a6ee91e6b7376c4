"""Seeds, bootstrap sizes and trial counts are non-negative integers: a usage error, never a traceback."""

from __future__ import annotations

import pytest

from khabar.cli import main

COMMANDS = {
    "evaluate": ["evaluate", "pred.jsonl"],
    "compare": ["compare", "a.jsonl", "b.jsonl"],
    "agree": ["agree", "a", "b"],
    "benchmark": ["benchmark"],
}
CASES = [
    ("evaluate", "--seed"),
    ("evaluate", "--bootstrap"),
    ("compare", "--seed"),
    ("compare", "--bootstrap"),
    ("compare", "--trials"),
    ("agree", "--seed"),
    ("agree", "--bootstrap"),
    ("benchmark", "--seed"),
    ("benchmark", "--bootstrap"),
]


@pytest.mark.parametrize(("command", "option"), CASES)
def test_negative_counts_and_seeds_are_usage_errors(command, option, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*COMMANDS[command], option, "-1"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert f"argument {option}: expected a non-negative integer, not '-1'" in err
    assert "Traceback" not in err
