"""Systems by name, as plug-ins: the `khabar.systems` entry-point group.

Every system — khabar's baselines and outside systems alike — is an entry point of the
group `khabar.systems` whose value names a factory (`module:attribute`). khabar's own are
declared in its `pyproject.toml` the same way a plug-in package declares its:

    [project.entry-points."khabar.systems"]
    mytagger = "mypackage.tagger:MyTagger"

The protocol (see `khabar.baselines.protocol.Tagger`): calling the factory with keyword
options returns an object with `name`, `layers` (the layers it predicts; the others are
"not predicted"), `deterministic`, `predict(documents) -> documents` (same ids and texts,
character offsets) and `signature() -> dict`. Optionally `outside = True` (a published
tool rather than a khabar baseline; marked on the leaderboard) and, on the factory, a
static `unavailable() -> str | None` saying why it cannot run here (a missing package or
program), so the benchmark skips it with that reason instead of failing.

`BUILTIN` repeats khabar's own entries so that a source checkout whose package metadata
is missing or stale still finds them; an installed entry point of the same name wins.
`hf` needs a model directory (`get("hf", model="DIR")`), so it is never in `available()`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

from khabar.baselines.protocol import Tagger
from khabar.errors import InputError

GROUP = "khabar.systems"
BUILTIN: dict[str, str] = {
    "rules": "khabar.baselines.rules:RulesTagger",
    "crf": "khabar.baselines.crf:CrfTagger",
    "dateparser": "khabar.baselines.dateparser_tagger:DateparserTagger",
    "heideltime": "khabar.baselines.heideltime:HeidelTimeTagger",
    "hf": "khabar.baselines.hf:HfTagger",
}
NEEDS_EXTRAS = frozenset({"hf"})


def specs() -> dict[str, str]:
    """name → `module:attribute` of every registered system, khabar's first, then plug-ins by name."""
    installed = {point.name: point.value for point in entry_points(group=GROUP)}
    merged = {name: installed.get(name, value) for name, value in BUILTIN.items()}
    merged.update({name: installed[name] for name in sorted(installed) if name not in BUILTIN})
    return merged


def factory(name: str) -> Callable[..., Tagger]:
    spec = specs().get(name)
    if spec is None:
        raise InputError(f"unknown system {name!r}", hint=f"choose one of {', '.join(specs())}")
    module, _, attribute = spec.partition(":")
    try:
        target: Any = importlib.import_module(module)
        for part in attribute.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as error:
        raise InputError(f"system {name!r} cannot be loaded from {spec}: {error}") from None
    return target


def names() -> list[str]:
    return list(specs())


def unavailable(name: str) -> str | None:
    """Why system `name` cannot run here, or None (a factory without the check can)."""
    check = getattr(factory(name), "unavailable", None)
    return check() if callable(check) else None


def available() -> list[str]:
    """Systems that run here without options, in leaderboard order."""
    return [name for name in names() if name not in NEEDS_EXTRAS and unavailable(name) is None]


def is_outside(name: str) -> bool:
    """Whether `name` is an outside system (a published tool) rather than a khabar baseline."""
    return bool(getattr(factory(name), "outside", False))


def baselines() -> list[str]:
    """`available()` without the outside systems."""
    return [name for name in available() if not is_outside(name)]


def skipped() -> dict[str, str]:
    """Systems `available()` leaves out because they cannot run here, with the reason."""
    reasons = {name: unavailable(name) for name in names() if name not in NEEDS_EXTRAS}
    return {name: reason for name, reason in reasons.items() if reason is not None}


def get(name: str, **options: Any) -> Tagger:
    """Build the system called `name`; an unknown name is an input error."""
    return factory(name)(**options)
