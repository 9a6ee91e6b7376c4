"""The report in a real browser: headless Chromium renders it, and the injected script never runs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from khabar.document import Document, Entity
from khabar.eval.report import build_report, render_report
from khabar.inventories import LABEL_COLOURS, PART_COLOURS, ROLE_COLOURS
from tests.browser import (
    CHROMIUM,
    EXAMPLE_ARTICLES,
    HEIGHT,
    WIDTH,
    chromium,
    crop_documents,
    example_page,
    layout,
    measure,
    screenshot,
)
from tests.test_report import report_documents

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"),
]
# Colours of the category styles in the template (borders and label backgrounds).
CATEGORY_COLOURS = {
    "correct": (0x2E, 0x7D, 0x32),
    "wrong_type": (0x6A, 0x1B, 0x9A),
    "wrong_boundary": (0x15, 0x65, 0xC0),
    "missed": (0xC6, 0x28, 0x28),
    "spurious": (0xE6, 0x51, 0x00),
}


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    gold, pred = report_documents()
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_report(build_report([gold], [pred], layers=["entities", "quotes"])), encoding="utf-8")
    return path


def test_injected_script_does_not_run(report_file, tmp_path):
    done = chromium(tmp_path, "--dump-dom", report_file.as_uri())
    dom = done.stdout
    assert "<title>khabar error analysis</title>" in dom, done.stderr[-2000:]
    assert "PWNED" not in dom.split("</title>")[0]  # the script would have set the title
    assert "data-pwned" not in dom  # … and marked the body
    assert "<script" not in dom  # no script element exists at all
    assert "&lt;script&gt;document.title" in dom  # the markup is there, as text
    assert 'dir="rtl" lang="ar"' in dom


def test_screenshot_shows_highlighted_spans(report_file, tmp_path):
    screenshot = tmp_path / "report.png"
    done = chromium(tmp_path, f"--screenshot={screenshot}", "--window-size=1200,1600", report_file.as_uri())
    assert screenshot.is_file(), done.stderr[-2000:]
    image = Image.open(screenshot).convert("RGB")
    assert image.size == (1200, 1600)
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20)}

    def near(target: tuple[int, int, int]) -> bool:
        return any(all(abs(a - b) <= 6 for a, b in zip(colour, target, strict=True)) for colour in colours)

    missing = [category for category, colour in CATEGORY_COLOURS.items() if not near(colour)]
    assert not missing, f"no pixels in the colour of {missing}"


# --- arguments and speakers, as the browser lays them out -------------------------------


@pytest.fixture(scope="module")
def parts_layout(tmp_path_factory) -> tuple[str, dict]:
    """The report of a fixture corpus with event arguments, a quote cue and speakers (right,
    wrong, missed and spurious ones), and the boxes Chromium lays it out in."""
    page = example_page()
    return page, layout(page, tmp_path_factory.mktemp("layout"))


def test_arguments_and_speakers_are_laid_out_linked_and_spaced(parts_layout):
    _, found = parts_layout
    drawn = {(part["kind"], part["text"], part["chip"].strip('"')) for part in found["parts"]}
    for expected in [
        ("argument", "القاعدة", "Target → E1"),
        ("argument", "القاعدة", "Instrument → E1"),
        ("argument", "الرئيس", "Attacker → E1"),
        ("argument", "الرياض", "Place → E1"),
        ("speaker", "محمد بن سلمان", "speaker → Q1"),
        ("speaker", "الوزير", "speaker → Q1"),
        ("cue", "وأضاف", "cue → Q1"),
    ]:
        assert expected in drawn, expected
    for part in found["parts"]:
        assert part["box"][2] > 0 and part["box"][3] > 0, part  # laid out, not hidden
        assert part["chip_box"][2] > 0 and part["chip_box"][3] > 0, part
        # The chip's link lands on its trigger or quote content.
        assert part["target"] in ("الهجوم", "زار", "«سنواصل العمل»", "«سنعود»"), part
    # The gold/pred marker stands apart from the text (the text starts at the right, by the marker).
    gaps = [line["side"][0] - (line["text"][0] + line["text"][2]) for line in found["lines"]]
    assert gaps and min(gaps) >= 8, gaps
    # Chips sit apart from the letters they follow.
    assert found["chips"] and min(found["chips"]) >= 2, found["chips"]
    assert found["height"] <= HEIGHT  # the whole page is in the screenshot below
    for article in EXAMPLE_ARTICLES:
        assert found["articles"][article][3] > 0, article


def test_screenshot_of_arguments_and_speakers(parts_layout, tmp_path):
    """The README's screenshot (`python -m tests.browser OUT.png`): the events and quotes of
    the first document, cut out of Chromium's screenshot of the page itself."""
    page, found = parts_layout
    png = screenshot(page, tmp_path)
    image = crop_documents(png, found, EXAMPLE_ARTICLES)
    assert Image.open(png).size == (WIDTH, HEIGHT)
    heights = [found["articles"][article][3] for article in EXAMPLE_ARTICLES]
    assert image.width > 0.9 * WIDTH - 100  # the documents' width, less the page's margins
    assert abs(image.height - (sum(heights) + 12 * len(heights))) <= len(heights)  # pixel rounding
    colours = image.getcolors(maxcolors=1 << 20)
    white = sum(count for count, colour in colours if min(colour) >= 250)
    assert white < 0.95 * image.width * image.height, "the documents are blank"
    present = {colour for _, colour in colours}

    def near(hex_colour: str) -> bool:
        target = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return any(all(abs(a - b) <= 6 for a, b in zip(colour, target, strict=True)) for colour in present)

    # Chips of roles, of the trigger's type and of the speaker, in their inventory colours.
    expected = (ROLE_COLOURS["Target"], ROLE_COLOURS["Place"], LABEL_COLOURS["events"]["Conflict:Attack"])
    for colour in (*expected, PART_COLOURS["speaker"], LABEL_COLOURS["quotes"]["direct"]):
        assert near(colour), colour


# --- joined letters at a span edge inside a word ---------------------------------------

# Widths of the letters on both sides of a mark's end inside the word سلمان: in the gold row,
# where the mark cuts the word (سل | مان), and in the pred row, where the word is plain text.
JOIN_MEASURE = """<script>
const width = (node, start, end) => {
  const range = document.createRange(); range.setStart(node, start); range.setEnd(node, end);
  return range.getBoundingClientRect().width;
};
const mark = document.querySelector(".line.gold .m");
let after = mark.nextSibling;
while (after.nodeType !== Node.TEXT_NODE) after = after.nextSibling;
const plain = document.querySelector(".line.pred p").firstChild;
const at = plain.textContent.indexOf("سلمان");
const out = document.createElement("pre");
out.id = "boxes";
out.textContent = JSON.stringify({marked: [width(mark.firstChild, 0, 2), width(after, 0, 3)],
  plain: [width(plain, at, at + 2), width(plain, at + 2, at + 5)]});
document.body.appendChild(out);
</script>"""


def test_joiners_keep_the_letters_joined_in_the_browser(tmp_path):
    """With the joiners, the letters on both sides of the cut have the widths they have in the
    word as written (the same joined forms); without them, they change (isolated forms)."""
    text = "قال سلمان كلمته"  # made-up test fixture
    start = text.index("سلمان")
    gold = Document(
        id="doc-0001", text=text, entities=(Entity("T1", start, start + 2, "PER", text[start : start + 2]),)
    )
    page = render_report(
        build_report([gold, replace(gold, id="doc-0002")], [replace(gold, entities=())], layers=["entities"])
    )
    rule = '.zj::after { content: "\\200D"; }'
    assert rule in page
    (tmp_path / "with").mkdir()
    (tmp_path / "without").mkdir()
    joined = measure(page, tmp_path / "with", JOIN_MEASURE)
    broken = measure(page.replace(rule, ""), tmp_path / "without", JOIN_MEASURE)
    for with_joiners, without, plain in zip(joined["marked"], broken["marked"], joined["plain"], strict=True):
        assert abs(with_joiners - plain) < 0.5, (joined, broken)
        assert abs(without - plain) > 0.5, (joined, broken)
