"""The regression gate behind `khabar check`: compare current scores with a reference.

Both sides have the shape written by `khabar benchmark --write-reference`:
`{"khabar_version": str, "systems": {SYSTEM: {LAYER: {"metric", "f1", "ci": [low, high],
"deterministic": bool, "signature"}}}}`.

A headline F1 has regressed when it falls below its reference by more than the
tolerance, which is meant to absorb run-to-run noise and nothing else:
- a system whose re-scoring is deterministic (`"deterministic": true`: same input and
  seed, same output — every khabar baseline) has no run-to-run noise, so its tolerance
  is `min_tolerance` (0.005 = 0.5 points, room for floating-point and platform
  differences). The reference's 95% interval is *not* used: it measures how much the
  score would vary over other samples of the corpus (on one 19-line article, tens of
  points), which says nothing about whether the same system on the same corpus got worse.
- a system marked non-deterministic, or with no flag (external reference files written
  before the flag existed), may differ between runs for reasons other than a regression;
  its tolerance is the larger of the reference interval's half-width and `min_tolerance`.
A score that disappears (system, layer, or an F1 turned undefined) or whose metric name
changed counts as a regression too: the reference no longer describes what is measured.
A rise beyond the tolerance is an improvement, listed so the reference can be updated.

Scores of different corpora are not comparable: a reference whose signatures name another
corpus version than the gold's is stale (`stale_corpus`), which is neither a pass nor a
regression but a reference to refresh.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from khabar.errors import InputError, StaleReferenceError

UPDATE_COMMAND = "khabar benchmark --write-reference"


@dataclass(frozen=True)
class Change:
    system: str
    layer: str
    metric: str
    reference: float | None
    current: float | None
    tolerance: float
    reason: str = ""

    def describe(self) -> str:
        def show(value: float | None) -> str:
            return "–" if value is None else f"{value * 100:.1f}"

        text = f"{self.system} {self.layer} {self.metric}: {show(self.reference)} → {show(self.current)}"
        text += f" (tolerance {self.tolerance * 100:.1f} points)"
        return f"{text}; {self.reason}" if self.reason else text


@dataclass(frozen=True)
class GateReport:
    regressions: list[Change] = field(default_factory=list)
    improvements: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.regressions)

    def rows(self) -> list[tuple[str, Change]]:
        """Every headline score with its verdict: regressed, improved or within tolerance."""
        return [
            *(("regressed", change) for change in self.regressions),
            *(("improved", change) for change in self.improvements),
            *(("within tolerance", change) for change in self.unchanged),
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "failed": self.failed,
            "scores": [
                {
                    "verdict": verdict,
                    "system": change.system,
                    "layer": change.layer,
                    "metric": change.metric,
                    "reference": change.reference,
                    "current": change.current,
                    "tolerance": change.tolerance,
                    "reason": change.reason,
                }
                for verdict, change in self.rows()
            ],
            "notes": list(self.notes),
        }


def render_gate(report: GateReport, fmt: str) -> str:
    """`khabar check`'s result: lines (table), a Markdown table of every score, or JSON."""
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":

        def show(value: float | None) -> str:
            return "–" if value is None else f"{value * 100:.1f}"

        lines = [
            "| verdict | system | layer | metric | reference | current | tolerance |",
            "|---|---|---|---|---:|---:|---:|",
        ]
        lines += [
            f"| {verdict} | {c.system} | {c.layer} | {c.metric} | {show(c.reference)} | {show(c.current)} | "
            f"{c.tolerance * 100:.1f} |"
            for verdict, c in report.rows()
        ]
        return "\n".join([*lines, *(f"\nnote: {note}" for note in report.notes)]) + "\n"
    lines = [f"regressed: {change.describe()}" for change in report.regressions]
    lines += [f"improved: {change.describe()}" for change in report.improvements]
    if report.improvements:
        lines.append(f"update the reference with: {UPDATE_COMMAND}")
    lines += [f"note: {note}" for note in report.notes]
    return "".join(f"{line}\n" for line in lines)


def tolerance(reference_entry: dict[str, Any], min_tolerance: float) -> float:
    """The drop a reference score admits: `min_tolerance` when deterministic, else the CI rule."""
    if reference_entry.get("deterministic") is True:
        return min_tolerance
    ci = reference_entry.get("ci") or [None, None]
    if ci[0] is None or ci[1] is None:
        return min_tolerance
    return max((ci[1] - ci[0]) / 2, min_tolerance)


def check_shape(scores: Any, name: str) -> dict[str, dict[str, dict[str, Any]]]:
    """The `systems` mapping of a scores document, or an InputError naming what is wrong."""
    if not isinstance(scores, dict) or not isinstance(scores.get("systems"), dict):
        raise InputError("expected an object with a 'systems' mapping", where=name, pointer="/systems")
    if not scores["systems"]:
        # A gate over nothing would always pass.
        raise InputError("names no system: nothing to check", where=name, pointer="/systems")
    for system, layers in scores["systems"].items():
        if not isinstance(layers, dict):
            raise InputError("expected a mapping of layers", where=name, pointer=f"/systems/{system}")
        for layer, entry in layers.items():
            pointer = f"/systems/{system}/{layer}"
            if not isinstance(entry, dict) or "f1" not in entry or "metric" not in entry:
                raise InputError("expected an object with 'metric', 'f1' and 'ci'", where=name, pointer=pointer)
            f1 = entry["f1"]
            if not _fraction_or_null(f1):
                raise InputError(f"f1 must be a fraction in 0..1 or null, not {f1!r}", where=name, pointer=pointer)
            _check_entry(entry, name, pointer)
    return scores["systems"]


def _fraction_or_null(value: Any) -> bool:
    if value is None:
        return True
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def _check_entry(entry: dict[str, Any], name: str, pointer: str) -> None:
    """`ci` a [low, high] pair of fractions (or nulls), `deterministic` a boolean, `boot`/`seed` integers."""
    if "ci" in entry:
        ci = entry["ci"]
        if not isinstance(ci, list) or len(ci) != 2 or not all(_fraction_or_null(value) for value in ci):
            raise InputError(
                f"ci must be a pair [low, high] of fractions in 0..1 (or nulls), not {ci!r}",
                where=name,
                pointer=f"{pointer}/ci",
            )
    if "deterministic" in entry and not isinstance(entry["deterministic"], bool):
        raise InputError(
            f"deterministic must be true or false, not {entry['deterministic']!r}",
            where=name,
            pointer=f"{pointer}/deterministic",
        )
    signature = entry.get("signature", {})
    if not isinstance(signature, dict):
        raise InputError("signature must be an object", where=name, pointer=f"{pointer}/signature")
    for key in ("boot", "seed"):
        value = signature.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InputError(
                f"{key} must be a non-negative integer, not {value!r}", where=name, pointer=f"{pointer}/signature/{key}"
            )


def regressions(reference: dict[str, Any], current: dict[str, Any], min_tolerance: float = 0.005) -> GateReport:
    """Compare every headline F1 of `reference` with `current`."""
    report = GateReport()
    reference_systems = check_shape(reference, "reference")
    current_systems = check_shape(current, "current")
    for system, layers in reference_systems.items():
        for layer, entry in layers.items():
            allowed = tolerance(entry, min_tolerance)
            now = current_systems.get(system, {}).get(layer)
            reference_f1 = entry["f1"]
            if now is None:
                report.regressions.append(
                    Change(system, layer, entry["metric"], reference_f1, None, allowed, "no longer scored")
                )
                continue
            if now["metric"] != entry["metric"]:
                reason = f"metric changed to {now['metric']!r}"
                report.regressions.append(
                    Change(system, layer, entry["metric"], reference_f1, now["f1"], allowed, reason)
                )
                continue
            change = Change(system, layer, entry["metric"], reference_f1, now["f1"], allowed)
            if reference_f1 is None:
                (report.unchanged if now["f1"] is None else report.improvements).append(change)
            elif now["f1"] is None:
                report.regressions.append(Change(**{**change.__dict__, "reason": "F1 became undefined"}))
            elif now["f1"] < reference_f1 - allowed:
                report.regressions.append(change)
            elif now["f1"] > reference_f1 + allowed:
                report.improvements.append(change)
            else:
                report.unchanged.append(change)
            differing = sorted(
                key
                for key in set(entry.get("signature", {})) | set(now.get("signature", {}))
                if key not in ("boot", "seed")
                and entry.get("signature", {}).get(key) != now.get("signature", {}).get(key)
            )
            if differing:
                report.notes.append(f"{system} {layer}: signature differs in {', '.join(differing)}")
    for system, layers in current_systems.items():
        for layer in layers:
            if layer not in reference_systems.get(system, {}):
                report.notes.append(f"{system} {layer}: not in the reference (add it with `{UPDATE_COMMAND}`)")
    return report


def stale_corpus(reference: dict[str, Any], corpus: str) -> None:
    """Raise `StaleReferenceError` when any reference score was computed on a corpus other than `corpus`."""
    versions = sorted(
        {
            entry.get("signature", {}).get("corpus")
            for layers in check_shape(reference, "reference").values()
            for entry in layers.values()
        }
        - {None, corpus}
    )
    if versions:
        raise StaleReferenceError(
            f"the reference was computed on another corpus version (corpus:{', '.join(versions)}; "
            f"the corpus is now corpus:{corpus}): refresh it with `{UPDATE_COMMAND}`"
        )
