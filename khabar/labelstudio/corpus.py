"""The documents to push: every text of a corpus folder, with its annotation when it has one.

A text without an annotation file (a new document to annotate) becomes a document with
empty layers; an annotation file is loaded and validated as usual.
"""

from __future__ import annotations

from pathlib import Path

from khabar.document import Document
from khabar.errors import InputError
from khabar.store import load_document


def corpus_documents(corpus: Path) -> list[Document]:
    documents_dir = corpus / "documents"
    if not documents_dir.is_dir():
        raise InputError("no documents/ folder", where=str(corpus))
    documents = []
    for text_path in sorted(documents_dir.glob("*.txt")):
        annotation_path = corpus / "annotations" / f"{text_path.stem}.json"
        if annotation_path.exists():
            documents.append(load_document(annotation_path, text_path))
            continue
        raw = text_path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(f"not UTF-8: invalid byte at offset {error.start}", where=str(text_path)) from None
        documents.append(Document(id=text_path.stem, text=text))
    return documents


def without_annotations(document: Document, *, header_only: bool = False) -> Document:
    """The text and header only: what a baseline is given to predict from.

    `header_only` also leaves out the further metadata (annotators, guidelines version):
    what a blind pass may see is the text and the facts about it (DCT, source)."""
    return Document(
        id=document.id,
        text=document.text,
        dct=document.dct,
        source=document.source,
        language=document.language,
        metadata={} if header_only else document.metadata,
    )
