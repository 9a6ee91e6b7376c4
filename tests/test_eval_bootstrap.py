"""Bootstrap intervals and significance tests on cases with known answers."""

from __future__ import annotations

import json

import numpy as np
import pytest
import threadpoolctl

from khabar.cli import main
from khabar.eval import bootstrap, score_tags
from khabar.eval.bootstrap import (
    Bootstrap,
    approximate_randomization_p,
    one_blas_thread,
    paired_bootstrap_p,
    percentile_interval,
)
from khabar.eval.predictions import write_predictions
from khabar.eval.significance import compare, micro_f1
from khabar.store import save_document
from tests.eval_helpers import document, entity


def test_resample_weights_sum_to_the_number_of_units_and_repeat_with_the_seed():
    boot = Bootstrap(250, seed=3)
    blocks = list(boot.weights(7))
    assert sum(block.shape[0] for block in blocks) == 250
    assert all((block.sum(axis=1) == 7).all() for block in blocks)
    again = np.concatenate(list(Bootstrap(250, seed=3).weights(7)))
    assert (np.concatenate(blocks) == again).all()
    assert not (np.concatenate(list(Bootstrap(250, seed=4).weights(7))) == again).all()


def test_two_units_one_right_one_wrong_has_the_known_resampling_distribution():
    # Unit A: 1 chunk, right; unit B: 1 chunk, wrong. Drawing 2 units: AA (1/4) → F1 1,
    # BB (1/4) → F1 0, AB or BA (1/2) → F1 0.5. So the 95% interval is [0, 1].
    gold = [["B-PER"], ["B-PER"]]
    pred = [["B-PER"], ["B-ORG"]]
    result = score_tags(gold, pred, bootstrap=4000, seed=11)
    assert result.micro.f1 == 0.5
    assert result.micro.ci == (0.0, 1.0)
    counts = np.array([[[1, 1, 1]], [[0, 1, 1]]], dtype=float)
    f1 = micro_f1(Bootstrap(4000, seed=11).resample(counts)[:, 0, :])
    share = {value: float(np.mean(f1 == value)) for value in (0.0, 0.5, 1.0)}
    # Binomial standard error at n = 4000 is under 0.008; allow 4 of them.
    assert share[1.0] == pytest.approx(0.25, abs=0.03)
    assert share[0.0] == pytest.approx(0.25, abs=0.03)
    assert share[0.5] == pytest.approx(0.5, abs=0.03)


def test_identical_units_give_a_point_interval():
    gold = [["B-PER", "O"]] * 10
    pred = [["B-PER", "O"]] * 5 + [["O", "O"]] * 5
    # Resampling units that are all right can only ever give F1 = 1.
    assert score_tags(gold, gold, bootstrap=200).micro.ci == (1.0, 1.0)
    low, high = score_tags(gold, pred, bootstrap=200).micro.ci
    assert 0.0 <= low < 2 / 3 < high <= 1.0


def test_percentile_interval_ignores_undefined_resamples():
    assert percentile_interval(np.array([np.nan, np.nan])) is None
    assert percentile_interval(np.array([np.nan, 0.5, 0.5])) == (0.5, 0.5)


def test_identical_systems_have_p_one():
    counts = np.array([[1, 2, 2], [0, 1, 1], [2, 2, 3]], dtype=float)
    difference, p = paired_bootstrap_p(counts, counts, micro_f1, Bootstrap(999, 1))
    assert (difference, p) == (0.0, 1.0)
    assert approximate_randomization_p(counts, counts, micro_f1, 999, 1) == 1.0


def test_clearly_different_systems_have_small_p():
    # 40 units, each with 2 gold chunks: A gets both, B none.
    gold_counts = np.tile([2.0, 2.0, 2.0], (40, 1))
    bad = np.tile([0.0, 2.0, 2.0], (40, 1))
    difference, p_boot = paired_bootstrap_p(gold_counts, bad, micro_f1, Bootstrap(1000, 7))
    p_ar = approximate_randomization_p(gold_counts, bad, micro_f1, 1000, 7)
    assert difference == 1.0
    assert p_boot == pytest.approx(1 / 1001) and p_ar < 0.05


def test_compare_end_to_end_on_documents(tmp_path, capsys):
    text = "زار الرئيس الرياض. ثم زار جدة.\n"
    gold = [document(text * 1, doc_id=f"doc-{index:04d}") for index in range(30)]

    gold = [
        document(
            doc.text,
            doc_id=doc.id,
            entities=(entity(doc.text, "T1", "الرياض", "GPE"), entity(doc.text, "T2", "جدة", "GPE")),
        )
        for doc in gold
    ]
    weak = [document(doc.text, doc_id=doc.id) for doc in gold]
    same = compare(gold, gold, gold, layers=["entities"], bootstrap=500, trials=500)
    assert same.layers["entities"].p_bootstrap == 1.0 and same.layers["entities"].p_randomization == 1.0
    different = compare(gold, gold, weak, layers=["entities"], bootstrap=500, trials=500)
    assert different.layers["entities"].difference == 1.0
    assert different.layers["entities"].p_bootstrap < 0.05 and different.layers["entities"].p_randomization < 0.05

    folder = tmp_path / "gold"
    for doc in gold:
        save_document(doc, folder)
    path_a, path_b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_predictions(path_a, gold)
    write_predictions(path_b, weak)
    code = main(
        ["compare", str(path_a), str(path_b), "--gold", str(folder), "--layers", "entities", "--format", "json"]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["layers"]["entities"]["p_bootstrap"] == pytest.approx(1 / 1001)
    assert out["signature"]["boot"] == 1000 and out["signature"]["trials"] == 10000


def test_resamples_with_an_undefined_f1_are_counted_and_noted():
    from khabar.eval import evaluate
    from khabar.eval.render import to_text
    from tests.eval_helpers import TEXT, document, entity

    # Two sentences, one entity in the first: a resample drawing only the second sentence
    # has no gold and no predicted span, so its F1 is undefined and left out of the interval.
    gold = document(entities=(entity(TEXT, "T1", "الرياض", "GPE"),))
    result = evaluate([gold], [gold], layers=["entities"], bootstrap=200, seed=7)
    micro = result.layers["entities"].metrics["seqeval-IOB2-strict"].micro
    expected = 0
    for block in Bootstrap(200, 7).weights(2):
        expected += int((block[:, 0] == 0).sum())
    assert 0 < micro.undefined == expected
    assert micro.to_dict()["ci_undefined_resamples"] == expected
    assert micro.ci == (1.0, 1.0)
    assert f"note: 95% CIs leave out resamples (of 200) where the score is undefined: GPE {expected}, micro avg" in (
        to_text(result)
    )


def test_stratified_weights_keep_each_stratum_size_and_one_stratum_is_the_plain_bootstrap():
    strata = (0, 0, 0, 1, 1, 2)
    for block in Bootstrap(300, seed=5, strata=strata).weights(6):
        assert (block[:, :3].sum(axis=1) == 3).all()
        assert (block[:, 3:5].sum(axis=1) == 2).all()
        assert (block[:, 5] == 1).all()  # a one-sentence document is always drawn once
    plain = np.concatenate(list(Bootstrap(300, seed=5).weights(6)))
    one_stratum = np.concatenate(list(Bootstrap(300, seed=5, strata=(4,) * 6).weights(6)))
    assert (plain == one_stratum).all()
    with pytest.raises(ValueError):
        list(Bootstrap(10, strata=(0, 1)).weights(3))


def _fixture_documents(count: int):
    # Test fixture, not news: two made-up sentences per document.
    text = "هذه جملة اختبار أولى. هذه جملة اختبار ثانية."
    return [document(text=text, doc_id=f"doc-{index:04d}") for index in range(1, count + 1)]


@pytest.mark.parametrize(
    ("count", "unit", "units"),
    [(1, "sentence", 2), (2, "sentence-by-document", 4), (29, "sentence-by-document", 58), (30, "document", 30)],
)
def test_the_resampling_unit_follows_the_number_of_documents(count, unit, units):
    from khabar.eval.harness import DOCUMENT_UNITS_FROM, Units

    assert DOCUMENT_UNITS_FROM == 30
    docs = _fixture_documents(count)
    resampling = Units(docs)
    assert (resampling.name, resampling.n) == (unit, units)
    expected_strata = () if unit != "sentence-by-document" else tuple(i // 2 for i in range(units))
    assert resampling.strata == expected_strata
    scored = compare(docs, docs, docs, layers=["entities"], bootstrap=10, trials=10)
    assert scored.signature["unit"] == unit


def test_products_run_on_one_blas_thread_and_the_pools_are_restored_after() -> None:
    # The pools the kept controller found (numpy's BLAS among them): another library's BLAS
    # loaded later (e.g. scipy's, with seqeval) is not limited, and its products are not ours.
    known = {pool["filepath"] for pool in bootstrap._controller().info() if pool["user_api"] == "blas"}

    def blas_threads() -> list[int]:
        return [pool["num_threads"] for pool in threadpoolctl.threadpool_info() if pool["filepath"] in known]

    assert known
    before = blas_threads()
    for _ in range(2):  # the pools found once serve every limit
        with one_blas_thread():
            assert blas_threads() == [1] * len(before)
        assert blas_threads() == before
