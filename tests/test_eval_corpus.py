"""The harness on the real gold corpus: gold scores 1.0 against itself, a subset scores its share."""

from __future__ import annotations

from dataclasses import replace

import pytest

from khabar.eval import evaluate
from khabar.paths import annotation_paths
from khabar.store import load_corpus


@pytest.fixture(scope="module")
def gold(corpus_dir):
    if not annotation_paths(corpus_dir):
        pytest.skip("the corpus has no annotations yet")
    return load_corpus(corpus_dir)


def test_gold_against_itself_scores_one_on_every_layer(gold):
    result = evaluate(gold, gold, bootstrap=100)
    for layer, headline in result.headline.items():
        assert (headline.f1, headline.low, headline.high) == (1.0, 1.0, 1.0), layer


def test_a_subset_of_the_gold_has_precision_one_and_recall_its_share(gold):
    pred = [replace(document, entities=document.entities[::2]) for document in gold]
    kept = sum(len(document.entities) for document in pred)
    total = sum(len(document.entities) for document in gold)
    strict = evaluate(gold, pred, layers=["entities"], bootstrap=100).layers["entities"].metrics["span-strict"]
    assert strict.micro.precision == 1.0
    assert strict.micro.recall == kept / total
    low, high = strict.micro.ci
    assert low <= strict.micro.f1 <= high < 1.0
