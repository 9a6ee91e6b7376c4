"""Arrays derived from the gold of a loaded corpus version, derived once per version.

Scoring reads each side's spans into arrays (`khabar.eval.spanarrays` and the `*counts`
modules) and the gold's texts into tokens (`khabar.eval.flatview`). Against one version of
a corpus the gold side is the same on every run; at 1,000 documents deriving it was about
0.3 s of a 2 s evaluation. So what is derived from the documents `khabar.store.load_corpus`
returned, in the order it returned them (`khabar.store.version_key` tells them), is
recorded in the cache folder (`khabar.validcache`) under a key holding:

- that version's key: every byte of its files and of the code that reads and checks them;
- what was derived (`kind`);
- the bytes of the code that derives it (every module of `khabar` and `khabar.eval`) and the
  versions of Python and numpy.

The next run reads the arrays back. Any other documents (predictions, part of a corpus,
documents with projected labels, another order) are derived as before, every time.

A value is a dict of arrays, written with `numpy.savez` after the SHA-256 of those bytes and
read with `allow_pickle=False`: data only, no code runs on reading. Bytes that do not match
their digest (damaged on disk, cut short by a crash), or that do not read back as the arrays
`derive` gives (its columns, as it gives them for no document), read as no value, and the
arrays are derived again. Labels are stored as strings in one
JSON array (`pack_names`), so a label may be any string or None. The arrays handed out are
read-only, derived or read back alike: the same arrays serve every later run in the process
(a comparison scores several systems against one gold), so no caller may change them in place.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import threading
from collections.abc import Callable, Sequence
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np

import khabar
from khabar import store, validcache
from khabar.document import Document
from khabar.eval.spancounts import codes

Arrays = dict[str, np.ndarray]

GOLD_ARRAYS = "gold-arrays"
# Nine kinds per corpus version (tokens, and each layer's spans and columns), for as many
# versions as `khabar.store` keeps rows of: 20.5 MB per version of the benchmark's 1,000
# documents, half of it the tokens' offsets (`du -cb` of the records one `evaluate` made in
# an empty `KHABAR_CACHE_DIR`; the rows are 4.2 MB).
KEEP = 9 * store.GOLD_ROW_VERSIONS
# Values kept in the process, newest last (the kinds of two corpus versions).
_MEMO_SIZE = 32
_memo: dict[str, Arrays] = {}
_memo_lock = threading.Lock()


def derived(documents: Sequence[Document], kind: str, derive: Callable[[Sequence[Document]], Arrays]) -> Arrays:
    """`derive(documents)`, read-only; read from the record when `documents` are a loaded
    corpus version in its order and `kind` of it was recorded before (see the module docstring)."""
    key = _record_key(documents, kind)
    if key is None:
        return _read_only(derive(documents))
    with _memo_lock:
        found = _memo.get(key)
    if found is None:
        found = _from_bytes(validcache.recorded_bytes(GOLD_ARRAYS, key))
        if found is not None and found.keys() != derive([]).keys():
            found = None  # not the columns this code derives: written by hand with its digest
        if found is None:
            found = _read_only(derive(documents))
            validcache.record(GOLD_ARRAYS, key, _to_bytes(found), keep=KEEP)
        with _memo_lock:
            while len(_memo) >= _MEMO_SIZE:
                del _memo[next(iter(_memo))]
            _memo[key] = found
    return found


def _record_key(documents: Sequence[Document], kind: str) -> str | None:
    """The key of `kind` derived from `documents`, or None when they are not a loaded corpus
    version in the order `load_corpus` gave it (sorted by id)."""
    ids = [document.id for document in documents]
    if any(first >= second for first, second in pairwise(ids)):
        return None
    version = store.version_key(documents)
    if version is None:
        return None
    digest = hashlib.sha256(validcache.checker_fingerprint(_package_code()))
    digest.update(f"{sys.version}\0numpy {np.__version__}\0{version}\0{kind}".encode())
    return digest.hexdigest()


@cache
def _package_code() -> tuple[Path, ...]:
    """Every module of `khabar` and `khabar.eval`: what derives the arrays, and what they are
    derived from (the baselines and the corpus play no part)."""
    folders = sorted({Path(khabar.__file__).parent, Path(__file__).parent})
    return tuple(path for folder in folders for path in sorted(folder.rglob("*.py")))


def _read_only(arrays: Arrays) -> Arrays:
    for array in arrays.values():
        array.flags.writeable = False
    return arrays


def _to_bytes(arrays: Arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return validcache.signed(buffer.getvalue())


def _from_bytes(data: bytes | None) -> Arrays | None:
    """The arrays of `_to_bytes`, or None when `data` is none, damaged or of another shape."""
    payload = None if data is None else validcache.verified(data)
    if payload is None:
        return None
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as loaded:
            return _read_only({name: loaded[name] for name in loaded.files})
    except Exception:
        # A record is only a cache: bytes that do not read back as arrays, for whatever reason
        # (written by hand: damage fails the digest), are no record.
        return None


def pack_names(names: Sequence[str | None]) -> np.ndarray:
    """Labels as one array (a JSON list in a 0-d string array: no pickle, None allowed)."""
    return np.array(json.dumps(list(names), ensure_ascii=False))


def unpack_names(packed: np.ndarray) -> tuple[str | None, ...]:
    return tuple(json.loads(str(packed)))


def label_columns(column: str, labels: Sequence[str | None]) -> Arrays:
    """`labels` as two arrays to record, apart from any other side's labels: `column`, their
    `codes` among themselves (in order of first appearance), and `<column>_names`, those
    labels (`pack_names`)."""
    names: dict[str | None, int] = {}
    coded_here = codes(labels, names)
    return {column: coded_here, f"{column}_names": pack_names(list(names))}


def coded(found: Arrays, column: str, names: dict[str, int]) -> np.ndarray:
    """The labels `label_columns` recorded as `column`, coded into `names` as `codes` codes them:
    the distinct labels (in order of first appearance) coded first, each recorded code then
    replaced by its label's."""
    return codes(unpack_names(found[f"{column}_names"]), names)[found[column]]
