"""`khabar validate`: every problem of the annotation files under some paths."""

from __future__ import annotations

import json
from pathlib import Path

from khabar.document import Document
from khabar.errors import KhabarError, Problem
from khabar.paths import annotation_paths
from khabar.progress import Progress
from khabar.validate import check_files


def expand(paths: list[Path]) -> list[Path]:
    """The annotation files of `paths`: each folder's, and each file itself."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += annotation_paths(path)
        elif path.exists():
            files.append(path)
        else:
            raise KhabarError(f"no such file or folder: {path}")
    return files


def validate_paths(
    paths: list[Path], progress: Progress | None = None
) -> tuple[list[Path], list[Document], list[Problem]]:
    """(files checked, valid documents, every problem sorted) of the annotation files under `paths`,
    the header a corpus annotation requires included (`khabar.validate.REQUIRED_HEADER`);
    `progress(done, total)` after each file."""
    files = expand(paths)
    if not files:
        # As build, export and agree: nothing to check is a usage error, not a pass.
        raise KhabarError(f"no annotation files in {', '.join(map(str, paths))}")
    documents, problems = check_files(files, require_header=True, progress=progress)
    return files, documents, problems


def render_problems(problems: list[Problem], files: list[Path], documents: list[Document], fmt: str) -> str:
    """The problems as `khabar validate` prints them: one `PATH:POINTER: message` line each
    (table), a Markdown table, or JSON with the counts (stable key order)."""
    if fmt == "json":
        data = {
            "files": len(files),
            "documents": len(documents),
            "problems": [
                {"where": p.where, "pointer": p.pointer, "message": p.message, "code": p.code} for p in problems
            ],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        if not problems:
            return f"No problems in {len(files)} file(s).\n"
        escaped = [problem.message.replace("|", "\\|") for problem in problems]
        rows = [f"| `{p.where}` | `{p.pointer}` | {message} |" for p, message in zip(problems, escaped, strict=True)]
        return "| file | pointer | problem |\n| --- | --- | --- |\n" + "\n".join(rows) + "\n"
    return "".join(f"{problem}\n" for problem in problems)
