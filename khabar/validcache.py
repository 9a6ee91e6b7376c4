"""A record of annotation files already found valid, so a corpus is fully validated once per version.

Every check of `khabar.validate` is a pure function of the annotation's bytes, its text's
bytes, its file name, the options of the check and the validating code. So the key of a file
is the sha256 of all five — the code by the bytes of the modules that define the checks, the
schema and jsonschema's modules — and a file is skipped only when that exact key was recorded after a
full check found no problem. Editing one byte of an annotation, its text or any checking
module gives another key, and the full check runs again. Nothing is recorded for a file
with problems.

Beside the markers, `record`/`recorded` keep values derived from such bytes under a key that
holds all of them and the code that derives the value: the corpus hash and the gold's rows
(`khabar.store`), the arrays scoring derives from the gold (`khabar.eval.goldarrays`).

The record is an empty marker file per key in the user's cache folder (`KHABAR_CACHE_DIR`,
else `$XDG_CACHE_HOME/khabar`, else `~/.cache/khabar`), never in a corpus or the repository,
so it cannot be mistaken for data. It is only an optimization: a cache folder that cannot
be read or written changes nothing but speed. `khabar validate` itself never consults it.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import suppress
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from khabar import __version__
from khabar.errors import InputError
from khabar.files import write_file


def cache_folder() -> Path:
    """Where the markers live: outside any corpus and the repository."""
    configured = os.environ.get("KHABAR_CACHE_DIR")
    if configured:
        return Path(configured) / "valid"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "khabar" / "valid"


@cache
def checker_fingerprint(code: tuple[Path, ...]) -> bytes:
    """The sha256 of the code that validates: khabar's version and the bytes of every file in
    `code` (the checking modules and the schema) and of jsonschema's modules."""
    digest = hashlib.sha256(f"khabar {__version__}\0".encode())
    for path in (*code, *jsonschema_code()):
        data = path.read_bytes()
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.digest()


@cache
def jsonschema_code() -> tuple[Path, ...]:
    """jsonschema's modules (the `.py` files of its package, without its tests), found
    without importing it: a valid corpus never needs jsonschema (`khabar.validate` asks it
    only to word errors), and reading its version through `importlib.metadata` would cost
    every command the import of that module and of `email`."""
    spec = find_spec("jsonschema")
    folders = spec.submodule_search_locations if spec is not None else None
    return tuple(sorted(Path(folders[0]).glob("*.py"))) if folders else ()


def key(annotation: bytes, text: bytes, options: str, code: tuple[Path, ...]) -> str:
    """The key of one annotation file with its text, under the checking code in `code` and the
    check's `options` (the file name it must match, which checks are required)."""
    digest = hashlib.sha256(checker_fingerprint(code))
    for part in (options.encode(), annotation, text):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def recorded(kind: str, record_key: str) -> str | None:
    """The text recorded under `kind`/`record_key` (see `record`), None when there is none."""
    data = recorded_bytes(kind, record_key)
    try:
        return None if data is None else data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def recorded_bytes(kind: str, record_key: str) -> bytes | None:
    """The bytes recorded under `kind`/`record_key` (see `record`), None when there are none."""
    try:
        return (cache_folder().parent / kind / record_key).read_bytes()
    except OSError:
        return None


def signed(payload: bytes) -> bytes:
    """`payload` after a line of its SHA-256 (hex): a value that `verified` reads back whole or
    not at all (the gold's rows and arrays, which are large)."""
    return hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def verified(data: bytes) -> bytes | None:
    """The payload of `signed` bytes; None when it does not match its digest (damaged on disk,
    cut short by a crash)."""
    digest, _, payload = data.partition(b"\n")
    return payload if digest == hashlib.sha256(payload).hexdigest().encode() else None


def record(kind: str, record_key: str, value: str | bytes, *, keep: int | None = None) -> None:
    """Record a value derived from the bytes behind `record_key` (best effort, like the
    markers): through the write path, whole or not at all, as a cache entry rather than an
    output of the run. With `keep`, only that many values of `kind` stay: this one and the
    most recently recorded others (for values too large to keep one per version forever)."""
    # An unwritable cache only costs the next run the computation.
    with suppress(OSError, InputError):
        folder = cache_folder().parent / kind
        write_file(folder / record_key, value, make_folders=True, run_output=False)
        if keep is not None:
            _prune(folder, keep, record_key)


def _prune(folder: Path, keep: int, current: str) -> None:
    """Remove all but `keep` entries of `folder`: `current` and the newest others. A value
    removed while another run reads it only makes that run compute it again."""
    others = [path for path in folder.iterdir() if path.name != current]
    stamps = {}
    for path in others:
        with suppress(OSError):
            stamps[path] = path.stat().st_mtime_ns
    for path in sorted(stamps, key=stamps.__getitem__)[: max(len(stamps) - (keep - 1), 0)]:
        path.unlink(missing_ok=True)


def is_known_valid(file_key: str) -> bool:
    try:
        return (cache_folder() / file_key).is_file()
    except OSError:
        return False


def record_valid(file_key: str) -> None:
    """Record a file found valid by the full check (an empty marker; best effort)."""
    try:
        folder = cache_folder()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / file_key).touch()
    except OSError:
        pass  # an unwritable cache only costs the next run a full check
