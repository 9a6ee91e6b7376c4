"""Build the Hugging Face dataset of a corpus: two parquet files and the dataset card.

`assemble` turns validated documents into rows, statistics and collisions (pure);
`write_dataset` writes them; `build_corpus` does both for a corpus folder. Output is
deterministic — documents sorted by id, sentences in text order, fixed parquet settings,
no timestamps — so building twice gives identical bytes. Nothing is written unless the
whole build succeeds: every file goes to a temporary folder first and is then moved into
place.

Decision (collisions): gold in which two outermost spans of one layer touch the same token
cannot be represented by the flat tag columns. The build refuses it and lists every
collision as a problem (exit 1), unless `allow_collisions` is set, in which case the card
lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Dataset, Features

from khabar.card_sources import CardSources, read_card_sources
from khabar.document import Document
from khabar.errors import InputError, Problem, ValidationError
from khabar.files import clean_stale_staging, write_files
from khabar.formats.card import DATA_FILES, CollisionRow, SplitSize, render_card
from khabar.formats.hf import DOCUMENT_FEATURES, SENTENCE_FEATURES, document_to_row, sentence_rows
from khabar.guard import allow_gold_writes
from khabar.inventories import LAYERS
from khabar.paths import annotation_paths
from khabar.stats import CorpusStatistics, corpus_statistics
from khabar.store import load_corpus
from khabar.views import token_view

CARD_NAME = "README.md"
# Fixed writer settings: the same rows always give the same bytes with a given pyarrow.
PARQUET_SETTINGS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    "row_group_size": 100_000,
    "store_schema": True,
}
_SPAN_POINTERS = {"entities": "", "timex": "", "events": "/trigger", "quotes": "/content"}


@dataclass(frozen=True)
class AssembledDataset:
    """Everything a build writes, computed before anything is written."""

    documents: list[Document]
    document_rows: list[dict[str, Any]]
    sentence_rows: list[dict[str, Any]]
    collisions: list[CollisionRow]
    statistics: CorpusStatistics
    unannotated: tuple[str, ...] = ()


def document_collisions(document: Document) -> list[CollisionRow]:
    """Every collision of a document's token view, with its layer."""
    rows = []
    for layer in LAYERS:
        index_of = {item.id: index for index, item in enumerate(getattr(document, layer))}
        _, collisions = token_view(document, (layer,))
        rows += [
            CollisionRow(
                document.id,
                layer,
                c.span.id,
                c.span.label,
                c.kept_by.id,
                c.kept_by.label,
                pointer=f"/{layer}/{index_of[c.span.id]}{_SPAN_POINTERS[layer]}",
            )
            for c in collisions
        ]
    return rows


def assemble(documents: list[Document], unannotated: tuple[str, ...] = ()) -> AssembledDataset:
    """Rows of both configs, statistics and collisions of `documents` (sorted by id here).

    `unannotated` names texts of the corpus that have no annotation file yet: they are not
    in the dataset, and the card says so rather than dropping them silently.
    """
    ordered = sorted(documents, key=lambda document: document.id)
    ids = [document.id for document in ordered]
    if len(set(ids)) != len(ids):
        duplicate = next(identifier for identifier in ids if ids.count(identifier) > 1)
        raise InputError(f"document id {duplicate!r} occurs more than once")
    sentences: list[dict[str, Any]] = []
    collisions: list[CollisionRow] = []
    for document in ordered:
        rows, found = sentence_rows(document)
        sentences += rows
        if found:
            collisions += document_collisions(document)
    return AssembledDataset(
        documents=ordered,
        document_rows=[document_to_row(document) for document in ordered],
        sentence_rows=sentences,
        collisions=collisions,
        statistics=corpus_statistics(ordered, sentences),
        unannotated=tuple(sorted(unannotated)),
    )


def collision_problems(collisions: list[CollisionRow], where: dict[str, str]) -> list[Problem]:
    """One problem per collision, located at the annotation file and the span's id."""
    return [
        Problem(
            where=where.get(c.doc_id, c.doc_id),
            pointer=c.pointer,
            message=(
                f"{c.label} span {c.span_id} shares a token with {c.kept_label} span {c.kept_id}: "
                f"the flat tag column cannot hold both (fix the spans, or build with --allow-collisions)"
            ),
            code="collision",
        )
        for c in collisions
    ]


def arrow_table(rows: list[dict[str, Any]], features: Features) -> pa.Table:
    """The Arrow table of `rows` typed by `features` (feature metadata kept in the schema)."""
    return Dataset.from_list(rows, features=features).data.table.combine_chunks()


def parquet_bytes(table: pa.Table) -> bytes:
    """The parquet file of `table` at the fixed writer settings."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, **PARQUET_SETTINGS)
    return sink.getvalue().to_pybytes()


def write_dataset(
    assembled: AssembledDataset,
    out_dir: Path,
    *,
    sources: CardSources | None = None,
) -> list[Path]:
    """Write both parquet files and the card under `out_dir`; all or nothing."""
    tables = {
        "documents": arrow_table(assembled.document_rows, DOCUMENT_FEATURES),
        "sentences": arrow_table(assembled.sentence_rows, SENTENCE_FEATURES),
    }
    sizes = {config: SplitSize(table.num_rows, table.nbytes) for config, table in tables.items()}
    card = render_card(
        assembled.statistics,
        sizes,
        collisions=assembled.collisions,
        documents=assembled.documents,
        sentence_rows=assembled.sentence_rows,
        sources=sources or CardSources(),
        unannotated=assembled.unannotated,
    )
    files: dict[Path, bytes | str] = {out_dir / DATA_FILES[c]: parquet_bytes(table) for c, table in tables.items()}
    files[out_dir / CARD_NAME] = card
    # Staging left in the output folder by a build of the first release that was killed.
    clean_stale_staging(out_dir)
    return write_files(files)


def load_annotated_corpus(corpus: Path) -> tuple[list[Document], list[Path]]:
    """The validated documents of a corpus folder and its annotation files; a missing folder
    or one without annotations is an input error."""
    if not corpus.is_dir():
        raise InputError(f"no such corpus folder: {corpus}")
    paths = annotation_paths(corpus)
    if not paths:
        raise InputError(f"{corpus}: no annotation files (expected annotations/<id>.json)")
    return load_corpus(corpus), paths


def build_corpus(
    corpus: Path,
    out_dir: Path | None = None,
    *,
    allow_collisions: bool = False,
    repository: Path | None = None,
) -> tuple[AssembledDataset, list[Path]]:
    """Validate the corpus folder's annotations and write its dataset (default: into it)."""
    documents, paths = load_annotated_corpus(corpus)
    texts = {path.stem for path in (corpus / "documents").glob("*.txt")}
    assembled = assemble(documents, tuple(texts - {document.id for document in documents}))
    if assembled.collisions and not allow_collisions:
        raise ValidationError(collision_problems(assembled.collisions, {path.stem: str(path) for path in paths}))
    # The card reads the guidelines, agreement, reference scores and citation of the
    # repository that holds the corpus folder (by default its parent).
    sources = read_card_sources(repository or corpus.resolve().parent)
    out_dir = out_dir or corpus
    # The dataset files and the card are the build's job, in the corpus itself or elsewhere.
    with allow_gold_writes(out_dir / "data", out_dir / CARD_NAME):
        written = write_dataset(assembled, out_dir, sources=sources)
    return assembled, written
