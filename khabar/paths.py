"""Where a corpus folder keeps its files: `documents/<id>.txt` beside `annotations/<id>.json`."""

from __future__ import annotations

from pathlib import Path


def annotation_paths(corpus: Path) -> list[Path]:
    """The annotation files of a corpus folder (or of a bare annotations folder)."""
    folder = corpus / "annotations" if (corpus / "annotations").is_dir() else corpus
    return sorted(folder.glob("*.json"))


def text_path_for(annotation_path: Path) -> Path:
    """The text of `…/<id>.json`: `<id>.txt` beside it, else the nearest `documents/<id>.txt`
    above it (so passes kept in `annotations/passes/<name>/` find the corpus texts)."""
    beside = annotation_path.with_suffix(".txt")
    if beside.exists():
        return beside
    name = f"{annotation_path.stem}.txt"
    for folder in annotation_path.parents:
        if (folder / "documents" / name).exists():
            return folder / "documents" / name
    return annotation_path.parent.parent / "documents" / name
