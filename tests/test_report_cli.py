"""`khabar report`, and `--perturbation` on the scoring commands: the gold scores 1.0 on every variant."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from khabar.cli import main
from khabar.eval import evaluate
from khabar.eval.predictions import write_predictions
from khabar.perturb import PERTURBATIONS, perturb_corpus
from khabar.store import load_corpus


@pytest.fixture(scope="module")
def gold(corpus_dir):
    documents = load_corpus(corpus_dir)
    assert documents[0].entities, "the corpus has gold annotations"
    return documents


@pytest.mark.parametrize("name", list(PERTURBATIONS))
def test_gold_scores_one_on_every_variant(gold, name):
    variant = perturb_corpus(gold, name)
    assert variant != gold
    result = evaluate(variant, variant, bootstrap=0)
    assert {layer: headline.f1 for layer, headline in result.headline.items()} == {
        "entities": 1.0,
        "timex": 1.0,
        "events": 1.0,
        "quotes": 1.0,
    }


def test_evaluate_on_a_variant_records_it_in_the_signature(gold, corpus_dir, tmp_path, capsys):
    predictions = tmp_path / "pred.jsonl"
    write_predictions(predictions, perturb_corpus(gold, "eastern-digits", seed=3))
    arguments = ["evaluate", str(predictions), "--gold", str(corpus_dir), "--bootstrap", "0", "--format", "json"]
    assert main([*arguments, "--perturbation", "eastern-digits", "--perturbation-seed", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["signature"]["perturb"] == "eastern-digits.seed3"
    assert data["headline"]["timex"]["f1"] == 1.0


def test_predictions_on_the_clean_text_do_not_score_against_a_variant(gold, corpus_dir, tmp_path, capsys):
    predictions = tmp_path / "pred.jsonl"
    write_predictions(predictions, gold)
    out = tmp_path / "report.html"
    arguments = [str(predictions), "--gold", str(corpus_dir), "--perturbation", "tatweel", "--bootstrap", "0"]
    assert main(["report", *arguments, "--out", str(out)]) == 2
    variant = perturb_corpus(gold, "tatweel")[0]  # the text the predictions are checked against
    assert capsys.readouterr().err == (
        f"Error: {predictions}:line 1: /text_sha256: does not match the text (its sha256 is {variant.text_sha256})\n"
    )
    assert not out.exists()


def test_report_of_an_imperfect_prediction(gold, corpus_dir, tmp_path, capsys):
    document = gold[0]
    entities = list(document.entities)
    referenced = {argument.ref for event in document.events for argument in event.arguments}
    referenced |= {quote.speaker.ref for quote in document.quotes if quote.speaker is not None}
    first, second = entities[0], entities[1]
    third = next(entity for entity in entities[2:] if entity.id not in referenced)
    entities[0] = replace(first, type="PER" if first.type != "PER" else "ORG")  # wrong type
    entities[1] = replace(second, end=second.end - 1, text=document.text[second.start : second.end - 1])
    entities.remove(third)  # missed
    predictions = tmp_path / "pred.jsonl"
    write_predictions(predictions, [replace(document, entities=tuple(entities)), *gold[1:]])
    out = tmp_path / "report.html"
    arguments = [str(predictions), "--gold", str(corpus_dir), "--bootstrap", "50", "--layers", "entities", "timex"]
    assert main(["report", *arguments, "--out", str(out)]) == 0
    assert capsys.readouterr().err == f"wrote {out}\n"
    html = out.read_text(encoding="utf-8")
    articles = re.findall(r'<article class="doc" id="doc-(entities|timex)-doc-\d+" dir="rtl" lang="ar">', html)
    assert len(articles) == 2 * len(gold)  # per layer and document
    for category in ("wrong_type", "wrong_boundary", "missed", "correct"):
        assert f'class="m {category}" title=' in html
    assert f"«{third.text}»" in html  # the missed span's hover title
    assert "khabar:0.1.0|corpus:" in html and "boot:50" in html
    assert "Per label" in html and "Confusion of labels" in html


def test_report_help_lists_the_options(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    help_text = capsys.readouterr().out
    for option in ("--out", "--normalize", "--perturbation", "--tagset", "--bootstrap"):
        assert option in help_text


def test_report_normalize_counts_a_diacritic_difference_as_correct(tmp_path: Path, capsys):
    text = "قال مُحَمَّدٌ إن الاجتماع انتهى."
    corpus = tmp_path / "corpus"
    from khabar.document import Document, Entity
    from khabar.store import save_document

    name_end = text.index(" إن")
    gold_doc = Document(id="doc-0001", text=text, entities=(Entity("T1", 4, name_end, "PER", text[4:name_end]),))
    save_document(gold_doc, corpus)
    pred_doc = replace(gold_doc, entities=(Entity("P1", 4, name_end - 1, "PER", text[4 : name_end - 1]),))
    predictions = tmp_path / "pred.jsonl"
    write_predictions(predictions, [pred_doc])
    common = [str(predictions), "--gold", str(corpus), "--bootstrap", "0", "--layers", "entities"]
    assert main(["report", *common, "--out", str(tmp_path / "raw.html")]) == 0
    assert main(["report", *common, "--normalize", "--out", str(tmp_path / "norm.html")]) == 0
    raw = (tmp_path / "raw.html").read_text(encoding="utf-8")
    normalized = (tmp_path / "norm.html").read_text(encoding="utf-8")
    assert 'class="m wrong_boundary" title=' in raw and 'class="m correct" title=' not in raw
    assert 'class="m correct" title=' in normalized and "normalize:ar-ortho.1" in normalized


def test_report_into_a_missing_folder_is_an_input_error(gold, corpus_dir, tmp_path, capsys):
    predictions = tmp_path / "pred.jsonl"
    write_predictions(predictions, gold)
    out = tmp_path / "missing" / "report.html"
    arguments = ["report", str(predictions), "--gold", str(corpus_dir), "--bootstrap", "0", "--out", str(out)]
    assert main(arguments) == 2
    assert capsys.readouterr().err == f"Error: no such folder for --out: {out.parent}\n"
