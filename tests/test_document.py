"""The document model: JSON round trips and the committed schema."""

from __future__ import annotations

import json

from hypothesis import given, settings

from khabar.document import Document
from khabar.schema import SCHEMA_PATH, schema_json
from khabar.store import dumps_annotation, load_corpus
from khabar.validate import check_annotation
from tests.strategies import documents


@settings(max_examples=100)
@given(documents())
def test_json_round_trip_is_identity(document: Document) -> None:
    data = json.loads(dumps_annotation(document))
    assert Document.from_json(data, document.text) == document


@settings(max_examples=100)
@given(documents())
def test_generated_documents_validate(document: Document) -> None:
    assert check_annotation(document.to_json(), document.text, stem=document.id) == []


def test_corpus_round_trip(corpus_dir) -> None:
    documents = load_corpus(corpus_dir)
    seed = next(document for document in documents if document.id == "doc-0001")
    assert seed.text_sha256 == "6dec8a46eeee6956bde77d7efa96fceec76838e79191f60f37e29ed0dc552faa"
    for document in documents:
        path = corpus_dir / "annotations" / f"{document.id}.json"
        assert Document.from_json(json.loads(path.read_text(encoding="utf-8")), document.text) == document


def test_seed_text_is_byte_identical(corpus_dir) -> None:
    import hashlib

    raw = (corpus_dir / "documents" / "doc-0001.txt").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == "6dec8a46eeee6956bde77d7efa96fceec76838e79191f60f37e29ed0dc552faa"
    assert len(raw.decode("utf-8")) == 3337


def test_committed_schema_is_fresh() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_json(), "run: python -m khabar.schema"
