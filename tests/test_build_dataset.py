"""`khabar.runs.build`: the dataset written from a corpus folder, loaded back with `datasets`
offline, deterministic, and all-or-nothing on error."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from datasets import load_dataset

from khabar.errors import InputError, ValidationError
from khabar.formats.hf import DOCUMENT_FEATURES, SENTENCE_FEATURES, row_tags, row_to_document, sentence_rows
from khabar.runs import build
from khabar.runs.build import assemble, build_corpus
from khabar.store import save_document
from khabar.views import token_view
from tests.corpus_samples import collision_sample, mixed_script_sample, seed_sample

FILES = ("data/documents/test.parquet", "data/sentences/test.parquet", "README.md")


@pytest.fixture
def sample_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    for document in (mixed_script_sample(), seed_sample()):
        save_document(document, corpus)
    return corpus


def test_build_writes_both_configs_and_the_card(sample_corpus, tmp_path):
    out = tmp_path / "out"
    assembled, written = build_corpus(sample_corpus, out)
    assert written == [out / name for name in FILES]
    documents = pq.read_table(out / FILES[0]).to_pylist()
    assert [row["id"] for row in documents] == ["doc-0001", "doc-0002"]
    assert [row_to_document(row) for row in documents] == [seed_sample(), mixed_script_sample()]
    sentences = pq.read_table(out / FILES[1]).to_pylist()
    expected = sentence_rows(seed_sample())[0] + sentence_rows(mixed_script_sample())[0]
    assert sentences == expected
    assert assembled.collisions == []


def test_load_dataset_reads_a_fresh_build_offline(sample_corpus, tmp_path, offline):
    out = tmp_path / "out"
    build_corpus(sample_corpus, out)
    sentences = load_dataset(str(out), "sentences", split="test", cache_dir=str(offline))
    documents = load_dataset(str(out), "documents", split="test", cache_dir=str(offline))
    default = load_dataset(str(out), split="test", cache_dir=str(offline))
    assert sentences.features == SENTENCE_FEATURES
    assert documents.features == DOCUMENT_FEATURES
    assert default.features == SENTENCE_FEATURES and default.num_rows == sentences.num_rows
    assert [row_to_document(row) for row in documents] == [seed_sample(), mixed_script_sample()]
    views = token_view(seed_sample())[0] + token_view(mixed_script_sample())[0]
    assert [row["id"] for row in sentences] == [view.id for view in views]
    assert [row_tags(row) for row in sentences] == [view.tags for view in views]
    nested = documents[0]["entities"][3]
    assert (nested["text"], nested["type"]) == ("الأميركية", "NORP")


def test_building_twice_gives_identical_bytes(sample_corpus, tmp_path):
    build_corpus(sample_corpus, tmp_path / "a")
    build_corpus(sample_corpus, tmp_path / "b")
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_batch_size_changes_no_byte(sample_corpus, tmp_path, monkeypatch):
    """Rows go to Arrow in batches; the files are those of one table, whatever the batch size."""
    build_corpus(sample_corpus, tmp_path / "whole")
    monkeypatch.setattr(build, "BATCH_ROWS", {"documents": 1, "sentences": 2})
    assembled, _ = build_corpus(sample_corpus, tmp_path / "batched")
    assert assembled.statistics.sentences > 2 * 2  # several batches, the last one partial
    for name in FILES:
        assert (tmp_path / "whole" / name).read_bytes() == (tmp_path / "batched" / name).read_bytes(), name


def test_default_output_is_the_corpus_folder(sample_corpus):
    _, written = build_corpus(sample_corpus)
    assert written == [sample_corpus / name for name in FILES]
    assert not [path for path in sample_corpus.iterdir() if path.name.startswith(".khabar-build")]


def test_collisions_fail_the_build_listing_each_and_write_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    save_document(collision_sample(), corpus)
    out = tmp_path / "out"
    with pytest.raises(ValidationError) as caught:
        build_corpus(corpus, out)
    (problem,) = caught.value.problems
    assert problem.where == str(corpus / "annotations" / "doc-0003.json")
    assert problem.pointer == "/entities/1"
    assert problem.message.startswith("GPE span T2 shares a token with GPE span T1")
    assert not out.exists()


def test_allowed_collisions_are_listed_in_the_card(tmp_path):
    corpus = tmp_path / "corpus"
    save_document(collision_sample(), corpus)
    assembled, _ = build_corpus(corpus, tmp_path / "out", allow_collisions=True)
    assert [(c.doc_id, c.layer, c.span_id, c.kept_id) for c in assembled.collisions] == [
        ("doc-0003", "entities", "T2", "T1")
    ]
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "This build has 1 collision(s)" in card
    assert "| doc-0003 | entities | T2 | GPE | T1 | GPE |" in card


def test_invalid_annotation_fails_before_anything_is_written(sample_corpus, tmp_path):
    out = tmp_path / "out"
    build_corpus(sample_corpus, out)
    before = {name: (out / name).read_bytes() for name in FILES}
    path = sample_corpus / "annotations" / "doc-0002.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"PER"', '"PERSON"'), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"doc-0002\.json"):
        build_corpus(sample_corpus, out)
    assert {name: (out / name).read_bytes() for name in FILES} == before


def test_empty_or_missing_corpus_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such corpus folder"):
        build_corpus(tmp_path / "missing")
    (tmp_path / "empty" / "annotations").mkdir(parents=True)
    with pytest.raises(InputError, match="no annotation files"):
        build_corpus(tmp_path / "empty")


def test_duplicate_document_ids_are_refused():
    with pytest.raises(InputError, match="doc-0002"):
        assemble([mixed_script_sample(), mixed_script_sample()])


def test_texts_without_annotation_are_named_in_the_card_not_dropped_silently(sample_corpus):
    (sample_corpus / "documents" / "doc-0009.txt").write_text("نص بلا توصيف.", encoding="utf-8")
    assembled, _ = build_corpus(sample_corpus)
    assert assembled.unannotated == ("doc-0009",)
    assert [document.id for document in assembled.documents] == ["doc-0001", "doc-0002"]
    card = (sample_corpus / "README.md").read_text(encoding="utf-8")
    assert "Not in the dataset yet: 1 text(s) in `documents/` without an annotation file\n(doc-0009)." in card
