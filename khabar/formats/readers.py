"""The registry of prediction readers: one small module per foreign format, keyed by name.

`READERS` maps a format name to its `Reader` (the file extensions it claims and the module
whose `read` function reads it). `format_for(path, name)` resolves `--input-format`: the name given,
else the format whose extensions claim the file's extension (`.conll`, `.tml`, `.ann`,
`.spacy` …), else `jsonl` — khabar's own prediction shape, read by
`khabar.eval.predictions`, which is not a reader here. `.json` files are ambiguous (spaCy
JSON, pipeline output, string answers) and need `--input-format`.

Every reader is a pure function `read(data: bytes, gold, *, where, options) -> ReadResult`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from khabar.document import Document
from khabar.errors import InputError
from khabar.formats.reading import DEFAULT_OPTIONS, ReadOptions, ReadResult
from khabar.strictjson import read_bytes

JSONL = "jsonl"
ReadFunction = Callable[..., ReadResult]


@dataclass(frozen=True)
class Reader:
    """A format: its name, the extensions it claims, and the module (in `khabar.formats`) that reads it."""

    name: str
    extensions: tuple[str, ...]
    module: str

    @property
    def read(self) -> ReadFunction:
        # The module is imported when its format is read: every command that reads predictions
        # knows the formats, and importing all six readers was a twentieth of the start-up of
        # `khabar evaluate`, whose file is nearly always JSONL.
        return importlib.import_module(f"khabar.formats.{self.module}").read


READERS: dict[str, Reader] = {
    reader.name: reader
    for reader in (
        Reader("conll", (".conll", ".iob", ".iob2", ".bio", ".bioes"), "iob_columns"),
        Reader("timeml", (".tml", ".timeml"), "timeml_inline"),
        Reader("brat", (".ann",), "brat"),
        Reader("hf-pipeline", (), "hf_pipeline"),
        Reader("spacy", (".spacy",), "spacy_docs"),
        Reader("strings", (), "strings"),
    )
}
FORMATS: tuple[str, ...] = (JSONL, *READERS)


def format_for(path: Path, name: str | None = None) -> str:
    """The input format of `path`: `name` when given, else by its extension, else jsonl."""
    if name is not None:
        if name not in FORMATS:
            raise InputError(f"unknown input format {name!r}", hint=f"choose one of {', '.join(FORMATS)}")
        return name
    suffix = path.suffix.lower()
    claimed = [reader.name for reader in READERS.values() if suffix in reader.extensions]
    if len(claimed) == 1:
        return claimed[0]
    if suffix == ".json":
        raise InputError(
            "cannot tell the format of a .json file", where=str(path), hint="pass --input-format (one of the readers)"
        )
    return JSONL


def read_file(path: Path, gold: list[Document], name: str, options: ReadOptions = DEFAULT_OPTIONS) -> ReadResult:
    """Read `path` with the reader called `name` (not jsonl)."""
    data = read_bytes(path)
    return READERS[name].read(data, gold, where=str(path), options=options)
