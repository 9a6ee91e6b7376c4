"""Reading and writing a corpus folder: `documents/<id>.txt` + `annotations/<id>.json`.

Every read is validated (see `khabar.validate`); a bad file raises `ValidationError`
or `InputError` naming the file, never a traceback from deep inside.
"""

from __future__ import annotations

import json
from pathlib import Path

from khabar.document import Document
from khabar.files import write_files
from khabar.paths import annotation_paths
from khabar.validate import check_file, check_files, problems_error


def load_document(annotation_path: Path, text_path: Path | None = None) -> Document:
    """Load and validate one annotation file with its text."""
    return check_file(annotation_path, text_path)


def load_corpus(corpus: Path) -> list[Document]:
    """Load and validate every document of a corpus folder, sorted by id.

    A file found valid before, byte for byte under the same checking code, is not checked
    again (`khabar.validcache`): the corpus is validated once per version, not per command."""
    documents, problems = check_files(annotation_paths(corpus), cached=True)
    if problems:
        raise problems_error(problems)
    return sorted(documents, key=lambda document: document.id)


def document_files(document: Document, corpus: Path) -> dict[Path, str]:
    """The files of `document` under `corpus`: its annotation, and its text when missing
    (an existing text is never rewritten)."""
    files = {corpus / "annotations" / f"{document.id}.json": dumps_annotation(document)}
    text_path = corpus / "documents" / f"{document.id}.txt"
    if not text_path.exists():
        files[text_path] = document.text
    return files


def save_documents(documents: list[Document], corpus: Path) -> list[Path]:
    """Write the annotations (and missing texts) of `documents` under `corpus`, all or nothing."""
    files: dict[Path, str] = {}
    for document in documents:
        files.update(document_files(document, corpus))
    write_files(files)
    return [corpus / "annotations" / f"{document.id}.json" for document in documents]


def save_document(document: Document, corpus: Path) -> Path:
    """Write the annotation (and the text when missing) of `document` under `corpus`."""
    return save_documents([document], corpus)[0]


def dumps_annotation(document: Document) -> str:
    return json.dumps(document.to_json(), ensure_ascii=False, indent=2) + "\n"
