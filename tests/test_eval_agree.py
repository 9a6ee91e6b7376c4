"""`khabar agree`: span F1 and Cohen's kappa by hand, and its input errors."""

from __future__ import annotations

import json

import pytest

from khabar.cli import main
from khabar.eval.agreement import agreement, cohen_kappa
from khabar.store import save_document
from tests.eval_helpers import document, entity, timex

TEXT = "الرياض مدينة كبيرة منذ ٢٠٢٥"
A = document(TEXT, entities=(entity(TEXT, "T1", "الرياض", "GPE"),), timex=(timex(TEXT, "X1", "٢٠٢٥", "DATE", "2025"),))
B = document(
    TEXT,
    entities=(entity(TEXT, "T1", "الرياض", "GPE"), entity(TEXT, "T2", "مدينة", "PER")),
    timex=(timex(TEXT, "X1", "منذ ٢٠٢٥", "DATE", "2025"),),
)


def test_kappa_by_hand():
    # observed 4/5; expected: B-GPE 1/5·1/5 + O 4/5·3/5 = 13/25 → κ = (20/25 − 13/25) / (12/25) = 7/12
    assert cohen_kappa(["B-GPE", "O", "O", "O", "O"], ["B-GPE", "B-PER", "O", "O", "O"]) == pytest.approx(7 / 12)
    assert cohen_kappa(["O", "O"], ["O", "O"]) is None


def test_agreement_rows_by_hand():
    rows = {(row.layer, row.measure, row.label): row for row in agreement([A], [B], bootstrap=0).rows}
    assert rows[("entities", "span-strict F1", "micro")].value == pytest.approx(2 / 3)
    assert rows[("entities", "span-strict F1", "GPE")].value == 1.0
    assert rows[("entities", "Cohen's kappa (token view)", "all tags")].value == pytest.approx(7 / 12)
    assert rows[("timex", "strict-extent F1", "micro")].value == 0.0
    assert rows[("timex", "value agreement", "relaxed matches")].value == 1.0
    assert rows[("events", "Trig-C F1", "micro")].value is None


@pytest.fixture
def folders(tmp_path):
    save_document(A, tmp_path / "a")
    save_document(B, tmp_path / "b")
    return tmp_path / "a", tmp_path / "b"


def test_agree_cli_json(folders, capsys):
    code = main(["agree", str(folders[0]), str(folders[1]), "--layers", "entities", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["signature"]["reference"] == "A"
    kappa = [row for row in data["rows"] if row["measure"].startswith("Cohen")]
    assert kappa[0]["value"] == pytest.approx(7 / 12)


def test_agree_compares_the_shared_documents_and_notes_the_others(folders, tmp_path, capsys):
    save_document(document("نص آخر", doc_id="doc-0002"), folders[1])
    code = main(["agree", str(folders[0]), str(folders[1]), "--bootstrap", "0"])
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, f"Note: document 'doc-0002' is annotated only in {folders[1]}: not compared\n")
    assert "disagreements: 3\n" in captured.out
    other = tmp_path / "c"
    save_document(document("نص آخر", doc_id="doc-0003"), other)
    assert main(["agree", str(folders[0]), str(other)]) == 2
    assert capsys.readouterr().err == f"Error: {folders[0]} and {other} annotate no document in common\n"


def test_agree_refuses_different_texts(folders, tmp_path, capsys):
    other = tmp_path / "c"
    save_document(document("نص مختلف تماما"), other)
    code = main(["agree", str(folders[0]), str(other)])
    expected = f"Error: document 'doc-0001' has different texts in {folders[0]} and {other}\n"
    assert (code, capsys.readouterr().err) == (2, expected)


def test_every_disagreement_is_listed_speakers_and_cues_included(tmp_path, capsys):
    from tests.generated_documents import write_fixture_corpus

    docs = write_fixture_corpus(tmp_path / "a", 2)
    write_fixture_corpus(tmp_path / "b", 2)
    # B attributes doc-0002's quote to the city instead of the person, and drops doc-0001's cue.
    from dataclasses import replace

    from khabar.document import Speaker

    first, second = docs
    save_document(replace(first, quotes=(replace(first.quotes[0], cue=None),)), tmp_path / "b")
    save_document(replace(second, quotes=(replace(second.quotes[0], speaker=Speaker(ref="T2")),)), tmp_path / "b")
    assert main(["agree", str(tmp_path / "a"), str(tmp_path / "b"), "--layers", "quotes", "--bootstrap", "0"]) == 0
    out = capsys.readouterr().out
    content_1, content_2 = first.quotes[0].content, second.quotes[0].content
    cue, person, city = first.quotes[0].cue, second.entities[0], second.entities[1]
    assert out.endswith(
        "disagreements: 2\n"
        f"  doc-0001 quotes cue [{content_1.start}, {content_1.end}) «{content_1.text}»: "
        f"A «{cue.text}» [{cue.start}, {cue.end}) | B none\n"
        f"  doc-0002 quotes speaker [{content_2.start}, {content_2.end}) «{content_2.text}»: "
        f"A «{person.text}» [{person.start}, {person.end}) | B «{city.text}» [{city.start}, {city.end})\n"
    )
    edited = [replace(first, quotes=()), replace(second, quotes=(replace(second.quotes[0], speaker=None),))]
    rows = {(row.layer, row.measure, row.label): row.value for row in agreement(docs, edited, bootstrap=0).rows}
    assert rows[("quotes", "speaker agreement", "overlap matches")] == 0.0  # the one matched quote lost its speaker
    assert rows[("quotes", "cue F1", "micro")] == pytest.approx(2 / 3)
