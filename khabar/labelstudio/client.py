"""Push tasks to and pull annotations from a Label Studio server, with label-studio-sdk.

The API token comes from `LABEL_STUDIO_API_KEY` only (never an argument, so it never
lands in shell history or a process list) and is never printed or logged: errors from
the server or the HTTP layer are re-raised as `ServerError` with the token masked.

- `push`: create the project (by title) or update its labeling config, then import every
  task whose `doc_id` the project does not hold yet, predictions included, in calls of
  `IMPORT_BATCH` tasks (one call for a small corpus), reporting each to `progress`.
  Pushing again is harmless: documents already there are reported, not duplicated.
- `pull`: the project's JSON export (all tasks), as Label Studio produces it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from khabar.errors import InputError, KhabarError
from khabar.progress import Progress

TOKEN_ENV_VAR = "LABEL_STUDIO_API_KEY"
DEFAULT_PROJECT = "khabar"
_MASK = "***"
# Tasks per import request: a request stays small for a large corpus, and each one is a step of progress.
IMPORT_BATCH = 100


class ServerError(KhabarError):
    """The Label Studio server refused or failed a request."""

    code = "server"


def api_key() -> str:
    token = os.environ.get(TOKEN_ENV_VAR, "")
    if not token.strip():
        raise InputError(f"{TOKEN_ENV_VAR} is not set", hint="the token from Label Studio's Account & Settings page")
    return token


def _masked(message: str, token: str) -> str:
    return message.replace(token, _MASK) if token else message


class Session:
    """An SDK client bound to one server; every call goes through `call` to mask failures."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 120.0):
        # Deferred for start-up time: the SDK client takes seconds to import; only push and pull need it.
        from label_studio_sdk.client import LabelStudio

        self.url = url.rstrip("/")
        self._token = token if token is not None else api_key()
        self.sdk = LabelStudio(base_url=self.url, api_key=self._token, timeout=timeout)

    def __repr__(self) -> str:
        return f"Session(url={self.url!r})"

    def call(self, what: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except KhabarError:
            raise
        except Exception as error:  # the SDK raises ApiError, httpx and pydantic errors alike
            status = getattr(error, "status_code", None)
            body = getattr(error, "body", None)
            detail = f"HTTP {status}: {body}" if status is not None else f"{type(error).__name__}: {error}"
            raise ServerError(_masked(f"{what} failed: {detail}", self._token), where=self.url) from None


def find_project(session: Session, title: str) -> Any | None:
    projects = session.call("listing projects", lambda: list(session.sdk.projects.list(title=title)))
    matching = [project for project in projects if project.title == title]
    return min(matching, key=lambda project: project.id) if matching else None


def existing_doc_ids(session: Session, project_id: int) -> dict[str, int]:
    """The project's tasks by document id."""

    def collect() -> dict[str, int]:
        ids = {}
        for task in session.sdk.tasks.list(project=project_id, fields="task_only", page_size=100):
            data = task.data or {}
            if "doc_id" in data:
                ids.setdefault(str(data["doc_id"]), task.id)
        return ids

    return session.call("listing tasks", collect)


def whoami(session: Session) -> dict[str, Any]:
    """The user the token belongs to: its id (what `--annotator` takes), email and username."""
    user = session.call("asking who the token belongs to", session.sdk.users.whoami)
    return {"id": user.id, "email": getattr(user, "email", None), "username": getattr(user, "username", None)}


@dataclass
class PushReport:
    project_id: int
    created: bool
    imported: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)


def push(
    session: Session,
    tasks: list[dict[str, Any]],
    label_config: str,
    title: str = DEFAULT_PROJECT,
    *,
    update: bool = False,
    overlap: int | None = None,
    progress: Progress | None = None,
) -> PushReport:
    """Create or update the project, then import the tasks it lacks (with their predictions),
    `IMPORT_BATCH` per request.

    `update` also replaces the data of tasks already there whose data changed (a header
    added after the first push reaches Label Studio); their annotations stay. `overlap`
    sets double (or n-fold) annotation: every task goes to `overlap` annotators.
    `progress(done, total)` counts the tasks refreshed (with `update`) and imported.
    """
    project = find_project(session, title)
    created = project is None
    if project is None:
        project = session.call(
            "creating the project",
            session.sdk.projects.create,
            title=title,
            label_config=label_config,
            description="khabar: Arabic news entities, events, dates and quotes",
        )
    elif project.label_config != label_config:
        update_project = session.sdk.projects.update
        session.call("updating the labeling config", update_project, id=project.id, label_config=label_config)
    if overlap is not None:
        session.call(
            "setting the overlap",
            session.sdk.projects.update,
            id=project.id,
            maximum_annotations=overlap,
            overlap_cohort_percentage=100,
        )
    present = existing_doc_ids(session, project.id)
    new = [task for task in tasks if str(task["data"]["doc_id"]) not in present]
    report = PushReport(project.id, created)
    report.already_there = sorted(str(task["data"]["doc_id"]) for task in tasks if task not in new)
    existing = [task for task in tasks if str(task["data"]["doc_id"]) in present] if update else []
    total = len(existing) + len(new)
    for done, task in enumerate(existing, start=1):
        doc_id = str(task["data"]["doc_id"])
        stored = session.call("reading a task", session.sdk.tasks.get, present[doc_id])
        if (stored.data or {}) != task["data"]:
            session.call("updating a task", session.sdk.tasks.update, present[doc_id], data=task["data"])
            report.refreshed.append(doc_id)
        if progress is not None:
            progress(done, total)
    for start in range(0, len(new), IMPORT_BATCH):
        batch = new[start : start + IMPORT_BATCH]
        session.call("importing tasks", session.sdk.projects.import_tasks, id=project.id, request=batch)
        report.imported += [str(task["data"]["doc_id"]) for task in batch]
        if progress is not None:
            progress(len(existing) + len(report.imported), total)
    return report


def pull(session: Session, title: str = DEFAULT_PROJECT) -> tuple[int, list[dict[str, Any]]]:
    """The project's id and its full JSON export."""
    project = find_project(session, title)
    if project is None:
        raise ServerError(f"no project titled {title!r}", where=session.url)
    export = session.call("exporting", session.sdk.projects.exports.as_json, project.id)
    return project.id, export
