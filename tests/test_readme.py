"""The README's generated parts stay true: its leaderboard and the reference scores."""

from __future__ import annotations

import json
import re

from khabar.baselines.leaderboard import render_markdown
from khabar.eval.signature import corpus_hash
from khabar.store import load_corpus


def test_readme_leaderboard_is_rendered_from_the_reference(repo) -> None:
    readme = (repo / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- leaderboard:start[^>]*-->\n(.*?)\n<!-- leaderboard:end -->", readme, re.S)
    assert block, "README has no leaderboard block"
    reference = json.loads((repo / "baselines" / "scores.json").read_text(encoding="utf-8"))
    assert block.group(1) == render_markdown(reference).rstrip("\n")


def test_reference_scores_were_computed_on_this_corpus(repo, corpus_dir) -> None:
    reference = json.loads((repo / "baselines" / "scores.json").read_text(encoding="utf-8"))
    current = corpus_hash(load_corpus(corpus_dir))
    for system, layers in reference["systems"].items():
        for layer, score in layers.items():
            assert score["signature"]["corpus"] == current, (
                f"{system}/{layer} scored on corpus {score['signature']['corpus']}, now {current}: "
                "run `khabar benchmark --write-reference`"
            )
