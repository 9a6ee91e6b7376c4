"""Reading and writing a corpus folder: `documents/<id>.txt` + `annotations/<id>.json`.

Every read is validated (see `khabar.validate`); a bad file raises `ValidationError`
or `InputError` naming the file, never a traceback from deep inside.
"""

from __future__ import annotations

import hashlib
import json
import sys
import weakref
from collections.abc import Sequence
from pathlib import Path

from khabar import goldrows, validcache
from khabar.document import Document
from khabar.files import write_files
from khabar.gcpause import paused_gc
from khabar.paths import annotation_paths
from khabar.validate import check_file, check_files, checking_code, problems_error, read_keyed


def load_document(annotation_path: Path, text_path: Path | None = None) -> Document:
    """Load and validate one annotation file with its text."""
    return check_file(annotation_path, text_path)


def load_corpus(corpus: Path) -> list[Document]:
    """Load and validate every document of a corpus folder, sorted by id.

    A file found valid before, byte for byte under the same checking code, is not checked
    again (`khabar.validcache`): the corpus is validated once per version, not per command.
    The documents of a version loaded whole are kept as compact rows (`khabar.goldrows`)
    under a key of all its files' bytes, so the next load of that version reads the files
    only to hash them, and the rows instead of parsing every annotation again.
    The garbage collector is paused meanwhile (`paused_gc`): documents make no cycles, and
    collections walking the spans read so far were a third of loading a large corpus."""
    paths = annotation_paths(corpus)
    with paused_gc():
        documents, keys = _recorded_documents(paths)
        if documents is None:
            keys = {}
            documents, problems = check_files(paths, cached=True, keys=keys)
            if problems:
                raise problems_error(problems)
            _record_documents(paths, documents, keys)
    documents = sorted(documents, key=lambda document: document.id)
    _remember_key(documents, keys)
    return documents


GOLD_ROWS = "gold-rows"
# The rows of the corpus versions loaded last are kept (about 12 MB each for 1,000 documents):
# an older version's next load checks its files against their markers and records it again.
GOLD_ROW_VERSIONS = 8


def _rows_key(keys: dict[Path, str]) -> str:
    return _corpus_key(keys, (*checking_code(), Path(__file__), Path(goldrows.__file__)))


def _recorded_documents(paths: list[Path]) -> tuple[list[Document] | None, dict[Path, str]]:
    """The documents of `paths` from the rows recorded for exactly their bytes, with each
    file's key; (None, {}) when there are none (or they do not read back)."""
    keyed = read_keyed(paths) if paths else None
    if keyed is None:
        return None, {}
    keys = {path: key for path, (key, _) in zip(paths, keyed, strict=True)}
    rows = validcache.recorded_bytes(GOLD_ROWS, _rows_key(keys))
    if rows is None:
        return None, {}
    documents = goldrows.loads(rows, [(path.stem, text) for path, (_, text) in zip(paths, keyed, strict=True)])
    return documents, keys


def _record_documents(paths: list[Path], documents: list[Document], keys: dict[Path, str]) -> None:
    """Record the rows of `documents`, the valid documents of `paths` in their order, when
    each file has its key (`check_files` made them all)."""
    if paths and len(keys) == len(paths) == len(documents):
        rows = goldrows.dumps(documents)
        if rows is not None:
            validcache.record(GOLD_ROWS, _rows_key(keys), rows, keep=GOLD_ROW_VERSIONS)


def corpus_hash(documents: Sequence[Document]) -> str:
    """First 8 hex digits of the SHA-256 of the annotations (which include each text's hash).

    The hashed bytes are `json.dumps` of the list of annotations sorted by id (sorted keys,
    `", "` between items), fed one annotation at a time so a large corpus is never one string.
    The documents `load_corpus` returned are hashed once per version of their files: the hash
    is recorded under a key of those files (`_remember_key`)."""
    key = version_key(documents)
    if key is None:
        return _hash_of(documents)
    value = validcache.recorded(CORPUS_HASHES, key)
    if value is None or len(value) != 8:
        value = _hash_of(documents)
        validcache.record(CORPUS_HASHES, key, value)
    return value


def version_key(documents: Sequence[Document]) -> str | None:
    """The record key of `documents` when they are exactly the documents `load_corpus` last
    returned for a version of a corpus's files (in any order), else None: the key values
    derived from that version are recorded under (its hash; `khabar.eval.goldarrays`)."""
    known = _known_keys.get(tuple(sorted(map(id, documents))))
    if known is None or len(known[0]) != len(documents) or any(ref() is None for ref in known[0]):
        return None
    return known[1]


def _hash_of(documents: Sequence[Document]) -> str:
    digest = hashlib.sha256(b"[")
    for index, document in enumerate(sorted(documents, key=lambda document: document.id)):
        if index:
            digest.update(b", ")
        digest.update(json.dumps(document.to_json(), ensure_ascii=False, sort_keys=True).encode("utf-8"))
    digest.update(b"]")
    return digest.hexdigest()[:8]


# The record keys of the corpora loaded last: the ids of their documents (sorted) → (a weak
# reference to each, the key). An id names one live object only; the weak references tell
# that every document is still the one loaded (documents are frozen: it still holds what
# its files said).
_known_keys: dict[tuple[int, ...], tuple[tuple[weakref.ref, ...], str]] = {}
KNOWN_KEYS = 4


def _remember_key(documents: list[Document], keys: dict[Path, str]) -> None:
    """Keep the record key of freshly loaded `documents`, for `corpus_hash`.

    The key (`_corpus_key`) holds each file's name and validation key (which holds the bytes
    the document was read from, annotation and text, and the code that reads, checks and
    builds it: `khabar.validate.checking_code`), this module (which hashes them) and the
    Python version (its `json`). The hash is a function of exactly these, so a value
    recorded under the key is the hash of these documents; a changed byte of any file or of
    that code makes another key."""
    if len(keys) != len(documents):
        return  # a file without a key: hash the documents when asked
    key = _corpus_key(keys, (*checking_code(), Path(__file__)))
    ordered = sorted(documents, key=id)
    while len(_known_keys) >= KNOWN_KEYS:
        del _known_keys[next(iter(_known_keys))]
    _known_keys[tuple(map(id, ordered))] = (tuple(weakref.ref(document) for document in ordered), key)


def _corpus_key(keys: dict[Path, str], code: tuple[Path, ...]) -> str:
    """The SHA-256 of the files' names and validation keys, the bytes of `code` and the Python version."""
    digest = hashlib.sha256(validcache.checker_fingerprint(code))
    digest.update(sys.version.encode())
    for path in sorted(keys):
        digest.update(f"{path.name}\0{keys[path]}\0".encode())
    return digest.hexdigest()


CORPUS_HASHES = "corpus-hash"


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
