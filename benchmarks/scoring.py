"""Speed, memory and parity of khabar's seqeval-equivalent scoring, measured against seqeval.

Builds a synthetic corpus of about 1,000,000 tokens (≥ 40,000 sentences, 6 types, ~10%
entity tokens) with a noisy prediction (type swaps, shifted boundaries, misses, spurious
and ill-formed chunks), then prints, all measured in this run:

1. one scoring pass: `khabar.eval.score_tags` vs seqeval's `classification_report`
   (strict IOB2 and default mode);
2. 1,000 bootstrap resamples: khabar's count-vector resampling vs seqeval called once per
   resample, extrapolated from a few measured resamples;
3. the largest absolute difference from seqeval's numbers (every label, every average);
4. peak memory: of khabar's scoring with 1,000 resamples (tracemalloc), and of the process.

Usage: `python benchmarks/scoring.py [--tokens N] [--seqeval-resamples K] [--seed S]`.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
import warnings

import numpy as np
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from khabar.eval import score_tags

TYPES = ("PER", "ORG", "GPE", "LOC", "Justice:Arrest-Jail", "Conflict:Attack")


def synthetic_corpus(n_tokens: int, seed: int) -> tuple[list[list[str]], list[list[str]]]:
    """Gold and predicted IOB2 sequences: sentences of 10–40 tokens, ~10% entity tokens."""
    rng = np.random.default_rng(seed)
    gold_sequences: list[list[str]] = []
    pred_sequences: list[list[str]] = []
    total = 0
    while total < n_tokens:
        length = int(rng.integers(10, 41))
        gold = ["O"] * length
        position = 0
        while position < length:
            if rng.random() < 0.055:  # start a 1–3 token entity (~10% of tokens overall)
                label = TYPES[int(rng.integers(len(TYPES)))]
                size = min(int(rng.integers(1, 4)), length - position)
                gold[position : position + size] = [f"B-{label}"] + [f"I-{label}"] * (size - 1)
                position += size + 1
            else:
                position += 1
        pred = list(gold)
        for index, tag in enumerate(gold):
            roll = rng.random()
            if tag.startswith("B-") and roll < 0.08:  # type swap
                label = TYPES[int(rng.integers(len(TYPES)))]
                pred[index] = f"B-{label}"
            elif tag.startswith("B-") and roll < 0.12:  # ill-formed start: I- without B-
                pred[index] = "I-" + tag[2:]
            elif tag.startswith("I-") and roll < 0.10:  # shortened chunk
                pred[index] = "O"
            elif tag == "O" and roll < 0.01:  # spurious
                pred[index] = f"B-{TYPES[int(rng.integers(len(TYPES)))]}"
        gold_sequences.append(gold)
        pred_sequences.append(pred)
        total += length
    return gold_sequences, pred_sequences


def seqeval_report(gold, pred, scheme):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if scheme == "IOB2":
            return classification_report(gold, pred, mode="strict", scheme=IOB2, output_dict=True)
        return classification_report(gold, pred, output_dict=True)


def largest_difference(ours: dict, theirs: dict) -> float:
    worst = 0.0
    pairs = [(ours["per_label"][label], theirs[label]) for label in theirs if not label.endswith(" avg")]
    pairs += [(ours[name], theirs[f"{name} avg"]) for name in ("micro", "macro", "weighted")]
    for row, expected in pairs:
        for name, key in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
            value = 0.0 if row[name] is None else row[name]
            worst = max(worst, abs(value - float(expected[key])))
        worst = max(worst, abs(row["support"] - int(expected["support"])))
    return worst


def row(*cells: str) -> str:
    return f"{cells[0]:<36}{cells[1]:>10}{cells[2]:>12}{cells[3]:>10}   {cells[4]}"


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--seqeval-resamples", type=int, default=3)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    gold, pred = synthetic_corpus(args.tokens, args.seed)
    n_tokens = sum(map(len, gold))
    n_entity = sum(tag != "O" for sequence in gold for tag in sequence)
    share = n_entity / n_tokens
    print(f"corpus: {n_tokens:,} tokens, {len(gold):,} sentences, {len(TYPES)} types, {share:.1%} entity tokens")
    print()
    print(row("", "khabar", "seqeval", "ratio", "largest |difference| from seqeval"))
    for scheme in ("IOB2", "conlleval"):
        theirs, seqeval_time = timed(seqeval_report, gold, pred, scheme)
        ours, our_time = timed(score_tags, gold, pred, scheme=scheme, bootstrap=0)
        difference = largest_difference(ours.to_dict(), theirs)
        name = "strict IOB2" if scheme == "IOB2" else "default (conlleval)"
        ratio = f"{seqeval_time / our_time:.1f}×"
        print(row(f"one pass, {name}", f"{our_time:.2f}s", f"{seqeval_time:.2f}s", ratio, f"{difference:.1e}"))

    # Bootstrap: khabar's resampling cost is the run with resamples minus the run without.
    _, base_time = timed(score_tags, gold, pred, scheme="IOB2", bootstrap=0)
    _, boot_time = timed(score_tags, gold, pred, scheme="IOB2", bootstrap=args.bootstrap, seed=args.seed)
    resampling_time = max(boot_time - base_time, 1e-9)
    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    for _ in range(args.seqeval_resamples):
        drawn = rng.integers(0, len(gold), size=len(gold))
        seqeval_report([gold[i] for i in drawn], [pred[i] for i in drawn], "IOB2")
    per_resample = (time.perf_counter() - start) / args.seqeval_resamples
    extrapolated = per_resample * args.bootstrap
    ratio = f"{extrapolated / resampling_time:,.0f}×"
    label = f"{args.bootstrap:,} resamples, strict IOB2"
    print(row(label, f"{resampling_time:.2f}s", f"{extrapolated:,.0f}s", ratio, ""))
    print(
        f"  seqeval: {per_resample:.2f}s per resample (mean of {args.seqeval_resamples} measured) × {args.bootstrap:,};"
        f" khabar: {boot_time:.2f}s with resamples − {base_time:.2f}s without"
    )

    tracemalloc.start()
    score_tags(gold, pred, scheme="IOB2", bootstrap=args.bootstrap, seed=args.seed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    print()
    print(f"peak memory of khabar scoring with {args.bootstrap:,} resamples: {peak / 2**20:,.0f} MiB (tracemalloc)")
    print(f"peak memory of this whole process (corpus, seqeval runs included): {max_rss / 2**20:,.0f} MiB (max RSS)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
