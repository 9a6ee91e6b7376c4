"""The corpus ships with the package, so scoring works from any folder; predict writes to stdout.

The wheel's package data (`[tool.setuptools.package-data]` of `khabar.corpus`) must hold
exactly the files the gold loader reads; CI compares a non-editable install's copy with
the repository's byte for byte and scores from a folder outside the repository.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from khabar.cli import main
from khabar.published import default_corpus, published_corpus
from khabar.store import annotation_paths, load_corpus
from tests.fixture_corpus import make_corpus


def test_package_data_ships_exactly_the_gold_the_loader_reads(repo: Path, corpus_dir: Path) -> None:
    config = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert config["package-dir"]["khabar.corpus"] == "corpus" and "khabar.corpus" in config["packages"]
    shipped = {path for pattern in config["package-data"]["khabar.corpus"] for path in corpus_dir.glob(pattern)}
    read = set(annotation_paths(corpus_dir)) | {
        corpus_dir / "documents" / f"{document.id}.txt" for document in load_corpus(corpus_dir)
    }
    assert shipped == read
    assert not any("passes" in path.parts for path in shipped)


def test_the_installed_corpus_is_the_repositorys(corpus_dir: Path) -> None:
    installed = published_corpus()
    assert installed is not None
    assert load_corpus(installed) == load_corpus(corpus_dir)


def test_default_corpus_is_local_when_present_else_installed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert default_corpus() == published_corpus()
    make_corpus(tmp_path / "corpus", count=2, built=False)
    assert default_corpus() == Path("corpus")


def test_evaluate_works_from_a_folder_outside_the_repository(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["predict", "--baseline", "rules"]) == 0
    captured = capsys.readouterr()
    assert list(tmp_path.iterdir()) == []  # nothing written into the current folder
    count = len(load_corpus(published_corpus()))
    assert captured.err.startswith(f"rules: {count} document{'' if count == 1 else 's'} → standard output")
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert [record["id"] for record in records] == [document.id for document in load_corpus(published_corpus())]
    (tmp_path / "pred.jsonl").write_text(captured.out, encoding="utf-8")
    assert main(["evaluate", "pred.jsonl", "--bootstrap", "0"]) == 0
    table = capsys.readouterr().out
    assert "seqeval-strict" in table or "span-strict" in table


def test_gold_still_overrides_the_installed_corpus(tmp_path: Path, monkeypatch, capsys) -> None:
    gold = make_corpus(tmp_path / "elsewhere", count=2, built=False)
    monkeypatch.chdir(tmp_path)
    assert main(["predict", "--baseline", "rules", "--corpus", str(gold)]) == 0
    (tmp_path / "pred.jsonl").write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["evaluate", "pred.jsonl", "--gold", str(gold), "--bootstrap", "0"]) == 0
    assert main(["evaluate", "pred.jsonl", "--bootstrap", "0"]) == 2  # the installed gold has other documents
    assert "pred.jsonl" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["validate"], ["export", "conll"]])
def test_reading_commands_default_to_the_installed_corpus(command, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(command) == 0
    assert list(tmp_path.iterdir()) == []
