"""The published corpus installed with khabar, so that scoring works from any folder.

The wheel carries the gold (`corpus/annotations/*.json`, `corpus/documents/*.txt`) as
`khabar/corpus/` (package data; a test checks it against the repository's copy). In an
editable install the package is the repository's `khabar/` folder and the corpus its
sibling `corpus/`. Commands that read the gold default to `./corpus` when the current
folder holds a corpus (a clone of the repository, or a user's own corpus laid out the
same way), else to the installed one.
"""

from __future__ import annotations

from pathlib import Path

LOCAL_CORPUS = Path("corpus")
_PACKAGE = Path(__file__).resolve().parent


def is_corpus(folder: Path) -> bool:
    """A corpus folder holds `annotations/` (and `documents/` beside it)."""
    return (folder / "annotations").is_dir()


def published_corpus() -> Path | None:
    """The installed corpus folder: in the wheel, or beside the package in an editable install."""
    return next((folder for folder in (_PACKAGE / "corpus", _PACKAGE.parent / "corpus") if is_corpus(folder)), None)


def default_corpus() -> Path:
    """`./corpus` when the current folder holds one, else the installed corpus.

    When neither exists the answer is `./corpus`, so the command's own "no such folder"
    error names the folder the user would expect.
    """
    if is_corpus(LOCAL_CORPUS):
        return LOCAL_CORPUS
    return published_corpus() or LOCAL_CORPUS


DEFAULT_CORPUS_HELP = "(default: ./corpus if present, else the corpus installed with khabar)"
