"""A corpus version loaded once is kept as compact rows: the rows give back the very documents
the annotation files give, and anything else about them falls back to reading the files."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar import goldrows, store, validate
from khabar.document import DCT, Document, Entity
from khabar.errors import ValidationError
from khabar.paths import annotation_paths
from khabar.store import load_corpus, save_documents
from khabar.validcache import cache_folder
from tests.strategies import documents

scalars = st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.text(max_size=8)
json_values = st.recursive(
    scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@st.composite
def headed_documents(draw: st.DrawFn) -> Document:
    """A random valid document with a random header: metadata of any JSON values, source, language, no dct."""
    document = draw(documents())
    return dataclasses.replace(
        document,
        dct=draw(st.sampled_from([None, document.dct, DCT("XXXX-XX", "unknown: مجهول")])),
        source=draw(st.dictionaries(st.sampled_from(["name", "url"]), st.text(max_size=6), max_size=2)),
        language=draw(st.sampled_from(["ar", "ar-EG"])),
        metadata=draw(st.dictionaries(st.sampled_from(["guidelines_version", "annotators", "notes"]), json_values)),
    )


def exact(document: Document) -> str:
    """Every field with its JSON type (`==` alone takes 1 for True and 1.0 for 1)."""
    return json.dumps([document.text, document.to_json()], ensure_ascii=False)


@settings(max_examples=150, deadline=None)
@given(st.lists(headed_documents(), max_size=4))
def test_rows_give_back_the_documents(originals):
    rows = goldrows.dumps(originals)
    back = goldrows.loads(rows, [(document.id, document.text) for document in originals])
    assert back == originals
    assert list(map(exact, back)) == list(map(exact, originals))


def signed(payload: str) -> str:
    """Rows with the digest of `payload`, as `dumps` writes them."""
    return f"{hashlib.sha256(payload.encode()).hexdigest()}\n{payload}"


ROW = '["doc-0001", null, {}, "ar", %s, [], [], [], {}]'
HEADER = f'["{goldrows.FORMAT}", [null, "T1", "PER"]]'
SHAPES = [
    "", "{", "{}", "[]", "[[]]", '[["doc-0001"]]', "[1]",
    f'["{goldrows.FORMAT}", ["T1", "PER"]]\n{ROW % "[0, 0, 1, 1]"}',  # a table without None first
    f'["khabar-gold-rows/1", [null, "T1", "PER"]]\n{ROW % "[1, 0, 1, 2]"}',  # another format
    f'{HEADER}\n{ROW % "[1, 0, 1, 2]"}\n{ROW % "[]"}',  # two rows, one text
    f'{HEADER}',  # no row for the text
    f'{HEADER}\n{(ROW % "[1, 0, 1, 2]").replace("doc-0001", "doc-0002")}',  # the row of another document
    f'{HEADER}\n {ROW % "[1, 0, 1, 2]"}',  # a row that does not start with its id
]  # fmt: skip
# Rows of the right format, number and ids whose row does not read back: only rows written
# by hand with their digest can be so, and the document raises when first used.
ROW_SHAPES = [
    f'{HEADER}\n{ROW % "[1, 0, 1, 2, 7]"}',  # 5 numbers for 4 a span
    f'{HEADER}\n{ROW % "[1, 0, 1, 9]"}',  # no string 9
    f'{HEADER}\n{ROW % "[1, 0, 1.0, 2]"}',  # an offset 1.0
    f'{HEADER}\n{ROW % "[1, 0, 1, 2]"}'[:-1],  # a row cut short
    f'{HEADER}\n{ROW % "[1, 0, 1, 2]"}'.replace(', {}]', ']'),  # a field short
]  # fmt: skip


def test_well_formed_rows_read_back():
    # The shapes below are refused for the one fault each has, not for being unreadable.
    back = goldrows.loads(signed(f"{HEADER}\n{ROW % '[1, 0, 1, 2]'}"), TEXTS)
    assert back == [Document("doc-0001", "نص", entities=(Entity("T1", 0, 1, "PER", "ن"),))]


TEXTS = [("doc-0001", "نص")]


@pytest.mark.parametrize("rows", SHAPES)
def test_rows_of_another_shape_read_as_none(rows):
    assert goldrows.loads(signed(rows), TEXTS) is None
    assert goldrows.loads(rows, TEXTS) is None  # unsigned


@pytest.mark.parametrize("rows", ROW_SHAPES)
@pytest.mark.parametrize("use", [lambda document: document.entities, lambda document: document.dct, repr])
def test_a_row_that_does_not_read_back_raises_when_its_document_is_used(rows, use):
    assert goldrows.loads(rows, TEXTS) is None  # unsigned
    (document,) = goldrows.loads(signed(rows), TEXTS)
    assert document.id == "doc-0001" and document.text == "نص"
    with pytest.raises(goldrows.RowsError, match="recorded rows of document 'doc-0001' do not read back") as raised:
        use(document)
    assert "remove the gold-rows folder in" in str(raised.value)


@settings(max_examples=100, deadline=None)
@given(st.lists(headed_documents(), min_size=1, max_size=3), st.data())
def test_rows_with_a_changed_byte_read_as_none(originals, data):
    rows = goldrows.dumps(originals).encode("utf-8")
    position = data.draw(st.integers(0, len(rows) - 1))
    changed = bytearray(rows)
    changed[position] = data.draw(st.integers(0, 255).filter(lambda value: value != rows[position]))
    text = changed.decode("utf-8", "replace")
    if text != rows.decode("utf-8"):  # a byte changed into another invalid one decodes the same
        assert goldrows.loads(text, [(document.id, document.text) for document in originals]) is None


def test_no_rows_for_a_span_whose_text_is_not_the_text_there():
    document = Document("doc-0001", "نص قصير", entities=(Entity("T1", 0, 2, "PER", "قص"),))
    assert goldrows.dumps([document]) is None
    assert goldrows.dumps([dataclasses.replace(document, entities=(Entity("T1", 0, 2, "PER", "نص"),))])


def test_rows_of_another_document_read_as_none():
    document = Document("doc-0001", "نص قصير")
    assert goldrows.loads(goldrows.dumps([document]), [("doc-0002", document.text)]) is None


def read_files_fully(corpus):
    """The documents as the full check reads them, without any record (the code the rows replace)."""
    found, problems = validate.check_files(annotation_paths(corpus))
    assert problems == []
    return sorted(found, key=lambda document: document.id)


def rows_files():
    folder = cache_folder().parent / store.GOLD_ROWS
    return sorted(folder.iterdir()) if folder.is_dir() else []


def forbid_reading_annotations(monkeypatch):
    monkeypatch.setattr(validate, "check_path", lambda *a, **k: pytest.fail("an annotation file was read"))


def test_the_second_load_of_a_corpus_reads_its_rows(cached_corpus, monkeypatch):
    first = load_corpus(cached_corpus)
    full = read_files_fully(cached_corpus)
    assert len(rows_files()) == 1
    forbid_reading_annotations(monkeypatch)
    again = load_corpus(cached_corpus)
    assert again == first == full
    assert list(map(exact, again)) == list(map(exact, first))


@settings(max_examples=25, deadline=None)
@given(st.lists(headed_documents(), min_size=1, max_size=3, unique_by=lambda document: document.id))
def test_a_corpus_loaded_from_its_rows_is_the_corpus_its_files_hold(tmp_path_factory, originals):
    folder = tmp_path_factory.mktemp("corpus")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KHABAR_CACHE_DIR", str(folder / "cache"))
        corpus = folder / "corpus"
        save_documents(originals, corpus)
        full = read_files_fully(corpus)
        assert load_corpus(corpus) == full  # read fully, rows recorded
        assert len(rows_files()) == 1
        from_rows = load_corpus(corpus)
    assert from_rows == full
    assert list(map(exact, from_rows)) == list(map(exact, full))


def test_the_published_corpus_loads_from_its_rows_as_from_its_files(corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(tmp_path / "cache"))
    full = read_files_fully(corpus_dir)
    assert load_corpus(corpus_dir) == full
    forbid_reading_annotations(monkeypatch)
    from_rows = load_corpus(corpus_dir)
    assert [document.id for document in from_rows] == [document.id for document in full]
    for document, expected in zip(from_rows, full, strict=True):
        assert document == expected and exact(document) == exact(expected)


def test_the_rows_go_through_the_write_path(cached_corpus, cache_writes):
    load_corpus(cached_corpus)
    assert cache_writes == [(rows_files()[0], {"make_folders": True, "run_output": False})]


def test_damaged_rows_are_never_used(cached_corpus):
    first = load_corpus(cached_corpus)
    (rows,) = rows_files()
    rows.write_text(rows.read_text(encoding="utf-8")[:-5], encoding="utf-8")
    assert load_corpus(cached_corpus) == first


def test_one_changed_byte_makes_other_rows(cached_corpus):
    """A changed byte that keeps the file valid (and its document the same) is a new version:
    read from the files, recorded anew."""
    first = load_corpus(cached_corpus)
    path = cached_corpus / "annotations" / "doc-0002.json"
    path.write_bytes(path.read_bytes() + b"\n")
    assert load_corpus(cached_corpus) == first == read_files_fully(cached_corpus)
    assert len(rows_files()) == 2


def test_no_rows_for_a_corpus_with_problems(cached_corpus):
    path = cached_corpus / "annotations" / "doc-0002.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"Paris"', '"Parix"'), encoding="utf-8")
    with pytest.raises(ValidationError):
        load_corpus(cached_corpus)
    assert rows_files() == []


def test_only_the_newest_rows_are_kept(cached_corpus):
    """Rows are large: the versions recorded last stay, and the one just recorded always does
    (here the others carry later times than it)."""
    folder = cache_folder().parent / store.GOLD_ROWS
    folder.mkdir(parents=True)
    later = time.time_ns() + 10**12
    others = [f"version-{n}" for n in range(store.GOLD_ROW_VERSIONS + 2)]
    for n, name in enumerate(others):
        (folder / name).write_text("[]", encoding="utf-8")
        os.utime(folder / name, ns=(later + n, later + n))
    load_corpus(cached_corpus)
    names = sorted(path.name for path in rows_files())
    (recorded,) = set(names) - set(others)
    assert names == sorted([recorded, *others[-(store.GOLD_ROW_VERSIONS - 1) :]])
    assert load_corpus(cached_corpus) == read_files_fully(cached_corpus)
