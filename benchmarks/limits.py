"""Memory implied by `--bootstrap`, and the cost of the write path and of strict reading.

Prints, all measured in this run on the published corpus (gold scored against itself):

1. the peak resident memory of `khabar evaluate --bootstrap N` for several N (each a fresh
   process), and the growth per 1,000 resamples — the figure the README's limits table
   states for `--bootstrap`;
2. strict JSON reading (`khabar.strictjson.loads`) against plain `json.loads` on the
   corpus annotations repeated, and the ratio;
3. writing 200 files of 4 KiB one by one through the write path (staged, fsync'd,
   renamed) against a plain `Path.write_bytes`, and as one all-or-nothing set.

Usage: `python benchmarks/limits.py [--sizes 0,10000,100000]`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from khabar.files import write_file, write_files
from khabar.strictjson import loads

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PEAK = (
    "import resource, sys; from khabar.cli import main; code = main(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)"
)


def peak_kib(bootstrap: int, predictions: Path) -> int:
    argv = ["evaluate", str(predictions), "--gold", str(CORPUS), "--bootstrap", str(bootstrap), "--format", "json"]
    done = subprocess.run([sys.executable, "-c", PEAK, *argv], capture_output=True, text=True, check=True)
    return int(done.stderr.strip().splitlines()[-1])


def best_of(repeats: int, work) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,10000,100000", help="bootstrap sizes to measure")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        predictions = Path(folder) / "gold.jsonl"
        subprocess.run(
            [sys.executable, "-m", "khabar.cli", "predict", "--baseline", "rules", "--out", str(predictions)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        print("1. peak memory of `khabar evaluate` (rules predictions on the published corpus)")
        peaks = {size: peak_kib(size, predictions) for size in sizes}
        for size, peak in peaks.items():
            print(f"   --bootstrap {size:>7,}: {peak / 1024:8.1f} MiB")
        low, high = sizes[0], sizes[-1]
        per_thousand = (peaks[high] - peaks[low]) / ((high - low) / 1000) / 1024
        print(f"   growth: {per_thousand:.2f} MiB per 1,000 resamples")

        raw = b"[" + b",".join(path.read_bytes() for path in sorted((CORPUS / "annotations").glob("*.json"))) + b"]"
        raw = b"[" + b",".join([raw] * 50) + b"]"
        plain = best_of(5, lambda: json.loads(raw))
        strict = best_of(5, lambda: loads(raw, where="bench"))
        print(f"2. reading {len(raw) / 1e6:.1f} MB of annotations: json.loads {plain * 1000:.1f} ms, ")
        print(f"   strict {strict * 1000:.1f} ms, ratio {strict / plain:.2f}")

        target = Path(folder) / "files"
        target.mkdir()
        data = b"x" * 4096
        paths = [target / f"f{index}.bin" for index in range(200)]
        naive = best_of(3, lambda: [path.write_bytes(data) for path in paths])
        one_by_one = best_of(3, lambda: [write_file(path, data) for path in paths])
        as_set = best_of(3, lambda: write_files(dict.fromkeys(paths, data)))
        print(f"3. 200 files of 4 KiB: write_bytes {naive * 1000:.1f} ms, write path one by one ")
        print(f"   {one_by_one * 1000:.1f} ms ({one_by_one / naive:.1f}x), as one set {as_set * 1000:.1f} ms")
        print(f"   ({as_set / naive:.1f}x; the price of fsync and of undo)")


if __name__ == "__main__":
    main()
