"""Reading and writing a corpus folder: `documents/<id>.txt` + `annotations/<id>.json`.

Every read is validated (see `khabar.validate`); a bad file raises `ValidationError`
or `InputError` naming the file, never a traceback from deep inside.
"""

from __future__ import annotations

import json
from pathlib import Path

from khabar.document import Document
from khabar.errors import ValidationError
from khabar.paths import annotation_paths
from khabar.validate import check_file, check_files


def load_document(annotation_path: Path, text_path: Path | None = None) -> Document:
    """Load and validate one annotation file with its text."""
    return check_file(annotation_path, text_path)


def load_corpus(corpus: Path) -> list[Document]:
    """Load and validate every document of a corpus folder, sorted by id."""
    documents, problems = check_files(annotation_paths(corpus))
    if problems:
        raise ValidationError(problems)
    return sorted(documents, key=lambda document: document.id)


def save_document(document: Document, corpus: Path) -> Path:
    """Write the annotation (and the text when missing) of `document` under `corpus`."""
    (corpus / "annotations").mkdir(parents=True, exist_ok=True)
    (corpus / "documents").mkdir(parents=True, exist_ok=True)
    text_path = corpus / "documents" / f"{document.id}.txt"
    if not text_path.exists():
        text_path.write_bytes(document.text.encode("utf-8"))
    path = corpus / "annotations" / f"{document.id}.json"
    path.write_text(dumps_annotation(document), encoding="utf-8")
    return path


def dumps_annotation(document: Document) -> str:
    return json.dumps(document.to_json(), ensure_ascii=False, indent=2) + "\n"
