"""The hf adapter on a tiny randomly initialised BERT built here (no download)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from khabar.baselines.hf import HfTagger, detect_tagset, map_label  # noqa: E402
from khabar.baselines.registry import get  # noqa: E402
from khabar.document import DCT, Document  # noqa: E402
from khabar.tokenize import tokenize  # noqa: E402
from khabar.validate import check_annotation  # noqa: E402

TEXT = "قالَ الرئيسُ 😀 إنّ دمشقَ ستستضيف القمة في ٢٤ نوفمبر.\nوأكد الوزير ذلك."
WOJOOD = ["O", "B-PERS", "I-PERS", "B-GPE", "I-GPE", "B-DATE", "I-DATE"]
CONLL = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


def build_model(directory, labels: list[str], forced: str | None = None):
    """A 1-layer BERT with a character WordPiece vocabulary; `forced` makes one label win."""
    directory.mkdir(parents=True, exist_ok=True)
    characters = sorted(set(TEXT) - {" ", "\n"})
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *characters, *(f"##{c}" for c in characters)]
    (directory / "vocab.txt").write_text("\n".join(vocabulary) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizerFast(
        vocab_file=str(directory / "vocab.txt"), do_lower_case=False, strip_accents=False, tokenize_chinese_chars=False
    )
    tokenizer.save_pretrained(directory)
    config = transformers.BertConfig(
        vocab_size=len(vocabulary),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=128,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: index for index, label in enumerate(labels)},
    )
    torch.manual_seed(0)
    model = transformers.BertForTokenClassification(config)
    if forced is not None:
        with torch.no_grad():
            model.classifier.weight.zero_()
            model.classifier.bias.fill_(-10.0)
            model.classifier.bias[labels.index(forced)] = 10.0
    model.save_pretrained(directory)
    return directory


def predict(directory, text: str = TEXT) -> Document:
    [pred] = get("hf", model=directory).predict([Document(id="d", text=text, dct=DCT("2025-12-03", "test"))])
    return pred


def test_label_maps():
    assert map_label("B-PERS", "wojood") == ("entities", "B-PER")
    assert map_label("I-GPE", "wojood") == ("entities", "I-GPE")
    assert map_label("B-DATE", "wojood") == ("timex", "B-DATE")
    assert map_label("B-LOC", "conll") == ("entities", "B-GPE")
    assert map_label("S-PER", "conll") == ("entities", "B-PER")
    assert map_label("E-ORG", "conll") == ("entities", "I-ORG")
    assert map_label("B-MISC", "conll") is None
    assert map_label("O", "conll") is None
    assert detect_tagset(WOJOOD) == "wojood"
    assert detect_tagset(CONLL) == "conll"
    assert detect_tagset(["O", "B-PERS", "B-LOC", "B-ORG", "B-MISC"]) == "conll"  # ANERcorp


def test_word_pieces_map_back_to_exact_token_spans(tmp_path):
    pred = predict(build_model(tmp_path, WOJOOD, forced="B-PERS"))
    # Every token is B-PERS, so every token becomes one PER span with its exact extent:
    # diacritics, shadda and the non-BMP emoji included, Eastern digits too.
    tokens = [(t.start, t.end, t.text) for t in tokenize(TEXT)]
    assert [(e.start, e.end, e.text) for e in pred.entities] == tokens
    assert {e.type for e in pred.entities} == {"PER"}
    assert "😀" in {e.text for e in pred.entities}
    assert check_annotation(pred.to_json(), pred.text) == []


def test_conll_locations_become_gpe_and_dates_fill_the_timex_layer(tmp_path):
    conll = predict(build_model(tmp_path / "conll", CONLL, forced="B-LOC"))
    assert {e.type for e in conll.entities} == {"GPE"}
    dates = predict(build_model(tmp_path / "wojood", WOJOOD, forced="I-DATE"))
    assert dates.entities == ()
    # I- after O starts a chunk (conlleval reading): one DATE per sentence.
    assert [t.type for t in dates.timex] == ["DATE", "DATE"]
    assert check_annotation(dates.to_json(), dates.text) == []


def test_a_random_model_gives_a_valid_prediction_and_a_signature(tmp_path):
    directory = build_model(tmp_path, WOJOOD)
    tagger = HfTagger(directory)
    assert tagger.layers == ("entities", "timex")
    pred = tagger.predict([Document(id="d", text=TEXT)])[0]
    assert check_annotation(pred.to_json(), pred.text) == []
    assert tagger.signature()["tagset"] == "wojood"


def test_sentences_longer_than_the_model_are_split(tmp_path):
    long_text = " ".join(["دمشق"] * 60) + "."  # 4 pieces a word: far beyond 128 positions
    pred = predict(build_model(tmp_path, WOJOOD, forced="B-GPE"), long_text)
    assert [(e.start, e.end) for e in pred.entities] == [(t.start, t.end) for t in tokenize(long_text)]


def test_a_missing_model_directory_is_an_input_error(tmp_path):
    from khabar.errors import InputError

    with pytest.raises(InputError, match="not a model directory"):
        HfTagger(tmp_path / "nowhere")


def test_predict_command_runs_a_model_directory(tmp_path, capsys):
    import json

    from khabar.cli import main
    from khabar.store import save_document

    save_document(Document(id="doc-1", text=TEXT, dct=DCT("2025-12-03", "test")), tmp_path / "corpus")
    model = build_model(tmp_path / "model", CONLL, forced="B-PER")
    out = tmp_path / "pred.jsonl"
    argv = ["predict", "--baseline", "hf", "--model", str(model), "--corpus", str(tmp_path / "corpus")]
    assert main([*argv, "--out", str(out)]) == 0
    [line] = out.read_text(encoding="utf-8").splitlines()
    assert {entity["type"] for entity in json.loads(line)["entities"]} == {"PER"}
