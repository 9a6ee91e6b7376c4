"""`khabar agree`: inter-annotator agreement between two annotation folders."""

from __future__ import annotations

from pathlib import Path

from khabar.eval.agreement import Agreement, agreement, common_documents
from khabar.runs.scoring import load_gold


def agree_folders(
    folder_a: Path, folder_b: Path, *, layers: list[str], bootstrap: int, seed: int
) -> tuple[Agreement, list[str]]:
    """Agreement between the annotations of the documents two folders share, and a note per
    document annotated on one side only."""
    docs_a = load_gold(folder_a)
    docs_b = load_gold(folder_b)
    docs_a, docs_b, notes = common_documents(docs_a, docs_b, str(folder_a), str(folder_b))
    return agreement(docs_a, docs_b, layers=layers, bootstrap=bootstrap, seed=seed), notes
