"""`khabar perturb`: write an orthographic variant of a corpus, whole or not at all."""

from __future__ import annotations

from pathlib import Path

from khabar.document import Document
from khabar.errors import InputError
from khabar.perturb import perturb_corpus
from khabar.store import load_corpus, save_documents


def write_variant(corpus: Path, out: Path, name: str, seed: int) -> tuple[list[Document], list[Document]]:
    """Write the `name` variant of `corpus` to the new or empty folder `out`; returns
    (gold, variant) documents."""
    if not corpus.is_dir():
        raise InputError(f"no such corpus folder: {corpus}")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"{out} already exists and is not an empty folder")
    documents = load_corpus(corpus)
    perturbed = perturb_corpus(documents, name, seed)
    save_documents(perturbed, out)  # all or nothing
    return documents, perturbed
