"""`--format table|json|markdown`, one vocabulary: `agree` and `compare` print GitHub tables
that hold the very numbers of their JSON, and every command that prints a result table offers
the three formats."""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import replace

import pytest

from khabar.cli import build_parser, main
from khabar.commands.options import OUTPUT_FORMATS
from khabar.document import Speaker
from khabar.store import load_corpus
from tests.fixture_corpus import make_corpus
from tests.test_corpus_grows import export_of

RULE = re.compile(r"^\|( :?-{3,}:? \|)+$")


def markdown_tables(text: str) -> list[list[dict[str, str]]]:
    """Every GitHub table of `text` as rows of {header: cell}; a malformed table fails."""
    tables, block = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            assert len(block) >= 2 and RULE.match(block[1]), block[:2]
            rows = [[cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in block]
            header = rows[0]
            assert all(len(row) == len(header) for row in rows), block
            tables.append([dict(zip(header, row, strict=True)) for row in rows[2:]])
            block = []
    return tables


def shown(value: float | None) -> str:
    """A fraction as the tables show it: a percentage with one decimal, `–` when undefined."""
    return "–" if value is None else f"{value * 100:.1f}"


@pytest.fixture
def passes(tmp_path):
    """Two annotators' passes of a fixture corpus; the second names another speaker for a quote."""
    corpus = make_corpus(tmp_path / "corpus", count=3, built=False)
    documents = load_corpus(corpus)
    other = replace(documents[0], quotes=(replace(documents[0].quotes[0], speaker=Speaker(ref="T2")),))
    folders = []
    for name, versions in (("a1", documents), ("a2", [other, *documents[1:]])):
        export = export_of(versions, tmp_path / f"{name}.json")
        folder = corpus / "annotations" / "passes" / name
        assert main(["ls", "import", str(export), "--out", str(folder), "--corpus", str(corpus), "-q"]) == 0
        folders.append(str(folder))
    return folders


def test_agree_markdown_holds_the_numbers_of_its_json(passes, capsys) -> None:
    argv = ["agree", *passes, "--bootstrap", "30"]
    assert main([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert main([*argv, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    measures, disagreements = markdown_tables(markdown)
    assert len(measures) == len(data["rows"]) > 10
    for row, expected in zip(measures, data["rows"], strict=True):
        assert [row["layer"], row["measure"], row["label"]] == [expected[k] for k in ("layer", "measure", "label")]
        value = expected["value"]
        kappa = "kappa" in expected["measure"]
        assert row["value"] == (("–" if value is None else f"{value:.3f}") if kappa else shown(value))
        ci = expected["ci"]
        assert row["95% CI"] == ("" if ci is None else f"[{shown(ci[0])}, {shown(ci[1])}]")
        for column, key in (("A", "count_a"), ("B", "count_b")):
            assert row[column] == ("" if expected[key] is None else str(int(expected[key])))
    assert len(data["disagreements"]) == len(disagreements) == 1
    (item,) = data["disagreements"]
    assert disagreements[0] == {
        "document": item["document"],
        "layer": item["layer"],
        "part": item["part"],
        "start": str(item["start"]),
        "end": str(item["end"]),
        "text": item["text"],
        "A": " + ".join(item["a"]),
        "B": " + ".join(item["b"]),
    }
    assert "**Disagreements: 1**" in markdown
    assert main([*argv]) == 0
    assert capsys.readouterr().out.splitlines()[0].split() == [
        "layer",
        "measure",
        "label",
        "value",
        "95%",
        "CI",
        "A",
        "B",
    ]


def test_compare_markdown_holds_the_numbers_of_its_json(tmp_path, capsys) -> None:
    corpus = str(make_corpus(tmp_path / "corpus", count=3, built=False))
    predictions = []
    for system in ("rules", "crf"):
        out = tmp_path / f"{system}.jsonl"
        assert main(["predict", "--system", system, "--corpus", corpus, "--out", str(out), "-q"]) == 0
        predictions.append(str(out))
    argv = ["compare", *predictions, "--corpus", corpus, "--bootstrap", "50", "--trials", "50"]
    assert main([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert main([*argv, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    (table,) = markdown_tables(markdown)
    compared = {layer: item for layer, item in data["layers"].items() if item is not None}
    assert [row["layer"] for row in table] == list(compared) and compared
    for row in table:
        item = compared[row["layer"]]
        assert row["metric"] == item["metric"]
        assert (row["A"], row["B"]) == (shown(item["f1_a"]), shown(item["f1_b"]))
        assert row["A − B"] == f"{item['difference'] * 100:+.1f}"
        assert row["p (bootstrap)"] == f"{item['p_bootstrap']:.4f}"
        assert row["p (randomization)"] == f"{item['p_randomization']:.4f}"
    assert markdown.startswith(f"A = `{predictions[0]}`, B = `{predictions[1]}`\n")


def _commands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize(
    "name", ["evaluate", "compare", "agree", "validate", "check", "benchmark", "adjudicate", "promote"]
)
def test_every_command_printing_a_result_table_offers_the_three_formats(name) -> None:
    (option,) = [action for action in _commands()[name]._actions if "--format" in action.option_strings]
    assert sorted(option.choices) == sorted(OUTPUT_FORMATS) and option.default == "table"


def test_adjudicate_and_promote_print_their_results_in_the_three_formats(passes, tmp_path, capsys) -> None:
    corpus = str(tmp_path / "corpus")
    outputs = {}
    for fmt in OUTPUT_FORMATS:
        out = tmp_path / f"adjudicated-{fmt}"
        assert main(["adjudicate", *passes, "--out", str(out), "--corpus", corpus, "--format", fmt, "-q"]) == 0
        outputs[fmt] = capsys.readouterr().out
    (item,) = json.loads(outputs["json"])["disagreements"]
    (table,) = markdown_tables(outputs["markdown"])
    assert [row["document"] for row in table] == [item["document"]] and table[0]["start"] == str(item["start"])
    assert outputs["table"].startswith(f"{item['document']} {item['layer']} {item['part']} [{item['start']}, ")

    assert main(["promote", passes[0], "--into", corpus, "--format", "json", "-q"]) == 0
    promoted = json.loads(capsys.readouterr().out)
    assert main(["promote", passes[0], "--into", corpus, "--format", "markdown", "-q"]) == 0
    (table,) = markdown_tables(capsys.readouterr().out)
    assert [row["document"] for row in table] == [entry["document"] for entry in promoted["documents"]]
    assert [row["state"] for row in table] == ["unchanged"] * len(table)  # promoted twice: the second changes nothing
    for row, entry in zip(table, promoted["documents"], strict=True):
        assert {layer: int(row[layer]) for layer in entry["counts"]} == entry["counts"]
    assert main(["promote", passes[0], "--into", corpus, "-q"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith(f"{promoted['documents'][0]['document']}: unchanged (")
