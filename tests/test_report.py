"""The HTML error analysis: escaping, right-to-left documents, spans drawn exactly."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.document import Document, Entity, Quote, Span
from khabar.eval.outcomes import CATEGORIES
from khabar.eval.report import Mark, Piece, build_report, layer_outcomes, nest, render_report
from khabar.normalize import normalize

INJECTED = '<script>document.title="PWNED";document.body.dataset.pwned="1"</script>'


def report_documents() -> tuple[Document, Document]:
    """A gold/pred pair with one outcome of every category and `<script>` in text and type."""
    text = f"قال محمد إن داعش هاجم دمشق وحلب. ثم نفذت سنتكوم عملية في سوريا {INJECTED} اليوم.\nانتهى"
    at = text.index

    def entity(identifier: str, word: str, label: str, shift: tuple[int, int] = (0, 0)) -> Entity:
        start, end = at(word) + shift[0], at(word) + len(word) + shift[1]
        return Entity(identifier, start, end, label, text[start:end])

    gold = Document(
        id="doc-0001",
        text=text,
        entities=(
            entity("T1", "محمد", "PER"),
            entity("T2", "داعش", "ORG"),
            entity("T3", "دمشق", "GPE"),
            entity("T4", "سنتكوم", "ORG"),
            entity("T5", "سوريا", "GPE"),
            entity("T6", "حلب", "GPE"),
        ),
        quotes=(Quote("Q1", "indirect", Span(at("داعش"), at("."), text[at("داعش") : at(".")])),),
    )
    pred = Document(
        id="doc-0001",
        text=text,
        entities=(
            entity("P1", "محمد", "PER"),  # correct
            entity("P2", "داعش", "PER"),  # wrong type
            entity("P3", "دمشق", "GPE", (0, 2)),  # wrong boundary
            entity("P4", "سنتكوم", "GPE", (-1, 0)),  # wrong boundary and type
            entity("P5", INJECTED, INJECTED),  # spurious, with markup in its text and its type
        ),
    )
    return gold, pred


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def rendered() -> tuple[str, Elements]:
    gold, pred = report_documents()
    html = render_report(build_report([gold], [pred], layers=["entities", "quotes"]))
    parser = Elements()
    parser.feed(html)
    return html, parser


def test_markup_in_predictions_and_text_renders_as_text():
    html, parser = rendered()
    assert not [tag for tag, _ in parser.tags if tag in ("script", "iframe", "object", "embed", "img")]
    assert "&lt;script&gt;" in html
    assert INJECTED in "".join(parser.text)  # the browser shows the markup as characters
    assert not any(name.startswith("on") for _, attrs in parser.tags for name in attrs)


def test_page_is_self_contained():
    html, parser = rendered()
    for _, attrs in parser.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (name, value)
    assert "@import" not in html and "url(" not in html
    csp = [
        attrs for tag, attrs in parser.tags if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")


def test_documents_are_right_to_left_and_every_category_is_drawn():
    _, parser = rendered()
    articles = [attrs for tag, attrs in parser.tags if tag == "article"]
    assert articles and all(attrs.get("dir") == "rtl" and attrs.get("lang") == "ar" for attrs in articles)
    classes = {cls for tag, attrs in parser.tags if tag == "span" for cls in (attrs.get("class") or "").split()}
    assert set(CATEGORIES) <= classes


def test_outcomes_of_the_worked_example():
    gold, pred = report_documents()
    found = sorted(
        (o.category, o.gold.id if o.gold else "", o.pred.id if o.pred else "")
        for o in layer_outcomes(gold, pred, "entities", lambda document: lambda s, e: (s, e))
    )
    assert found == sorted(
        [
            ("correct", "T1", "P1"),
            ("wrong_type", "T2", "P2"),
            ("wrong_boundary", "T3", "P3"),
            ("wrong_boundary_type", "T4", "P4"),
            ("missed", "T5", ""),
            ("missed", "T6", ""),
            ("spurious", "", "P5"),
        ]
    )


def test_outcomes_after_normalization_are_shown_on_raw_spans():
    text = "قال مُحَمَّدٌ"
    gold = Document(id="doc-0001", text=text, entities=(Entity("T1", 4, 13, "PER", text[4:13]),))
    pred = Document(id="doc-0001", text=text, entities=(Entity("P1", 4, 12, "PER", text[4:12]),))
    raw = layer_outcomes(gold, pred, "entities", lambda document: lambda s, e: (s, e))
    assert [o.category for o in raw] == ["wrong_boundary"]
    normalized = layer_outcomes(gold, pred, "entities", lambda document: normalize(document.text).to_normalized)
    assert [(o.category, o.gold, o.pred) for o in normalized] == [
        ("correct", raw[0].gold, raw[0].pred)  # raw offsets kept for display
    ]


def flatten(pieces: list[Piece]) -> str:
    return "".join(piece.text if piece.mark is None else flatten(piece.children) for piece in pieces)


def covered(pieces: list[Piece], position: int, found: dict[str, set[int]]) -> int:
    """Positions covered by each mark title (marks are identified by title in the test)."""
    for piece in pieces:
        if piece.mark is None:
            position += len(piece.text)
            continue
        start = position
        position = covered(piece.children, position, found)
        found.setdefault(piece.mark.title, set()).update(range(start, position))
    return position


@settings(max_examples=100, deadline=None)
@given(st.text("ابت ثج", min_size=1, max_size=30), st.data())
def test_nesting_keeps_every_character_and_every_mark_extent(text, data):
    marks = []
    for index in range(data.draw(st.integers(0, 6))):
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start + 1, len(text)))
        marks.append(Mark(start, end, "L", "correct", f"m{index}"))
    row_start = data.draw(st.integers(0, len(text) - 1))
    row_end = data.draw(st.integers(row_start + 1, len(text)))
    pieces = nest(text, row_start, row_end, marks)
    assert flatten(pieces) == text[row_start:row_end]
    found: dict[str, set[int]] = {}
    covered(pieces, row_start, found)
    for mark in marks:
        expected = set(range(max(mark.start, row_start), min(mark.end, row_end)))
        assert found.get(mark.title, set()) == expected


def test_rows_partition_the_text_and_report_is_written(tmp_path: Path):
    gold, pred = report_documents()
    report = build_report([gold], [pred], layers=["entities"])
    rows = next(report.documents()).layers[0].rows
    assert "".join(flatten(row.gold) for row in rows) == gold.text
    assert "".join(flatten(row.pred) for row in rows) == gold.text
    assert len(rows) >= 3  # sentences, not one block


def test_hover_titles_carry_timex_values_speakers_and_arguments():
    from khabar.document import Argument, Event, Speaker, Timex

    text = "قال محمد إن الهجوم وقع في 24 نوفمبر"
    name, attack, date = (text.index(word) for word in ("محمد", "الهجوم", "24 نوفمبر"))
    document = Document(
        id="doc-0001",
        text=text,
        entities=(Entity("T1", name, name + 4, "PER", "محمد"),),
        timex=(Timex("X1", date, len(text), "DATE", "2025-11-24", text[date:]),),
        events=(Event("E1", "Conflict:Attack", Span(attack, attack + 6, "الهجوم"), (Argument("Time-Within", "X1"),)),),
        quotes=(Quote("Q1", "indirect", Span(attack, len(text), text[attack:]), speaker=Speaker(ref="T1")),),
    )
    html = render_report(build_report([document], [document], layers=["timex", "events", "quotes"]))
    assert "(value 2025-11-24)" in html
    assert "(arguments Time-Within=«24 نوفمبر»)" in html
    assert "(speaker «محمد»)" in html


def test_a_mark_inside_a_word_keeps_the_letters_joined():
    text = "رسالة للغرب والتحالف"
    inside = text.index("لغرب")  # after the clitic ل, which joins the next letter
    after_waw = text.index("التحالف")  # after و, which never joins the next letter
    marks = [Mark(inside, inside + 4, "GPE", "missed", "a"), Mark(after_waw, len(text), "ORG", "correct", "b")]
    pieces = [piece for piece in nest(text, 0, len(text), marks) if piece.mark is not None]
    assert [(piece.join_start, piece.join_end) for piece in pieces] == [(True, False), (False, False)]
    gold = Document(id="doc-0001", text=text, entities=(Entity("T1", inside, inside + 4, "GPE", "لغرب"),))
    html = render_report(build_report([gold], [gold], layers=["entities"]))
    assert 'ل<span class="zj"></span><span class="m correct" title=' in html
    assert "\u200d" not in html.split("<style>")[0] + html.split("</style>")[1]  # never in the text itself
