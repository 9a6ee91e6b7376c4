"""Where an annotation file's text is found: the string look-up decides as the pathlib one it replaced."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from khabar.paths import text_path_for


def earlier_text_path_for(annotation_path: Path) -> Path:
    """The look-up as first written with pathlib, kept as the reference."""
    beside = annotation_path.with_suffix(".txt")
    if beside.exists():
        return beside
    name = f"{annotation_path.stem}.txt"
    for folder in annotation_path.parents:
        if (folder / "documents" / name).exists():
            return folder / "documents" / name
    return annotation_path.parent.parent / "documents" / name


LAYOUTS = {
    "corpus": ["corpus/documents/doc-0001.txt"],
    "beside": ["corpus/annotations/doc-0001.txt", "corpus/documents/doc-0001.txt"],
    "pass": ["corpus/documents/doc-0001.txt", "corpus/annotations/passes/ann/documents/other.txt"],
    "nearest": ["corpus/documents/doc-0001.txt", "corpus/annotations/passes/documents/doc-0001.txt"],
    "none": ["corpus/documents/other.txt"],
    "folder named like a text": ["corpus/documents/doc-0001.txt/"],
}
ANNOTATIONS = [
    "corpus/annotations/doc-0001.json",
    "corpus/annotations/passes/ann/doc-0001.json",
    "corpus/annotations/passes/doc-0001.json",
    "doc-0001.json",
    "corpus/annotations/doc-0001.v2.json",
]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("relative", [True, False])
def test_the_text_is_found_where_it_was_found_before(tmp_path, monkeypatch, layout, relative):
    for entry in LAYOUTS[layout]:
        target = tmp_path / entry
        if entry.endswith("/"):
            target.mkdir(parents=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("نص", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for annotation in ANNOTATIONS:
        path = Path(annotation) if relative else tmp_path / annotation
        found = text_path_for(path)
        assert found == earlier_text_path_for(path)
        assert str(found) == str(earlier_text_path_for(path)) and os.path.isabs(found) != relative
