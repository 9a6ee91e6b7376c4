"""The output guard: inputs are never outputs, and gold is written only on purpose.

A command run opens a guard (`khabar.cli.main` does, with every path argument that is not
an output). While it is open, `khabar.files` refuses, before anything is staged, a write
whose target resolves (symlinks followed) to

- a file the command reads: its path arguments, and every file a reader declares with
  `declare_inputs` (the same file: a declared file is told by its device and inode when a
  write is checked, and by its path once replaced or removed, so a hard link to it is refused
  too, and a corpus read of thousands of files costs no path resolution per file),
- inside an input folder, its `documents/`, `annotations/`, `data/`, card (`README.md`)
  or the annotation and text files directly in it,
- any file under `documents/`, `annotations/` or `data/` of a gold corpus, or its card —
  a gold corpus being any folder above the target with `documents/` and `annotations/`
  and a card or a built `data/` (so a corpus is recognised even when the command was
  not told about it),

unless the write lies under a path the command declared with `allow_gold_writes` — the
writes that are a command's job: `build` → `data/` and the card; the explicit
gold-writing steps (adding, adjudicating, promoting annotations) declare theirs the same
way. The refusal is one line, exit 2.

The guard also collects the run's notes (e.g. staging left by a killed run that was
removed) for the CLI to print, and which outputs were written (so an interrupt can say
truthfully that nothing was). Without an open guard — the Python API — nothing is
refused: a program using the library decides what it overwrites.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from khabar.errors import InputError

GOLD_FOLDERS = ("documents", "annotations", "data")
CARD_NAME = "README.md"
_LOOSE_INPUT_SUFFIXES = (".json", ".jsonl", ".txt")


@dataclass
class Guard:
    """What one command run reads, may write to gold, has written, and wants to note."""

    inputs: set[Path] = field(default_factory=set)  # real paths of the path arguments, files and folders
    read: list[Path | str] = field(default_factory=list)  # files the readers declared, as named
    read_files: set[tuple[int, int]] = field(default_factory=set)  # (device, inode) of `read[:identified]`
    read_names: dict[str, list[Path | str]] = field(default_factory=dict)  # name → `read[:identified]` of it
    identified: int = 0
    allowed: list[Path] = field(default_factory=list)  # real paths, gold writes declared by the command
    notes: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


_current: ContextVar[Guard | None] = ContextVar("khabar_output_guard", default=None)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


@contextmanager
def guarded(inputs: Iterable[Path] = ()) -> Iterator[Guard]:
    """Open a guard for one command run whose path arguments (not outputs) are `inputs`."""
    guard = Guard(inputs={_real(Path(path)) for path in inputs})
    token = _current.set(guard)
    try:
        yield guard
    finally:
        _current.reset(token)


def current() -> Guard | None:
    return _current.get()


def declare_inputs(*paths: Path) -> None:
    """Readers call this with every file they read: the running command may not write it."""
    guard = _current.get()
    if guard is not None:
        guard.read.extend(paths)


def _is_read_file(guard: Guard, real: Path) -> bool:
    """Whether `real` is (a link to) a file a reader declared. The declared files are looked
    up only now, once each: most runs write one output after reading many files."""
    for path in guard.read[guard.identified :]:
        guard.read_names.setdefault(os.path.basename(path), []).append(path)
        try:
            found = os.stat(path)
        except OSError:
            continue  # gone: its name is still compared below
        guard.read_files.add((found.st_dev, found.st_ino))
    guard.identified = len(guard.read)
    try:
        target = os.stat(real)
    except OSError:
        target = None
    if target is not None and (target.st_dev, target.st_ino) in guard.read_files:
        return True
    # A file read and since replaced or removed is no longer that file, but its path still
    # names what the command read: the declared paths of that name are resolved and compared.
    return any(_real(Path(path)) == real for path in guard.read_names.get(real.name, ()))


@contextmanager
def allow_gold_writes(*paths: Path) -> Iterator[None]:
    """Within the block, writes under `paths` (files or folders) are the command's job.

    For the commands that write gold on purpose: `build` (the corpus's `data/` and card),
    and the steps that add, adjudicate or promote annotations. Nothing else changes: a
    write elsewhere in the gold is still refused.
    """
    guard = _current.get()
    if guard is None:
        yield
        return
    added = [_real(Path(path)) for path in paths]
    guard.allowed.extend(added)
    try:
        yield
    finally:
        for path in added:
            guard.allowed.remove(path)


def is_gold_corpus(folder: Path) -> bool:
    """A folder with documents/ and annotations/ and a card or a built data/ folder."""
    return (
        (folder / "documents").is_dir()
        and (folder / "annotations").is_dir()
        and ((folder / CARD_NAME).is_file() or (folder / "data").is_dir())
    )


def _in_corpus_part(real: Path, folder: Path) -> bool:
    """Is `real` one of the gold parts of `folder` (documents/, annotations/, data/, card)?"""
    relative = real.relative_to(folder)
    if not relative.parts:
        return False
    return (relative.parts[0] in GOLD_FOLDERS and len(relative.parts) > 1) or relative == Path(CARD_NAME)


def refusal(path: Path) -> str | None:
    """Why writing `path` is refused in the current run, or None when it may be written."""
    guard = _current.get()
    if guard is None:
        return None
    real = _real(path)
    if any(real == allowed or allowed in real.parents for allowed in guard.allowed):
        return None
    if real in guard.inputs or _is_read_file(guard, real):
        return "it is an input of this command"
    # The input folders above the target, nearest first: a lookup per parent, never a scan of
    # the inputs (a corpus read declares every one of its files; a report writes a page per document).
    for folder in real.parents:
        if folder in guard.inputs and folder.is_dir():
            loose = real.parent == folder and real.suffix in _LOOSE_INPUT_SUFFIXES
            if loose or _in_corpus_part(real, folder):
                return f"it is part of the input {folder}"
    for folder in real.parents:
        if is_gold_corpus(folder) and _in_corpus_part(real, folder):
            return f"it is part of the gold corpus {folder} (documents/, annotations/, data/ and the card)"
    return None


def check_output(path: Path) -> None:
    """Raise the one-line refusal when `path` may not be written by the running command."""
    reason = refusal(path)
    if reason is not None:
        raise InputError(f"refusing to write: {reason}", where=str(path))


def note(message: str) -> None:
    guard = _current.get()
    if guard is not None:
        guard.notes.append(message)


def record_written(paths: Iterable[Path]) -> None:
    guard = _current.get()
    if guard is not None:
        guard.written.extend(paths)
