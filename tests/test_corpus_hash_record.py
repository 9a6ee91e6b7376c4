"""The corpus hash of a loaded corpus is computed once per version of its files and code.

`load_corpus` keeps, for the documents it returns, a key made of every file's validation key
(its bytes and its text's, the checking code), the hashing module and the Python version;
their hash is recorded under it the first time it is asked for, and read from there after.
These tests show the record is used, that it always equals the hash computed from the
documents, and that a changed byte, changed code, other documents or a damaged record are
never answered from it.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from khabar import store
from khabar.eval.signature import corpus_hash
from khabar.store import load_corpus


def fresh(documents):
    """Equal documents that are not the loaded objects."""
    return [dataclasses.replace(document) for document in documents]


def records(tmp_path):
    return sorted((tmp_path / "cache" / store.CORPUS_HASHES).iterdir())


def forbid_hashing(monkeypatch):
    monkeypatch.setattr(store, "_hash_of", lambda documents: pytest.fail("the documents were hashed"))


def test_a_loaded_corpus_is_hashed_once_then_from_its_record(cached_corpus, monkeypatch, tmp_path):
    first = load_corpus(cached_corpus)
    assert corpus_hash(first) == store._hash_of(fresh(first))
    assert [path.read_text() for path in records(tmp_path)] == [corpus_hash(first)]
    forbid_hashing(monkeypatch)
    second = load_corpus(cached_corpus)
    assert corpus_hash(second) == corpus_hash(first)
    assert corpus_hash(list(reversed(second))) == corpus_hash(first)  # the same documents, any order


def test_loading_alone_hashes_nothing(cached_corpus, monkeypatch, tmp_path):
    forbid_hashing(monkeypatch)
    load_corpus(cached_corpus)  # commands that never sign a score do not pay for the hash
    assert not (tmp_path / "cache" / store.CORPUS_HASHES).exists()


def test_documents_that_are_not_the_loaded_ones_are_hashed(cached_corpus, monkeypatch):
    loaded = load_corpus(cached_corpus)
    changed = [dataclasses.replace(loaded[0], source={"name": "another source"}), loaded[1]]
    assert corpus_hash(changed) == store._hash_of(fresh(changed)) != corpus_hash(loaded)
    assert corpus_hash(loaded[:1]) == store._hash_of(fresh(loaded[:1]))
    calls = []
    monkeypatch.setattr(store, "_hash_of", lambda documents: calls.append(1) or "0" * 8)
    assert corpus_hash(fresh(loaded)) == "0" * 8 and calls == [1]


def test_one_changed_byte_gives_another_record(cached_corpus, tmp_path):
    before = corpus_hash(load_corpus(cached_corpus))
    path = cached_corpus / "annotations" / "doc-0002.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["source"] = {**data.get("source", {}), "name": "a test fixture, renamed"}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    after = load_corpus(cached_corpus)
    assert corpus_hash(after) == store._hash_of(fresh(after)) != before
    assert len(records(tmp_path)) == 2


def test_changed_code_gives_another_record(cached_corpus, monkeypatch, tmp_path):
    corpus_hash(load_corpus(cached_corpus))
    changed = tmp_path / "changed_code.py"
    changed.write_text("# another version of the hashing code\n", encoding="utf-8")
    code = store.checking_code()
    monkeypatch.setattr(store, "checking_code", lambda: (*code, changed))
    calls = []
    original = store._hash_of
    monkeypatch.setattr(store, "_hash_of", lambda documents: calls.append(1) or original(documents))
    loaded = load_corpus(cached_corpus)
    assert corpus_hash(loaded) == original(fresh(loaded))
    assert calls == [1] and len(records(tmp_path)) == 2


def test_a_damaged_record_is_computed_again(cached_corpus, tmp_path):
    expected = corpus_hash(load_corpus(cached_corpus))
    for path in records(tmp_path):
        path.write_text("damaged record", encoding="utf-8")
    assert corpus_hash(load_corpus(cached_corpus)) == expected
    assert [path.read_text() for path in records(tmp_path)] == [expected]


def test_an_unwritable_cache_changes_nothing_but_speed(cached_corpus, monkeypatch, tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(blocker))
    loaded = load_corpus(cached_corpus)
    assert corpus_hash(loaded) == store._hash_of(fresh(loaded))


def test_the_record_goes_through_the_write_path(cached_corpus, cache_writes, tmp_path):
    corpus_hash(load_corpus(cached_corpus))
    hash_records = [(path, options) for path, options in cache_writes if path.parent.name == store.CORPUS_HASHES]
    assert hash_records == [(records(tmp_path)[0], {"make_folders": True, "run_output": False})]
