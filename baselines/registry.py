"""Baselines by name: `get(name)` builds a tagger, `available()` lists those that need no extras.

`hf` needs the optional `hf` extra (transformers and torch) and a model directory
(`get("hf", model="DIR")`), so it is never in `available()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from khabar.baselines.crf import CrfTagger
from khabar.baselines.dateparser_tagger import DateparserTagger
from khabar.baselines.hf import HfTagger
from khabar.baselines.protocol import Tagger
from khabar.baselines.rules import RulesTagger
from khabar.errors import InputError

FACTORIES: dict[str, Callable[..., Tagger]] = {
    "rules": RulesTagger,
    "crf": CrfTagger,
    "dateparser": DateparserTagger,
    "hf": HfTagger,
}
NEEDS_EXTRAS = frozenset({"hf"})


def names() -> list[str]:
    return list(FACTORIES)


def available() -> list[str]:
    """Baselines that run with the core dependencies alone, in leaderboard order."""
    return [name for name in FACTORIES if name not in NEEDS_EXTRAS]


def get(name: str, **options: Any) -> Tagger:
    """Build the tagger called `name`; an unknown name is an input error."""
    if name not in FACTORIES:
        raise InputError(f"unknown baseline {name!r}", hint=f"choose one of {', '.join(FACTORIES)}")
    return FACTORIES[name](**options)
