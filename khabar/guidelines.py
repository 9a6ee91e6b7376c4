"""The guidelines proper, and the check that they give away no test answer.

The guidelines proper are the files an annotator of a test document, or a system under
evaluation, may read. They illustrate every rule with constructed sentences; decisions
on a corpus document's own text live in its adjudication record (`adjudication/`),
which is exempt. A leak is either an offset citation (`[start, end)`), a corpus
document id, or a run of `SHARED_RUN` or more words that also occurs in a corpus
document — the length at which a shared phrase stops being a name or a formula and
starts being the document's own sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from khabar.errors import InputError
from khabar.normalize import Rules, normalized_string

GUIDELINES_PROPER: tuple[str, ...] = ("README.md", "entities.md", "timex.md", "events.md", "quotes.md")
SHARED_RUN = 5

OFFSET_CITATION = re.compile(r"\[\s*\d+\s*,\s*\d+\s*\)")
DOCUMENT_ID = re.compile(r"\bdoc-\d+\b")
VERSION = re.compile(r"Guidelines version (\d+\.\d+)")
WORD = re.compile(r"\w+")
# Conjunction proclitics are stripped before words are compared, so that a sentence
# copied with و added or dropped is still recognised (GEN-2 of the guidelines).
CONJUNCTION = re.compile(r"^[وف](?=\w{3})")
# Digits folded too: a copied date written in other digits is the same text.
_COMPARE_RULES = Rules(digits=True)


@dataclass(frozen=True)
class Leak:
    """One piece of a guideline text that reveals a corpus document."""

    source: str
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.source}: {self.kind}: {self.detail}"


def read_guidelines(directory: Path, names: Iterable[str] = GUIDELINES_PROPER) -> dict[str, str]:
    """The named guideline files of `directory`, in order, as text."""
    texts: dict[str, str] = {}
    for name in names:
        path = directory / name
        try:
            texts[name] = path.read_text(encoding="utf-8")
        except FileNotFoundError as error:
            raise InputError("guideline file not found", where=str(path)) from error
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"cannot read guideline file: {error}", where=str(path)) from error
    return texts


def read_documents(corpus: Path) -> dict[str, str]:
    """Every corpus document's text by id (`documents/<id>.txt`)."""
    folder = corpus / "documents"
    if not folder.is_dir():
        raise InputError("no documents folder", where=str(folder))
    documents: dict[str, str] = {}
    for path in sorted(folder.glob("*.txt")):
        try:
            documents[path.stem] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"cannot read document: {error}", where=str(path)) from error
    return documents


def guidelines_version(readme: str) -> str | None:
    """The version a guidelines README states (`Guidelines version 2.0`), if any."""
    found = VERSION.search(readme)
    return found[1] if found else None


def comparable_words(text: str) -> list[str]:
    """The words of `text` as compared for shared runs: orthography normalized (diacritics,
    tatweel, alef and digit variants), a leading conjunction و/ف removed."""
    return [CONJUNCTION.sub("", word) for word in WORD.findall(normalized_string(text, _COMPARE_RULES))]


def shared_runs(text: str, document: str, length: int = SHARED_RUN) -> list[str]:
    """Maximal runs of at least `length` consecutive words of `text` found in `document`."""
    words = comparable_words(text)
    document_words = comparable_words(document)
    grams = {tuple(document_words[i : i + length]) for i in range(len(document_words) - length + 1)}
    hits = [i for i in range(len(words) - length + 1) if tuple(words[i : i + length]) in grams]
    runs: list[str] = []
    start = previous = None
    for index in hits:
        if start is None or index != previous + 1:
            if start is not None:
                runs.append(" ".join(words[start : previous + length]))
            start = index
        previous = index
    if start is not None:
        runs.append(" ".join(words[start : previous + length]))
    return runs


def find_leaks(texts: Mapping[str, str], documents: Mapping[str, str], length: int = SHARED_RUN) -> list[Leak]:
    """Every leak of the corpus `documents` (id → text) into the guideline `texts`
    (name → text): offset citations, document ids and shared runs of words."""
    leaks: list[Leak] = []
    for name, text in texts.items():
        for line_number, line in enumerate(text.splitlines(), start=1):
            for match in OFFSET_CITATION.finditer(line):
                leaks.append(Leak(f"{name}:{line_number}", "offset citation", match[0]))
            for match in DOCUMENT_ID.finditer(line):
                if match[0] in documents:
                    leaks.append(Leak(f"{name}:{line_number}", "corpus document named", match[0]))
        for document_id, document in documents.items():
            for run in shared_runs(text, document, length):
                words = len(run.split())
                leaks.append(Leak(name, f"{words} words shared with {document_id}", run))
    return leaks
