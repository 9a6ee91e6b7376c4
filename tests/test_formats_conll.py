"""CoNLL export: exact text, read-back identity on tokens and tags, one-line errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.cli import main
from khabar.errors import InputError
from khabar.formats.conll import ConllSentence, dumps_conll, loads_conll
from khabar.inventories import LAYERS
from khabar.store import save_document
from khabar.views import token_view
from tests.corpus_samples import collision_sample, mixed_script_sample
from tests.strategies import documents

MIXED_CONLL = """\
-DOCSTART- O O O O

قالَ O O O O
𝔸حمـد B-PER O O O
: O O O O
« O O O B-direct
سنعود O O O I-direct
» O O O I-direct
في O O O O
١١ O O O O
نوفمبر O O O O
. O O O O

زار O O B-Movement:Transport O
Paris B-GPE O O O
😀 O O O O
يوم O O O O
٢٠٢٥ O B-DATE O O
. O O O O

"""


def as_read_back(views) -> list[ConllSentence]:
    return [
        ConllSentence(tuple(token.text for token in view.tokens), {layer: tuple(view.tags[layer]) for layer in LAYERS})
        for view in views
    ]


def test_dumps_conll_of_a_mixed_script_document():
    views, _ = token_view(mixed_script_sample())
    assert dumps_conll([views]) == MIXED_CONLL


@settings(max_examples=60, deadline=None)
@given(st.lists(documents(), min_size=0, max_size=3))
def test_export_then_read_back_is_identity_on_tokens_and_tags(documents_):
    views = [token_view(document)[0] for document in documents_]
    assert loads_conll(dumps_conll(views)) == [as_read_back(sentences) for sentences in views]


def test_text_without_docstart_is_one_document_and_crlf_is_accepted():
    body = MIXED_CONLL.split("\n", 2)[2].replace("\n", "\r\n")
    (sentences,) = loads_conll(body)
    assert [len(sentence.tokens) for sentence in sentences] == [10, 6]
    assert sentences[1].tags["entities"] == ("O", "B-GPE", "O", "O", "O", "O")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-DOCSTART- O O O O\n\nزار O O O\n", "f.conll:line 3: expected 5 space-separated columns"),
        ("زار O O B-Movement:Transport O\nParis B-PERS O O O\n", "f.conll:line 2: ner_tags: unknown tag 'B-PERS'"),
        ("زار  O O O O\n", "f.conll:line 1: expected 5 space-separated columns"),
        ("زار O O O B-quote\n", "f.conll:line 1: quote_tags: unknown tag 'B-quote'"),
    ],
)
def test_bad_lines_raise_an_input_error_naming_file_line_and_column(text, message):
    with pytest.raises(InputError) as caught:
        loads_conll(text, where="f.conll")
    assert str(caught.value).startswith(message)


def test_export_command_writes_stdout_or_a_file(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    save_document(mixed_script_sample(), corpus)
    assert main(["export", "conll", "--corpus", str(corpus)]) == 0
    assert capsys.readouterr().out == MIXED_CONLL
    out = tmp_path / "khabar.conll"
    assert main(["export", "conll", "--corpus", str(corpus), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == MIXED_CONLL
    assert capsys.readouterr().err == f"wrote {out}: 1 document(s), 2 sentence(s)\n"
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_export_errors_are_one_line_and_write_nothing(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    save_document(collision_sample(), corpus)
    out = tmp_path / "khabar.conll"
    assert main(["export", "conll", "--corpus", str(corpus), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"Error: {corpus / 'annotations' / 'doc-0003.json'}:/entities/1: ")
    assert not out.exists()
    assert main(["export", "conll", "--corpus", str(tmp_path / "missing")]) == 2
    assert capsys.readouterr().err == f"Error: no such corpus folder: {tmp_path / 'missing'}\n"
    assert main(["export", "conll", "--corpus", str(corpus), "--allow-collisions", "--out", str(out)]) == 0
    assert "دمشقوبغداد B-GPE O O O" in out.read_text(encoding="utf-8")
