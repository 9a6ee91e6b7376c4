"""The stated limits of khabar's inputs, in one table (the README's "Guarantees" states it;
a test keeps the two equal).

Reading limits are enforced by `khabar.strictjson`; the resampling limits by the command
options (`--bootstrap`, `--trials`): a bootstrap keeps every resample's summed counts in
memory (one float64 per count cell and resample, measured by
`benchmarks/bench_limits.py`), while randomization trials run in fixed-size blocks and
only cost time.
"""

from __future__ import annotations

import math

from khabar.strictjson import LIMITS as READING_LIMITS

MAX_RESAMPLES = 100_000
MAX_TRIALS = 1_000_000

LIMITS: tuple[tuple[str, str, str], ...] = (
    *READING_LIMITS,
    (
        "`--bootstrap` resamples",
        f"{MAX_RESAMPLES:,}",
        "every resample is kept in memory: about 1.1 MiB per 1,000 on the published corpus, "
        "a peak near 155 MiB at the limit (`python benchmarks/limits.py`)",
    ),
    ("`--trials` (approximate randomization)", f"{MAX_TRIALS:,}", "run in blocks: time, not memory"),
    ("`--min-tolerance`", "finite, ≥ 0", "a fraction of F1 (0.005 = half a point)"),
    ("`--systems`", "at least one name", "an empty list would make `check` pass on nothing"),
)


def bounded_count(value: int, maximum: int, what: str) -> int:
    """`value` when 0 ≤ value ≤ maximum; ValueError naming the bound otherwise."""
    if value < 0:
        raise ValueError("expected a non-negative integer")
    if value > maximum:
        raise ValueError(f"at most {maximum:,} {what}")
    return value


def tolerance(value: float) -> float:
    """A tolerance must be a finite fraction ≥ 0 (`nan` would let every score pass)."""
    if not math.isfinite(value) or value < 0:
        raise ValueError("expected a finite number ≥ 0")
    return value


def render_markdown() -> str:
    """The limits as the README's table."""
    lines = ["| limit | value | note |", "| --- | --- | --- |"]
    lines += [f"| {name} | {value} | {note} |" for name, value, note in LIMITS]
    return "\n".join(lines) + "\n"
