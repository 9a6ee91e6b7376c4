"""The dataset card: YAML generated from the Features, tables generated from the data."""

from __future__ import annotations

import re

import pytest
from datasets import Features
from huggingface_hub import DatasetCard

from khabar.formats.card import guidelines_version, size_category
from khabar.formats.hf import DOCUMENT_FEATURES, SENTENCE_FEATURES
from khabar.inventories import LAYERS, TAG_COLUMNS, iob2_tags, layer_labels
from khabar.runs.build import build_corpus
from khabar.store import save_document
from khabar.tokenize import TOKENIZER_VERSION
from tests.corpus_samples import mixed_script_sample, seed_sample


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("card")
    corpus = root / "corpus"
    for document in (seed_sample(), mixed_script_sample()):
        save_document(document, corpus)
    (root / "guidelines").mkdir()
    (root / "guidelines" / "README.md").write_text("# Guidelines\n\nVersion: 0.3.1\n", encoding="utf-8")
    build_corpus(corpus)
    return corpus / "README.md"


def test_card_yaml_declares_configs_features_language_license_and_tasks(built):
    card = DatasetCard.load(built)
    data = card.data.to_dict()
    assert data["configs"] == [
        {"config_name": "documents", "data_files": [{"split": "test", "path": "data/documents/test.parquet"}]},
        {
            "config_name": "sentences",
            "data_files": [{"split": "test", "path": "data/sentences/test.parquet"}],
            "default": True,
        },
    ]
    infos = {info["config_name"]: info for info in data["dataset_info"]}
    assert Features._from_yaml_list(infos["documents"]["features"]) == DOCUMENT_FEATURES
    assert Features._from_yaml_list(infos["sentences"]["features"]) == SENTENCE_FEATURES
    assert infos["documents"]["splits"][0]["num_examples"] == 2
    assert infos["sentences"]["splits"][0]["num_examples"] == 25
    assert data["language"] == ["ar"]
    assert data["license"] == "other"
    assert data["license_name"] == "cc-by-4.0-annotations-third-party-news-text"
    assert data["task_categories"] == ["token-classification"]
    assert data["task_ids"] == ["named-entity-recognition"]
    assert data["size_categories"] == ["n<1K"]
    assert data["pretty_name"].startswith("khabar")


def test_card_body_has_no_placeholders_and_states_license_and_scheme(built):
    text = built.read_text(encoding="utf-8")
    assert "More Information Needed" not in text
    assert "CC BY 4.0" in text and "license is unknown" in text
    assert "IOB2" in text and TOKENIZER_VERSION in text
    assert "@misc{khabar," in text
    assert 'load_dataset("corpus", "sentences", split="test")' in text
    assert "version 0.3.1" in text


def test_card_lists_every_label_and_every_field(built):
    text = built.read_text(encoding="utf-8")
    for layer in LAYERS:
        assert f"`{TAG_COLUMNS[layer]}` ({len(iob2_tags(layer))} tags)" in text
        for label in layer_labels(layer):
            assert f"| `{label}` |" in text, label
    for name in [*DOCUMENT_FEATURES, *SENTENCE_FEATURES]:
        assert f"`{name}`" in text, name


def test_card_statistics_are_counted_from_the_data(built):
    text = built.read_text(encoding="utf-8")
    assert "| documents | 2 |" in text
    assert "| sentences | 25 |" in text
    assert "| doc-0002 | 55 | 2 | 16 | unknown |" in text
    # ORG: التحالف الدولي, القيادة المركزية الأميركية, سنتكوم, وزارة الداخلية السورية; NORP nested in ORG.
    assert "| entities | `ORG` | 4 | 4 | 0 |" in text
    assert "| entities | `NORP` | 1 | 0 | 1 |" in text
    assert "| **entities** | **all** | **8** | **7** | **1** |" in text
    assert "| **events** | **all** | **2** | **2** | **0** |" in text
    assert "| event arguments referring to an entity or timex | 3 |" in text
    assert "| event arguments with a span of their own | 1 |" in text
    assert "| quotes with a speaker referring to an entity | 2 |" in text
    sentences, tokens = (int(n) for n in re.findall(r"\| doc-0001 \| 3337 \| (\d+) \| (\d+) \| 2025-12 \|", text)[0])
    assert (sentences, tokens) == (23, 617)


def test_guidelines_version(tmp_path):
    assert guidelines_version(None) is None
    assert guidelines_version(tmp_path) is None
    (tmp_path / "README.md").write_text("# Guidelines\n\nNo number here.\n", encoding="utf-8")
    assert guidelines_version(tmp_path) is None
    (tmp_path / "README.md").write_text("# Guidelines\n\n**Version:** 1.2\n", encoding="utf-8")
    assert guidelines_version(tmp_path) == "1.2"


def test_card_without_guidelines_says_so(tmp_path):
    corpus = tmp_path / "corpus"
    save_document(mixed_script_sample(), corpus)
    build_corpus(corpus)
    text = (corpus / "README.md").read_text(encoding="utf-8")
    assert "No guidelines version is recorded" in text


@pytest.mark.parametrize(
    ("count", "category"),
    [(0, "n<1K"), (999, "n<1K"), (1_000, "1K<n<10K"), (123_456, "100K<n<1M"), (10**6, "1M<n<10M")],
)
def test_size_category(count, category):
    assert size_category(count) == category
