"""The tokenizer and sentence splitter: exact offsets, Arabic punctuation, gold independence."""

from __future__ import annotations

import dataclasses
import itertools

from hypothesis import given, settings

from khabar.document import Entity
from khabar.tokenize import split_sentences, tokenize
from khabar.views import token_view
from tests.strategies import document_texts, documents


def texts(text: str) -> list[str]:
    return [token.text for token in tokenize(text)]


def test_arabic_punctuation_is_split_off() -> None:
    assert texts("سوريا، العراق؛ لماذا؟") == ["سوريا", "،", "العراق", "؛", "لماذا", "؟"]


def test_quotation_marks_are_tokens() -> None:
    assert texts('"سنتكوم" «داعش» “إكس”') == ['"', "سنتكوم", '"', "«", "داعش", "»", "“", "إكس", "”"]


def test_slash_between_month_names_is_a_token() -> None:
    assert texts("27 نوفمبر/تشرين الثاني") == ["27", "نوفمبر", "/", "تشرين", "الثاني"]


def test_diacritics_and_tatweel_stay_inside_words() -> None:
    assert texts('تُستخدَم بـ"التطرف" نفّذ سـوريا') == ["تُستخدَم", "بـ", '"', "التطرف", '"', "نفّذ", "سـوريا"]


def test_clitics_stay_attached() -> None:
    assert texts("لداعش وللتحالف") == ["لداعش", "وللتحالف"]


def test_eastern_arabic_digits_and_number_separators() -> None:
    assert texts("عام ٢٠١٤ و2.5 و١٬٠٠٠ و٣٫٥") == ["عام", "٢٠١٤", "و2.5", "و١٬٠٠٠", "و٣٫٥"]


def test_non_bmp_characters_count_as_one_code_point() -> None:
    tokens = tokenize("𝐀𝐁 سوريا😀")
    assert [(t.start, t.end, t.text) for t in tokens] == [(0, 2, "𝐀𝐁"), (3, 8, "سوريا"), (8, 9, "😀")]


def test_bidi_marks_separate_and_never_belong_to_tokens() -> None:
    assert texts("دمشق\u200f-\u200fبيروت") == ["دمشق", "-", "بيروت"]


@settings(max_examples=200)
@given(document_texts)
def test_every_token_slices_back_and_tokens_are_ordered(text: str) -> None:
    tokens = tokenize(text)
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert token.text and not any(char.isspace() for char in token.text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(tokens))


@settings(max_examples=100)
@given(document_texts)
def test_sentences_partition_the_tokens(text: str) -> None:
    sentences = split_sentences(text)
    assert [token for sentence in sentences for token in sentence.tokens] == tokenize(text)
    assert all(sentence.tokens for sentence in sentences)


def test_sentences_split_at_lines_and_final_punctuation() -> None:
    text = 'قال "نعم". ثم غادر؟ نعم\nسطر آخر'
    assert [text[s.start : s.end] for s in split_sentences(text)] == ['قال "نعم".', "ثم غادر؟", "نعم", "سطر آخر"]


def test_seed_sentences(corpus_dir) -> None:
    text = (corpus_dir / "documents" / "doc-0001.txt").read_text(encoding="utf-8")
    sentences = split_sentences(text)
    assert text[sentences[0].start : sentences[0].end] == "أول عملية مشتركة بين دمشق والتحالف الدولي ضد داعش"
    assert len(sentences) == 23
    assert sum(len(s.tokens) for s in sentences) == 617


@settings(max_examples=50)
@given(documents())
def test_token_view_does_not_depend_on_the_annotation(document) -> None:
    bare = dataclasses.replace(document, entities=(), timex=(), events=(), quotes=())
    annotated, _ = token_view(document)
    plain, _ = token_view(bare)
    assert [(v.id, v.tokens) for v in annotated] == [(v.id, v.tokens) for v in plain]
    assert all(set(v.tags["entities"]) == {"O"} for v in plain)


def test_span_labels_every_token_it_overlaps() -> None:
    from khabar.document import Document

    text = "ضد لداعش الإرهابي"
    document = Document(id="d", text=text, entities=(Entity("T1", 4, 8, "ORG", "داعش"),))
    views, collisions = token_view(document, layers=("entities",))
    assert views[0].tags["entities"] == ["O", "B-ORG", "O"]
    assert collisions == []


def test_a_sentence_ends_after_a_run_of_closing_marks() -> None:
    text = 'قال "نعم."» ثم ذهب.'
    assert [text[s.start : s.end] for s in split_sentences(text)] == ['قال "نعم."»', "ثم ذهب."]
