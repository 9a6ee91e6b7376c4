"""Build the Hugging Face dataset of a corpus: two parquet files and the dataset card.

`assemble` turns validated documents into parquet files, statistics and collisions (pure);
`write_dataset` writes them; `build_corpus` does both for a corpus folder. Output is
deterministic — documents sorted by id, sentences in text order, fixed parquet settings,
no timestamps — so building twice gives identical bytes. Nothing is written unless the
whole build succeeds: every file goes to a temporary folder first and is then moved into
place.

Rows become Arrow record batches (`BATCH_ROWS`) as the documents are read, so the
Python dicts of one batch are all that is held at a time (dicts of a whole corpus and
`datasets`' conversion copies took 780 MiB at 1,000 documents). The batches are joined into
one table per config before writing: the parquet bytes are those of one table, whatever
the batch size.

Decision (collisions): gold in which two outermost spans of one layer touch the same token
cannot be represented by the flat tag columns. The build refuses it and lists every
collision as a problem (exit 1), unless `allow_collisions` is set, in which case the card
lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from khabar.card_sources import CardSources, read_card_sources
from khabar.document import Document
from khabar.errors import InputError, Problem, ValidationError
from khabar.files import clean_stale_staging, write_files
from khabar.formats.card import DATA_FILES, CollisionRow, SplitSize, example_row, render_card
from khabar.formats.hf import DOCUMENT_FEATURES, SENTENCE_FEATURES, document_to_row, sentence_rows
from khabar.guard import allow_gold_writes
from khabar.inventories import LAYERS
from khabar.paths import annotation_paths
from khabar.stats import CorpusStatistics, SentenceCounts, corpus_statistics
from khabar.store import load_corpus
from khabar.tokenize import forget_sentences
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
# Rows per record batch: a `documents` row holds a whole text and all its spans, a
# `sentences` row one sentence (≈ 27 tokens).
BATCH_ROWS = {"documents": 100, "sentences": 1_000}
_SPAN_POINTERS = {"entities": "", "timex": "", "events": "/trigger", "quotes": "/content"}


def parquet_bytes(table: pa.Table) -> bytes:
    """The parquet file of `table` at the fixed writer settings."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, **PARQUET_SETTINGS)
    return sink.getvalue().to_pybytes()


@dataclass
class TableBuilder:
    """An Arrow table typed by `features`, built from rows added a few at a time: every
    `batch_rows` rows become a record batch and the rows are let go."""

    features: Features
    batch_rows: int
    _rows: list[dict[str, Any]] = field(default_factory=list)
    _batches: list[pa.RecordBatch] = field(default_factory=list)

    def add(self, rows: list[dict[str, Any]]) -> None:
        self._rows += rows
        if len(self._rows) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._batches.append(pa.RecordBatch.from_pylist(self._rows, schema=self.features.arrow_schema))
            self._rows = []

    def parquet(self) -> tuple[bytes, SplitSize]:
        """The parquet file of all rows added, written from one table (one chunk per column,
        feature metadata in the schema), and its size; the table is let go."""
        self._flush()
        table = pa.Table.from_batches(self._batches, schema=self.features.arrow_schema).combine_chunks()
        self._batches = []
        # Arrow's allocator keeps freed memory for reuse; give it back before the writer's
        # own buffers are allocated, and again once the table is gone.
        pool = pa.default_memory_pool()
        pool.release_unused()
        content, size = parquet_bytes(table), SplitSize(table.num_rows, table.nbytes)
        del table
        pool.release_unused()
        return content, size


@dataclass(frozen=True)
class AssembledDataset:
    """Everything a build writes, computed before anything is written."""

    documents: list[Document]
    parquet: dict[str, bytes]
    sizes: dict[str, SplitSize]
    example: dict[str, Any] | None
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
    documents_table = TableBuilder(DOCUMENT_FEATURES, BATCH_ROWS["documents"])
    for document in ordered:
        documents_table.add([document_to_row(document)])
    parquet, sizes = {}, {}
    parquet["documents"], sizes["documents"] = documents_table.parquet()
    sentences_table = TableBuilder(SENTENCE_FEATURES, BATCH_ROWS["sentences"])
    counts: dict[str, SentenceCounts] = {}
    example: dict[str, Any] | None = None
    collisions: list[CollisionRow] = []
    for document in ordered:
        rows, found = sentence_rows(document)
        sentences_table.add(rows)
        counts[document.id] = SentenceCounts(len(rows), sum(len(row["tokens"]) for row in rows))
        # The earlier row wins a tie, as over the whole corpus at once.
        example = example_row(rows if example is None else [example, *rows])
        if found:
            collisions += document_collisions(document)
        forget_sentences()  # the build reads each text once; its tokens are in the batches now
    parquet["sentences"], sizes["sentences"] = sentences_table.parquet()
    return AssembledDataset(
        documents=ordered,
        parquet=parquet,
        sizes=sizes,
        example=example,
        collisions=collisions,
        statistics=corpus_statistics(ordered, counts),
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


def write_dataset(
    assembled: AssembledDataset,
    out_dir: Path,
    *,
    sources: CardSources | None = None,
) -> list[Path]:
    """Write both parquet files and the card under `out_dir`; all or nothing."""
    card = render_card(
        assembled.statistics,
        assembled.sizes,
        collisions=assembled.collisions,
        documents=assembled.documents,
        example=assembled.example,
        sources=sources or CardSources(),
        unannotated=assembled.unannotated,
    )
    files: dict[Path, bytes | str] = {out_dir / DATA_FILES[c]: content for c, content in assembled.parquet.items()}
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
