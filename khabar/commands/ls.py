"""`khabar ls`: move documents and annotations in and out of Label Studio without loss.

    khabar ls config [--out corpus/labelstudio/config.xml]
    khabar ls tasks [CORPUS] [--predictions BASELINE] [--with-gold | --blind] [--pass DIR …] [--out tasks.json]
    khabar ls import EXPORT.json --out PASS [--corpus CORPUS] [--annotator ID] [--no-trim]
    khabar ls push [CORPUS] --url URL [--project TITLE] [--predictions BASELINE] [--with-gold | --blind]
                   [--pass DIR …] [--update] [--overlap N]
    khabar ls pull --url URL --out PASS [--project TITLE] [--export FILE] [--annotator ID] [--no-trim]

import and pull write a pass folder (`corpus/annotations/passes/<annotator>/`), never the
gold: a folder inside the gold annotations is refused. The API token is read from
LABEL_STUDIO_API_KEY and never printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from khabar.commands import status
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
    # The pass folder is checked by the pass writer (never the gold; under annotations/passes/ of an
    # input corpus is allowed), so it is not one of the outputs the CLI refuses inside an input.
    imports.set_defaults(run=run_import, output_options=())

    push = actions.add_parser("push", help="create or update the project and import the tasks it lacks")
    _task_options(push)
    _server_options(push)
    push.add_argument(
        "--update",
        action="store_true",
        help="also refresh the data (text header: DCT, source) of tasks already in the project",
    )
    push.add_argument(
        "--overlap",
        type=int,
        metavar="N",
        help="double annotation: every task is annotated by N annotators (maximum_annotations, 100%% overlap)",
    )
    push.set_defaults(run=run_push)

    whoami = actions.add_parser("whoami", help="the Label Studio user of the token: its id is your --annotator")
    _server_options(whoami)
    whoami.set_defaults(run=run_whoami)

    pull = actions.add_parser("pull", help="export the project's annotations into annotation files")
    _server_options(pull)
    _import_options(pull)
    pull.add_argument("--export", type=Path, help="also keep the raw JSON export in this file")
    pull.set_defaults(run=run_pull, output_options=("export",))


def _task_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "corpus", nargs="?", type=Path, default=default_corpus(), help=f"corpus folder {DEFAULT_CORPUS_HELP}"
    )
    parser.add_argument("--predictions", metavar="BASELINE", help="pre-annotate with this baseline's predictions")
    gold = parser.add_mutually_exclusive_group()
    gold.add_argument(
        "--with-gold",
        action="store_true",
        help=f"also pre-annotate with the gold annotation (model version '{GOLD_MODEL_VERSION}')",
    )
    gold.add_argument(
        "--blind",
        action="store_true",
        help="for a blind pass: the tasks carry the text and its header (DCT, source) only — no gold ids, "
        "roles, annotators or annotations",
    )
    parser.add_argument(
        "--pass",
        dest="passes",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="also pre-annotate with this pass folder's annotations (model version 'pass:NAME'; repeatable, "
        "e.g. the adjudication pass and the two passes it merges)",
    )


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", required=True, help="the Label Studio server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--project", default="khabar", help="project title (default: khabar)")


def _import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="PASS",
        help="the pass folder to write <id>.json files to, e.g. corpus/annotations/passes/<annotator> "
        "(a folder of the gold is refused)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path("corpus"),
        help="the corpus whose texts the pass annotates (default: corpus)",
    )
    parser.add_argument(
        "--annotator",
        type=int,
        help="import this annotator's annotations (a Label Studio user id; `khabar ls whoami` prints yours)",
    )
    parser.add_argument("--guidelines", type=Path, default=Path("guidelines"), help="guidelines folder")
    parser.add_argument(
        "--guidelines-version", help="the guidelines version of the pass (default: the one in GUIDELINES/README.md)"
    )
    parser.add_argument("--no-trim", action="store_true", help="keep whitespace at span edges")


def _report(problems: list[Problem], say=status.remark) -> None:
    """Problems one line each: as warnings (`say=status.remark`), or as the details of an error (`status.error`)."""
    for problem in problems:
        say(f"{problem.code}: {problem}")


def run_config(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.labelstudio.config import label_config

    xml = label_config()
    if args.out is None:
        sys.stdout.write(xml)
    else:
        write_file(args.out, xml, make_folders=True)
        status.status(f"wrote {args.out}")
    return 0


def build_tasks(
    corpus: Path, baseline: str | None, with_gold: bool, *, blind: bool = False, passes: list[Path] | None = None
) -> list[dict[str, Any]]:
    """Tasks for every document of `corpus`, predictions checked against the config."""
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.labelstudio.check import check_task
    from khabar.labelstudio.corpus import corpus_documents, without_annotations
    from khabar.labelstudio.tasks import document_to_task, render_signature
    from khabar.runs.annotate import load_pass

    documents = corpus_documents(corpus)
    if blind:
        documents = [without_annotations(document, header_only=True) for document in documents]
    predicted: dict[str, list[tuple[str, Any]]] = {document.id: [] for document in documents}
    if with_gold:
        for document in documents:
            predicted[document.id].append((GOLD_MODEL_VERSION, document))
    for folder in passes or []:
        for document in load_pass(folder, corpus, require_header=False):
            if document.id in predicted:
                predicted[document.id].append((f"pass:{folder.name}", document))
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
        _report(invalid, status.error)
        raise ValidationError(invalid)
    return tasks


def run_tasks(args: argparse.Namespace) -> int:
    tasks = build_tasks(args.corpus, args.predictions, args.with_gold, blind=args.blind, passes=args.passes)
    text = json.dumps(tasks, ensure_ascii=False, indent=2) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_file(args.out, text)
        status.status(f"wrote {len(tasks)} task(s) to {args.out}")
    return 0


def _read_export(path: Path) -> Any:
    return read_json(path)


def write_import(export: Any, where: str, args: argparse.Namespace, also: dict[Path, str] | None = None) -> int:
    """Convert an export into the pass folder `args.out`, with the files of `also` in the same
    set; nothing is written on any problem."""
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.labelstudio.annotations import MALFORMED
    from khabar.runs.annotate import current_guidelines_version, import_pass

    version = args.guidelines_version or current_guidelines_version(args.guidelines)
    result = import_pass(
        export,
        where,
        args.out,
        args.corpus,
        annotator=args.annotator,
        trim=not args.no_trim,
        guidelines_version=version,
        also=also,
    )
    _report(result.notes)
    if result.problems:
        if len(result.problems) > 1:  # the error line names only the first
            _report(result.problems, status.error)
        malformed = any(problem.code == MALFORMED for problem in result.problems)
        raise (MalformedInput if malformed else ValidationError)(result.problems)
    status.status(f"wrote {len(result.documents)} annotation file(s) to the pass {args.out}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    export = _read_export(args.export)
    return write_import(export, str(args.export), args)


def run_push(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.labelstudio.client import Session, push
    from khabar.labelstudio.config import label_config

    if args.overlap is not None and args.overlap < 1:
        raise InputError("--overlap must be 1 or more")
    tasks = build_tasks(args.corpus, args.predictions, args.with_gold, blind=args.blind, passes=args.passes)
    session = Session(args.url)
    with status.progress_bar("push", unit="task") as progress:
        report = push(
            session,
            tasks,
            label_config(),
            title=args.project,
            update=args.update,
            overlap=args.overlap,
            progress=progress,
        )
    action = "created" if report.created else "updated"
    status.status(f"project {args.project!r} (id {report.project_id}) {action} at {session.url}")
    there = f"{len(report.already_there)} already there"
    if args.update:
        there += f" ({len(report.refreshed)} refreshed)"
    status.status(f"imported {len(report.imported)} task(s); {there}")
    return 0


def run_pull(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.labelstudio.client import Session, pull

    session = Session(args.url)
    project_id, export = pull(session, title=args.project)
    where = f"{session.url} project {project_id}"
    also = {}
    if args.export is not None and args.export.is_dir():  # before the import is converted
        raise InputError("cannot write: Is a directory", where=str(args.export))
    if args.export is not None:  # kept with the pass, all or nothing
        also[args.export] = json.dumps(export, ensure_ascii=False, indent=2) + "\n"
        where = str(args.export)
    return write_import(export, where, args, also)


def run_whoami(args: argparse.Namespace) -> int:
    # Deferred for start-up time: `khabar --help` imports every command module (see khabar.cli).
    from khabar.labelstudio.client import Session, whoami

    user = whoami(Session(args.url))
    print(f"id {user['id']} ({user['email'] or user['username']}): pull your pass with --annotator {user['id']}")
    return 0
