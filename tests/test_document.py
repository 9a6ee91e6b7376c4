"""The document model: JSON round trips and the committed schema."""

from __future__ import annotations

import copy as copy_module
import dataclasses
import inspect
import json
import pickle
import threading
import time
import typing
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar import document as model
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


SLOTTED = [model.Span, model.Entity, model.Timex, model.Argument, model.Event, model.Speaker, model.Quote]


def dataclass_twin(cls: type) -> type:
    """The same fields made by `dataclasses` alone (its own `__init__`)."""
    specs = [(item.name, item.type, dataclasses.field(default=item.default)) for item in dataclasses.fields(cls)]
    return dataclasses.make_dataclass(cls.__name__, specs, frozen=True, slots=True)


values = st.none() | st.integers(-5, 5000) | st.text(max_size=4) | st.tuples(st.integers())


@pytest.mark.parametrize("cls", SLOTTED, ids=lambda cls: cls.__name__)
@settings(max_examples=40)
@given(data=st.data())
def test_a_slotted_class_is_made_as_its_dataclass_makes_it(cls: type, data: st.DataObject) -> None:
    twin = dataclass_twin(cls)
    assert inspect.signature(cls) == inspect.signature(twin)
    hints = typing.get_type_hints(cls.__init__)  # the annotations resolve in the class's module
    assert hints.pop("return") is type(None) and hints == typing.get_type_hints(cls)
    names = [item.name for item in dataclasses.fields(cls)]
    required = [item.name for item in dataclasses.fields(cls) if item.default is dataclasses.MISSING]
    given_names = names[: data.draw(st.integers(len(required), len(names)))]
    arguments = [data.draw(values) for _ in given_names]
    positional = data.draw(st.integers(0, len(arguments)))
    keywords = dict(zip(given_names[positional:], arguments[positional:], strict=True))
    made = cls(*arguments[:positional], **keywords)
    expected = twin(*arguments[:positional], **keywords)
    assert [getattr(made, name) for name in names] == [getattr(expected, name) for name in names]
    assert dataclasses.replace(made) == made and hash(dataclasses.replace(made)) == hash(made)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, names[0], "changed")


@pytest.mark.parametrize("cls", SLOTTED, ids=lambda cls: cls.__name__)
def test_a_slotted_class_refuses_what_its_dataclass_refuses(cls: type) -> None:
    twin = dataclass_twin(cls)
    n_fields = len(dataclasses.fields(cls))
    for make in (cls, twin):
        with pytest.raises(TypeError):
            make(*range(n_fields + 1))  # one argument too many
        with pytest.raises(TypeError):
            make(unknown=1)


def test_only_plain_fields_are_stored_through_slots() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class WithFactory:
        values: list[int] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True, slots=True)
    class WithPostInit:
        value: int

        def __post_init__(self) -> None:
            pass

    for cls in (WithFactory, WithPostInit):
        with pytest.raises(TypeError, match="only plain fields"):
            model._stored_through_slots(cls)


def _deferred(document: Document, built: list[str] | None = None) -> Document:
    def build() -> dict[str, typing.Any]:
        if built is not None:
            built.append(document.id)
        return {item.name: getattr(document, item.name) for item in dataclasses.fields(document)[2:]}

    return Document.deferred(document.id, document.text, build)


@settings(max_examples=60, deadline=None)
@given(documents())
def test_a_deferred_document_is_the_document_its_fields_build(document: Document) -> None:
    built: list[str] = []
    deferred = _deferred(document, built)
    assert (deferred.id, deferred.text, deferred.text_sha256) == (document.id, document.text, document.text_sha256)
    assert not hasattr(deferred, "no such field") and built == []  # id, text and other names build nothing
    assert deferred == document and document == deferred and built == [document.id]
    assert repr(_deferred(document)) == repr(document)
    assert _deferred(document).to_json() == document.to_json()
    assert dataclasses.replace(_deferred(document), language="en") == dataclasses.replace(document, language="en")
    for copy in (pickle.loads(pickle.dumps(_deferred(document))), copy_module.deepcopy(_deferred(document))):
        assert copy == document and "_build" not in vars(copy)
    assert built == [document.id]  # built once, however often read


def test_each_field_of_a_deferred_document_builds_it() -> None:
    document = Document("doc-0001", "نص", language="en", metadata={"note": 1})
    for item in dataclasses.fields(Document)[2:]:
        assert getattr(_deferred(document), item.name) == getattr(document, item.name)


def test_defaults_still_hold_without_their_class_attributes() -> None:
    document = Document("doc-0001", "نص")
    assert (document.dct, document.language, document.entities, document.events) == (None, "ar", (), ())
    assert all(item.name not in vars(Document) for item in dataclasses.fields(Document))


def test_a_deferred_document_read_by_threads_at_once_is_built_once() -> None:
    threads = 8
    arrived = threading.Barrier(threads)
    calls: list[int] = []

    def build() -> dict[str, typing.Any]:
        calls.append(1)
        time.sleep(0.05)  # long enough for every other thread to ask meanwhile
        return {"metadata": {"n": 7}, "entities": ()}

    document = Document.deferred("doc-0001", "نص", build)

    def read(_: int) -> tuple[dict, tuple]:
        arrived.wait()
        return document.metadata, document.entities

    with ThreadPoolExecutor(threads) as pool:
        read_all = list(pool.map(read, range(threads)))
    assert calls == [1]
    assert all(metadata is read_all[0][0] for metadata, _ in read_all) and read_all[0] == ({"n": 7}, ())
    # What a thread sees that missed a field just before another built it: the fields are there.
    assert document.__getattr__("metadata") == {"n": 7}


def test_a_field_left_out_of_a_deferred_build_takes_its_default_and_an_unknown_one_is_refused() -> None:
    document = Document.deferred("doc-0001", "نص", lambda: {"language": "en"})
    assert document == Document("doc-0001", "نص", language="en")
    with pytest.raises(TypeError, match="unknown fields: colour"):
        _ = Document.deferred("doc-0001", "نص", lambda: {"colour": "red"}).entities
