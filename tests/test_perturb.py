"""Perturbations: every gold span carried over exactly, deterministic, and a valid corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.cli import main
from khabar.document import Document, Entity, Span, Timex
from khabar.normalize import Rules, normalize
from khabar.perturb import PERTURBATIONS, perturb
from khabar.store import load_corpus
from khabar.tokenize import tokenize
from khabar.validate import check_annotation
from tests.strategies import documents

FOLD = Rules(digits=True)


def all_spans(document: Document) -> Iterator[tuple[str, Span]]:
    """Every span of every layer, keyed by a stable name, in document order."""
    for entity in document.entities:
        yield f"entity {entity.id}", Span(entity.start, entity.end, entity.text)
    for timex in document.timex:
        yield f"timex {timex.id}", Span(timex.start, timex.end, timex.text)
    for event in document.events:
        yield f"trigger {event.id}", event.trigger
        for index, argument in enumerate(event.arguments):
            if argument.span is not None:
                yield f"argument {event.id}/{index}", argument.span
    for quote in document.quotes:
        yield f"content {quote.id}", quote.content
        if quote.cue is not None:
            yield f"cue {quote.id}", quote.cue
        if quote.speaker is not None and quote.speaker.span is not None:
            yield f"speaker {quote.id}", quote.speaker.span


def assert_carried_over(gold: Document, variant: Document) -> int:
    """The invariant: each variant span is exact and normalizes to the gold span's form."""
    gold_spans = list(all_spans(gold))
    variant_spans = list(all_spans(variant))
    assert [key for key, _ in gold_spans] == [key for key, _ in variant_spans]
    for (key, gold_span), (_, variant_span) in zip(gold_spans, variant_spans, strict=True):
        assert variant_span.text == variant.text[variant_span.start : variant_span.end], key
        assert normalize(variant_span.text, FOLD).text == normalize(gold_span.text, FOLD).text, key
    assert [(e.id, e.type) for e in variant.entities] == [(e.id, e.type) for e in gold.entities]
    assert [(t.id, t.type, t.value) for t in variant.timex] == [(t.id, t.type, t.value) for t in gold.timex]
    assert [(e.id, e.type, [a.ref for a in e.arguments]) for e in variant.events] == [
        (e.id, e.type, [a.ref for a in e.arguments]) for e in gold.events
    ]
    return len(gold_spans)


def corpus_with_token_spans(corpus_dir: Path) -> list[Document]:
    """The real corpus; every word token of it is also an entity, every number a timex,
    so the perturbations are exercised on the real text whether or not gold exists yet."""
    result = []
    for document in load_corpus(corpus_dir):
        tokens = [token for token in tokenize(document.text) if token.text[0].isalnum()]
        words = tuple(
            Entity(f"W{index}", token.start, token.end, "GPE", token.text) for index, token in enumerate(tokens)
        )
        numbers = tuple(
            Timex(f"N{index}", token.start, token.end, "DATE", "2025", token.text)
            for index, token in enumerate(tokens)
            if token.text.isdigit()
        )
        result.append(document)
        result.append(Document(id=f"{document.id}-tokens", text=document.text, entities=words, timex=numbers))
    return result


@pytest.mark.parametrize("name", list(PERTURBATIONS))
@settings(max_examples=40, deadline=None)
@given(document=documents(), seed=st.integers(0, 3))
def test_every_span_is_carried_over_on_random_documents(name, document, seed):
    variant = perturb(document, name, seed)
    assert_carried_over(document, variant)
    if not check_annotation(document.to_json(), document.text):
        assert check_annotation(variant.to_json(), variant.text) == []


@pytest.mark.parametrize("name", list(PERTURBATIONS))
def test_every_span_is_carried_over_on_the_real_corpus(name, corpus_dir):
    checked = 0
    for document in corpus_with_token_spans(corpus_dir):
        variant = perturb(document, name)
        checked += assert_carried_over(document, variant)
        assert check_annotation(variant.to_json(), variant.text) == []
    assert checked > 500  # the token spans alone are several hundred


@pytest.mark.parametrize("name", list(PERTURBATIONS))
def test_each_perturbation_changes_the_real_text_and_is_deterministic(name, corpus_dir):
    document = corpus_with_token_spans(corpus_dir)[1]
    variant = perturb(document, name)
    assert variant.text != document.text
    assert perturb(document, name) == variant
    assert variant.source["perturbation"] == f"{name} seed 7"
    assert normalize(variant.text, FOLD).text == normalize(document.text, FOLD).text


@pytest.mark.parametrize("name", ["tatweel", "zero-width", "diacritics"])
def test_random_perturbations_depend_on_the_seed(name, corpus_dir):
    document = corpus_with_token_spans(corpus_dir)[1]
    assert perturb(document, name, seed=1).text != perturb(document, name, seed=2).text


def test_examples_of_each_rewrite():
    text = "أعلنت سنتكوم الى 24 نوفمبر أن لداعش في"
    document = Document(
        id="doc-9999",
        text=text,
        entities=(Entity("T1", text.index("سنتكوم"), text.index("سنتكوم") + 6, "ORG", "سنتكوم"),),
    )
    assert perturb(document, "eastern-digits").text == "أعلنت سنتكوم الى ٢٤ نوفمبر أن لداعش في"
    assert perturb(document, "hamza").text == "اعلنت سنتكوم الى 24 نوفمبر ان لداعش في"
    assert perturb(document, "alef-maqsura").text == "أعلنت سنتكوم الي 24 نوفمبر أن لداعش فى"
    assert perturb(document, "bidi-marks").text == "أعلنت سنتكوم الى 24\u200f نوفمبر أن لداعش في"
    vowelled = perturb(document, "diacritics")
    assert vowelled.text.startswith("أعلنت ") and vowelled.text.endswith(" الى 24 نوفمبر أن لداعش في")
    name = vowelled.entities[0].text
    assert normalize(name).text == "سنتكوم" and len(name) >= 12  # each of the six letters has a mark


def test_tatweel_only_between_joined_letters():
    # د ر و ا never join the next letter: no tatweel may follow them.
    document = Document(id="doc-9999", text="دروا " * 40 + "بيت " * 40)
    variant = perturb(document, "tatweel")
    assert "دروا " * 40 in variant.text
    assert "ـ" in variant.text


def test_insertions_at_a_clitic_boundary_stay_outside_the_name():
    text = "لداعش " * 30
    entities = tuple(Entity(f"T{i}", 6 * i + 1, 6 * i + 5, "ORG", "داعش") for i in range(30))
    document = Document(id="doc-9999", text=text, entities=entities)
    for name in ("tatweel", "zero-width"):
        variant = perturb(document, name)
        inserted_before = [variant.text[entity.start - 1] for entity in variant.entities]
        assert any(char != "ل" for char in inserted_before), name  # something landed in the gap …
        assert all(entity.text[0] == "د" for entity in variant.entities), name  # … but outside the name


@pytest.mark.parametrize("name", ["tatweel", "zero-width", "diacritics", "hamza", "alef-maqsura", "eastern-digits"])
def test_token_boundaries_survive_in_word_perturbations(name, corpus_dir):
    document = corpus_with_token_spans(corpus_dir)[1]
    variant = perturb(document, name)
    assert len(tokenize(variant.text)) == len(tokenize(document.text))


def test_bidi_marks_split_a_number_glued_to_a_letter():
    document = Document(id="doc-9999", text="عام 2025م")
    variant = perturb(document, "bidi-marks")
    assert [token.text for token in tokenize(variant.text)] == ["عام", "2025", "م"]


def test_cli_writes_a_valid_corpus(tmp_path, corpus_dir, capsys):
    out = tmp_path / "tatweel"
    assert main(["perturb", "tatweel", "--corpus", str(corpus_dir), "--out", str(out)]) == 0
    gold = load_corpus(corpus_dir)
    expected = [perturb(document, "tatweel") for document in gold]
    changed = sum(variant != document for variant, document in zip(expected, gold, strict=True))
    assert changed >= 1  # the seed article has letters tatweel can stretch
    assert f"tatweel (seed 7): {len(gold)} document(s), {changed} changed" in capsys.readouterr().err
    assert main(["validate", str(out)]) == 0
    assert load_corpus(out) == expected
    assert not list(tmp_path.glob(".perturb-*"))


def test_cli_refuses_a_non_empty_output_folder(tmp_path, corpus_dir, capsys):
    (tmp_path / "keep.txt").write_text("x")
    assert main(["perturb", "hamza", "--corpus", str(corpus_dir), "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"Error: {tmp_path} already exists and is not an empty folder\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["keep.txt"]
