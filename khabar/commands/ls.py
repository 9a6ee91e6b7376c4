"""`khabar ls`: move documents and annotations in and out of Label Studio without loss.

    khabar ls config [--out corpus/labelstudio/config.xml]
    khabar ls tasks [CORPUS] [--predictions BASELINE] [--with-gold] [--out tasks.json]
    khabar ls import EXPORT.json --out DIR [--annotator ID] [--no-trim]
    khabar ls push [CORPUS] --url URL [--project TITLE] [--predictions BASELINE] [--with-gold]
    khabar ls pull --url URL --out DIR [--project TITLE] [--export FILE] [--annotator ID] [--no-trim]

The API token is read from LABEL_STUDIO_API_KEY and never printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from khabar.errors import InputError, MalformedInput, Problem, ValidationError
from khabar.files import write_file
from khabar.published import DEFAULT_CORPUS_HELP, default_corpus
from khabar.strictjson import read_json

GOLD_MODEL_VERSION = "gold"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ls",
        help="Label Studio: labeling config, tasks, import, push and pull",
        description=(
            "Move documents and annotations in and out of Label Studio without loss. "
            "push/pull talk to a server at --url with the token from LABEL_STUDIO_API_KEY."
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    config = actions.add_parser("config", help="print or write the labeling config (XML)")
    config.add_argument("--out", type=Path, help="write it here instead of printing it")
    config.set_defaults(run=run_config)

    tasks = actions.add_parser("tasks", help="task JSON for a corpus, with pre-annotations")
    _task_options(tasks)
    tasks.add_argument("--out", type=Path, help="write the JSON here instead of printing it")
    tasks.set_defaults(run=run_tasks)

    imports = actions.add_parser("import", help="a Label Studio JSON export → validated annotation files")
    imports.add_argument("export", type=Path, help="the JSON export (a list of tasks)")
    _import_options(imports)
    imports.set_defaults(run=run_import)

    push = actions.add_parser("push", help="create or update the project and import the tasks it lacks")
    _task_options(push)
    _server_options(push)
    push.set_defaults(run=run_push)

    pull = actions.add_parser("pull", help="export the project's annotations into annotation files")
    _server_options(pull)
    _import_options(pull)
    pull.add_argument("--export", type=Path, help="also keep the raw JSON export in this file")
    pull.set_defaults(run=run_pull, output_options=("out", "export"))


def _task_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "corpus", nargs="?", type=Path, default=default_corpus(), help=f"corpus folder {DEFAULT_CORPUS_HELP}"
    )
    parser.add_argument("--predictions", metavar="BASELINE", help="pre-annotate with this baseline's predictions")
    parser.add_argument(
        "--with-gold",
        action="store_true",
        help=f"also pre-annotate with the gold annotation (model version '{GOLD_MODEL_VERSION}')",
    )


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", required=True, help="the Label Studio server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--project", default="khabar", help="project title (default: khabar)")


def _import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, required=True, help="corpus folder to write annotations/ (and documents/) to"
    )
    parser.add_argument("--annotator", type=int, help="import this annotator's annotations (a user id)")
    parser.add_argument("--no-trim", action="store_true", help="keep whitespace at span edges")


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        print(f"{problem.code}: {problem}", file=sys.stderr)


def run_config(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.labelstudio.config import label_config

    xml = label_config()
    if args.out is None:
        sys.stdout.write(xml)
    else:
        write_file(args.out, xml, make_folders=True)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def build_tasks(corpus: Path, baseline: str | None, with_gold: bool) -> list[dict[str, Any]]:
    """Tasks for every document of `corpus`, predictions checked against the config."""
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.labelstudio.check import check_task
    from khabar.labelstudio.corpus import corpus_documents, without_annotations
    from khabar.labelstudio.tasks import document_to_task, render_signature

    documents = corpus_documents(corpus)
    predicted: dict[str, list[tuple[str, Any]]] = {document.id: [] for document in documents}
    if with_gold:
        for document in documents:
            predicted[document.id].append((GOLD_MODEL_VERSION, document))
    if baseline is not None:
        try:
            # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
            from khabar.baselines.registry import get
        except ImportError:
            raise InputError("no baselines are installed (khabar.baselines.registry)") from None
        try:
            tagger = get(baseline)
        except KeyError:
            raise InputError(f"unknown baseline {baseline!r}") from None
        model_version = render_signature(tagger.signature())
        for pred in tagger.predict([without_annotations(document) for document in documents]):
            if pred.id not in predicted:
                raise InputError(f"baseline {baseline!r} predicted an unknown document {pred.id!r}")
            predicted[pred.id].append((model_version, pred))
    tasks, problems = [], []
    for document in documents:
        task, unexpressible = document_to_task(document, predicted[document.id])
        problems += unexpressible
        problems += check_task(task)
        tasks.append(task)
    _report([problem for problem in problems if problem.code == "unexpressible"])
    invalid = [problem for problem in problems if problem.code != "unexpressible"]
    if invalid:
        _report(invalid)
        raise ValidationError(invalid)
    return tasks


def run_tasks(args: argparse.Namespace) -> int:
    tasks = build_tasks(args.corpus, args.predictions, args.with_gold)
    text = json.dumps(tasks, ensure_ascii=False, indent=2) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_file(args.out, text)
        print(f"wrote {len(tasks)} task(s) to {args.out}", file=sys.stderr)
    return 0


def _read_export(path: Path) -> Any:
    return read_json(path)


def write_import(
    export: Any, where: str, out: Path, annotator: int | None, trim: bool, also: dict[Path, str] | None = None
) -> int:
    """Convert an export and write its documents under `out`, with the files of `also`, as one
    set: nothing is written on any problem."""
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.files import write_files
    from khabar.labelstudio.annotations import MALFORMED, export_to_documents
    from khabar.store import document_files

    result = export_to_documents(export, where=where, trim=trim, annotator=annotator)
    _report(result.notes)
    problems = list(result.problems)
    for document in result.documents:
        text_path = out / "documents" / f"{document.id}.txt"
        try:
            if text_path.exists() and text_path.read_bytes() != document.text.encode("utf-8"):
                problems.append(Problem(str(text_path), "", "differs from the text in Label Studio", "text"))
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror}", where=str(text_path)) from None
    if problems:
        if len(problems) > 1:  # the error line names only the first
            _report(sorted(problems))
        malformed = any(problem.code == MALFORMED for problem in problems)
        raise (MalformedInput if malformed else ValidationError)(problems)
    if out.exists() and not out.is_dir():
        raise InputError("cannot write: not a folder", where=str(out))
    files: dict[Path, str] = dict(also or {})
    for document in result.documents:
        files.update(document_files(document, out))
    write_files(files)
    print(f"wrote {len(result.documents)} annotation file(s) to {out / 'annotations'}", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    export = _read_export(args.export)
    return write_import(export, str(args.export), args.out, args.annotator, not args.no_trim)


def run_push(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.labelstudio.client import Session, push
    from khabar.labelstudio.config import label_config

    tasks = build_tasks(args.corpus, args.predictions, args.with_gold)
    session = Session(args.url)
    report = push(session, tasks, label_config(), title=args.project)
    action = "created" if report.created else "updated"
    print(f"project {args.project!r} (id {report.project_id}) {action} at {session.url}", file=sys.stderr)
    print(f"imported {len(report.imported)} task(s); {len(report.already_there)} already there", file=sys.stderr)
    return 0


def run_pull(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.labelstudio.client import Session, pull

    session = Session(args.url)
    project_id, export = pull(session, title=args.project)
    where = f"{session.url} project {project_id}"
    also = {}
    if args.export is not None:  # kept with the import, all or nothing
        also[args.export] = json.dumps(export, ensure_ascii=False, indent=2) + "\n"
        where = str(args.export)
    return write_import(export, where, args.out, args.annotator, not args.no_trim, also)
