"""The report in a real browser: headless Chromium renders it, and the injected script never runs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from khabar.eval.report import build_report, render_report
from tests.test_report import report_documents

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"),
]
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
# Colours of the category styles in the template (borders and label backgrounds).
CATEGORY_COLOURS = {
    "correct": (0x2E, 0x7D, 0x32),
    "wrong_type": (0x6A, 0x1B, 0x9A),
    "wrong_boundary": (0x15, 0x65, 0xC0),
    "missed": (0xC6, 0x28, 0x28),
    "spurious": (0xE6, 0x51, 0x00),
}


def chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *arguments],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


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
    from PIL import Image

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
