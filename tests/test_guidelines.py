"""The guidelines cannot go stale: every cited example re-slices from the document.

Examples are cited as an Arabic span in backticks followed by `[start, end)`; each one
must equal the document text at those offsets. Every cited rule id must be defined, and
every extension event type of the inventory must be defined in events.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from khabar.inventories import EVENT_EXTENSIONS

CITATION = re.compile(r"`([^`]+)` \[(\d+), (\d+)\)")
RULE_DEFINITION = re.compile(r"\*\*((?:GEN|ENT|TMX|EVT|QUO)-\d+)\b|\(((?:GEN|ENT|TMX|EVT|QUO)-\d+)\)\n")
RULE_REFERENCE = re.compile(r"\b((?:GEN|ENT|TMX|EVT|QUO)-\d+)\b")
GUIDELINE_FILES = ("README.md", "entities.md", "timex.md", "events.md", "quotes.md", "hard-cases.md", "agreement.md")


@pytest.fixture(scope="module")
def text(corpus_dir: Path) -> str:
    return (corpus_dir / "documents" / "doc-0001.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def guidelines(repo: Path) -> dict[str, str]:
    return {name: (repo / "guidelines" / name).read_text(encoding="utf-8") for name in GUIDELINE_FILES}


def citations(markdown: str) -> list[tuple[str, int, int]]:
    return [(match[1], int(match[2]), int(match[3])) for match in CITATION.finditer(markdown)]


def test_citation_pattern_reads_offsets() -> None:
    assert citations("see `دمشق` [1, 5) and `x` [10, 11)") == [("دمشق", 1, 5), ("x", 10, 11)]


@pytest.mark.parametrize("name", GUIDELINE_FILES)
def test_every_cited_example_slices_back(name: str, guidelines: dict[str, str], text: str) -> None:
    cited = citations(guidelines[name])
    assert cited, f"{name} cites no example from the corpus"
    stale = [(span, start, end, text[start:end]) for span, start, end in cited if text[start:end] != span]
    assert stale == []


@pytest.mark.parametrize("name", GUIDELINE_FILES)
def test_every_file_states_the_version(name: str, guidelines: dict[str, str]) -> None:
    version = re.search(r"Guidelines version (\d+\.\d+)", guidelines["README.md"])
    assert version is not None
    assert f"Guidelines version {version[1]}" in guidelines[name]


def test_every_cited_rule_is_defined(guidelines: dict[str, str]) -> None:
    everything = "\n".join(guidelines.values())
    defined = {group for match in RULE_DEFINITION.finditer(everything) for group in match.groups() if group}
    cited = set(RULE_REFERENCE.findall(everything))
    assert len(defined) >= 40
    assert sorted(cited - defined) == []


def test_rule_ids_are_defined_once(guidelines: dict[str, str]) -> None:
    everything = "\n".join(guidelines.values())
    ids = [group for match in RULE_DEFINITION.finditer(everything) for group in match.groups() if group]
    assert sorted({rule for rule in ids if ids.count(rule) > 1}) == []


def test_extension_event_types_are_defined(guidelines: dict[str, str]) -> None:
    for event_type in EVENT_EXTENSIONS:
        assert f"| {event_type} (extension) |" in guidelines["events.md"]
