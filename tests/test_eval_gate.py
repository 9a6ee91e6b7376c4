"""The regression gate: synthetic reference/current pairs, and `khabar check` end to end."""

from __future__ import annotations

import json

import pytest

from khabar.cli import main
from khabar.errors import InputError
from khabar.eval import evaluate
from khabar.eval.gate import regressions, tolerance
from khabar.runs import benchmark as benchmark_run
from khabar.store import save_document
from tests.eval_helpers import TEXT, document, entity

METRIC = "exact micro F1 (IOB2 strict)"


def scores(**systems):
    return {
        "khabar_version": "0.1.0",
        "systems": {
            name: {"entities": {"metric": METRIC, "f1": f1, "ci": list(ci), "signature": {"corpus": "abc"}}}
            for name, (f1, ci) in systems.items()
        },
    }


def test_tolerance_is_the_larger_of_half_the_interval_and_the_minimum():
    assert tolerance({"ci": [0.70, 0.90]}, 0.005) == pytest.approx(0.10)
    assert tolerance({"ci": [0.799, 0.801]}, 0.005) == 0.005
    assert tolerance({"ci": [None, None]}, 0.005) == 0.005


def test_a_drop_beyond_the_interval_half_width_regresses():
    reference = scores(crf=(0.80, (0.70, 0.90)))
    assert regressions(reference, scores(crf=(0.71, (0.6, 0.8)))).failed is False  # within 10 points
    report = regressions(reference, scores(crf=(0.69, (0.6, 0.8))))
    assert report.failed
    assert report.regressions[0].describe() == f"crf entities {METRIC}: 80.0 → 69.0 (tolerance 10.0 points)"


def test_the_minimum_tolerance_applies_to_tight_intervals():
    reference = scores(rules=(0.80, (0.80, 0.80)))
    assert not regressions(reference, scores(rules=(0.796, (0.79, 0.80)))).failed
    assert regressions(reference, scores(rules=(0.794, (0.79, 0.80)))).failed


def test_improvements_missing_scores_and_metric_changes():
    reference = scores(crf=(0.50, (0.49, 0.51)), rules=(0.40, (0.39, 0.41)))
    current = scores(crf=(0.60, (0.59, 0.61)))
    report = regressions(reference, current)
    assert [change.system for change in report.improvements] == ["crf"]
    assert [(change.system, change.reason) for change in report.regressions] == [("rules", "no longer scored")]
    renamed = scores(crf=(0.50, (0.49, 0.51)))
    renamed["systems"]["crf"]["entities"]["metric"] = "something else"
    assert regressions(scores(crf=(0.50, (0.49, 0.51))), renamed).regressions[0].reason.startswith("metric changed")
    assert regressions(scores(crf=(0.5, (0.4, 0.6))), scores(crf=(None, (None, None)))).failed


def test_the_reference_passes_against_itself():
    reference = scores(crf=(0.5, (0.4, 0.6)), rules=(None, (None, None)))
    report = regressions(reference, reference)
    assert not report.failed and len(report.unchanged) == 2 and not report.notes


def test_a_malformed_reference_is_an_input_error():
    with pytest.raises(InputError, match="expected an object with a 'systems' mapping"):
        regressions({"system": {}}, scores())
    with pytest.raises(InputError) as error:
        regressions(scores(crf=(85.2, (80, 90))), scores())
    assert str(error.value) == "reference:/systems/crf/entities: f1 must be a fraction in 0..1 or null, not 85.2"


# --- khabar check, with a stand-in for the baselines' run_benchmark -----------------------

GOLD = document(entities=(entity(TEXT, "T1", "الرياض", "GPE"), entity(TEXT, "T2", "محمد بن سلمان", "PER")))
DEGRADED = document(entities=(entity(TEXT, "T1", "الرياض", "GPE"),))


def fake_benchmark(predictions):
    def run_benchmark(documents, *, systems=None, bootstrap=1000, seed=7):
        result = evaluate(documents, [predictions], layers=["entities"], bootstrap=bootstrap, seed=seed)
        entry = result.layers["entities"]
        return {
            "khabar_version": "0.1.0",
            "systems": {
                name: {"entities": {**entry.headline.to_dict(), "signature": entry.signature}}
                for name in systems or ["oracle"]
            },
        }

    return run_benchmark


@pytest.fixture
def project(tmp_path, monkeypatch):
    save_document(GOLD, tmp_path / "corpus")
    module = benchmark_run  # the gate re-scores through it; teardown restores the real function
    monkeypatch.setattr(module, "run_benchmark", fake_benchmark(GOLD))
    reference = module.run_benchmark([GOLD], systems=["oracle"], bootstrap=200)
    (tmp_path / "scores.json").write_text(json.dumps(reference), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return module


def test_check_passes_on_the_reference(project, capsys):
    code = main(["check", "--reference", "scores.json"])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == ""
    assert captured.err == "ok: 0 regressed, 0 improved, 1 within tolerance, of 1 headline scores\n"


def test_check_fails_on_a_degraded_system(project, capsys):
    project.run_benchmark = fake_benchmark(DEGRADED)
    code = main(["check", "--reference", "scores.json"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == f"regressed: oracle entities {METRIC}: 100.0 → 66.7 (tolerance 0.5 points)\n"
    assert captured.err.startswith("FAILED: 1 regressed")


def test_check_lists_improvements_with_the_update_command(project, tmp_path, capsys):
    project.run_benchmark = fake_benchmark(DEGRADED)
    degraded = project.run_benchmark([GOLD], systems=["oracle"], bootstrap=200)
    (tmp_path / "scores.json").write_text(json.dumps(degraded), encoding="utf-8")
    project.run_benchmark = fake_benchmark(GOLD)
    assert main(["check", "--reference", "scores.json"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("improved: oracle entities")
    assert out[1] == "update the reference with: khabar benchmark --write-reference"


def test_check_reports_an_unreadable_reference(project, tmp_path, capsys):
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert main(["check", "--reference", "bad.json"]) == 2
    assert (
        capsys.readouterr().err
        == "Error: bad.json: not JSON: Expecting property name enclosed in double quotes (line 1, column 2)\n"
    )
    assert main(["check", "--reference", "missing.json"]) == 2
    assert capsys.readouterr().err == "Error: missing.json: no such reference file\n"


# --- deterministic systems: no run-to-run noise, so only the minimum tolerance ------------


def test_a_deterministic_system_gets_only_the_minimum_tolerance():
    entry = {"ci": [0.0, 0.076], "deterministic": True}
    assert tolerance(entry, 0.005) == 0.005
    assert tolerance({**entry, "deterministic": False}, 0.005) == pytest.approx(0.038)
    assert tolerance({"ci": [0.0, 0.076]}, 0.005) == pytest.approx(0.038)  # no flag: the interval rule


def committed_reference(repo):
    return json.loads((repo / "baselines" / "scores.json").read_text(encoding="utf-8"))


def test_every_committed_reference_score_is_marked_deterministic(repo):
    reference = committed_reference(repo)
    flags = {
        (system, layer): entry.get("deterministic")
        for system, layers in reference["systems"].items()
        for layer, entry in layers.items()
    }
    assert flags and set(flags.values()) == {True}


@pytest.mark.parametrize("drop", ["to zero", "by one point"])
def test_every_committed_reference_score_can_fail_the_gate(repo, drop):
    reference = committed_reference(repo)
    scored = [
        (system, layer)
        for system, layers in reference["systems"].items()
        for layer, entry in layers.items()
        if entry["f1"] is not None and (drop == "to zero" or entry["f1"] >= 0.01)
    ]
    assert scored
    for system, layer in scored:
        current = json.loads(json.dumps(reference))
        entry = current["systems"][system][layer]
        entry["f1"] = 0.0 if drop == "to zero" else entry["f1"] - 0.01
        report = regressions(reference, current)
        assert [(change.system, change.layer) for change in report.regressions] == [(system, layer)], (system, layer)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"ci": [0.4]}, "/ci: ci must be a pair [low, high] of fractions in 0..1 (or nulls), not [0.4]"),
        ({"ci": "ab"}, "/ci: ci must be a pair [low, high] of fractions in 0..1 (or nulls), not 'ab'"),
        ({"ci": [0.4, 85]}, "/ci: ci must be a pair [low, high] of fractions in 0..1 (or nulls), not [0.4, 85]"),
        ({"deterministic": "yes"}, "/deterministic: deterministic must be true or false, not 'yes'"),
        ({"signature": {"boot": "x"}}, "/signature/boot: boot must be a non-negative integer, not 'x'"),
        ({"signature": {"seed": -1}}, "/signature/seed: seed must be a non-negative integer, not -1"),
        ({"signature": {"seed": 1.5}}, "/signature/seed: seed must be a non-negative integer, not 1.5"),
    ],
)
def test_malformed_reference_entries_name_their_json_pointer(change, expected):
    reference = scores(crf=(0.5, (0.4, 0.6)))
    reference["systems"]["crf"]["entities"].update(change)
    with pytest.raises(InputError) as error:
        regressions(reference, scores(crf=(0.5, (0.4, 0.6))))
    assert str(error.value) == "reference:/systems/crf/entities" + expected


@pytest.mark.parametrize("ci", ["[0.4]", '"ab"'])
def test_check_reports_a_malformed_reference_without_a_traceback(project, tmp_path, capsys, ci):
    data = json.loads((tmp_path / "scores.json").read_text(encoding="utf-8"))
    data["systems"]["oracle"]["entities"]["ci"] = json.loads(ci)
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["check", "--reference", "bad.json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: bad.json:/systems/oracle/entities/ci: ci must be a pair") and err.count("\n") == 1


def test_check_tells_a_reference_of_another_corpus_version_from_a_regression(project, tmp_path, capsys):
    # One more (fixture) document: the reference describes the previous corpus, so it is stale, not regressed.
    from khabar.eval.signature import corpus_hash

    before = corpus_hash([GOLD])
    save_document(document(doc_id="doc-0002", entities=GOLD.entities), tmp_path / "corpus")
    after = corpus_hash([GOLD, document(doc_id="doc-0002", entities=GOLD.entities)])
    code = main(["check", "--reference", "scores.json"])
    captured = capsys.readouterr()
    assert (code, captured.out) == (3, "")
    assert captured.err == (
        f"Error: the reference was computed on another corpus version (corpus:{before}; the corpus is now "
        f"corpus:{after}): refresh it with `khabar benchmark --write-reference`\n"
    )
