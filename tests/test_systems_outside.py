"""Outside systems and real tools' output: HeidelTime's jar, a Hugging Face pipeline, a spaCy
DocBin — each read by its reader and scored equal to the same predictions as aligned JSONL;
and systems as plug-ins of the `khabar.systems` entry-point group.

The corpus is two made-up test sentences (not news)."""

from __future__ import annotations

import json
from importlib.metadata import EntryPoint

import pytest

from khabar.baselines import heideltime, registry
from khabar.cli import main
from khabar.document import DCT, Document
from khabar.eval import evaluate
from khabar.eval.predictions import load_predictions, write_predictions
from khabar.formats import hf_pipeline, spacy_docs, timeml_inline
from khabar.store import save_document
from tests.eval_helpers import document, entity, timex

TEXT_A = "جملة اختبار: وصل الوفد إلى دمشق يوم 24 نوفمبر 2025، وقال المتحدث أمس إن عام 2014 كان صعبا."
TEXT_B = "جملة ثانية للاختبار: زار الوزير عمّان في 11 نوفمبر الماضي."
GOLD = [
    document(
        TEXT_A,
        "doc-0001",
        entities=(entity(TEXT_A, "T1", "دمشق", "GPE"),),
        timex=(
            timex(TEXT_A, "X1", "24 نوفمبر 2025", "DATE", "2025-11-24"),
            timex(TEXT_A, "X2", "أمس", "DATE", "2025-12-02"),
        ),
    ),
    document(
        TEXT_B,
        "doc-0002",
        entities=(entity(TEXT_B, "T1", "عمّان", "GPE"),),
        timex=(timex(TEXT_B, "X1", "11 نوفمبر الماضي", "DATE", "2025-11-11"),),
    ),
]
GOLD = [
    Document(g.id, g.text, dct=DCT(dct, "test fixture"), entities=g.entities, timex=g.timex)
    for g, dct in zip(GOLD, ("2025-12-03", "2025-12"), strict=True)
]


def headlines(result) -> dict:
    return result.to_dict()["headline"]


def same_as_jsonl(tmp_path, documents, layers, unaligned=()) -> dict:
    """Headlines of `documents` scored directly and through aligned JSONL (asserted equal)."""
    path = tmp_path / "aligned.jsonl"
    write_predictions(path, list(documents), layers, unaligned)
    loaded = load_predictions(path, GOLD)
    direct = evaluate(GOLD, list(documents), predicted=layers, unaligned=unaligned, bootstrap=20)
    via = evaluate(GOLD, loaded.documents, predicted=loaded.layers, unaligned=loaded.unaligned, bootstrap=20)
    assert headlines(direct) == headlines(via)
    return headlines(direct)


@pytest.fixture
def gold_dir(tmp_path):
    folder = tmp_path / "gold"
    for item in GOLD:
        save_document(item, folder)
    return folder


# --- HeidelTime ------------------------------------------------------------------------------

needs_heideltime = pytest.mark.skipif(
    heideltime.unavailable() is not None, reason=f"HeidelTime cannot run here: {heideltime.unavailable()}"
)


@needs_heideltime
def test_heideltime_runs_the_jar_and_its_timeml_is_aligned(tmp_path, gold_dir, capsys):
    out = tmp_path / "pred-heideltime.jsonl"
    assert main(["predict", "--system", "heideltime", "--corpus", str(gold_dir), "--out", str(out)]) == 0
    assert capsys.readouterr().err == f"heideltime: 2 documents → {out}\n"
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [sorted(line) for line in lines] == [["dct", "id", "language", "source", "text_sha256", "timex"]] * 2
    found = {(line["id"], t["text"], t["value"]) for line in lines for t in line["timex"]}
    # The reference date: the DCT's day for doc-0001, the first day of December for doc-0002.
    assert ("doc-0001", "أمس", "2025-12-02") in found
    assert ("doc-0002", "11 نوفمبر الماضي", "2025-11-11") in found
    assert main(["evaluate", str(out), "--gold", str(gold_dir), "--format", "json", "--bootstrap", "20"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["headline"]["entities"] is None and report["not_predicted"] == ["entities", "events", "quotes"]
    assert report["headline"]["timex"]["f1"] > 0


@needs_heideltime
def test_heideltime_output_through_the_timeml_reader_scores_as_its_jsonl(tmp_path):
    tagger = registry.get("heideltime")
    direct = tagger.predict(GOLD)
    assert same_as_jsonl(tmp_path, direct, {"timex"})["timex"]["f1"] > 0
    # The same TimeML read from a file, as a user would pass HeidelTime's output.
    assert all(t.text == d.text[t.start : t.end] for d in direct for t in d.timex)
    assert registry.get("heideltime").signature()["reference_date"].startswith("dct-day")


def test_the_timeml_reader_on_a_heideltime_format_sample(tmp_path):
    # A sample in HeidelTime's output layout (written for this test, not produced by the jar),
    # so that the reader is covered where Java is missing.
    sample = (
        '<?xml version="1.0"?>\n<!DOCTYPE TimeML SYSTEM "TimeML.dtd">\n<TimeML>\n'
        'جملة ثانية للاختبار: زار الوزير عمّان في <TIMEX3 tid="t4" type="DATE" value="2025-11-11">'
        "11 نوفمبر الماضي</TIMEX3>.\n\n</TimeML>\n"
    )
    result = timeml_inline.read(sample.encode(), GOLD, where="sample.tml")
    assert [(t.text, t.value) for t in result.documents[1].timex] == [("11 نوفمبر الماضي", "2025-11-11")]
    assert same_as_jsonl(tmp_path, result.documents, result.layers)["events"] is None


# --- plug-ins ----------------------------------------------------------------------------------


class Oracle:
    """A plug-in for the test: predicts the gold entities of the fixture corpus."""

    name = "oracle"
    layers = ("entities",)
    deterministic = True

    def predict(self, documents):
        by_id = {item.id: item for item in GOLD}
        return [Document(d.id, d.text, dct=d.dct, entities=by_id[d.id].entities) for d in documents]

    def signature(self):
        return {"system": self.name}


def test_a_plug_in_registered_by_entry_point_is_predicted_and_benchmarked(monkeypatch, tmp_path, gold_dir, capsys):
    point = EntryPoint(name="oracle", value=f"{__name__}:Oracle", group=registry.GROUP)
    installed = registry.entry_points
    monkeypatch.setattr(
        registry, "entry_points", lambda group: [*installed(group=group), point] if group == registry.GROUP else []
    )
    assert registry.names()[-1] == "oracle" and "oracle" in registry.available()
    out = tmp_path / "pred-oracle.jsonl"
    assert main(["predict", "--system", "oracle", "--corpus", str(gold_dir), "--out", str(out)]) == 0
    capsys.readouterr()
    argv = ["benchmark", "--corpus", str(gold_dir), "--systems", "oracle", "--bootstrap", "20", "--format", "json"]
    assert main(argv) == 0
    scores = json.loads(capsys.readouterr().out)["systems"]["oracle"]
    assert list(scores) == ["entities"] and scores["entities"]["f1"] == 1.0


def test_an_unknown_system_is_an_input_error(capsys):
    assert main(["predict", "--system", "nosuch", "--out", "x.jsonl"]) == 2
    assert capsys.readouterr().err.startswith("Error: unknown system 'nosuch' (choose one of rules, crf,")


# --- real tool output: Hugging Face pipeline, spaCy DocBin ---------------------------------------


def test_real_pipeline_output_of_the_tiny_model_scores_as_its_jsonl(tmp_path):
    pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tests.test_baselines_hf import CONLL, TEXT, build_model

    model = build_model(tmp_path / "model", CONLL, forced="B-PER")
    gold = [document(TEXT, "doc-0001", entities=(entity(TEXT, "T1", "دمشقَ", "GPE"),))]
    tagger = transformers.pipeline("token-classification", model=str(model), tokenizer=str(model))
    for strategy in ("none", "simple"):
        items = tagger(TEXT, aggregation_strategy=strategy)
        data = json.dumps([{**item, "score": float(item["score"])} for item in items], ensure_ascii=False)
        result = hf_pipeline.read(data.encode(), gold, where="pipeline.json")
        [pred] = result.documents
        assert pred.entities and all(e.type == "PER" and e.text == TEXT[e.start : e.end] for e in pred.entities)
        assert all(e.text.strip() == e.text for e in pred.entities)
        path = tmp_path / f"{strategy}.jsonl"
        write_predictions(path, [pred], result.layers)
        loaded = load_predictions(path, gold)
        assert (
            evaluate(gold, [pred], predicted=result.layers, bootstrap=0).to_dict()
            == evaluate(gold, loaded.documents, predicted=loaded.layers, bootstrap=0).to_dict()
        )


def test_a_spacy_docbin_of_a_blank_arabic_pipeline(tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    nlp = spacy.blank("ar")
    docbin = DocBin(store_user_data=True)
    for gold in GOLD:
        doc = nlp(gold.text)
        doc.ents = [doc.char_span(e.start, e.end, label=e.type, alignment_mode="expand") for e in gold.entities]
        docbin.add(doc)
    result = spacy_docs.read(docbin.to_bytes(), GOLD, where="pred.spacy")
    assert [[(e.text, e.type) for e in d.entities] for d in result.documents] == [
        [(e.text, e.type) for e in g.entities] for g in GOLD
    ]
    assert same_as_jsonl(tmp_path, result.documents, result.layers)["entities"]["f1"] == 1.0
