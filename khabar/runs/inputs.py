"""Predictions from a file in any supported format: khabar's JSONL or a registered reader.

`load_any(path, gold, input_format=None, …)` resolves the format (`--input-format`, else
the extension, see `khabar.formats.readers.format_for`) and returns `Predictions` — the
predicted documents, the layers the input predicts, the spans a reader could not align,
and the reader's notes — so that evaluate, compare, report and convert read every format
the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from khabar.document import Document
from khabar.eval.predictions import Predictions, load_predictions, prediction_record
from khabar.files import write_file
from khabar.formats.readers import JSONL, format_for, read_file
from khabar.formats.reading import ReadOptions


@dataclass(frozen=True)
class LoadedPredictions:
    predictions: Predictions
    input_format: str
    notes: tuple[str, ...] = ()


def load_any(
    path: Path,
    gold: list[Document],
    *,
    input_format: str | None = None,
    tagset: str = "khabar",
    normalize: bool = False,
) -> LoadedPredictions:
    name = format_for(path, input_format)
    if name == JSONL:
        return LoadedPredictions(load_predictions(path, gold, tagset=tagset), name)
    result = read_file(path, gold, name, ReadOptions(tagset=tagset, normalize=normalize))
    predictions = Predictions(
        list(result.documents),
        "document",
        layers=result.layers,
        unaligned=result.unaligned,
        valueless_timex=result.valueless_timex,
    )
    return LoadedPredictions(predictions, name, result.notes)


def converted_lines(loaded: LoadedPredictions) -> str:
    """The aligned JSONL of loaded predictions: one line per document, predicted layers only."""
    predictions = loaded.predictions
    records = [
        prediction_record(document, predictions.layers, predictions.unaligned) for document in predictions.documents
    ]
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def convert_file(
    path: Path, out: Path, gold: list[Document], *, input_format: str | None, tagset: str, normalize: bool
) -> LoadedPredictions:
    """`khabar convert`: read `path` in any supported format against `gold` and write its aligned JSONL to `out`."""
    loaded = load_any(path, gold, input_format=input_format, tagset=tagset, normalize=normalize)
    write_file(out, converted_lines(loaded))
    return loaded
