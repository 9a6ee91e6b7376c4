"""The guidelines give away no test answer, and the records that do cannot go stale.

The guidelines proper (README and the four layer files) illustrate every rule with
constructed sentences: the leak check refuses any offset citation, any corpus document
id and any run of five or more words shared with a corpus document. The adjudication
records and the agreement report cite the corpus by offset; every citation there
re-slices from the document it names. Every cited rule id is defined once, in the
guidelines proper.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from khabar.guidelines import GUIDELINES_PROPER, find_leaks, read_documents, read_guidelines, shared_runs
from khabar.inventories import EVENT_EXTENSIONS

# `span` [start, end) or `span` doc-0002 [start, end)
CITATION = re.compile(r"`([^`]+)` (?:(doc-\d+) )?\[(\d+), (\d+)\)")
RULE_DEFINITION = re.compile(r"\*\*((?:GEN|ENT|TMX|EVT|QUO)-\d+)\b")
RULE_REFERENCE = re.compile(r"\b((?:GEN|ENT|TMX|EVT|QUO)-\d+)\b")
TYPE_ROW = re.compile(r"^\| (?:`)?([A-Z][A-Za-z:-]*)(?:`)?(?: \(extension\))? \|(.*)$", re.MULTILINE)
ARABIC = re.compile(r"[\u0600-\u06FF]")
# Test-fixture "documents": short made-up sentences, not news.
FIXTURE_DOCUMENTS = {
    "doc-0001": "اختبار: زار الوفد التجريبي مدينة الواحة يوم الأحد وعاد إلى العاصمة مساء.",
    "doc-0002": "اختبار آخر: أعلنت اللجنة المؤقتة للتجارب أن الجلسة الثالثة تأجلت حتى إشعار آخر.",
}


@pytest.fixture(scope="module")
def proper(repo: Path) -> dict[str, str]:
    return read_guidelines(repo / "guidelines")


@pytest.fixture(scope="module")
def documents(corpus_dir: Path) -> dict[str, str]:
    return read_documents(corpus_dir)


@pytest.fixture(scope="module")
def records(repo: Path) -> dict[str, str]:
    """The files that may cite the corpus: adjudication records and the agreement report."""
    guidelines = repo / "guidelines"
    paths = sorted((guidelines / "adjudication").glob("*.md"))
    return {str(path.relative_to(guidelines)): path.read_text(encoding="utf-8") for path in paths}


def default_document(name: str, markdown: str) -> str:
    """The document a record's unqualified citations refer to: its own id for an
    adjudication record, the document named in the report's header otherwise."""
    if re.fullmatch(r"adjudication/doc-\d+\.md", name):
        return Path(name).stem
    found = re.search(r"doc-\d+", markdown.split("\n\n", 2)[1])
    assert found, f"{name} names no document in its header"
    return found[0]


def citations(markdown: str, default: str) -> list[tuple[str, str, int, int]]:
    return [(m[2] or default, m[1], int(m[3]), int(m[4])) for m in CITATION.finditer(markdown)]


def test_citation_pattern_reads_offsets_and_documents() -> None:
    markdown = "see `دمشق` [1, 5) and `x` doc-0002 [10, 11)"
    assert citations(markdown, "doc-0001") == [("doc-0001", "دمشق", 1, 5), ("doc-0002", "x", 10, 11)]


def test_the_leak_check_catches_planted_leaks() -> None:
    clean = {"entities.md": "مثال: وصل الوفد إلى عمّان (constructed) → `عمّان` GPE."}
    assert find_leaks(clean, FIXTURE_DOCUMENTS) == []
    # Five words of a document, with a diacritic, a tatweel and a conjunction added: caught.
    copied = {"timex.md": "مثال: وزارَ الوفـد التجريبي مدينة الواحة → DATE."}
    leaks = find_leaks(copied, FIXTURE_DOCUMENTS)
    assert [(leak.source, leak.kind) for leak in leaks] == [("timex.md", "5 words shared with doc-0001")]
    assert leaks[0].detail == "زار الوفد التجريبي مدينة الواحة"
    # Four shared words (a name and a short phrase) are fine.
    assert find_leaks({"quotes.md": "أعلنت اللجنة المؤقتة للتجارب شيئا"}, FIXTURE_DOCUMENTS) == []
    # Offsets and document ids are refused wherever they stand.
    cited = {"events.md": "line one\n`الجلسة` [40, 46) of doc-0002; doc-9999 is not in the corpus"}
    kinds = [(leak.source, leak.kind, leak.detail) for leak in find_leaks(cited, FIXTURE_DOCUMENTS)]
    assert kinds == [
        ("events.md:2", "offset citation", "[40, 46)"),
        ("events.md:2", "corpus document named", "doc-0002"),
    ]


def test_shared_runs_are_maximal_and_digit_blind() -> None:
    document = "اختبار في ١٥ آذار ٢٠٢٤ زار الوفد المدينة"
    assert shared_runs("نص في 15 آذار 2024 زار الوفد أمس", document) == ["في 15 اذار 2024 زار الوفد"]


def test_guidelines_proper_leak_nothing(proper: dict[str, str], documents: dict[str, str]) -> None:
    assert documents
    assert set(proper) == set(GUIDELINES_PROPER)
    assert [str(leak) for leak in find_leaks(proper, documents)] == []


def test_guidelines_proper_examples_are_constructed(proper: dict[str, str]) -> None:
    for name in GUIDELINES_PROPER:
        assert proper[name].count("(constructed") >= 3, name


@pytest.mark.parametrize("name", sorted(["adjudication/doc-0001.md", "adjudication/agreement.md"]))
def test_records_state_the_version(name: str, records: dict[str, str], proper: dict[str, str]) -> None:
    version = re.search(r"Guidelines version (\d+\.\d+)", proper["README.md"])
    assert version is not None
    assert f"Guidelines version {version[1]}" in records[name]


def test_every_file_states_the_version(proper: dict[str, str]) -> None:
    version = re.search(r"Guidelines version (\d+\.\d+)", proper["README.md"])
    assert version is not None
    assert [name for name, text in proper.items() if f"Guidelines version {version[1]}" not in text] == []


def test_adjudication_records_warn_that_they_hold_the_answers(records: dict[str, str]) -> None:
    adjudication = [text for name, text in records.items() if name.startswith("adjudication/")]
    assert adjudication
    for text in adjudication:
        head = text[:800]
        assert "contains the test answers" in head and "must never be given to a system" in head


def test_every_record_citation_slices_back(records: dict[str, str], documents: dict[str, str]) -> None:
    for name, markdown in records.items():
        cited = citations(markdown, default_document(name, markdown))
        assert cited, f"{name} cites nothing"
        unknown = sorted({doc for doc, *_ in cited if doc not in documents})
        assert unknown == [], name
        stale = [(doc, span, start, end) for doc, span, start, end in cited if documents[doc][start:end] != span]
        assert stale == [], name


def test_every_cited_rule_is_defined_once_in_the_guidelines_proper(
    proper: dict[str, str], records: dict[str, str]
) -> None:
    definitions = RULE_DEFINITION.findall("\n".join(proper.values()))
    assert len(definitions) >= 80
    assert sorted({rule for rule in definitions if definitions.count(rule) > 1}) == []
    cited = set(RULE_REFERENCE.findall("\n".join([*proper.values(), *records.values()])))
    assert sorted(cited - set(definitions)) == []


def test_extension_event_types_are_defined(proper: dict[str, str]) -> None:
    for event_type in EVENT_EXTENSIONS:
        assert f"| {event_type} (extension) |" in proper["events.md"]


def test_every_type_row_has_a_constructed_example(proper: dict[str, str]) -> None:
    for name in ("entities.md", "timex.md", "events.md"):
        table = proper[name][proper[name].index("## Types") :].split("\n## ")[0]
        rows = [(label, cells) for label, cells in TYPE_ROW.findall(table) if label != "type"]
        assert len(rows) >= 4, name
        for label, cells in rows:
            example = cells.split("|")[-3] if name == "events.md" else cells.split("|")[1]
            assert ARABIC.search(example), (name, label)


def test_every_top_level_guideline_file_is_leak_checked(repo: Path) -> None:
    """A file that cites test documents belongs in `guidelines/adjudication/`; every file at the
    top of `guidelines/` is guidelines proper, and so under the leak check."""
    top_level = sorted(path.name for path in (repo / "guidelines").glob("*.md"))
    assert top_level == sorted(GUIDELINES_PROPER)
