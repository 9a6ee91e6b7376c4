"""Arrays derived from a loaded corpus version are derived once and read back (`khabar.eval.goldarrays`).

What is read back must be what deriving gives, for a loaded corpus only, and never a value
whose bytes were damaged; scores must not depend on whether the arrays were read back."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.eval import entitycounts, goldarrays, harness
from khabar.eval.entitycounts import entity_arrays
from khabar.eval.eventcounts import event_columns
from khabar.eval.flatview import CorpusTokens
from khabar.eval.quotecounts import quote_columns
from khabar.eval.spanarrays import span_arrays
from khabar.eval.spancounts import codes
from khabar.eval.timexcounts import timex_columns
from khabar.inventories import LAYERS
from khabar.store import load_corpus
from khabar.validcache import cache_folder


def _by_document(pair: np.ndarray, offset: np.ndarray) -> np.ndarray:
    return pair


def _derivations(documents):
    """Everything scoring derives from one side, as plain values to compare."""
    names: dict[str, int] = {}
    kinds: dict[str, int] = {}
    values: dict[str, int] = {}
    derived = {
        "tokens": dataclasses.asdict(CorpusTokens.of_documents(documents)),
        "entities": dataclasses.asdict(entity_arrays(documents, names)),
        "events": dataclasses.asdict(event_columns(documents, _by_document, names)),
        "timex": dataclasses.asdict(timex_columns(documents, _by_document, kinds, values)),
        "quotes": dataclasses.asdict(quote_columns(documents, _by_document, names)),
        **{layer: dataclasses.asdict(span_arrays(documents, layer)) for layer in LAYERS},
    }
    derived["names"] = {"labels": dict(names), "kinds": dict(kinds), "values": dict(values)}
    return derived


def _plain(value):
    if isinstance(value, np.ndarray):
        return (str(value.dtype), value.shape, value.tolist())
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _records() -> list[Path]:
    folder = cache_folder().parent / goldarrays.GOLD_ARRAYS
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def fresh_memo(monkeypatch):
    monkeypatch.setattr(goldarrays, "_memo", {})


def test_a_loaded_corpus_is_derived_once_then_read_back_the_same(cached_corpus, fresh_memo, monkeypatch):
    documents = load_corpus(cached_corpus)
    first = _derivations(documents)
    assert len(_records()) == 9  # tokens, the four layers' spans and the four counters' columns
    monkeypatch.setattr(goldarrays, "_memo", {})
    monkeypatch.setattr(goldarrays, "_to_bytes", _refuse)  # what is derived again is recorded
    again = load_corpus(cached_corpus)
    assert _plain(_derivations(again)) == _plain(first)


def _refuse(arrays):
    raise AssertionError("derived again and recorded")


def test_what_is_read_back_equals_what_documents_that_are_not_the_loaded_corpus_give(
    cached_corpus, fresh_memo, monkeypatch
):
    documents = load_corpus(cached_corpus)
    _derivations(documents)
    assert len(_records()) == 9
    copies = [dataclasses.replace(document) for document in documents]  # equal, but not the loaded objects
    expected = _plain(_derivations(copies))
    goldarrays._memo.clear()
    monkeypatch.setattr(goldarrays, "_to_bytes", _refuse)  # read back from the records, not derived
    assert _plain(_derivations(load_corpus(cached_corpus))) == expected


@pytest.mark.parametrize(
    "other",
    [
        lambda documents: documents[:1],
        lambda documents: documents[::-1],
        lambda documents: [*documents[:1], dataclasses.replace(documents[1])],
    ],
    ids=["part", "another order", "one document replaced"],
)
def test_documents_other_than_a_loaded_corpus_in_its_order_are_derived_every_time(cached_corpus, fresh_memo, other):
    documents = other(load_corpus(cached_corpus))
    calls = []

    def derive(chosen):
        calls.append(chosen)
        return {"n": np.array([len(chosen)])}

    for _ in range(2):
        assert goldarrays.derived(documents, "test", derive)["n"].tolist() == [len(documents)]
    assert len(calls) == 2 and _records() == []


def _signed(payload: bytes) -> bytes:
    """Bytes with their digest, as `_to_bytes` writes them."""
    return hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


DAMAGE = [
    "flip in the arrays", "flip in the directory", "flip in the digest", "cut", "empty", "no digest",
    # With their digest, as only bytes written by hand can be:
    "another format", "one array, not a zip of them", "a zip of something else", "an array of objects",
    "other columns",
]  # fmt: skip


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_record_reads_as_none_and_the_arrays_are_derived_again(cached_corpus, fresh_memo, damage):
    documents = load_corpus(cached_corpus)
    expected = _plain(goldarrays.derived(documents, "test", lambda chosen: {"n": np.arange(5)}))
    (record,) = _records()
    data = record.read_bytes()
    middle = data.index(np.arange(5).tobytes()) + 8

    def flipped(at: int) -> bytes:
        return data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]

    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("n.npy", b"not an array")
    damaged = {
        "flip in the arrays": flipped(middle),
        "flip in the directory": flipped(len(data) - 10),
        "flip in the digest": flipped(3),
        "cut": data[: len(data) // 2],
        "empty": b"",
        "no digest": data.partition(b"\n")[2],
        "another format": _signed(b"khabar-gold-rows/2\n[]"),
        "one array, not a zip of them": _signed(_npy(np.arange(5))),
        "a zip of something else": _signed(zipped.getvalue()),
        "an array of objects": _signed(_npz(n=np.array([{"a": 1}], dtype=object))),
        "other columns": _signed(_npz(m=np.arange(5))),
    }[damage]
    record.write_bytes(damaged)
    goldarrays._memo.clear()
    calls = []

    def derive(chosen):
        calls.append(len(chosen))  # no document: asked only which columns it gives
        return {"n": np.arange(5)}

    assert _plain(goldarrays.derived(documents, "test", derive)) == expected
    assert [count for count in calls if count] == [len(documents)]  # derived again, once
    assert record.read_bytes() == data  # recorded again, whole


def test_arrays_handed_out_cannot_be_changed_in_place(cached_corpus, fresh_memo):
    documents = load_corpus(cached_corpus)
    for chosen in (documents, documents[:1]):
        found = goldarrays.derived(chosen, "test", lambda given: {"n": np.arange(3)})
        with pytest.raises(ValueError, match="read-only"):
            found["n"][0] = 7


def test_another_kind_or_changed_code_is_another_record(cached_corpus, fresh_memo, monkeypatch):
    documents = load_corpus(cached_corpus)
    goldarrays.derived(documents, "one", lambda chosen: {"n": np.arange(1)})
    goldarrays.derived(documents, "two", lambda chosen: {"n": np.arange(2)})
    monkeypatch.setattr(goldarrays, "_package_code", lambda: (Path(goldarrays.__file__),))
    goldarrays._memo.clear()
    assert goldarrays.derived(documents, "one", lambda chosen: {"n": np.arange(4)})["n"].tolist() == [0, 1, 2, 3]
    assert len(_records()) == 3


def test_a_changed_corpus_file_is_another_record(cached_corpus, fresh_memo):
    documents = load_corpus(cached_corpus)
    before = _derivations(documents)
    path = cached_corpus / "annotations" / "doc-0002.json"
    annotation = json.loads(path.read_text(encoding="utf-8"))
    annotation["entities"][1]["type"] = "LOC"
    path.write_text(json.dumps(annotation, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    changed = load_corpus(cached_corpus)
    after = _derivations(changed)
    assert len(_records()) == 2 * 9  # another version: every kind recorded again
    assert _plain(after) == _plain(_derivations([dataclasses.replace(document) for document in changed]))
    assert _plain(after["entities"]) != _plain(before["entities"])


@pytest.mark.parametrize("batch_spans", [None, 1], ids=["one batch", "a batch per pair"])
def test_scoring_a_loaded_corpus_again_reads_its_arrays_and_builds_none_of_its_documents(
    cached_corpus, fresh_memo, monkeypatch, batch_spans
):
    if batch_spans is not None:
        monkeypatch.setattr(entitycounts, "_BATCH_SPANS", batch_spans)
    gold = load_corpus(cached_corpus)  # checked in full: documents built from the files
    pred = [dataclasses.replace(document, entities=document.entities[1:]) for document in gold]
    derived_now = harness.evaluate(gold, pred, bootstrap=50).to_dict()
    recorded = _records()
    assert len(recorded) == 9
    goldarrays._memo.clear()
    monkeypatch.setattr(goldarrays, "_to_bytes", _refuse)  # the gold's arrays are read back, not derived
    again = load_corpus(cached_corpus)  # from its rows: deferred documents
    assert all("_build" in vars(document) for document in again)
    assert harness.evaluate(again, pred, bootstrap=50).to_dict() == derived_now
    assert all("_build" in vars(document) for document in again)
    assert _records() == recorded


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["PER", "ORG", None, "شخص", "𝔸"])),
    st.lists(st.sampled_from(["ORG", "LOC", "*"])),
)
def test_labels_recorded_then_coded_equal_codes(labels, known):
    names = {label: code for code, label in enumerate(dict.fromkeys(known))}
    expected_names = dict(names)
    expected = codes(labels, expected_names)
    recorded = goldarrays._from_bytes(goldarrays._to_bytes(goldarrays.label_columns("label", labels)))
    assert goldarrays.coded(recorded, "label", names).tolist() == expected.tolist()
    assert list(names.items()) == list(expected_names.items())


def test_only_the_newest_records_are_kept(cached_corpus, fresh_memo, monkeypatch):
    monkeypatch.setattr(goldarrays, "KEEP", 3)
    documents = load_corpus(cached_corpus)
    for kind in "abcde":
        goldarrays.derived(documents, kind, lambda chosen: {"n": np.arange(2)})
    assert len(_records()) == 3
