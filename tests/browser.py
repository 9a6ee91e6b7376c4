"""Headless Chromium for the report's browser tests, and the README's screenshot of a report
with event arguments and quote speakers drawn:

    python -m tests.browser docs/figures/report.png

renders the report of a small fixture corpus (made-up sentences, not news; the one of
`tests/test_report_drawing.py`), lays it out in Chromium at 1000 px wide, and writes the
events and quotes of its first document, one above the other, as a PNG. The browser tests
make the same screenshot and check it.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from khabar.eval.report import build_report, render_report
from tests.test_report_drawing import event_quote_pair

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTH, HEIGHT = 1000, 6000  # tall enough for the whole example page: boxes need no scrolling

# Run in a copy of the page (the report itself forbids scripts): reads the boxes Chromium laid
# out and writes them into the DOM as JSON, for `--dump-dom` to print. The copy differs from the
# page only by this script at the end of the body, so the boxes are the page's.
MEASURE = """<script>
const box = (element) => { const r = element.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; };
const found = {parts: [], lines: [], chips: [], articles: {}, height: document.documentElement.scrollHeight};
for (const mark of document.querySelectorAll(".m.part")) {
  const chip = mark.querySelector(":scope > .lab");
  const target = document.getElementById(chip.getAttribute("href").slice(1));
  found.parts.push({kind: ["argument", "cue", "speaker"].find((kind) => mark.classList.contains(kind)),
    text: mark.textContent, chip: getComputedStyle(chip, "::before").content, box: box(mark), chip_box: box(chip),
    target: target ? target.textContent : null});
}
for (const line of document.querySelectorAll(".doc .line")) {
  found.lines.push({side: box(line.querySelector(".side")), text: box(line.querySelector("p"))});
}
for (const mark of document.querySelectorAll(".doc .m")) {
  const chip = mark.querySelector(":scope > .lab");
  const range = document.createRange();
  range.setStart(mark, 0);
  range.setEndBefore(chip);
  const rects = [...range.getClientRects()].filter((r) => r.width > 0);
  const last = rects[rects.length - 1], c = chip.getBoundingClientRect();
  if (rects.length === 1 && Math.abs(last.top - c.top) < last.height) found.chips.push(last.left - c.right);
}
for (const article of document.querySelectorAll("article.doc")) found.articles[article.id] = box(article);
const out = document.createElement("pre");
out.id = "boxes";
out.textContent = JSON.stringify(found);
document.body.appendChild(out);
</script>"""


def chromium(folder: Path, *arguments: str) -> subprocess.CompletedProcess:
    """Run headless Chromium with a fresh profile in `folder`."""
    if CHROMIUM is None:
        raise RuntimeError("headless Chromium is not installed (apt-get install chromium)")
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={folder / 'profile'}", *arguments],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def example_page() -> str:
    """The report of the fixture corpus: event arguments (right, wrong role, missed, spurious),
    a quote cue and speakers (agreeing and not)."""
    gold_docs, pred_docs = event_quote_pair()
    return render_report(build_report(gold_docs, pred_docs, layers=["events", "quotes"]))


def measure(page: str, folder: Path, script: str) -> dict:
    """Lay `page` out in Chromium at WIDTH × HEIGHT and run `script` in it (a copy without
    the Content-Security-Policy): what the script writes as JSON into `<pre id="boxes">`."""
    scriptable = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    measured = folder / "measured.html"
    measured.write_text(scriptable.replace("</body>", script + "</body>"), encoding="utf-8")
    done = chromium(folder, f"--window-size={WIDTH},{HEIGHT}", "--dump-dom", measured.as_uri())
    boxes = re.search(r'<pre id="boxes">(.*?)</pre>', done.stdout, re.S)
    if boxes is None:
        raise RuntimeError(f"Chromium laid nothing out: {done.stderr[-2000:]}")
    return json.loads(html.unescape(boxes.group(1)))


def layout(page: str, folder: Path) -> dict:
    """The boxes Chromium lays `page` out in (see MEASURE)."""
    return measure(page, folder, MEASURE)


def screenshot(page: str, folder: Path) -> Path:
    """A PNG of `page` itself (no script), at WIDTH × HEIGHT."""
    path = folder / "report.html"
    path.write_text(page, encoding="utf-8")
    png = folder / "report.png"
    done = chromium(folder, f"--screenshot={png}", f"--window-size={WIDTH},{HEIGHT}", path.as_uri())
    if not png.is_file():
        raise RuntimeError(f"Chromium wrote no screenshot: {done.stderr[-2000:]}")
    return png


def crop_documents(png: Path, boxes: dict, articles: tuple[str, ...]):
    """The screenshot's `articles` (page ids), cut out and stacked (a PIL image)."""
    from PIL import Image  # deferred: Pillow comes with the optional plots extra (matplotlib)

    image = Image.open(png).convert("RGB")
    pieces = []
    for article in articles:
        left, top, width, height = boxes["articles"][article]
        pieces.append(image.crop((round(left), round(top), round(left + width), round(top + height))))
    stacked = Image.new(
        "RGB", (max(p.width for p in pieces), sum(p.height for p in pieces) + 12 * len(pieces)), "white"
    )
    y = 0
    for piece in pieces:
        stacked.paste(piece, (0, y))
        y += piece.height + 12
    return stacked


EXAMPLE_ARTICLES = ("doc-events-doc-0001", "doc-quotes-doc-0001")


def main(arguments: list[str]) -> int:
    from PIL import Image  # deferred: Pillow comes with the optional plots extra (matplotlib)

    if len(arguments) != 1:
        print("usage: python -m tests.browser OUT.png", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        page = example_page()
        boxes = layout(page, Path(folder))
        image = crop_documents(screenshot(page, Path(folder)), boxes, EXAMPLE_ARTICLES)
        # A palette of 96 colours keeps the chips' and borders' colours and a third of the bytes.
        image.quantize(colors=96, method=Image.Quantize.MEDIANCUT).save(arguments[0], optimize=True)
    print(f"wrote {arguments[0]} ({image.width}×{image.height})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
