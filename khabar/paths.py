"""Where a corpus folder keeps its files: `documents/<id>.txt` beside `annotations/<id>.json`."""

from __future__ import annotations

import os
from pathlib import Path


def annotation_paths(corpus: Path) -> list[Path]:
    """The annotation files of a corpus folder (or of a bare annotations folder)."""
    folder = corpus / "annotations" if (corpus / "annotations").is_dir() else corpus
    return sorted(folder.glob("*.json"))


def text_path_for(annotation_path: Path) -> Path:
    """The text of `…/<id>.json`: `<id>.txt` beside it, else the nearest `documents/<id>.txt`
    above it (so passes kept in `annotations/passes/<name>/` find the corpus texts)."""
    # With strings and `os.path`: a corpus load asks this for every file, and pathlib's joins
    # cost more than the look-ups themselves.
    path = str(annotation_path)
    root, _ = os.path.splitext(path)
    if os.path.exists(root + ".txt"):
        return Path(root + ".txt")
    name = f"{os.path.basename(root)}.txt"
    folder = os.path.dirname(path)
    while True:
        candidate = os.path.join(folder, "documents", name)
        if os.path.exists(candidate):
            return Path(candidate)
        parent = os.path.dirname(folder)
        if parent == folder:
            return annotation_path.parent.parent / "documents" / name
        folder = parent
