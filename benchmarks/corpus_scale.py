"""How every command grows with the corpus: CPU time, peak memory and time per 1,000 tokens.

Builds synthetic corpora of 1, 10, 100 and 1,000 documents from the published corpus: each
document is the paragraphs of a published document in a seeded random order, with its gold
annotation moved along, so every text is distinct (nothing is cached by accident) while the
annotation density stays that of the gold. On each corpus it runs, as a user would, each in
its own process: `validate`, `build`, `predict rules`, `predict crf`, `evaluate` (1,000
resamples), `compare` (rules vs crf; rules vs rules when crf is not run), `report` (one page)
and `report-folder` (a summary page and a page per document), and
prints a growth table: CPU seconds (user + system, the command and the worker processes it
waited for), peak resident memory (MiB, the largest single process) and CPU milliseconds per
1,000 tokens. The CRF also gets its wall time (it trains folds in parallel).

In the same run, on the largest corpus scored, it measures the scoring kernel on the very
tags `evaluate` scores (`khabar.eval.score_tags` per layer, 1,000 resamples, strict IOB2) and
seqeval's `classification_report` on them, and prints the ratio of end-to-end `evaluate` to
each: `evaluate` and the kernel `--repeat` times each (default 5), in turn, the ratio the
median of the ratios of the runs made side by side (the machine's speed drifts from minute
to minute), beside the medians of each; the `evaluate` of the growth table (the first, which
may record the gold's rows) is not among them.
The kernel and seqeval are timed with the objects this script holds (the corpus, the
predictions, millions of tag strings) frozen out of the garbage collector's view
(`gc.freeze`), as `khabar evaluate` freezes what it has read: unfrozen, every other kernel run
also paid for a full collection walking them (about half a second at 1,000 documents), which
is not the kernel's work.

The commands run as an installed package runs them: with their modules compiled to bytecode
once (into `<work>/bytecode`, whatever `PYTHONDONTWRITEBYTECODE` says), by one unmeasured run
of each command on a one-document corpus first. Without it, every run would compile every
module of khabar and its dependencies again (about a quarter of a second).

Usage: `python benchmarks/corpus_scale.py [--sizes 1,10,100,1000] [--commands validate,build,...]
[--source corpus] [--keep DIR] [--repeat 5]`. Commands that score the rules baseline's predictions run
`predict rules` first, unmeasured, when it is not among the commands measured. Not part of
the test suite (a smoke test runs it on one or two documents).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

COMMANDS = ("validate", "build", "predict-rules", "predict-crf", "evaluate", "compare", "report", "report-folder")
SCORING_COMMANDS = {"evaluate", "compare", "report", "report-folder"}
BOOTSTRAP = 1000


def paragraph_blocks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`(start, end)` of the text's non-blank lines, merged where an annotated span crosses a line break."""
    blocks: list[list[int]] = []
    position = 0
    for line in text.split("\n"):
        if line.strip():
            blocks.append([position, position + len(line)])
        position += len(line) + 1
    merged: list[list[int]] = []
    for block in blocks:
        crossing = merged and any(s < merged[-1][1] < e and block[0] < e for s, e in spans)
        if crossing:
            merged[-1][1] = block[1]
        else:
            merged.append(block)
    return [(start, end) for start, end in merged]


def _span_dicts(value: Any):
    """Every `{start, end, ...}` object inside an annotation value."""
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
            yield value
        for item in value.values():
            yield from _span_dicts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _span_dicts(item)


def shuffled_document(annotation: dict, text: str, doc_id: str, rng: random.Random) -> tuple[dict, str]:
    """The document's paragraphs in a random order, every span moved with its paragraph."""
    layers = ("entities", "timex", "events", "quotes")
    spans = [(span["start"], span["end"]) for layer in layers for span in _span_dicts(annotation.get(layer, []))]
    blocks = paragraph_blocks(text, spans)
    order = list(range(len(blocks)))
    rng.shuffle(order)
    new_start: dict[int, int] = {}
    pieces, position = [], 0
    for index in order:
        start, end = blocks[index]
        new_start[index] = position
        pieces.append(text[start:end])
        position += end - start + 1
    new_text = "\n".join(pieces) + "\n"
    moved = json.loads(json.dumps(annotation))
    for layer in layers:
        for span in _span_dicts(moved.get(layer, [])):
            block = next(i for i, (start, end) in enumerate(blocks) if start <= span["start"] < end)
            shift = new_start[block] - blocks[block][0]
            span["start"] += shift
            span["end"] += shift
    moved["id"] = doc_id
    moved["text_sha256"] = hashlib.sha256(new_text.encode("utf-8")).hexdigest()
    return moved, new_text


def make_corpus(source: Path, folder: Path, n_documents: int, seed: int = 7) -> int:
    """Write a synthetic corpus of `n_documents` under `folder`; returns its token count."""
    from khabar.tokenize import tokenize

    sources = []
    for path in sorted((source / "annotations").glob("*.json")):
        annotation = json.loads(path.read_text(encoding="utf-8"))
        text = (source / "documents" / f"{path.stem}.txt").read_text(encoding="utf-8")
        sources.append((annotation, text))
    (folder / "annotations").mkdir(parents=True)
    (folder / "documents").mkdir()
    rng = random.Random(seed)
    tokens = 0
    for number in range(1, n_documents + 1):
        annotation, text = sources[(number - 1) % len(sources)]
        doc_id = f"doc-{number:05d}"
        moved, new_text = shuffled_document(annotation, text, doc_id, rng)
        (folder / "documents" / f"{doc_id}.txt").write_bytes(new_text.encode("utf-8"))
        (folder / "annotations" / f"{doc_id}.json").write_text(
            json.dumps(moved, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        tokens += len(tokenize(new_text))
    return tokens


def command_line(command: str, corpus: Path, work: Path) -> list[str]:
    khabar = [sys.executable, "-m", "khabar.cli"]
    rules, crf = str(work / "rules.jsonl"), str(work / "crf.jsonl")
    other = crf if (work / "crf.jsonl").exists() else rules  # compare rules with itself when crf is not run
    return {
        "validate": [*khabar, "validate", str(corpus)],
        "build": [*khabar, "build", "--corpus", str(corpus), "--out", str(work / "built")],
        "predict-rules": [*khabar, "predict", "--baseline", "rules", "--corpus", str(corpus), "--out", rules],
        "predict-crf": [*khabar, "predict", "--baseline", "crf", "--corpus", str(corpus), "--out", crf],
        "evaluate": [*khabar, "evaluate", rules, "--gold", str(corpus), "--bootstrap", str(BOOTSTRAP), "--format",
                     "json", "--out", str(work / "evaluate.json")],
        "compare": [*khabar, "compare", rules, other, "--gold", str(corpus), "--out", str(work / "compare.txt")],
        "report": [*khabar, "report", rules, "--gold", str(corpus), "--out", str(work / "report.html")],
        "report-folder": [*khabar, "report", rules, "--gold", str(corpus), "--out", str(work / "report")],
    }[command]  # fmt: skip


def command_environment(bytecode: Path) -> dict[str, str]:
    """The environment of the commands: this one, with bytecode kept under `bytecode`."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = str(bytecode)
    return environment


def run_measured(argv: list[str], environment: dict[str, str] | None = None) -> tuple[float, float, float]:
    """CPU seconds (the process and the children it waited for), peak RSS in MiB, wall seconds."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[2:])} exited {process.returncode}: {stderr.strip()[-500:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, wall


def cpu_seconds(argv: list[str], environment: dict[str, str] | None = None) -> float:
    """The CPU seconds of one run of `argv` (`run_measured`)."""
    return run_measured(argv, environment)[0]


def kernel_ratio(corpus: Path, rules: Path, run_evaluate: Callable[[], float], repeat: int) -> list[str]:
    """End-to-end evaluate against the kernel and seqeval on the same tags (all four layers).

    CPU time on a shared or virtual machine swings by a fifth from run to run, and its speed
    drifts from minute to minute: `evaluate` (`run_evaluate` runs it in its own process and
    gives its CPU seconds) and the kernel are timed in turn, `repeat` pairs, each pair's ratio
    taken from runs made side by side; the ratio printed is the median of the pairs', with
    their range, beside the medians of each."""
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    from khabar.eval import score_tags
    from khabar.eval.predictions import read_predictions
    from khabar.inventories import LAYERS
    from khabar.store import load_corpus
    from khabar.views import token_view

    gold_docs = load_corpus(corpus)
    pred_docs = read_predictions(rules, gold_docs)
    by_id = {document.id: document for document in pred_docs}
    gold_tags: dict[str, list[list[str]]] = {layer: [] for layer in LAYERS}
    pred_tags: dict[str, list[list[str]]] = {layer: [] for layer in LAYERS}
    units: list[int] = []
    for index, gold in enumerate(gold_docs):
        gold_view, _ = token_view(gold, LAYERS)
        pred_view, _ = token_view(by_id[gold.id], LAYERS)
        for gold_sentence, pred_sentence in zip(gold_view, pred_view, strict=True):
            units.append(index)
            for layer in LAYERS:
                gold_tags[layer].append(gold_sentence.tags[layer])
                pred_tags[layer].append(pred_sentence.tags[layer])
    evaluate_cpus: list[float] = []
    kernels: list[float] = []
    gc.collect()
    gc.freeze()  # see the module's docstring: collections never walk this script's own objects
    try:
        for _ in range(repeat):
            evaluate_cpus.append(run_evaluate())
            start = time.process_time()
            for layer in LAYERS:
                score_tags(gold_tags[layer], pred_tags[layer], scheme="IOB2", bootstrap=BOOTSTRAP, units=units)
            kernels.append(time.process_time() - start)
        start = time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for layer in LAYERS:
                classification_report(gold_tags[layer], pred_tags[layer], mode="strict", scheme=IOB2, output_dict=True)
        seqeval = time.process_time() - start
    finally:
        gc.unfreeze()
    n_tokens = sum(map(len, gold_tags["entities"]))
    evaluate_cpu, kernel = statistics.median(evaluate_cpus), statistics.median(kernels)
    ratios = [evaluate / kernel for evaluate, kernel in zip(evaluate_cpus, kernels, strict=True)]
    runs = f"median of {len(evaluate_cpus)}" if len(evaluate_cpus) > 1 else "one run"
    paired = (
        f"the median of {len(ratios)} pairs of runs side by side{_range(ratios)}" if len(ratios) > 1 else "one pair"
    )
    return [
        f"on {len(gold_docs):,} documents ({n_tokens:,} tokens, 4 layers, the tags `evaluate` scores):",
        f"  end-to-end `khabar evaluate` ({BOOTSTRAP:,} resamples): {evaluate_cpu:.2f} s CPU "
        f"({runs}{_range(evaluate_cpus)})",
        f"  scoring kernel (score_tags, strict IOB2, {BOOTSTRAP:,} resamples, this script's objects frozen): "
        f"{kernel:.2f} s "
        f"({runs}{_range(kernels)}) → ratio {statistics.median(ratios):.2f}× ({paired})",
        f"  seqeval classification_report (strict IOB2, one pass, no resamples): {seqeval:.2f} s → ratio "
        f"{evaluate_cpu / seqeval:.1f}×",
    ]


def _range(values: list[float]) -> str:
    return f", {min(values):.2f}–{max(values):.2f}" if len(values) > 1 else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,1000", help="comma-separated document counts")
    parser.add_argument("--commands", default=",".join(COMMANDS), help=f"comma-separated, of {','.join(COMMANDS)}")
    parser.add_argument("--source", type=Path, default=Path("corpus"), help="corpus the documents are drawn from")
    parser.add_argument("--keep", type=Path, help="keep the synthetic corpora and outputs in this folder")
    parser.add_argument("--no-kernel", action="store_true", help="skip the kernel and seqeval ratio")
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="pairs of `evaluate` and kernel runs side by side, for their ratio (median of the pairs)",
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    commands = [command for command in args.commands.split(",") if command]
    unknown = sorted(set(commands) - set(COMMANDS))
    if unknown:
        parser.error(f"unknown command {unknown[0]!r}; expected some of {', '.join(COMMANDS)}")
    # The scoring commands score the rules baseline's predictions: made first, unmeasured.
    setup = ["predict-rules"] if SCORING_COMMANDS & set(commands) and "predict-rules" not in commands else []

    root = args.keep or Path(tempfile.mkdtemp(prefix="khabar-scale-"))
    environment = command_environment(root / "bytecode")
    warm = root / "warm-up"
    make_corpus(args.source, warm / "corpus", 1)
    for command in [*setup, *commands]:  # compiles every module the commands import
        run_measured(command_line(command, warm / "corpus", warm), environment)
    results: dict[tuple[str, int], tuple[float, float, float]] = {}
    tokens: dict[int, int] = {}
    ratio_lines: list[str] = []
    for size in sizes:
        work = root / f"n{size}"
        corpus = work / "corpus"
        tokens[size] = make_corpus(args.source, corpus, size)
        print(f"{size:,} document(s): {tokens[size]:,} tokens", file=sys.stderr, flush=True)
        for command in setup:
            run_measured(command_line(command, corpus, work), environment)
        for command in commands:
            results[(command, size)] = run_measured(command_line(command, corpus, work), environment)
            cpu, peak, wall = results[(command, size)]
            print(f"  {command}: {cpu:.1f} s CPU, {wall:.1f} s wall, {peak:.0f} MiB", file=sys.stderr, flush=True)
        if "evaluate" in commands and not args.no_kernel and size == sizes[-1]:
            evaluate = partial(cpu_seconds, command_line("evaluate", corpus, work), environment)
            ratio_lines = kernel_ratio(corpus, work / "rules.jsonl", evaluate, args.repeat)

    print(
        f"CPU seconds (peak MiB) by corpus size; CPU ms per 1,000 tokens; evaluate with {BOOTSTRAP:,} resamples; "
        "modules compiled to bytecode beforehand"
    )
    print()
    header = "| command | " + " | ".join(f"{size:,} docs" for size in sizes) + " | ms / 1k tokens |"
    print(header)
    print("| --- " * (len(sizes) + 2) + "|")
    for command in commands:
        cells = []
        for size in sizes:
            cpu, peak, wall = results[(command, size)]
            cell = f"{cpu:.1f} ({peak:.0f})"
            if command == "predict-crf":
                cell += f" {wall:.0f} s wall"
            cells.append(cell)
        per_token = " / ".join(f"{1e6 * results[(command, size)][0] / tokens[size]:.0f}" for size in sizes)
        print(f"| {command} | " + " | ".join(cells) + f" | {per_token} |")
    print()
    print("tokens: " + ", ".join(f"{size:,} docs = {tokens[size]:,}" for size in sizes))
    for line in ratio_lines:
        print(line)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
