"""Scoring a large prediction file: CPU and wall time, peak memory, file size.

Builds the synthetic corpus of `corpus_scale.py` (1,000 documents by default: the published
documents' paragraphs shuffled per copy, gold moved along) and writes a JSONL prediction file
of about `--megabytes` MB against it: one line per document, each with most of the document's
gold spans (80%: matches and misses) and many more token-aligned spans of one to four tokens with
random labels and a confidence `score`, as an over-generating system or an n-best output
writes them — nested, overlapping and repeated spans included. Then it runs, as a user
would, `khabar evaluate PRED --gold CORPUS --bootstrap 1000 --format json` in its own process
and prints CPU seconds (user + system), wall seconds, peak resident memory (MiB) and the
file's size and span count. A line stays far below the 64 MiB line limit
(`khabar.strictjson.MAX_LINE_BYTES`), so the size comes from many lines, as in a real file.
Then, in this process, reading alone (`load_predictions`: parse, check and build the predicted
documents) against plain `json.loads` of every line, the floor any reader starts from.

Before the timed run, one `evaluate` of a one-line prediction file records the synthetic gold
as validated (`khabar.validcache`), as any earlier command on the corpus would; its cost is
printed apart.

Usage: `python benchmarks/large_predictions.py [--megabytes 200] [--documents 1000] [--keep DIR]`.
Not part of the test suite (a smoke test runs it on a tiny file).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from khabar.eval.predictions import load_predictions
from khabar.inventories import ENTITY_TYPES, EVENT_TYPES, QUOTE_KINDS, TIMEX_TYPES
from khabar.store import load_corpus
from khabar.tokenize import tokenize

HERE = Path(__file__).resolve().parent
GOLD_KEPT = 0.8  # the share of gold spans a line repeats


def _corpus_scale():
    """`corpus_scale.py` beside this file (benchmarks are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("corpus_scale", HERE / "corpus_scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("corpus_scale", module)
    spec.loader.exec_module(module)
    return module


def _item(text: str, start: int, end: int, **fields) -> dict:
    return {**fields, "start": start, "end": end, "text": text[start:end]}


def prediction_line(document, rng: random.Random, budget: int) -> tuple[str, int]:
    """One document's JSON line of about `budget` bytes, and its number of spans."""
    text = document.text
    tokens = tokenize(text)

    def kept(items):  # most gold spans, not all: the rest are missed, and matching has work to do
        return [item for item in items if rng.random() < GOLD_KEPT]

    record = {
        "id": document.id,
        "entities": [_item(text, e.start, e.end, type=e.type) for e in kept(document.entities)],
        "timex": [_item(text, t.start, t.end, type=t.type, value=t.value) for t in kept(document.timex)],
        "events": [
            {"type": e.type, "trigger": _item(text, e.trigger.start, e.trigger.end)} for e in kept(document.events)
        ],
        "quotes": [
            {"kind": q.kind, "content": _item(text, q.content.start, q.content.end)} for q in kept(document.quotes)
        ],
    }
    size = len(json.dumps(record, ensure_ascii=False).encode("utf-8"))
    labels, timex_types, event_types, kinds = (
        sorted(names) for names in (ENTITY_TYPES, TIMEX_TYPES, EVENT_TYPES, QUOTE_KINDS)
    )
    while size < budget:
        first = rng.randrange(len(tokens))
        last = min(len(tokens) - 1, first + rng.randrange(4))
        start, end = tokens[first].start, tokens[last].end
        roll = rng.random()
        if roll < 0.85:
            layer, item = "entities", _item(text, start, end, type=rng.choice(labels), score=round(rng.random(), 3))
        elif roll < 0.93:
            layer, item = "timex", _item(text, start, end, type=rng.choice(timex_types), value="2025-11-24")
        elif roll < 0.98:
            layer, item = "events", {"type": rng.choice(event_types), "trigger": _item(text, start, end)}
        else:
            layer, item = "quotes", {"kind": rng.choice(kinds), "content": _item(text, start, end)}
        record[layer].append(item)
        size += len(json.dumps(item, ensure_ascii=False).encode("utf-8")) + 2
    n_spans = sum(len(record[layer]) for layer in ("entities", "timex", "events", "quotes"))
    return json.dumps(record, ensure_ascii=False) + "\n", n_spans


def write_predictions(corpus: Path, out: Path, megabytes: float, seed: int = 7) -> int:
    """Write the prediction file line by line; returns its number of spans."""
    documents = load_corpus(corpus)
    budget = int(megabytes * 1_000_000 / len(documents))
    rng = random.Random(seed)
    n_spans = 0
    with out.open("w", encoding="utf-8") as file:
        for document in documents:
            line, count = prediction_line(document, rng, budget)
            file.write(line)
            n_spans += count
    return n_spans


def reading_against_json(corpus: Path, predictions: Path) -> tuple[float, float]:
    """CPU seconds of khabar's reader on the file, and of plain `json.loads` of its lines."""
    gold = load_corpus(corpus)
    start = time.process_time()
    read = load_predictions(predictions, gold)
    reading = time.process_time() - start
    del read
    start = time.process_time()
    with predictions.open("rb") as file:
        for line in file:
            json.loads(line)
    return reading, time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=200.0, help="size of the prediction file (MB)")
    parser.add_argument("--documents", type=int, default=1000, help="documents in the synthetic corpus")
    parser.add_argument("--source", type=Path, default=Path("corpus"), help="corpus the documents are drawn from")
    parser.add_argument("--keep", type=Path, help="keep the corpus and the prediction file in this folder")
    args = parser.parse_args(argv)
    scale = _corpus_scale()
    root = args.keep or Path(tempfile.mkdtemp(prefix="khabar-large-"))
    corpus = root / "corpus"
    if not corpus.exists():
        scale.make_corpus(args.source, corpus, args.documents)
    predictions = root / "predictions.jsonl"
    n_spans = write_predictions(corpus, predictions, args.megabytes)
    size = predictions.stat().st_size
    small = root / "one-line.jsonl"
    small.write_text(predictions.open(encoding="utf-8").readline(), encoding="utf-8")
    khabar = [sys.executable, "-m", "khabar.cli", "evaluate"]
    options = ["--gold", str(corpus), "--bootstrap", "1000", "--format", "json"]
    warm_cpu, _, warm_wall = scale.run_measured([*khabar, str(small), *options, "--out", str(root / "warm.json")])
    cpu, peak, wall = scale.run_measured([*khabar, str(predictions), *options, "--out", str(root / "scores.json")])
    print(f"prediction file: {size / 1e6:,.1f} MB, {args.documents:,} lines, {n_spans:,} predicted spans")
    print(f"gold recorded as validated first (one-line file): {warm_cpu:.1f} s CPU, {warm_wall:.1f} s wall")
    print(f"khabar evaluate (1,000 resamples): {cpu:.1f} s CPU, {wall:.1f} s wall, peak {peak:,.0f} MiB")
    reading, plain = reading_against_json(corpus, predictions)
    print(
        f"reading alone (parse, check, build the documents): {reading:.1f} s CPU; "
        f"json.loads of every line: {plain:.1f} s ({reading / max(plain, 1e-9):.1f}×)"
    )
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
