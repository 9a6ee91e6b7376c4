"""A corpus is validated once per version: what a valid file's record lets skip, and what it never does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jsonschema.validators
import pytest

from khabar import store, validate, validcache
from khabar.errors import ValidationError
from khabar.store import load_corpus
from khabar.validcache import cache_folder


def forbid_full_checks(monkeypatch):
    def check_annotation(*args, **kwargs):
        raise AssertionError("a full check ran")

    monkeypatch.setattr(validate, "check_annotation", check_annotation)


def test_a_valid_corpus_is_checked_once_then_loaded_from_its_record(cached_corpus, monkeypatch, tmp_path):
    first = load_corpus(cached_corpus)
    assert len(list(cache_folder().iterdir())) == 2
    assert tmp_path / "cache" in cache_folder().parents  # outside the corpus
    forbid_full_checks(monkeypatch)
    assert load_corpus(cached_corpus) == first


def test_a_recorded_file_is_parsed_without_the_strict_reader(cached_corpus, monkeypatch):
    """Its bytes were accepted by the strict reader when it was recorded (the record's key
    holds them and the reader's code), so plain `json.loads` gives the same documents."""
    first = load_corpus(cached_corpus)
    forbid_full_checks(monkeypatch)
    monkeypatch.setattr(validate, "loads", lambda *args, **kwargs: pytest.fail("the strict reader ran"))
    assert load_corpus(cached_corpus) == first


def test_a_file_whose_record_is_missing_is_read_strictly(cached_corpus, monkeypatch):
    load_corpus(cached_corpus)
    for marker in cache_folder().iterdir():
        marker.unlink()
    for rows in (cache_folder().parent / store.GOLD_ROWS).iterdir():  # the corpus's rows would stand in for them
        rows.unlink()
    calls = []
    original = validate.loads
    monkeypatch.setattr(validate, "loads", lambda *a, **k: calls.append(1) or original(*a, **k))
    load_corpus(cached_corpus)
    assert len(calls) == 2


def test_one_changed_byte_is_checked_again_and_its_problem_reported(cached_corpus, monkeypatch):
    load_corpus(cached_corpus)
    path = cached_corpus / "annotations" / "doc-0002.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"Paris"', '"Parix"'), encoding="utf-8")
    with pytest.raises(ValidationError) as raised:
        load_corpus(cached_corpus)
    assert any("Parix" in problem.message for problem in raised.value.problems)


def test_a_changed_text_is_checked_again(cached_corpus):
    load_corpus(cached_corpus)
    text = cached_corpus / "documents" / "doc-0002.txt"
    text.write_bytes(text.read_bytes().replace(b"Paris", b"Rome!"))
    with pytest.raises(ValidationError):
        load_corpus(cached_corpus)


def test_nothing_is_recorded_for_a_file_with_problems(cached_corpus):
    path = cached_corpus / "annotations" / "doc-0002.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"Paris"', '"Parix"'), encoding="utf-8")
    with pytest.raises(ValidationError):
        load_corpus(cached_corpus)
    assert len(list(cache_folder().iterdir())) == 1  # doc-0001 only


def test_validate_never_consults_the_record(cached_corpus, monkeypatch):
    load_corpus(cached_corpus)
    calls = []
    original = validate.check_annotation
    monkeypatch.setattr(validate, "check_annotation", lambda *a, **k: calls.append(1) or original(*a, **k))
    documents, problems = validate.check_files(sorted((cached_corpus / "annotations").glob("*.json")))
    assert len(calls) == 2 and len(documents) == 2 and problems == []


def test_an_unwritable_cache_changes_nothing_but_speed(cached_corpus, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(blocker))
    assert [document.id for document in load_corpus(cached_corpus)] == ["doc-0001", "doc-0002"]


def test_the_key_holds_the_bytes_of_jsonschemas_modules(monkeypatch, tmp_path):
    """jsonschema's code is in every key (found without importing it): other bytes there, another key."""
    assert Path(jsonschema.validators.__file__) in validcache.jsonschema_code()
    module = tmp_path / "validators.py"
    module.write_text("first", encoding="utf-8")
    monkeypatch.setattr(validcache, "jsonschema_code", lambda: (module,))
    validcache.checker_fingerprint.cache_clear()
    first = validcache.key(b"{}", b"text", "doc", ())
    module.write_text("other", encoding="utf-8")
    validcache.checker_fingerprint.cache_clear()
    assert validcache.key(b"{}", b"text", "doc", ()) != first
    validcache.checker_fingerprint.cache_clear()


def test_loading_a_known_valid_corpus_never_imports_jsonschema(cached_corpus):
    """jsonschema only words errors: a corpus whose files are recorded valid is loaded without it
    (it was a sixth of `khabar evaluate`'s start-up)."""
    load_corpus(cached_corpus)
    script = (
        "import sys; from pathlib import Path; from khabar.store import load_corpus; "
        f"assert len(load_corpus(Path({str(cached_corpus)!r}))) == 2; "
        "assert not [name for name in sys.modules if name.startswith('jsonschema')], 'jsonschema imported'"
    )
    subprocess.run([sys.executable, "-c", script], check=True, env=os.environ.copy())
