"""The regression gate: re-score the systems of a reference and compare every headline F1."""

from __future__ import annotations

from pathlib import Path

from khabar.errors import InputError
from khabar.eval.gate import GateReport, check_shape, regressions, stale_corpus
from khabar.eval.signature import corpus_hash
from khabar.runs import benchmark
from khabar.runs.scoring import load_gold
from khabar.strictjson import read_json


def read_reference(path: Path) -> dict:
    if not path.exists():
        raise InputError("no such reference file", where=str(path))
    data = read_json(path)
    check_shape(data, str(path))
    return data


def reference_settings(reference: dict) -> tuple[int, int]:
    """Bootstrap size and seed the reference was computed with (so intervals are comparable)."""
    for layers in reference["systems"].values():
        for entry in layers.values():
            signature = entry.get("signature", {})
            if "boot" in signature and "seed" in signature:
                return int(signature["boot"]), int(signature["seed"])
    return 1000, 7


def check_reference(reference_path: Path, gold_path: Path, *, min_tolerance: float) -> GateReport:
    """Re-score the systems named in the reference on the gold, with its bootstrap and seed."""
    reference = read_reference(reference_path)
    gold = load_gold(gold_path)
    stale_corpus(reference, corpus_hash(gold))
    bootstrap, seed = reference_settings(reference)
    current = benchmark.run_benchmark(gold, systems=list(reference["systems"]), bootstrap=bootstrap, seed=seed)
    return regressions(reference, current, min_tolerance=min_tolerance)
