"""`khabar guidelines --format prompt`: the guidelines proper, the inventories and the
format as one Markdown document, refused when it would leak a corpus document."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from khabar.cli import main
from khabar.guidelines import GUIDELINES_PROPER, find_leaks, read_documents
from khabar.guidelines_prompt import annotation_format_markdown, build_prompt
from khabar.inventories import (
    ENTITY_TYPES,
    EVENT_REALIS,
    EVENT_ROLES,
    EVENT_TYPES,
    QUOTE_KINDS,
    TIMEX_MODS,
    TIMEX_TYPES,
)

RULE_DEFINITION = re.compile(r"\*\*((?:GEN|ENT|TMX|EVT|QUO)-\d+)\b")
# Test fixtures: made-up sentences, not news.
FIXTURE_TEXTS = {
    "doc-0001": "جملة اختبار أولى: عقدت اللجنة التجريبية اجتماعها الثالث في مدينة الواحة أمس.",
    "doc-0002": "جملة اختبار ثانية: قال المتحدث التجريبي إن الاختبار انتهى بنجاح.",
}


@pytest.fixture
def fixture_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "documents").mkdir(parents=True)
    for doc_id, text in FIXTURE_TEXTS.items():
        (corpus / "documents" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return corpus


@pytest.fixture
def guidelines_copy(tmp_path: Path, repo: Path) -> Path:
    folder = tmp_path / "guidelines"
    folder.mkdir()
    for name in GUIDELINES_PROPER:
        shutil.copyfile(repo / "guidelines" / name, folder / name)
    return folder


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_prompt_of_the_repository_passes_the_leak_check(
    repo: Path, corpus_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    code, prompt, _ = run(["guidelines", "--format", "prompt"], capsys)
    assert code == 0
    assert find_leaks({"prompt": prompt}, read_documents(corpus_dir)) == []
    assert prompt == build_prompt(repo / "guidelines")


def test_prompt_holds_every_rule_label_and_the_format(repo: Path) -> None:
    prompt = build_prompt(repo / "guidelines")
    rules = {
        rule
        for name in GUIDELINES_PROPER
        for rule in RULE_DEFINITION.findall((repo / "guidelines" / name).read_text(encoding="utf-8"))
    }
    assert rules and rules <= set(RULE_DEFINITION.findall(prompt))
    labels = [*ENTITY_TYPES, *TIMEX_TYPES, *TIMEX_MODS, *EVENT_TYPES, *EVENT_ROLES, *EVENT_REALIS, *QUOTE_KINDS]
    assert [label for label in labels if f"`{label}`" not in prompt] == []
    assert "## Annotation and prediction format" in prompt
    # Never the adjudication record or the agreement report.
    assert "This file contains the test answers" not in prompt
    assert "Adjudication record" not in prompt and "Cohen's kappa" not in prompt


def test_format_example_slices_back() -> None:
    markdown = annotation_format_markdown()
    text = re.search(r"for the text\n`([^`]+)`", markdown)[1]
    example = json.loads(re.search(r"```json\n(.*?)```", markdown, re.DOTALL)[1])
    spans = [*example["entities"], *example["timex"]]
    for event in example["events"]:
        spans += [event["trigger"], *(argument for argument in event["arguments"] if "start" in argument)]
    for quote in example["quotes"]:
        spans += [quote["content"], quote["cue"]]
    assert len(spans) == 8
    assert [span for span in spans if text[span["start"] : span["end"]] != span["text"]] == []


def test_a_planted_leak_is_refused_and_nothing_is_written(
    guidelines_copy: Path, fixture_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "prompt.md"
    out.write_text("earlier prompt", encoding="utf-8")
    argv = ["guidelines", "--guidelines", str(guidelines_copy), "--corpus", str(fixture_corpus), "--out", str(out)]
    assert run(argv, capsys)[0] == 0
    assert out.read_text(encoding="utf-8").startswith("# khabar annotation guidelines")
    out.write_text("earlier prompt", encoding="utf-8")

    events = guidelines_copy / "events.md"
    events.write_text(events.read_text(encoding="utf-8") + "\nمثال: عقدت اللجنة التجريبية اجتماعها الثالث.\n", "utf-8")
    code, stdout, stderr = run(argv, capsys)
    assert code == 1
    assert "words shared with doc-0001" in stderr and stdout == ""
    assert out.read_text(encoding="utf-8") == "earlier prompt"


def test_a_missing_guideline_file_is_named(
    guidelines_copy: Path, fixture_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (guidelines_copy / "quotes.md").unlink()
    code, stdout, stderr = run(
        ["guidelines", "--guidelines", str(guidelines_copy), "--corpus", str(fixture_corpus)], capsys
    )
    assert code == 2 and stdout == ""
    assert "quotes.md" in stderr and "guideline file not found" in stderr
