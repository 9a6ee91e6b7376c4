"""`khabar perturb`: write an orthographic variant of a corpus, whole or not at all."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from khabar.document import Document
from khabar.errors import InputError
from khabar.files import cannot_write
from khabar.perturb import perturb_corpus
from khabar.store import load_corpus, save_document


def write_variant(corpus: Path, out: Path, name: str, seed: int) -> tuple[list[Document], list[Document]]:
    """Write the `name` variant of `corpus` to the new or empty folder `out`; returns
    (gold, variant) documents."""
    if not corpus.is_dir():
        raise InputError(f"no such corpus folder: {corpus}")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"{out} already exists and is not an empty folder")
    documents = load_corpus(corpus)
    perturbed = perturb_corpus(documents, name, seed)
    # Write beside the target, then rename: a failure leaves no partial corpus behind.
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".perturb-", dir=out.parent))
    except OSError as error:
        raise cannot_write(error, out) from None
    try:
        for document in perturbed:
            save_document(document, staging)
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):
            raise cannot_write(error, out) from None
        raise
    return documents, perturbed
