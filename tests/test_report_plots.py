"""Figures: one bar per defined score, CI error bars, `n/a` for undefined, PNG on disk."""

from __future__ import annotations

from PIL import Image

from khabar.eval.plots import headline_figure, per_label_figure, robustness_figure, save

SCORES = {
    "rules": {"PER": (0.8, 0.7, 0.9), "ORG": (0.5, 0.3, 0.6), "GPE": (None, None, None)},
    "crf": {"PER": (0.6, 0.5, 0.75), "ORG": (0.55, None, None), "GPE": (0.9, 0.85, 0.95)},
}


def test_per_label_figure_draws_a_bar_per_defined_score(tmp_path):
    figure = per_label_figure(SCORES, title="entities")
    ax = figure.axes[0]
    heights = sorted(round(patch.get_height(), 6) for patch in ax.patches)
    assert heights == sorted([80.0, 50.0, 60.0, 55.0, 90.0])
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["GPE", "ORG", "PER"]
    assert len(ax.collections) == 4  # error bars only where an interval exists
    assert [text.get_text() for text in ax.texts] == ["n/a"]  # no zero F1 here
    assert sorted(text.get_text() for text in ax.get_legend().get_texts()) == ["crf", "rules"]
    path = save(figure, tmp_path / "per-label.png")
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size[0] >= 600


def test_error_bars_span_the_interval():
    figure = per_label_figure({"rules": {"PER": (0.8, 0.7, 0.9)}}, title="t")
    segments = figure.axes[0].collections[0].get_segments()
    (_, bottom), (_, top) = segments[0]
    assert (round(bottom, 6), round(top, 6)) == (70.0, 90.0)


def test_headline_and_robustness_figures(tmp_path):
    headline = headline_figure({"rules": {"entities": (0.4, 0.3, 0.5), "timex": (0.7, 0.6, 0.8)}})
    assert [tick.get_text() for tick in headline.axes[0].get_xticklabels()] == ["entities", "timex"]
    drops = robustness_figure(
        {
            "rules": {"tatweel": (12.5, 8.0, 15.0), "hamza": (-1.0, None, None)},
            "crf": {"tatweel": (3.0, 1.0, 4.0), "hamza": (None, None, None)},
        },
        title="entities",
    )
    heights = sorted(round(patch.get_height(), 6) for patch in drops.axes[0].patches)
    assert heights == [-1.0, 3.0, 12.5]
    assert save(drops, tmp_path / "robustness.png").stat().st_size > 1000


def test_zero_and_undefined_scores_are_marked_differently():
    figure = per_label_figure({"rules": {"PER": (0.0, 0.0, 0.0), "ORG": (None, None, None)}}, title="t")
    assert sorted(text.get_text() for text in figure.axes[0].texts) == ["0", "n/a"]
