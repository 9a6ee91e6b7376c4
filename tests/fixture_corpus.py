"""A small multi-document test corpus (made-up sentences, test fixtures — not news), and
byte snapshots of folders for the "nothing is ever lost" tests."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from khabar.document import DCT, Document
from khabar.runs.build import build_corpus
from khabar.store import save_documents
from tests.corpus_samples import mixed_script_sample
from tests.eval_helpers import TEXT, Argument, Event, Quote, Speaker, entity, span, timex


def first_fixture() -> Document:
    """Test fixture text (made up): entities, a timex, an event with arguments, a quote."""
    return Document(
        id="doc-0001",
        text=TEXT,
        entities=(
            entity(TEXT, "T1", "محمد بن سلمان", "PER"),
            entity(TEXT, "T2", "الرياض", "GPE"),
            entity(TEXT, "T3", "الوزير", "OCC"),
        ),
        timex=(timex(TEXT, "X1", "٢٤ نوفمبر", "DATE", "2025-11-24"),),
        events=(
            Event(
                "E1",
                "Conflict:Attack",
                span(TEXT, "الهجوم"),
                (Argument("Place", ref="T2"), Argument("Target", span=span(TEXT, "القاعدة"))),
                "actual",
            ),
        ),
        quotes=(Quote("Q1", "direct", span(TEXT, "«سنواصل العمل»"), speaker=Speaker(ref="T1")),),
    )


def fixture_documents(count: int = 3) -> list[Document]:
    """`count` documents: the two fixtures above, then renumbered copies of them."""
    base = [first_fixture(), mixed_script_sample()]
    documents = []
    for index in range(count):
        document = base[index % 2]
        documents.append(
            replace(
                document,
                id=f"doc-{index + 1:04d}",
                dct=DCT("2025-12", "test fixture: made up"),
                source={"origin": "test fixture (made-up sentences, not news)"},
                metadata={**document.metadata, "guidelines_version": "2.0"},
            )
        )
    return documents


def make_corpus(root: Path, *, count: int = 3, built: bool = True) -> Path:
    """A corpus folder with `count` documents; `built` adds data/ and the card (a gold corpus)."""
    save_documents(fixture_documents(count), root)
    if built:
        build_corpus(root, repository=root / "no-repository")
    return root


def snapshot(*folders: Path) -> dict[str, str]:
    """sha256 of every file under `folders` (and the list of every entry), to compare before/after."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            key = str(path)
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return found


def large_corpus(root: Path, count: int, repeat: int = 20) -> Path:
    """A generated corpus of `count` documents whose texts are the fixtures' repeated
    `repeat` times (annotations on the first copy): big enough for a build or an import
    to be caught in the middle of writing."""
    documents = [replace(document, text=document.text * repeat) for document in fixture_documents(count)]
    save_documents(documents, root)
    return root
