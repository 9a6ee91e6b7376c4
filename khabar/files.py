"""The one write path: every output file of khabar is written here, whole or not at all.

`write_file` writes one file and `write_files` a set of files, all or nothing (through
`file_set`); `file_set`
writes a set whose contents are made one at a time (the pages of a report folder, a page
written as it is rendered), so no more than one file's content is ever held, with the same
guarantees:

1. every target is checked against the output guard (`khabar.guard`): an input of the
   running command or a file of a gold corpus is refused before anything is staged;
2. each file is staged beside its target (`.khabar-staging.<pid>.<token>.<name>`, same
   folder, so the final rename never crosses a file system), written, fsync'd and given
   the target's permissions (an existing file keeps its mode; a new one gets what a plain
   write would give under the umask);
3. the set is swapped in: an existing target is first kept as a hard link (a copy when the
   file system has no links), then the staged file is renamed over it; the folders are
   fsync'd;
4. on any failure or interrupt (SIGINT, SIGTERM) before the last rename, every renamed
   target is put back, staged files and backups are removed and folders created for the
   set are removed again: every existing file is left byte-identical.

A symlinked target is written through: the file it points to is replaced, the link stays.
Staging left by a killed run (its process id no longer alive) is removed by the next write
into the same folder, and the removal is reported through `khabar.guard.note`.

`fresh_file` is the one exception to staging: a new file, created exclusively (it never
replaces one), for output another process streams while it runs, such as a server's log.

Any OS error becomes an `InputError` naming the target, which the CLI prints as
`Error: <path>: cannot write: <reason>` with exit code 2.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from khabar import guard
from khabar.errors import InputError

STAGING_PREFIX = ".khabar-staging."
# Staging folders of the first release's build, which a killed build left behind.
LEGACY_STAGING_PREFIXES = (".khabar-build-",)
_SIGNALS = {signal.SIGINT, signal.SIGTERM}

Content = str | bytes
Chunks = Iterable[str]
"""Text written as it comes (e.g. a template's `generate()`), so the whole never sits in memory."""
# Chunks are gathered up to this many characters before they are encoded and written.
_CHUNK_CHARACTERS = 1 << 20


def cannot_write(error: OSError, path: Path | str) -> InputError:
    """The one-line error for an OS error met while writing `path`."""
    reason = error.strerror or str(error)
    return InputError(f"cannot write: {reason}", where=str(path))


def _write_all(handle: int, data: bytes) -> None:
    """Write every byte of `data` to the open file `handle` (the single place bytes hit the disk)."""
    view = memoryview(data)
    while view:
        written = os.write(handle, view)
        view = view[written:]


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while the block runs (an undo must not itself be interrupted)."""
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    except (AttributeError, ValueError, OSError):  # no signal masks here: run unprotected
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _staging_owner(name: str) -> int | None:
    """The process id in a staging name, None for a legacy name (owner unknown)."""
    if name.startswith(STAGING_PREFIX):
        pid = name[len(STAGING_PREFIX) :].split(".", 1)[0]
        return int(pid) if pid.isdigit() else -1
    return None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def stale_staging(folder: Path) -> list[Path]:
    """Staging entries in `folder` left by runs that are no longer alive."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    stale = []
    for entry in entries:
        name = entry.name
        if name.startswith(STAGING_PREFIX):
            owner = _staging_owner(name)
            if owner is not None and owner != -1 and _process_alive(owner):
                continue
            stale.append(entry)
        elif name.startswith(LEGACY_STAGING_PREFIXES) and entry.is_dir():
            stale.append(entry)
    return sorted(stale)


def clean_stale_staging(folder: Path) -> list[Path]:
    """Remove the stale staging of `folder`, reporting each removal as a note of the run."""
    removed = []
    for entry in stale_staging(folder):
        _remove(entry)
        guard.note(f"removed staging left by an interrupted run: {entry}")
        removed.append(entry)
    return removed


def real_target(path: Path) -> Path:
    """Where a write to `path` lands: symlinks (of the file and its folders) resolved."""
    return Path(os.path.realpath(path))


def _mode_for(real: Path) -> int:
    try:
        return stat.S_IMODE(real.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems cannot fsync a folder; the renames are still atomic
    finally:
        os.close(handle)


@dataclass
class _Staged:
    path: Path  # as the caller named it (for messages)
    real: Path  # where it lands
    staged: Path | None = None
    backup: Path | None = None
    renamed: bool = False


@dataclass
class _Transaction:
    """Stage, swap in, and undo: the state of one `write_files` call."""

    token: str = field(default_factory=lambda: f"{os.getpid()}.{secrets.token_hex(4)}")
    items: list[_Staged] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)  # folders made for the set, outermost first
    cleaned: set[Path] = field(default_factory=set)
    current: Path | None = None

    def _staging_name(self, real: Path, suffix: str = "") -> Path:
        return real.parent / f"{STAGING_PREFIX}{self.token}.{real.name}{suffix}"

    def _make_folder(self, folder: Path) -> None:
        missing = []
        for parent in [folder, *folder.parents]:
            if parent.exists():
                break
            missing.append(parent)
        for parent in reversed(missing):
            parent.mkdir()
            self.created.append(parent)

    def stage(self, item: _Staged, data: bytes | Callable[[Path], None] | Chunks, make_folders: bool) -> None:
        self.current = item.path
        if item.real.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Is a directory")
        if make_folders:
            self._make_folder(item.real.parent)
        elif not item.real.parent.is_dir():
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT))
        if item.real.parent not in self.cleaned:
            self.cleaned.add(item.real.parent)
            clean_stale_staging(item.real.parent)
        mode = _mode_for(item.real)
        item.staged = self._staging_name(item.real)
        handle = os.open(item.staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            if isinstance(data, bytes):
                _write_all(handle, data)
                os.fsync(handle)
            elif not callable(data):
                _write_chunks(handle, data, item.path)
                os.fsync(handle)
        finally:
            os.close(handle)
        if callable(data):
            data(item.staged)  # a writer that needs a path (e.g. a plotting library)
            with open(item.staged, "rb+") as stream:
                os.fsync(stream.fileno())
        os.chmod(item.staged, mode)
        self._keep_owner(item)

    @staticmethod
    def _keep_owner(item: _Staged) -> None:
        try:
            info = item.real.stat()
        except FileNotFoundError:
            return
        if hasattr(os, "chown") and item.staged is not None:
            # Only the owner or root can hand a file over; the content is what matters.
            with suppress(OSError):
                os.chown(item.staged, info.st_uid, info.st_gid)

    def commit(self) -> None:
        for item in self.items:
            self.current = item.path
            if item.real.exists():
                item.backup = self._staging_name(item.real, ".old")
                try:
                    os.link(item.real, item.backup)
                except OSError:
                    shutil.copy2(item.real, item.backup)
            assert item.staged is not None
            os.replace(item.staged, item.real)
            item.staged = None
            item.renamed = True
        for folder in dict.fromkeys(item.real.parent for item in self.items):
            _fsync_folder(folder)

    def undo(self) -> None:
        """Put every renamed target back and remove what this set created."""
        with signals_deferred():
            for item in reversed(self.items):
                if item.renamed:
                    if item.backup is not None:
                        os.replace(item.backup, item.real)
                        item.backup = None
                    else:
                        item.real.unlink(missing_ok=True)
            self.cleanup()
            for folder in reversed(self.created):
                with suppress(OSError):
                    folder.rmdir()

    def cleanup(self) -> None:
        with signals_deferred():
            for item in self.items:
                for leftover in (item.staged, item.backup):
                    if leftover is not None:
                        leftover.unlink(missing_ok=True)
                item.staged = item.backup = None


Writer = Callable[[Path], None]
"""A function that writes a whole file at the path it is given (for libraries that want a path)."""


def _planned(paths: Iterable[Path]) -> list[_Staged]:
    """The targets of a set, refused (before anything is staged) when one is named twice or
    is an input of the running command or a file of a gold corpus."""
    items = [_Staged(Path(path), real_target(Path(path))) for path in paths]
    seen: set[Path] = set()
    for item in items:
        if item.real in seen:
            raise InputError("written twice by one command", where=str(item.path))
        seen.add(item.real)
    for item in items:
        guard.check_output(item.path)
    return items


def _write_chunks(handle: int, chunks: Chunks, path: Path) -> None:
    """Write text chunks as UTF-8, a megabyte or so at a time."""
    buffer: list[str] = []
    size = written = 0
    for chunk in chunks:
        buffer.append(chunk)
        size += len(chunk)
        if size >= _CHUNK_CHARACTERS:
            text = "".join(buffer)
            _write_all(handle, _encoded_text(path, text, written))
            written += len(text)
            buffer, size = [], 0
    if buffer:
        _write_all(handle, _encoded_text(path, "".join(buffer), written))


class FileSet:
    """The files of one `file_set` block: each `write` stages a file at once."""

    def __init__(self, transaction: _Transaction, make_folders: bool) -> None:
        self._transaction = transaction
        self._make_folders = make_folders
        self._items = {item.path: item for item in transaction.items}

    def write(self, path: Path, content: Content | Writer | Chunks) -> Path:
        """Stage one declared file: its content as text, bytes, a `Writer` or text chunks."""
        item = self._items.get(Path(path))
        if item is None or item.staged is not None:
            raise ValueError(f"{path} is not a file of this set still to be written")
        data = _encoded(item.path, content) if isinstance(content, str) else content
        self._transaction.stage(item, data, self._make_folders)
        return item.path


@contextmanager
def file_set(paths: Iterable[Path], *, make_folders: bool = True, run_output: bool = True) -> Iterator[FileSet]:
    """Write a set of files all or nothing, staging each when its content is ready.

    The paths are declared up front and refused as `write_files` refuses them, before anything
    is staged. Inside the block, `FileSet.write` stages each file (its content can be dropped
    right after); when the block ends, every declared file must have been written and the set
    is swapped in. An error or an interrupt inside the block, or while swapping, puts every
    target back: every existing file is left byte-identical. A set that is not what the command
    makes (`run_output=False`: a cache entry) is written the same way but not reported among
    the run's outputs.
    """
    transaction = _Transaction(items=_planned(paths))
    try:
        yield FileSet(transaction, make_folders)
        unwritten = [item.path for item in transaction.items if item.staged is None]
        if unwritten:
            raise ValueError(f"{unwritten[0]} was declared but never written")
        transaction.commit()
    except OSError as error:
        where = transaction.current or (transaction.items[0].path if transaction.items else Path("."))
        transaction.undo()
        raise cannot_write(error, where) from None
    except BaseException:
        transaction.undo()
        raise
    transaction.cleanup()
    if run_output:
        guard.record_written([item.path for item in transaction.items])


def write_files(
    files: Mapping[Path, Content | Writer], *, make_folders: bool = True, run_output: bool = True
) -> list[Path]:
    """Write a set of files all or nothing; returns the paths as given, in order.

    A value is the content (text is written as UTF-8) or a `Writer`. Missing folders are
    made (and removed again on failure) unless `make_folders` is false; `run_output` as in
    `file_set`.
    """
    with file_set(files, make_folders=make_folders, run_output=run_output) as staged:
        for path, content in files.items():
            staged.write(path, content)
    return [Path(path) for path in files]


@contextmanager
def fresh_file(folder: Path, *, prefix: str, suffix: str) -> Iterator[tuple[BinaryIO, Path]]:
    """A new file of a unique name in `folder`, open for writing, and its path.

    For output another process streams as it runs (a server's log), which cannot be staged
    and swapped in: the file is created exclusively, so it never replaces an existing one.
    """
    try:
        handle, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
    except OSError as error:
        raise cannot_write(error, folder) from None
    with os.fdopen(handle, "wb") as sink:
        yield sink, Path(name)


def _encoded(path: Path, content: Content | Writer) -> bytes | Writer:
    if not isinstance(content, str):
        return content
    return _encoded_text(path, content)


def _encoded_text(path: Path, text: str, offset: int = 0) -> bytes:
    """`text` as UTF-8; `offset` is where it starts in the file's text (for the message)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate: refused, nothing of the set kept
        character = f"U+{ord(text[error.start]):04X}"
        message = f"cannot write: {character} at character {offset + error.start} is not valid Unicode"
        raise InputError(message, where=str(path)) from None


def write_file(path: Path, content: Content | Writer, *, make_folders: bool = False, run_output: bool = True) -> Path:
    """Write one file whole or not at all (see the module docstring). Its folder must exist
    unless `make_folders`: a mistyped output folder is an error, not a new folder."""
    return write_files({path: content}, make_folders=make_folders, run_output=run_output)[0]


def write_atomically(path: Path, content: Content) -> None:
    """Write one file whole or not at all (the name the first release used)."""
    write_file(path, content)
