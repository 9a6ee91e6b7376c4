"""CLI conventions: a bad flag shows the subcommand's usage; every command has a description;
help texts show "95%" (no doubled percent sign); shell completion through argcomplete."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest

from khabar.cli import build_parser, main
from khabar.perturb import PERTURBATIONS
from khabar.runs.benchmark import robustness
from khabar.store import load_corpus
from tests.fixture_corpus import make_corpus


def subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_an_unknown_flag_shows_the_subcommands_usage(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["evaluate", "pred.jsonl", "--bogus"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: khabar evaluate ")
    assert err.endswith("khabar evaluate: error: unrecognized arguments: --bogus\n")


@pytest.mark.parametrize("name", sorted(subparsers()))
def test_every_command_has_a_description_and_no_doubled_percent(name: str) -> None:
    parser = subparsers()[name]
    assert parser.description, f"khabar {name} has no description"
    assert "%%" not in parser.format_help()


def test_shell_completion_completes_commands(tmp_path) -> None:
    environment = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_IFS": " ",
        "COMP_LINE": "khabar eva",
        "COMP_POINT": "10",
    }
    script = "import sys; from khabar.cli import main; sys.exit(main())"
    # argcomplete writes the candidates to file descriptor 8 (the shell's), debug output to 9.
    command = f"'{sys.executable}' -c '{script}' 8>&1 9>/dev/null"
    done = subprocess.run(["bash", "-c", command], env=environment, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["evaluate"]


def test_validate_prints_problems_in_every_format(tmp_path, capsys) -> None:
    broken = tmp_path / "doc-9.json"
    broken.write_text('{"id": "doc-9"}', encoding="utf-8")
    assert main(["validate", str(broken)]) == 1
    table = capsys.readouterr()
    lines = table.out.splitlines()
    assert lines and all(line.startswith(f"{broken}:") or line.startswith(f"{broken}") for line in lines)
    assert table.err == f"{len(lines)} problem(s) in 1 file(s)\n"
    assert main(["validate", str(broken), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["files"], data["documents"]) == (1, 0)
    assert [f"{p['where']}:{p['pointer']}: {p['message']}" if p["pointer"] else f"{p['where']}: {p['message']}"
            for p in data["problems"]] == lines  # fmt: skip
    assert main(["validate", str(broken), "--format", "markdown"]) == 1
    markdown = capsys.readouterr().out.splitlines()
    assert markdown[:2] == ["| file | pointer | problem |", "| --- | --- | --- |"] and len(markdown) == 2 + len(lines)


def test_validate_json_of_a_clean_corpus(corpus_dir, capsys) -> None:
    assert main(["validate", str(corpus_dir), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["problems"] == []


def test_check_prints_its_verdicts_in_every_format(capsys) -> None:
    assert main(["check", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["failed"] is False and data["scores"]
    assert {score["verdict"] for score in data["scores"]} <= {"regressed", "improved", "within tolerance"}
    assert main(["check", "--format", "markdown"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("| verdict | system |") and len([line for line in lines if line.startswith("| ")]) == (
        1 + len(data["scores"])
    )
    assert main(["check"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("ok: 0 regressed")


def test_robustness_reports_progress_once_per_variant(tmp_path) -> None:
    documents = load_corpus(make_corpus(tmp_path / "corpus", count=2, built=False))
    seen: list[tuple[int, int]] = []
    robustness(documents, ["rules"], bootstrap=0, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(done, len(PERTURBATIONS)) for done in range(1, len(PERTURBATIONS) + 1)]
