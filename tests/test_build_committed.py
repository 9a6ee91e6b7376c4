"""The committed dataset (`corpus/data/`, `corpus/README.md`): loadable offline, and not stale.

When these fail after an annotation or code change, run `khabar build` and commit the result.
"""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from datasets import load_dataset

from khabar.formats.card import DATA_FILES
from khabar.formats.hf import row_tags, row_to_document
from khabar.runs.build import build_corpus
from khabar.store import load_corpus
from khabar.views import token_view

STALE = "the committed dataset is stale: run `khabar build` and commit corpus/data and corpus/README.md"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory, corpus_dir):
    out = tmp_path_factory.mktemp("fresh-build")
    build_corpus(corpus_dir, out)
    return out


def test_committed_card_is_fresh(fresh, corpus_dir):
    committed = (corpus_dir / "README.md").read_text(encoding="utf-8")
    assert committed == (fresh / "README.md").read_text(encoding="utf-8"), STALE


@pytest.mark.parametrize("config", sorted(DATA_FILES))
def test_committed_parquet_is_fresh(fresh, corpus_dir, config):
    committed_path, fresh_path = corpus_dir / DATA_FILES[config], fresh / DATA_FILES[config]
    assert committed_path.exists(), STALE
    committed, rebuilt = pq.read_table(committed_path), pq.read_table(fresh_path)
    assert committed.equals(rebuilt, check_metadata=True), STALE
    # Bytes depend on the parquet writer's version too: compare them when the writer is the same.
    if pq.ParquetFile(committed_path).metadata.created_by == pq.ParquetFile(fresh_path).metadata.created_by:
        assert committed_path.read_bytes() == fresh_path.read_bytes(), STALE


def test_committed_dataset_loads_offline_and_matches_the_annotations(corpus_dir, offline):
    gold = load_corpus(corpus_dir)
    documents = load_dataset(str(corpus_dir), "documents", split="test", cache_dir=str(offline))
    sentences = load_dataset(str(corpus_dir), "sentences", split="test", cache_dir=str(offline))
    assert [row_to_document(row) for row in documents] == gold
    views = [view for document in gold for view in token_view(document)[0]]
    assert [row["id"] for row in sentences] == [view.id for view in views]
    assert [row_tags(row) for row in sentences] == [view.tags for view in views]
