"""`khabar report` on a corpus of several documents: the summary first, with the index of
documents (most errors first), and every document linked both ways — within one page
(`--out report.html`) or between the pages of a folder (`--out report/`).

The corpus is the test fixtures' (made-up sentences, not news); the predictions drop a
different number of entities from each document, so every document has its own error count.
"""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from khabar.cli import main
from khabar.eval import report as report_module
from khabar.eval.outcomes import CATEGORIES, category_counts
from khabar.eval.parts import argument_outcomes
from khabar.eval.predictions import write_predictions
from khabar.eval.settings import ScoringSettings
from khabar.files import STAGING_PREFIX
from khabar.runs.report import error_analysis, write_html_report
from khabar.store import load_corpus
from tests.fixture_corpus import make_corpus, snapshot

DOCUMENTS = 5


class Page(HTMLParser):
    """The links, element ids and index rows (cell texts) of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.rows: list[list[str]] = []
        self._in_index = False
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("href"):
            self.links.append(values["href"] or "")
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "table":
            self._in_index = "index" in (values.get("class") or "").split()
        if self._in_index and tag == "tr" and (values.get("id") or "").startswith("index-"):
            self.rows.append([])
        if self._in_index and tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_index = False
        if tag == "td" and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _read(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


@pytest.fixture
def case(tmp_path) -> tuple[Path, Path]:
    """A fixture corpus and predictions that drop 0, 1, 2, … entities from successive documents."""
    corpus = make_corpus(tmp_path / "corpus", count=DOCUMENTS, built=False)
    documents = load_corpus(corpus)
    referenced = {argument.ref for document in documents for event in document.events for argument in event.arguments}
    referenced |= {quote.speaker.ref for document in documents for quote in document.quotes if quote.speaker}
    predictions = []
    for number, document in enumerate(documents):
        droppable = [entity for entity in document.entities if entity.id not in referenced][: number % 3]
        kept = tuple(entity for entity in document.entities if entity not in droppable)
        predictions.append(replace(document, entities=kept))
    path = tmp_path / "pred.jsonl"
    write_predictions(path, predictions)
    return corpus, path


def test_a_report_folder_links_the_summary_and_every_document_both_ways(case, tmp_path, capsys):
    corpus, predictions = case
    out = tmp_path / "report"
    assert main(["report", str(predictions), "--gold", str(corpus), "--bootstrap", "0", "--out", f"{out}/"]) == 0
    assert capsys.readouterr().err == f"wrote {out / 'index.html'} and {DOCUMENTS} document pages\n"
    ids = sorted(document.id for document in load_corpus(corpus))
    assert sorted(path.name for path in (out / "docs").iterdir()) == [f"{doc_id}.html" for doc_id in ids]
    index = _read(out / "index.html")
    listed = [row[0] for row in index.rows]
    assert sorted(listed) == ids
    assert [link for link in index.links if link.startswith("docs/")] == [f"docs/{doc_id}.html" for doc_id in listed]
    for position, doc_id in enumerate(listed):
        page = _read(out / "docs" / f"{doc_id}.html")
        assert f"../index.html#index-{doc_id}" in page.links and f"index-{doc_id}" in index.ids
        assert f"doc-{doc_id}" in page.ids
        # Previous and next follow the index's order, so a reader walks from the worst document on.
        neighbours = [link for link in page.links if not link.startswith(("../", "#"))]
        expected = [f"{listed[position - 1]}.html"] if position > 0 else []
        expected += [f"{listed[position + 1]}.html"] if position + 1 < len(listed) else []
        assert neighbours == expected
        assert all((out / "docs" / link).is_file() for link in neighbours)


def test_the_summary_counts_are_the_scored_result(case, tmp_path):
    corpus, predictions = case
    report, scored = error_analysis(predictions, gold_path=corpus, settings=ScoringSettings(bootstrap=0))
    out = tmp_path / "report"
    write_html_report(report, f"{out}/")
    rows = _read(out / "index.html").rows
    layers = [view.layer for view in report.layers]
    assert layers == ["entities", "timex", "events", "quotes"]
    # What each layer counts: its spans as scored; for events the arguments, by the Arg-C+ key.
    result = scored.result
    counted = {layer: scored.matches[layer] for layer in layers}
    counted["events"] = {gold.id: argument_outcomes(gold, pred, result.span_map) for gold, pred in result.pairs}
    errors = []
    for row in rows:
        doc_id, shown_errors, cells = row[0], int(row[1]), [int(cell) for cell in row[2:]]
        expected = [category_counts(counted[layer][doc_id])[category] for layer in layers for category in CATEGORIES]
        assert cells == expected, doc_id
        wrong = sum(1 for layer in layers for outcome in counted[layer][doc_id] if outcome.category != "correct")
        assert shown_errors == wrong, doc_id
        errors.append(wrong)
    assert errors == sorted(errors, reverse=True) and len(set(errors)) > 1  # most errors first, and they differ
    for view in report.layers:  # the layer totals of the summary table add the index up
        for category in CATEGORIES:
            assert view.counts[category] == sum(
                len([o for o in counted[view.layer][doc] if o.category == category]) for doc in counted[view.layer]
            )


@pytest.mark.parametrize("count", [1, DOCUMENTS])
def test_one_page_holds_the_summary_and_every_document_linked_both_ways(tmp_path, count, capsys):
    corpus = make_corpus(tmp_path / "corpus", count=count, built=False)
    predictions = tmp_path / "pred.jsonl"
    write_predictions(predictions, load_corpus(corpus))
    out = tmp_path / "report.html"
    assert main(["report", str(predictions), "--gold", str(corpus), "--bootstrap", "0", "--out", str(out)]) == 0
    assert capsys.readouterr().err == f"wrote {out}\n"
    page = _read(out)
    listed = [row[0] for row in page.rows]
    assert sorted(listed) == [document.id for document in load_corpus(corpus)]
    for doc_id in listed:
        assert f"#doc-{doc_id}" in page.links and f"doc-{doc_id}" in page.ids
        assert f"#index-{doc_id}" in page.links and f"index-{doc_id}" in page.ids
    assert all(link.startswith("#") for link in page.links)  # one self-contained page
    assert not (tmp_path / "docs").exists() and not (tmp_path / "index.html").exists()


def test_out_without_an_html_suffix_is_a_folder(case, tmp_path, capsys):
    corpus, predictions = case
    out = tmp_path / "results"
    assert main(["report", str(predictions), "--gold", str(corpus), "--bootstrap", "0", "--out", str(out)]) == 0
    assert capsys.readouterr().err == f"wrote {out / 'index.html'} and {DOCUMENTS} document pages\n"
    assert (out / "index.html").is_file() and len(list((out / "docs").glob("*.html"))) == DOCUMENTS


@pytest.mark.parametrize("failure", [RuntimeError, KeyboardInterrupt])
def test_a_report_failing_midway_leaves_an_earlier_report_folder_byte_identical(case, tmp_path, monkeypatch, failure):
    corpus, predictions = case
    out = tmp_path / "report"
    assert main(["report", str(predictions), "--gold", str(corpus), "--bootstrap", "0", "--out", str(out)]) == 0
    (out / "notes.txt").write_text("a reader's own notes, never touched\n", encoding="utf-8")
    before = snapshot(tmp_path)
    drawn = report_module.render_document
    calls = []

    def failing(report, document):
        calls.append(document.id)
        if len(calls) == 3:  # two pages are staged already
            raise failure("the third page failed")
        return drawn(report, document)

    monkeypatch.setattr("khabar.runs.report.render_document", failing)
    report, _ = error_analysis(
        predictions, gold_path=corpus, settings=ScoringSettings(bootstrap=0), title="a second run"
    )
    with pytest.raises(failure):
        write_html_report(report, out)
    assert len(calls) == 3
    assert snapshot(tmp_path) == before
    assert not [path for path in tmp_path.rglob(f"{STAGING_PREFIX}*")]
