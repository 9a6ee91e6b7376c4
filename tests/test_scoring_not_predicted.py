"""A layer no prediction line has is "not predicted" (·, null) — never 0 — in evaluate,
compare, report and the leaderboard; coverage of sentences; timex values and pairing;
label hints. The corpus is two made-up test documents (not news)."""

from __future__ import annotations

import json

import pytest

from khabar.baselines.leaderboard import render_markdown, render_text
from khabar.cli import main
from khabar.eval.layers import Accumulator, TimexSpan, add_timex, declare_timex
from khabar.store import save_document
from khabar.views import LabeledSpan, token_view
from tests.eval_helpers import TEXT, document, entity, timex

GOLD = document(
    entities=(entity(TEXT, "T1", "الرياض", "GPE"), entity(TEXT, "T2", "محمد بن سلمان", "PER")),
    timex=(timex(TEXT, "X1", "يوم ٢٤ نوفمبر", "DATE", "2025-11-24"),),
)
OTHER = document("نص آخر للاختبار عن الرياض في ٢٠٢٥.", doc_id="doc-0002", entities=())


@pytest.fixture
def gold_dir(tmp_path):
    folder = tmp_path / "gold"
    save_document(GOLD, folder)
    save_document(OTHER, folder)
    return folder


def lines(tmp_path, name, records) -> str:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture
def timex_only(tmp_path):
    item = GOLD.timex[0].to_json()
    return lines(tmp_path, "timex.jsonl", [{"id": "doc-0001", "timex": [item]}, {"id": "doc-0002", "timex": []}])


@pytest.fixture
def entities_only(tmp_path):
    items = [e.to_json() for e in GOLD.entities]
    return lines(tmp_path, "entities.jsonl", [{"id": "doc-0001", "entities": items}, {"id": "doc-0002"}])


def run(capsys, *argv):
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_evaluate_shows_layers_not_predicted_as_a_dot_and_null(gold_dir, timex_only, capsys):
    code, out, err = run(capsys, "evaluate", timex_only, "--gold", gold_dir, "--bootstrap", "20")
    assert (code, err) == (0, "")
    assert out.startswith("timex — value F1 (TempEval-3): 100.0")
    for layer in ("entities", "events", "quotes"):
        assert f"\n{layer} — · not predicted (no prediction line has this layer; not scored)\n" in out
    code, out, _ = run(capsys, "evaluate", timex_only, "--gold", gold_dir, "--bootstrap", "20", "--format", "json")
    data = json.loads(out)
    assert data["headline"]["entities"] is None and data["layers"]["quotes"] is None
    assert data["headline"]["timex"]["f1"] == 1.0
    assert data["not_predicted"] == ["entities", "events", "quotes"]


def test_compare_refuses_a_layer_only_one_side_predicts_and_says_why(gold_dir, timex_only, entities_only, capsys):
    argv = ["compare", timex_only, entities_only, "--gold", gold_dir, "--bootstrap", "20", "--trials", "20"]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert (
        "entities: · not compared: only B predicts this layer (A has no entities): a comparison would score A as 0"
        in out
    )
    assert "timex: · not compared: only A predicts this layer (B has no timex)" in out
    assert "events: · not compared: not predicted by either system" in out
    code, out, _ = run(capsys, *argv, "--format", "json")
    data = json.loads(out)
    assert data["layers"] == {"entities": None, "timex": None, "events": None, "quotes": None}
    assert set(data["skipped"]) == {"entities", "timex", "events", "quotes"}


def test_report_leaves_out_layers_not_predicted(gold_dir, entities_only, tmp_path, capsys):
    out = tmp_path / "report.html"
    code, _, _ = run(capsys, "report", entities_only, "--gold", gold_dir, "--bootstrap", "0", "--out", out)
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert "يوم ٢٤ نوفمبر" in html  # the text is shown …
    assert "2025-11-24" not in html  # … but the gold timex is not listed as missed


def test_the_leaderboard_shows_a_dot_for_a_layer_not_predicted():
    score = {"metric": "m", "f1": 0.5, "ci": [0.4, 0.6], "signature": {"system": {"system": "x"}}}
    report = {"khabar_version": "0", "systems": {"x": {"timex": score}, "y": {"entities": score}}}
    assert "| x | · | 50.0 [40.0–60.0] |" in render_markdown(report)
    assert render_text(report).splitlines()[2].split() == ["x", "·", "50.0", "[40.0–60.0]"]


def test_missing_sentences_warn_with_a_count_and_strict_coverage_refuses(gold_dir, tmp_path, capsys):
    views = token_view(GOLD)[0]
    first = views[0]
    path = lines(tmp_path, "sentences.jsonl", [{"id": first.id, "ner_tags": first.tags["entities"]}])
    total = len(views) + len(token_view(OTHER)[0])
    code, _, err = run(capsys, "evaluate", path, "--gold", gold_dir, "--bootstrap", "0", "--layers", "entities")
    assert code == 0
    assert f"predictions cover 1 of {total} sentences; scored as nothing predicted for the other {total - 1}" in err
    code, out, err = run(capsys, "evaluate", path, "--gold", gold_dir, "--strict-coverage", "--layers", "entities")
    assert (code, out) == (2, "")
    assert err == (
        f"Error: predictions cover 1 of {total} sentences; scored as nothing predicted for the other {total - 1} "
        "(--strict-coverage: every document and sentence must be predicted)\n"
    )


def test_timex_from_tags_says_it_has_no_values(gold_dir, tmp_path, capsys):
    rows = [{"id": v.id, "timex_tags": v.tags["timex"]} for d in (GOLD, OTHER) for v in token_view(d)[0]]
    path = lines(tmp_path, "tags.jsonl", rows)
    code, _, err = run(capsys, "evaluate", path, "--gold", gold_dir, "--bootstrap", "0")
    assert code == 0
    assert "timex predicted without values (tags or extent-only spans): the headline value F1 counts no match" in err


@pytest.mark.parametrize("value", ["", "garbage!!", "2025-13-01"])
def test_predicted_timex_values_are_checked_with_the_timex3_grammar(gold_dir, tmp_path, capsys, value):
    item = {**GOLD.timex[0].to_json(), "value": value}
    path = lines(tmp_path, "bad.jsonl", [{"id": "doc-0001", "timex": [item]}])
    code, out, err = run(capsys, "evaluate", path, "--gold", gold_dir)
    assert (code, out) == (2, "")
    assert err == f"Error: {path}:line 1: /timex/0/value: {value!r} is not a TimeML value\n"


def test_timex_pairing_prefers_the_same_value_then_the_larger_overlap():
    """Gold `27 نوفمبر/تشرين الثاني` (2025-11-27); a tool splits it into the day (right value)
    and the longer month name (month value): the day is paired, so it is not spurious."""
    gold = [TimexSpan(LabeledSpan(0, 22, "DATE", "g"), "2025-11-27")]
    day = TimexSpan(LabeledSpan(0, 9, "DATE", "day"), "2025-11-27")
    month = TimexSpan(LabeledSpan(10, 22, "DATE", "month"), "2025-11")
    acc = Accumulator(1)
    declare_timex(acc)
    add_timex(acc, gold, [month, day], lambda offset: 0)
    tables = acc.tables()
    assert tables["value"].counts[0, 0].tolist() == [1.0, 2.0, 1.0]  # tp 1 (the day), pred 2, gold 1
    acc = Accumulator(1)
    declare_timex(acc)
    wrong = TimexSpan(LabeledSpan(0, 9, "DATE", "day"), "2025-11-28")
    add_timex(acc, gold, [month, wrong], lambda offset: 0)
    # No value matches: the larger overlap (the month name, 12 characters) is the pair.
    assert acc.tables()["relaxed-extent"].counts[0, 0].tolist() == [1.0, 2.0, 1.0]


def test_an_unknown_type_of_a_known_tag_set_names_the_tagset(gold_dir, tmp_path, capsys):
    item = {"start": GOLD.entities[1].start, "end": GOLD.entities[1].end, "type": "PERS"}
    path = lines(tmp_path, "wojood.jsonl", [{"id": "doc-0001", "entities": [item]}, {"id": "doc-0002"}])
    code, _, err = run(capsys, "evaluate", path, "--gold", gold_dir)
    assert code == 2
    assert err == (
        f"Error: {path}:line 1: /entities/0/type: unknown entity type 'PERS' "
        "(PERS is a wojood label: score with --tagset wojood)\n"
    )
    code, _, err = run(capsys, "evaluate", path, "--gold", gold_dir, "--tagset", "wojood", "--bootstrap", "0")
    assert (code, err) == (0, "")


def test_conll_labels_without_the_conll_tagset_warn(gold_dir, tmp_path, capsys):
    riyadh = GOLD.entities[0]
    item = {"start": riyadh.start, "end": riyadh.end, "type": "LOC"}
    path = lines(tmp_path, "conll.jsonl", [{"id": "doc-0001", "entities": [item]}, {"id": "doc-0002", "entities": []}])
    code, _, err = run(capsys, "evaluate", path, "--gold", gold_dir, "--bootstrap", "0")
    assert code == 0
    assert "the entity labels (LOC) look like CoNLL's PER/ORG/LOC/MISC: score with --tagset conll" in err
    code, _, err = run(capsys, "evaluate", path, "--gold", gold_dir, "--bootstrap", "0", "--tagset", "conll")
    assert (code, err) == (0, "")


def test_a_timex_without_a_value_is_extent_only(gold_dir, tmp_path, capsys):
    item = {key: value for key, value in GOLD.timex[0].to_json().items() if key != "value"}
    path = lines(tmp_path, "extent.jsonl", [{"id": "doc-0001", "timex": [item]}, {"id": "doc-0002", "timex": []}])
    code, out, err = run(capsys, "evaluate", path, "--gold", gold_dir, "--bootstrap", "0", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["headline"]["timex"]["f1"] == 0.0
    assert data["layers"]["timex"]["metrics"]["relaxed-extent"]["micro"]["f1"] == 1.0
    assert "timex predicted without values" in err
