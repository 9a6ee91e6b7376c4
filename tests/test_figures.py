"""Figures a paper can use: PNG at 300 dpi, PDF and SVG, nothing clipped, no warnings.

Each figure `khabar benchmark --robustness --plot DIR --plot-format png,pdf,svg` writes
is opened and checked: its format, its size and resolution, that every text lies inside
the saved image, and that drawing it printed nothing on stderr and raised no warning.
"""

from __future__ import annotations

import io
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from khabar.cli import main
from khabar.eval.plots import DPI, MIN_DROP_RANGE, _files, per_label_figure, robustness_figure
from tests.fixture_corpus import make_corpus

DROPS = {
    "rules": {"eastern-digits": (0.0, -0.5, 0.5), "tatweel": (0.02, 0.0, 0.04), "zero-width": (None, None, None)},
    "crf": {"eastern-digits": (0.01, 0.0, 0.03), "tatweel": (0.0, 0.0, 0.0), "zero-width": (0.0, None, None)},
}


def check_figure(path: Path) -> None:
    data = path.read_bytes()
    if path.suffix == ".png":
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG"
            assert round(image.info["dpi"][0]) == DPI
            assert image.size[0] >= 1500 and image.size[1] >= 900, image.size
    elif path.suffix == ".pdf":
        assert data.startswith(b"%PDF-") and b"CreationDate" not in data
    else:
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("width", "").endswith("pt")
        assert "<dc:date>" not in data.decode("utf-8")


def test_every_text_is_inside_the_figure_and_zero_marks_sit_on_the_zero_line() -> None:
    figure = robustness_figure(DROPS, title="entities: drop")
    ax = figure.axes[0]
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    texts = [*ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts, ax.title, ax.yaxis.label]
    texts += list(ax.get_legend().get_texts())
    box = figure.bbox
    for text in texts:
        extent = text.get_window_extent(renderer)
        assert box.x0 - 1 <= extent.x0 and extent.x1 <= box.x1 + 1, text.get_text()
        assert box.y0 - 1 <= extent.y0 and extent.y1 <= box.y1 + 1, text.get_text()
    marks = [(text.get_text(), text.xy[1], text.anncoords) for text in ax.texts]
    assert sorted(marks) == [("0", 0, "offset points")] * 3 + [("n/a", 0, "offset points")]
    low, high = ax.get_ylim()
    assert high - low >= MIN_DROP_RANGE  # near-zero drops do not blow up to fill the plot
    assert len(ax.collections) == 4  # an error bar per drop with an interval


def test_legend_is_outside_the_axes() -> None:
    figure = per_label_figure({"rules": {"PER": (1.0, 0.9, 1.0)}, "crf": {"PER": (1.0, 1.0, 1.0)}}, title="t")
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legend = figure.axes[0].get_legend().get_window_extent(renderer)
    assert legend.x0 >= figure.axes[0].get_window_extent(renderer).x1


def test_three_formats_are_written(tmp_path: Path) -> None:
    files = _files(robustness_figure(DROPS, title="t"), tmp_path / "robustness-entities", ("png", "pdf", "svg"))
    assert sorted(path.name for path in files) == [f"robustness-entities.{fmt}" for fmt in ("pdf", "png", "svg")]
    for path, data in files.items():
        path.write_bytes(data)
        check_figure(path)
    again = _files(robustness_figure(DROPS, title="t"), tmp_path / "robustness-entities", ("png", "pdf", "svg"))
    assert again == files  # no timestamp: the same figure gives the same bytes


def test_benchmark_writes_every_figure_in_three_formats_without_warnings(tmp_path: Path, capfd) -> None:
    corpus = make_corpus(tmp_path / "corpus", count=2, built=False)
    out = tmp_path / "figures"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the run
        code = main(
            ["benchmark", "--corpus", str(corpus), "--systems", "rules", "--robustness", "--bootstrap", "50",
             "--plot", str(out), "--plot-format", "png,pdf,svg"]
        )  # fmt: skip
    assert code == 0
    err = capfd.readouterr().err
    assert err.strip().splitlines()[-1].startswith("wrote "), err
    assert "Warning" not in err
    assert "robustness:" not in err and "\r" not in err  # no progress bar when stderr is no terminal
    stems = {path.stem for path in out.iterdir()}
    assert {"headline", "entities-per-label", "robustness-entities"} <= stems
    for stem in stems:
        for fmt in ("png", "pdf", "svg"):
            check_figure(out / f"{stem}.{fmt}")


@pytest.mark.parametrize("value", ["gif", "png,gif", ","])
def test_unknown_plot_format_is_a_usage_error(value: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["benchmark", "--plot", "x", "--plot-format", value])
    assert exit_info.value.code == 2
    assert "expected formats from png, pdf, svg" in capsys.readouterr().err
