"""The regression gate: re-score the systems of a reference and compare every headline F1."""

from __future__ import annotations

import json
from pathlib import Path

from khabar.errors import InputError
from khabar.eval.gate import GateReport, check_shape, regressions
from khabar.runs import benchmark
from khabar.runs.scoring import load_gold


def read_reference(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such reference file", where=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8", where=str(path)) from None
    except json.JSONDecodeError as error:
        raise InputError(f"not JSON ({error.msg})", where=str(path), pointer=f"line {error.lineno}") from None
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
    bootstrap, seed = reference_settings(reference)
    current = benchmark.run_benchmark(gold, systems=list(reference["systems"]), bootstrap=bootstrap, seed=seed)
    return regressions(reference, current, min_tolerance=min_tolerance)
