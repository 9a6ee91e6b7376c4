"""Readers of other tools' output: each aligned to the text and scored equal to the same
predictions given as aligned JSONL. The corpus is two made-up test sentences (not news),
with diacritics, tatweel, Eastern Arabic digits and a non-BMP character."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.cli import main
from khabar.document import Document, Unaligned
from khabar.errors import InputError
from khabar.eval import evaluate
from khabar.eval.predictions import load_predictions, write_predictions
from khabar.formats import brat, hf_pipeline, iob_columns, spacy_docs, strings, timeml_inline
from khabar.formats.align import align_strings, align_tokens
from khabar.formats.readers import FORMATS, READERS, format_for
from khabar.formats.reading import ReadOptions
from khabar.store import save_document
from khabar.tokenize import tokenize
from tests.eval_helpers import document, entity, timex

# Test fixtures (made-up sentences, not news).
TEXT_A = "قالَ الوزيرُ إنّ وفد للغرب زار لداعش في عمّـان يوم ٢٤ نوفمبر 😀 ثم عاد إلى عمّـان."
TEXT_B = "نص تجريبي: أعلن مجلس الأمن عام 2014 قراره، وفي عام 2014 أيضا."
GOLD = [
    document(
        TEXT_A,
        "doc-0001",
        entities=(
            entity(TEXT_A, "T1", "لغرب", "LOC"),
            entity(TEXT_A, "T2", "داعش", "ORG"),
            entity(TEXT_A, "T3", "عمّـان", "GPE"),
            entity(TEXT_A, "T4", "عمّـان", "GPE", 1),
        ),
        timex=(timex(TEXT_A, "X1", "٢٤ نوفمبر", "DATE", "2025-11-24"),),
    ),
    document(
        TEXT_B,
        "doc-0002",
        entities=(entity(TEXT_B, "T1", "مجلس الأمن", "ORG"),),
        timex=(timex(TEXT_B, "X1", "عام 2014", "DATE", "2014"),),
    ),
]

YEARS = [TEXT_B.index("عام 2014"), TEXT_B.rindex("عام 2014")]


def scores(result) -> dict:
    data = result.to_dict()
    return {"headline": data["headline"], "not_predicted": data["not_predicted"], "warnings": data["warnings"]}


def jsonl_equivalent(tmp_path, read_result) -> dict:
    """Scores of the reader's documents, and of the same predictions through aligned JSONL."""
    path = tmp_path / "aligned.jsonl"
    write_predictions(path, list(read_result.documents), read_result.layers, read_result.unaligned)
    loaded = load_predictions(path, GOLD)
    options = {"bootstrap": 20}
    direct = evaluate(
        GOLD,
        list(read_result.documents),
        predicted=read_result.layers,
        unaligned=read_result.unaligned,
        valueless_timex=read_result.valueless_timex,
        **options,
    )
    via_jsonl = evaluate(
        GOLD,
        loaded.documents,
        predicted=loaded.layers,
        unaligned=loaded.unaligned,
        valueless_timex=loaded.valueless_timex,
        **options,
    )
    assert scores(direct) == scores(via_jsonl)
    return scores(direct)


def spans(document: Document, layer: str = "entities") -> list[tuple[str, str]]:
    items = document.entities if layer == "entities" else document.timex
    return [(item.text, item.type) for item in items]


# --- alignment -----------------------------------------------------------------------------


def test_tokens_align_through_clitic_segmentation_and_a_restored_article():
    tokens = ["قال", "الوزير", "إن", "وفد", "ل+", "الغرب", "زار", "ل", "داعش", "في", "عمان"]
    placed = align_tokens(TEXT_A, tokens)
    assert [TEXT_A[a:b] for a, b in placed] == [
        "قالَ",
        "الوزيرُ",
        "إنّ",
        "وفد",
        "ل",
        "لغرب",
        "زار",
        "ل",
        "داعش",
        "في",
        "عمّـان",
    ]


def test_a_token_not_in_the_text_is_unplaced_and_the_cursor_stays():
    placed = align_tokens(TEXT_B, ["نص", "غريب", "تجريبي"])
    assert placed[1] is None
    assert TEXT_B[slice(*placed[2])] == "تجريبي"


def test_repeated_strings_take_successive_occurrences_and_stay_clitic_aware():
    items = [("timex", "عام 2014"), ("timex", "عام 2014"), ("timex", "عام 2014"), ("entities", "الأمن")]
    placed = align_strings(TEXT_B, items)
    first, second, third, inside = placed
    assert TEXT_B[slice(*first)] == TEXT_B[slice(*second)] == "عام 2014"
    assert first[0] < second[0]
    assert third is None  # only two occurrences
    assert TEXT_B[slice(*inside)] == "الأمن"
    # Not inside another word: `داعش` is not found in a word that merely contains it.
    assert align_strings("كلمة مداعشة هنا", [("entities", "داعش")]) == [None]
    assert align_strings("زار لداعش", [("entities", "داعش")]) == [(5, 9)]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_retokenization_of_the_text_aligns_back(data):
    """Split khabar's tokens anywhere (with or without `+` marks): every piece finds its place."""
    text = data.draw(st.sampled_from([TEXT_A, TEXT_B]))
    pieces, expected = [], []
    for token in tokenize(text):
        cut = data.draw(st.integers(0, len(token.text) - 1))
        mark = data.draw(st.booleans())
        # Never cut before a combining mark or tatweel: they belong to the letter before them.
        if cut and (not token.text[cut].isalnum() or token.text[cut] == "\u0640"):
            cut = 0
        if cut:
            pieces += [token.text[:cut] + ("+" if mark else ""), token.text[cut:]]
            expected += [(token.start, token.start + cut), (token.start + cut, token.end)]
        else:
            pieces.append(token.text)
            expected.append((token.start, token.end))
    assert align_tokens(text, pieces) == expected


# --- CoNLL ---------------------------------------------------------------------------------


def conll_of(rows_by_document: list[list[tuple[str, str]]]) -> bytes:
    lines = []
    for rows in rows_by_document:
        lines += ["-DOCSTART-\tO", ""] + [f"{token}\t{tag}" for token, tag in rows] + [""]
    return "\n".join(lines).encode("utf-8")


CLITIC_CONLL = conll_of(
    [
        [
            ("قال", "O"),
            ("الوزير", "O"),
            ("إن", "O"),
            ("وفد", "O"),
            ("ل+", "O"),
            ("الغرب", "B-LOC"),
            ("زار", "O"),
            ("ل+", "O"),
            ("داعش", "B-ORG"),
            ("في", "O"),
            ("عمان", "B-GPE"),
            ("يوم", "O"),
            ("٢٤", "B-DATE"),
            ("نوفمبر", "I-DATE"),
            ("🙃", "O"),
        ],
        [("نص", "O"), ("تجريبي", "O"), (":", "O"), ("أعلن", "O"), ("مجلس", "B-ORG"), ("الأمن", "I-ORG")],
    ]
)


def test_conll_in_another_tokenization_reads_as_character_spans(tmp_path):
    result = iob_columns.read(CLITIC_CONLL, GOLD, where="pred.conll")
    first, second = result.documents
    assert spans(first) == [("لغرب", "LOC"), ("داعش", "ORG"), ("عمّـان", "GPE")]
    assert spans(first, "timex") == [("٢٤ نوفمبر", "DATE")]
    assert spans(second) == [("مجلس الأمن", "ORG")]
    assert result.layers == {"entities", "timex"} and result.valueless_timex
    assert result.notes == ("pred.conll:line 17: cannot place token '🙃' in the text of doc-0001",)
    scored = jsonl_equivalent(tmp_path, result)
    assert scored["headline"]["events"] is None and scored["not_predicted"] == ["events", "quotes"]


def test_a_tagged_chunk_that_cannot_be_placed_is_a_false_positive(tmp_path):
    data = conll_of([[("قال", "O"), ("زيد", "B-PER")], [("نص", "O")]])
    result = iob_columns.read(data, GOLD, where="p.conll")
    assert result.unaligned == (Unaligned("doc-0001", "entities", "PER", "زيد", 4, "line 4"),)
    scored = jsonl_equivalent(tmp_path, result)
    entities = evaluate(GOLD, list(result.documents), predicted={"entities"}, unaligned=result.unaligned, bootstrap=0)
    assert entities.tables["entities"]["span-strict"].counts[..., 1].sum() == 1  # one prediction, unaligned
    assert scored["headline"]["entities"]["f1"] == 0.0


def test_khabar_export_reads_back_all_four_layers(tmp_path, capsys):
    gold_dir = tmp_path / "gold"
    for item in GOLD:
        save_document(item, gold_dir)
    export = tmp_path / "k.conll"
    assert main(["export", "conll", "--corpus", str(gold_dir), "--out", str(export)]) == 0
    result = iob_columns.read(export.read_bytes(), GOLD, where=str(export))
    assert result.layers == {"entities", "timex", "events", "quotes"}
    # khabar's export is token-level: clitics stay attached, as in the published token view.
    assert spans(result.documents[0]) == [("للغرب", "LOC"), ("لداعش", "ORG"), ("عمّـان", "GPE"), ("عمّـان", "GPE")]
    assert spans(result.documents[1]) == [("مجلس الأمن", "ORG")]


def test_conll_errors_name_the_line():
    with pytest.raises(InputError, match=r"p.conll:line 2: invalid tag 'X-PER'"):
        iob_columns.read("قال\tO\nزيد\tX-PER\n".encode(), GOLD[:1], where="p.conll")
    hint = r"\(PERS is a wojood label: score with --tagset wojood\)"
    with pytest.raises(InputError, match=rf"unknown entity type 'PERS' {hint}"):
        iob_columns.read("قال\tB-PERS\n".encode(), GOLD[:1], where="p.conll")
    assert iob_columns.read("قال\tB-PERS\n".encode(), GOLD[:1], where="p", options=ReadOptions("wojood")).documents


# --- TimeML (HeidelTime's output format) --------------------------------------------------------


def heideltime_style(text: str, tags: list[tuple[str, str, str]]) -> str:
    """Inline TIMEX3 around the first occurrence of each string, in HeidelTime's layout."""
    out, cursor = [], 0
    for n, (needle, kind, value) in enumerate(tags, 1):
        start = text.index(needle, cursor)
        out += [text[cursor:start], f'<TIMEX3 tid="t{n}" type="{kind}" value="{value}">{needle}</TIMEX3>']
        cursor = start + len(needle)
    out.append(text[cursor:])
    body = "".join(out)
    return f'<?xml version="1.0"?>\n<!DOCTYPE TimeML SYSTEM "TimeML.dtd">\n<TimeML>\n{body}\n\n</TimeML>\n'


def test_timeml_is_aligned_to_the_text(tmp_path):
    data = heideltime_style(TEXT_A, [("٢٤ نوفمبر", "DATE", "2025-11-24")]) + heideltime_style(
        TEXT_B.replace("، ", "،  "), [("عام 2014", "DATE", "2014"), ("عام 2014", "DATE", "XXXX")]
    )
    result = timeml_inline.read(data.encode(), GOLD, where="h.tml")
    assert [(t.text, t.value) for t in result.documents[0].timex] == [("٢٤ نوفمبر", "2025-11-24")]
    assert [(t.start, t.value) for t in result.documents[1].timex] == [(YEARS[0], "2014"), (YEARS[1], "XXXX")]
    assert result.layers == {"timex"}
    scored = jsonl_equivalent(tmp_path, result)
    assert scored["headline"]["timex"]["f1"] == pytest.approx(0.8)  # tp 2, pred 3, gold 2
    assert scored["headline"]["entities"] is None


def test_timeml_values_are_checked():
    data = heideltime_style(TEXT_B, [("عام 2014", "DATE", "garbage!!")])
    with pytest.raises(InputError, match=r"h.tml:line 4: value: 'garbage!!' is not a TimeML value"):
        timeml_inline.read(data.encode(), GOLD, where="h.tml")


# --- BRAT ----------------------------------------------------------------------------------


def test_brat_standoff(tmp_path):
    start = TEXT_B.index("مجلس الأمن")
    year = TEXT_B.index("عام 2014")
    ann = (
        f"T1\tORG {start} {start + 10}\tمجلس الأمن\n"
        f"T2\tDATE {year} {year + 8}\tعام 2014\n#1\tAnnotatorNotes T2\t2014\n"
        f"R1\tRel Arg1:T1 Arg2:T2\n"
    )
    result = brat.read(ann.encode(), GOLD, where="doc-0002.ann")
    assert spans(result.documents[1]) == [("مجلس الأمن", "ORG")]
    assert result.documents[1].timex[0].value == "2014"
    assert result.layers == {"entities", "timex"}
    jsonl_equivalent(tmp_path, result)
    with pytest.raises(InputError, match=r"doc-0002.ann:line 1: text 'مجلس' is not the gold text"):
        brat.read(f"T1\tORG {start} {start + 10}\tمجلس\n".encode(), GOLD, where="doc-0002.ann")


# --- Hugging Face pipeline output -------------------------------------------------------------


def test_pipeline_output_with_and_without_aggregation(tmp_path):
    start = TEXT_B.index("مجلس")
    aggregated = [{"entity_group": "ORG", "score": 0.9, "word": "مجلس الأمن", "start": start, "end": start + 10}]
    pieces = [
        {"entity": "B-ORG", "score": 0.9, "index": 5, "word": "مجل", "start": start, "end": start + 3},
        {"entity": "I-ORG", "score": 0.8, "index": 6, "word": "##س", "start": start + 3, "end": start + 4},
        {"entity": "I-ORG", "score": 0.9, "index": 7, "word": "الأمن", "start": start + 5, "end": start + 10},
    ]
    for items in (aggregated, pieces):
        result = hf_pipeline.read(json.dumps({"doc-0002": items}).encode(), GOLD, where="p.json")
        assert spans(result.documents[1]) == [("مجلس الأمن", "ORG")]
        assert jsonl_equivalent(tmp_path, result)["not_predicted"] == ["timex", "events", "quotes"]
    with pytest.raises(InputError, match=r"p.json:/doc-0002/0/start: missing or non-integer start"):
        hf_pipeline.read(
            json.dumps({"doc-0002": [{"entity_group": "ORG", "word": "x"}]}).encode(), GOLD, where="p.json"
        )


# --- spaCy ---------------------------------------------------------------------------------


def test_spacy_doc_json(tmp_path):
    start = TEXT_B.index("مجلس")
    doc = {"text": TEXT_B, "ents": [{"start": start, "end": start + 10, "label": "ORG"}], "tokens": []}
    result = spacy_docs.read(json.dumps([doc]).encode(), GOLD, where="d.json")
    assert spans(result.documents[1]) == [("مجلس الأمن", "ORG")]
    jsonl_equivalent(tmp_path, result)


# --- strings -------------------------------------------------------------------------------


def test_string_only_predictions_with_repeats_and_an_unaligned_string(tmp_path):
    lines = [
        {"id": "doc-0002", "timex": [{"text": "عام 2014", "type": "DATE", "value": "2014"}] * 2},
        {"id": "doc-0001", "entities": [{"text": "عمان", "type": "GPE"}, {"text": "بيروت", "type": "GPE"}]},
    ]
    data = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    plain = strings.read(data, GOLD, where="s.jsonl")
    assert spans(plain.documents[0]) == []  # `عمان` is not `عمّـان` without normalization
    result = strings.read(data, GOLD, where="s.jsonl", options=ReadOptions(normalize=True))
    assert spans(result.documents[0]) == [("عمّـان", "GPE")]
    assert [t.start for t in result.documents[1].timex] == YEARS
    assert [(u.text, u.where) for u in result.unaligned] == [("بيروت", "line 2: /entities/1")]
    scored = jsonl_equivalent(tmp_path, result)
    assert scored["headline"]["timex"]["f1"] == 0.5  # tp 1, pred 2, gold 2 (the repeat is spurious)
    assert scored["headline"]["quotes"] is None


# --- the command ---------------------------------------------------------------------------


def test_convert_writes_aligned_jsonl_and_evaluate_reads_the_format(tmp_path, capsys):
    gold_dir = tmp_path / "gold"
    for item in GOLD:
        save_document(item, gold_dir)
    source = tmp_path / "pred.conll"
    source.write_bytes(CLITIC_CONLL)
    out = tmp_path / "pred.jsonl"
    assert main(["convert", str(source), "--gold", str(gold_dir), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "cannot place token '🙃'" in captured.err
    assert captured.err.endswith(f"conll: 2 documents, layers entities, timex, 0 unaligned → {out}\n")
    reports = []
    for path in (source, out):
        assert main(["evaluate", str(path), "--gold", str(gold_dir), "--format", "json", "--bootstrap", "20"]) == 0
        reports.append(json.loads(capsys.readouterr().out))
    assert reports[0] == reports[1]
    assert reports[0]["headline"]["quotes"] is None
    assert format_for(source) == "conll"
    with pytest.raises(InputError, match=r"cannot tell the format of a \.json file"):
        format_for(tmp_path / "x.json")


def test_each_format_is_read_by_its_module_imported_only_when_read():
    """The registry names each reader's module; `khabar evaluate` of JSONL never imports one."""
    modules = {"conll": iob_columns, "timeml": timeml_inline, "brat": brat, "hf-pipeline": hf_pipeline}
    modules |= {"spacy": spacy_docs, "strings": strings}
    assert {name: reader.read for name, reader in READERS.items()} == {n: m.read for n, m in modules.items()}
    assert ("jsonl", *modules) == FORMATS
    script = (
        "import sys; import khabar.commands.options, khabar.runs.scoring; "
        "from khabar.formats.readers import READERS; "
        "assert not [r.module for r in READERS.values() if f'khabar.formats.{r.module}' in sys.modules]"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
