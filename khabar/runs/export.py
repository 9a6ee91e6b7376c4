"""`khabar export conll`: the validated corpus's token view as CoNLL columns."""

from __future__ import annotations

from pathlib import Path

from khabar.errors import InputError, ValidationError
from khabar.files import write_file
from khabar.formats.conll import dumps_conll
from khabar.runs.build import collision_problems, document_collisions, load_annotated_corpus
from khabar.views import token_view


def export_conll(corpus: Path, *, allow_collisions: bool = False) -> tuple[str, int, int]:
    """The CoNLL text of `corpus`, with its numbers of documents and sentences."""
    documents, paths = load_annotated_corpus(corpus)
    collisions = [row for document in documents for row in document_collisions(document)]
    if collisions and not allow_collisions:
        raise ValidationError(collision_problems(collisions, {path.stem: str(path) for path in paths}))
    views = [token_view(document)[0] for document in documents]
    return dumps_conll(views), len(documents), sum(len(document_views) for document_views in views)


def write_export(text: str, out: Path) -> None:
    if not out.parent.is_dir():
        raise InputError(f"no such folder: {out.parent}", hint="create it first")
    write_file(out, text)
