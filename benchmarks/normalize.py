"""Speed and memory of the offset-mapped normalization and the perturbations.

Builds an Arabic text of about N characters (default 1,000,000) from the corpus article,
with harakat, tatweel, bidi marks and Eastern digits sprinkled in, then prints, all
measured in this run:

1. `khabar.normalize.normalize` (normalized text + offset maps both ways) against plain
   `str.translate` with the same table (text only, no maps), and the ratio;
2. the peak and retained memory of `normalize` (tracemalloc) per input character;
3. mapping 10,000 random spans forward and back;
4. each perturbation of a document of that text with one entity per word (spans carried).

Usage: `python benchmarks/normalize.py [--chars N] [--seed S]`.
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from pathlib import Path

from khabar.document import Document, Entity
from khabar.normalize import DEFAULT_RULES, normalize
from khabar.perturb import PERTURBATIONS, perturb
from khabar.tokenize import tokenize

ARTICLE = Path(__file__).resolve().parent.parent / "corpus" / "documents" / "doc-0001.txt"
NOISE = ("\u064e", "\u0651", "\u0640", "\u200f", "\u200c", "٢", "أ")


def synthetic_text(chars: int, seed: int) -> str:
    rng = random.Random(seed)
    base = ARTICLE.read_text(encoding="utf-8")
    pieces: list[str] = []
    size = 0
    while size < chars:
        for char in base:
            pieces.append(char)
            if rng.random() < 0.05:
                pieces.append(rng.choice(NOISE))
        size = sum(len(piece) for piece in pieces)
    return "".join(pieces)[:chars]


def timed(function, *arguments):
    started = time.perf_counter()
    value = function(*arguments)
    return value, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    text = synthetic_text(args.chars, args.seed)
    table = str.maketrans(DEFAULT_RULES.table())
    print(f"text: {len(text):,} characters")

    plain, plain_seconds = timed(text.translate, table)
    normalized, seconds = timed(normalize, text)
    assert normalized.text == plain
    print(f"1. normalize with offset maps: {seconds:.3f} s; str.translate (no maps): {plain_seconds:.4f} s; ")
    print(f"   ratio {seconds / plain_seconds:.0f}x; {len(text) / seconds / 1e6:.2f} M chars/s")

    tracemalloc.start()
    kept = normalize(text)
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"2. memory of normalize: peak {peak / 1e6:.1f} MB ({peak / len(text):.0f} bytes per character), "
        f"retained {retained / 1e6:.1f} MB ({retained / len(text):.0f} bytes per character)"
    )
    del kept

    rng = random.Random(args.seed)
    spans = []
    for _ in range(10_000):
        start = rng.randrange(len(text))
        spans.append((start, min(len(text), start + rng.randint(1, 40))))
    started = time.perf_counter()
    for start, end in spans:
        normalized.to_raw(*normalized.to_normalized(start, end))
    print(f"3. 10,000 spans mapped forward and back: {time.perf_counter() - started:.3f} s")

    words = [token for token in tokenize(text) if token.text[0].isalpha()]
    entities = tuple(Entity(f"T{i}", t.start, t.end, "GPE", t.text) for i, t in enumerate(words))
    document = Document(id="doc-0001", text=text, entities=entities)
    print(f"4. perturbations of the text with {len(entities):,} entity spans:")
    for name in PERTURBATIONS:
        _, perturb_seconds = timed(perturb, document, name)
        print(f"   {name:15s} {perturb_seconds:.3f} s")


if __name__ == "__main__":
    main()
