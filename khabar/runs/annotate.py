"""The annotator's steps on a corpus: add a document, write a pass, adjudicate two passes, promote one.

Gold annotations (`<corpus>/annotations/<id>.json`) are written by exactly two steps, each
explicit: `add_document` (a new document's header-only annotation) and `promote` (an
adjudicated pass becomes the gold, validated first, logged). Everything an annotator
produces — a pull from Label Studio, an import of an export, an adjudication — is a *pass*:
a folder of annotation files outside the gold, by convention
`<corpus>/annotations/passes/<name>/`. A pass never carries the gold's header: its own
identity is under `pass` (who, from where, when) with the guidelines version it follows.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from khabar import guard
from khabar.adjudication import Disagreement, disagreements, merge
from khabar.document import DCT, Document
from khabar.errors import InputError, Problem, ValidationError
from khabar.eval.agreement import common_documents
from khabar.eval.render import markdown_table, to_json
from khabar.files import write_files
from khabar.guidelines import guidelines_version as stated_version
from khabar.inventories import LAYERS
from khabar.labelstudio.annotations import export_to_documents
from khabar.paths import annotation_paths
from khabar.store import dumps_annotation
from khabar.strictjson import read_json
from khabar.validate import check_annotation, check_path, header_problems

DOCUMENT_ID = re.compile(r"^doc-[0-9]{4}$")
PASSES = "passes"
PROMOTION_LOG = "promotions.jsonl"  # in <corpus>/annotations/; not an annotation file (*.json)
DISAGREEMENTS_FILE = "disagreements.jsonl"
# Header keys that describe the gold (who annotated and adjudicated it), never a pass.
GOLD_ONLY_KEYS = ("annotators", "pass")


def current_guidelines_version(guidelines: Path) -> str:
    """The version stated in `<guidelines>/README.md` ("Guidelines version 2.1")."""
    readme = guidelines / "README.md"
    try:
        version = stated_version(readme.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        version = None
    if version is None:
        raise InputError("no guidelines version found", where=str(readme), hint="give --guidelines-version")
    return version


# --- add ------------------------------------------------------------------------------------


def new_document(doc_id: str, text: str, dct: DCT, source: dict[str, str], guidelines_version: str) -> Document:
    """A header-only document: id, text hash, language, DCT with provenance, source, guidelines version."""
    return Document(id=doc_id, text=text, dct=dct, source=source, metadata={"guidelines_version": guidelines_version})


def add_document(
    corpus: Path, text_file: Path, doc_id: str, dct: DCT, source: dict[str, str], guidelines_version: str
) -> Document:
    """Copy `text_file` verbatim into `<corpus>/documents/` and write its header-only annotation.

    Refuses an id that is not `doc-NNNN`, an id already in the corpus (never overwrites),
    a text already in the corpus under another id, and a header that does not validate.
    """
    if not DOCUMENT_ID.match(doc_id):
        raise InputError(f"document ids are doc-NNNN (four digits), not {doc_id!r}")
    if not source:
        raise InputError("a source is required", hint="--source-name and/or --source-url")
    try:
        raw = text_file.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", where=str(text_file)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8: invalid byte at offset {error.start}", where=str(text_file)) from None
    if not text.strip():
        raise InputError("empty text", where=str(text_file))
    text_path = corpus / "documents" / f"{doc_id}.txt"
    annotation_path = corpus / "annotations" / f"{doc_id}.json"
    for path in (text_path, annotation_path):
        if path.exists():
            raise InputError("already exists; refusing to overwrite", where=str(path))
    digest = hashlib.sha256(raw).hexdigest()
    for other in sorted((corpus / "documents").glob("*.txt")):
        if hashlib.sha256(other.read_bytes()).hexdigest() == digest:
            raise InputError(f"the same text is already in the corpus as {other.stem}", where=str(text_file))
    document = new_document(doc_id, text, dct, source, guidelines_version)
    data = document.to_json()
    found = check_annotation(data, text, stem=doc_id) + header_problems(data)
    if found:
        raise ValidationError([Problem(str(annotation_path), pointer, message) for pointer, message in found])
    with guard.allow_gold_writes(text_path, annotation_path):
        write_files({text_path: raw, annotation_path: dumps_annotation(document)})
    return document


# --- passes ---------------------------------------------------------------------------------


def gold_refusal(folder: Path, corpus: Path) -> str | None:
    """Why `folder` may not hold a pass of `corpus`: it is (or is inside) the gold."""
    real, root = Path(folder).resolve(), Path(corpus).resolve()
    annotations, passes = root / "annotations", root / "annotations" / PASSES
    if real in (root, annotations, passes):
        return "it is the gold corpus's own folder"
    if passes in real.parents:
        return None
    for part in ("annotations", "documents", "data"):
        if real == root / part or (root / part) in real.parents:
            return f"it is inside the gold corpus's {part}/"
    return None


def check_pass_folder(folder: Path, corpus: Path) -> None:
    reason = gold_refusal(folder, corpus)
    if reason is not None:
        raise InputError(
            f"refusing to write a pass here: {reason}",
            where=str(folder),
            hint=f"write passes to {corpus / 'annotations' / PASSES}/<annotator>/; `khabar promote` makes one gold",
        )


def corpus_header(corpus: Path, doc_id: str) -> dict[str, Any] | None:
    """The header fields (dct, source, language) of the corpus's annotation of `doc_id`, if any."""
    path = corpus / "annotations" / f"{doc_id}.json"
    if not path.is_file():
        return None
    data = read_json(path)
    return {key: data[key] for key in ("language", "dct", "source") if key in data}


def as_pass(document: Document, identity: dict[str, Any], guidelines_version: str, corpus: Path) -> Document:
    """`document` with a pass's header: the corpus's document facts (DCT, source), the pass
    identity and guidelines version, and nothing of the gold's header (annotators)."""
    metadata = {key: value for key, value in document.metadata.items() if key not in GOLD_ONLY_KEYS}
    metadata["guidelines_version"] = guidelines_version
    metadata["pass"] = identity
    header = corpus_header(corpus, document.id) or {}
    dct = DCT.from_json(header["dct"]) if "dct" in header else document.dct
    source = header.get("source", document.source)
    return replace(document, dct=dct, source=dict(source), metadata=metadata)


def pass_files(documents: list[Document], folder: Path, corpus: Path) -> dict[Path, str]:
    """The files of a pass folder; every document's text must be the corpus's."""
    problems = []
    for document in documents:
        text_path = corpus / "documents" / f"{document.id}.txt"
        if not text_path.is_file():
            problems.append(Problem(str(text_path), "", "not in the corpus: add the document first (`khabar add`)"))
        elif text_path.read_bytes() != document.text.encode("utf-8"):
            problems.append(Problem(str(text_path), "", "differs from the text of the annotation", "text"))
    if problems:
        raise ValidationError(problems)
    return {folder / f"{document.id}.json": dumps_annotation(document) for document in documents}


def write_pass(documents: list[Document], folder: Path, corpus: Path) -> list[Path]:
    """Write a pass folder (all files or none), refusing any folder of the gold."""
    check_pass_folder(folder, corpus)
    files = pass_files(documents, folder, corpus)
    with guard.allow_gold_writes(folder):
        return write_files(files)


@dataclass(frozen=True)
class ImportedPass:
    documents: list[Document]
    problems: list[Problem]
    notes: list[Problem]


def import_pass(
    export: Any,
    where: str,
    out: Path,
    corpus: Path,
    *,
    annotator: int | None,
    trim: bool,
    guidelines_version: str,
    also: dict[Path, str] | None = None,
) -> ImportedPass:
    """A Label Studio export → the pass folder `out` (all files or none, never a gold folder).

    Each document gets the pass header (`as_pass`): the pass name (the folder's), the Label
    Studio user and time of the annotation, where it was imported from, and the guidelines
    version; the DCT and source come from the corpus, the annotation layers from the export.
    """
    check_pass_folder(out, corpus)
    result = export_to_documents(export, where=where, trim=trim, annotator=annotator)
    if result.problems:
        return ImportedPass([], sorted(result.problems), result.notes)
    documents = []
    for document in result.documents:
        identity = {"annotator": out.name, **result.origins.get(document.id, {}), "imported_from": where}
        documents.append(as_pass(document, identity, guidelines_version, corpus))
    try:
        files = pass_files(documents, out, corpus)
    except ValidationError as error:
        return ImportedPass([], error.problems, result.notes)
    with guard.allow_gold_writes(out):
        write_files({**files, **(also or {})})  # `also` (e.g. the raw export) is guarded as usual
    return ImportedPass(documents, [], result.notes)


def load_pass(folder: Path, corpus: Path, *, require_header: bool = True) -> list[Document]:
    """Every annotation of a pass folder, validated against the corpus texts."""
    if not folder.is_dir():
        raise InputError("no such pass folder", where=str(folder))
    documents, problems = [], []
    for path in annotation_paths(folder):
        document, found = check_path(path, corpus / "documents" / f"{path.stem}.txt", require_header=require_header)
        problems += found
        if document is not None:
            documents.append(document)
    if problems:
        raise ValidationError(problems)
    if not documents:
        raise InputError("no annotation files", where=str(folder))
    return documents


# --- adjudicate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Adjudication:
    documents: list[Document]
    disagreements: list[Disagreement]
    notes: list[str] = field(default_factory=list)


def adjudicate(pass_a: Path, pass_b: Path, out: Path, corpus: Path) -> Adjudication:
    """Merge what two passes agree on into the pass `out`, and list every disagreement beside it
    (`disagreements.jsonl`) for the adjudicator to decide."""
    docs_a, docs_b, notes = common_documents(
        load_pass(pass_a, corpus), load_pass(pass_b, corpus), str(pass_a), str(pass_b)
    )
    found = disagreements(docs_a, docs_b)
    merged = []
    for document_a, document_b in zip(docs_a, docs_b, strict=True):
        identity = {
            "annotator": out.name,
            "adjudication": {
                "from": [_pass_name(document_a, pass_a), _pass_name(document_b, pass_b)],
                "open_disagreements": sum(item.document == document_a.id for item in found),
            },
        }
        version = document_a.metadata.get("guidelines_version", "")
        merged.append(as_pass(merge(document_a, document_b), identity, version, corpus))
    check_pass_folder(out, corpus)
    files = pass_files(merged, out, corpus)
    lines = "".join(json.dumps(item.to_dict(), ensure_ascii=False) + "\n" for item in found)
    files[out / DISAGREEMENTS_FILE] = lines
    with guard.allow_gold_writes(out):
        write_files(files)
    return Adjudication(merged, found, notes)


def _pass_name(document: Document, folder: Path) -> str:
    identity = document.metadata.get("pass")
    return str(identity.get("annotator", folder.name)) if isinstance(identity, dict) else folder.name


# --- promote --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Promotion:
    documents: list[str]
    changes: dict[str, dict[str, Any]]
    log: Path

    def state(self, doc_id: str) -> str:
        change = self.changes[doc_id]
        if change["before"] is None:
            return "new"
        return "unchanged" if change["before"] == change["after"] else "changed"


def render_promotion(promotion: Promotion, fmt: str) -> str:
    """What `khabar promote` did to each document — new, changed or unchanged, with its layer
    counts — one line each (table), as a GitHub table, or as JSON."""
    rows = [(doc_id, promotion.state(doc_id), promotion.changes[doc_id]["counts"]) for doc_id in promotion.documents]
    if fmt == "json":
        documents = [{"document": doc_id, "state": state, "counts": counts} for doc_id, state, counts in rows]
        return to_json({"documents": documents, "log": str(promotion.log)})
    if fmt == "markdown":
        header = ["document", "state", *LAYERS]
        cells = [[doc_id, state, *(str(counts[layer]) for layer in LAYERS)] for doc_id, state, counts in rows]
        return markdown_table(header, cells, left=2) + "\n"
    lines = [
        f"{doc_id}: {state} ({', '.join(f'{layer} {n}' for layer, n in counts.items())})"
        for doc_id, state, counts in rows
    ]
    return "".join(f"{line}\n" for line in lines)


def _layer_counts(document: Document) -> dict[str, int]:
    return {
        "entities": len(document.entities),
        "timex": len(document.timex),
        "events": len(document.events),
        "quotes": len(document.quotes),
    }


def gold_document(document: Document) -> Document:
    """A pass document as gold: its pass identity becomes the gold's `annotators`."""
    identity = document.metadata.get("pass") or {}
    metadata = {key: value for key, value in document.metadata.items() if key != "pass"}
    adjudication = identity.get("adjudication") if isinstance(identity, dict) else None
    if adjudication:
        metadata["annotators"] = [*adjudication.get("from", []), identity.get("annotator", "adjudicator")]
    elif isinstance(identity, dict) and identity.get("annotator"):
        metadata["annotators"] = [identity["annotator"]]
    return replace(document, metadata=metadata)


def promote(pass_folder: Path, corpus: Path, *, when: datetime | None = None) -> Promotion:
    """Make every document of `pass_folder` the gold of `corpus`, after validating all of them;
    one line per promotion is appended to `<corpus>/annotations/promotions.jsonl`."""
    if Path(pass_folder).resolve() in (Path(corpus).resolve(), (corpus / "annotations").resolve()):
        raise InputError("is the gold itself, not a pass", where=str(pass_folder))
    documents = [gold_document(document) for document in load_pass(pass_folder, corpus)]
    files: dict[Path, str] = {}
    changes: dict[str, dict[str, Any]] = {}
    for document in documents:
        path = corpus / "annotations" / f"{document.id}.json"
        content = dumps_annotation(document)
        data = document.to_json()
        found = check_annotation(data, document.text, stem=document.id) + header_problems(data)
        if found:
            raise ValidationError([Problem(str(pass_folder / f"{document.id}.json"), p, m) for p, m in found])
        before = path.read_bytes() if path.is_file() else None
        changes[document.id] = {
            "before": hashlib.sha256(before).hexdigest() if before is not None else None,
            "after": hashlib.sha256(content.encode("utf-8")).hexdigest(),
            "counts": _layer_counts(document),
        }
        files[path] = content
    log = corpus / "annotations" / PROMOTION_LOG
    entry = {
        "date": (when or datetime.now(UTC)).isoformat(timespec="seconds"),
        "pass": str(pass_folder),
        "documents": changes,
    }
    previous = log.read_text(encoding="utf-8") if log.is_file() else ""
    files[log] = previous + json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
    with guard.allow_gold_writes(*files):
        write_files(files)
    return Promotion(sorted(changes), changes, log)
