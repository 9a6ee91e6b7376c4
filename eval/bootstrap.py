"""Percentile bootstrap over resampling units, vectorized over per-unit count tables.

A resample is a vector of multiplicities (how often each unit was drawn); the resampled
counts of a table are `weights @ counts`, so 1,000 resamples cost one matrix product,
never a re-scoring. Weights are drawn in blocks from a generator seeded with `seed`, so
every table scored with the same `Bootstrap` sees the same resamples (paired).

With `strata` (the stratum of each unit, e.g. the document of each sentence), every
resample draws as many units from each stratum as it holds, so each document keeps its
weight in every resample; with one stratum this is the plain bootstrap, draw for draw.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from threadpoolctl import ThreadpoolController

BLOCK = 100  # resamples per block: bounds memory at BLOCK × units weights


CACHED_WEIGHTS = 1 << 22
"""Weights kept for reuse when resamples × units is at most this (32 MiB of float64): every
table of a run is resampled with the same weights, and drawing them is most of the cost of
a table; larger draws are made again for each table, in blocks."""


@dataclass(frozen=True)
class Bootstrap:
    n: int = 1000
    seed: int = 7
    strata: tuple[int, ...] = ()  # stratum of each unit; () = one stratum
    # Weight blocks already drawn, by number of units (see CACHED_WEIGHTS); not a setting.
    _drawn: dict[int, list[np.ndarray]] = field(default_factory=dict, compare=False, repr=False)

    def _groups(self, n_units: int) -> list[np.ndarray]:
        if not self.strata:
            return [np.arange(n_units)]
        if len(self.strata) != n_units:
            raise ValueError(f"{len(self.strata)} strata for {n_units} units")
        strata = np.asarray(self.strata)
        return [np.flatnonzero(strata == stratum) for stratum in dict.fromkeys(self.strata)]

    def weights(self, n_units: int) -> Iterator[np.ndarray]:
        """Blocks of resample multiplicities, shape (block, n_units), the same for a given seed."""
        rng = np.random.default_rng(self.seed)
        groups = self._groups(n_units)
        done = 0
        while done < self.n:
            block = min(BLOCK, self.n - done)
            offsets = (np.arange(block) * n_units)[:, None]
            weights = np.zeros(block * n_units, dtype=np.int64)
            for members in groups:
                drawn = members[rng.integers(0, len(members), size=(block, len(members)))]
                weights += np.bincount((drawn + offsets).ravel(), minlength=block * n_units)
            yield weights.reshape(block, n_units)
            done += block

    def _float_weights(self, n_units: int) -> Iterator[np.ndarray] | list[np.ndarray]:
        """The weight blocks as float64, drawn once per number of units when small enough."""
        if n_units in self._drawn:
            return self._drawn[n_units]
        blocks = (block.astype(np.float64) for block in self.weights(n_units))
        if self.n * n_units > CACHED_WEIGHTS:
            return blocks
        self._drawn[n_units] = list(blocks)
        return self._drawn[n_units]

    def resample(self, counts: np.ndarray) -> np.ndarray:
        """Resampled sums of a per-unit table (units, ...) → (n, ...)."""
        n_units = counts.shape[0]
        if self.n == 0 or n_units == 0:
            return np.zeros((0, *counts.shape[1:]))
        flat = counts.reshape(n_units, -1).astype(np.float64)
        with one_blas_thread():
            sums = [block @ flat for block in self._float_weights(n_units)]
        return np.concatenate(sums).reshape(self.n, *counts.shape[1:])


def one_blas_thread() -> AbstractContextManager[object]:
    """Matrix products on one thread. The products here are small (units × a few columns);
    OpenBLAS's worker threads wait for work by spinning, which cost more CPU time than the
    products themselves (4× at 1,000 units). The sums are of whole and half counts, exact
    in any order, so the number of threads changes no result."""
    return _controller().limit(limits=1, user_api="blas")


@cache
def _controller() -> ThreadpoolController:
    """The thread pools of the process, found once: finding them (every loaded library
    inspected) cost 0.6 ms per limit, 28 limits per evaluation. The products here are
    numpy's, and numpy's BLAS is loaded with numpy, before any product: it is among the pools
    found (a BLAS another library loads later, e.g. scipy's, is not limited, and is not used here)."""
    return ThreadpoolController()


def undefined_resamples(values: np.ndarray) -> int:
    """How many resamples have an undefined score (e.g. no gold and no predicted span drawn).

    `percentile_interval` leaves them out, so the interval describes the other resamples
    only; this count is reported beside it so that is never silent.
    """
    return int(np.isnan(values).sum())


def percentile_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float] | None:
    """The percentile interval of resampled values, ignoring resamples where the score is undefined."""
    defined = values[~np.isnan(values)]
    if defined.size == 0:
        return None
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(defined, [tail, 100 - tail])
    return float(low), float(high)


def paired_bootstrap_p(
    counts_a: np.ndarray,
    counts_b: np.ndarray,
    statistic: Callable[[np.ndarray], np.ndarray],
    bootstrap: Bootstrap,
) -> tuple[float, float]:
    """Observed difference statistic(A) − statistic(B) and its two-sided paired-bootstrap p-value.

    Both systems are resampled with the same units. The null distribution is the resampled
    difference shifted to mean 0 (as sacreBLEU does); c counts resamples whose shifted
    difference is at least as far from 0 as the observed one; p = (c + 1) / (n + 1).
    """
    observed = float(np.nan_to_num(statistic(counts_a.sum(axis=0)) - statistic(counts_b.sum(axis=0))))
    deltas = np.nan_to_num(statistic(bootstrap.resample(counts_a)) - statistic(bootstrap.resample(counts_b)))
    shifted = deltas - deltas.mean() if deltas.size else deltas
    count = int((np.abs(shifted) >= abs(observed) - 1e-12).sum())
    return observed, (count + 1) / (bootstrap.n + 1)


def approximate_randomization_p(
    counts_a: np.ndarray, counts_b: np.ndarray, statistic: Callable[[np.ndarray], np.ndarray], n: int, seed: int
) -> float:
    """Two-sided approximate randomization: swap A's and B's output per unit with probability 1/2.

    c counts trials whose |difference| is at least the observed |difference|; p = (c + 1) / (n + 1).
    """
    observed = abs(float(np.nan_to_num(statistic(counts_a.sum(axis=0)) - statistic(counts_b.sum(axis=0)))))
    rng = np.random.default_rng(seed)
    n_units = counts_a.shape[0]
    flat_a = counts_a.reshape(n_units, -1).astype(np.float64)
    flat_b = counts_b.reshape(n_units, -1).astype(np.float64)
    total = flat_a + flat_b
    count = 0
    done = 0
    while done < n:
        block = min(BLOCK, n - done)
        swap = rng.integers(0, 2, size=(block, n_units)).astype(np.float64)
        with one_blas_thread():
            sums_a = (1 - swap) @ flat_a + swap @ flat_b
        sums_b = total.sum(axis=0) - sums_a
        shape = (block, *counts_a.shape[1:])
        deltas = np.nan_to_num(statistic(sums_a.reshape(shape)) - statistic(sums_b.reshape(shape)))
        count += int((np.abs(deltas) >= observed - 1e-12).sum())
        done += block
    return (count + 1) / (n + 1)


def paired_difference_interval(
    counts_a: np.ndarray,
    counts_b: np.ndarray,
    statistic: Callable[[np.ndarray], np.ndarray],
    bootstrap: Bootstrap,
    level: float = 0.95,
) -> tuple[float, float] | None:
    """Percentile interval of statistic(A) − statistic(B) over paired resamples.

    A and B are per-unit count tables of the same units (e.g. one system on the clean and
    on a perturbed corpus): each resample draws the same units for both, so the interval
    is that of the difference itself, narrower than the two scores' intervals side by side.
    None when the tables do not have the same units or no resample defines both scores.
    """
    if bootstrap.n == 0 or counts_a.shape[0] != counts_b.shape[0] or counts_a.shape[0] == 0:
        return None
    deltas = statistic(bootstrap.resample(counts_a)) - statistic(bootstrap.resample(counts_b))
    return percentile_interval(deltas, level)
