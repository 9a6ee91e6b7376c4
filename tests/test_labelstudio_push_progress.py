"""`push` imports in batches of `IMPORT_BATCH` tasks and reports each to its progress callback.

The Label Studio SDK is replaced by a recorder of the calls push makes (the real server's
round trip is the Label Studio integration test)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from khabar.labelstudio import client
from khabar.labelstudio.client import IMPORT_BATCH, push


class Recorder:
    """The SDK calls `push` makes, on a project that already holds the tasks of `present`."""

    def __init__(self, present: dict[str, int]):
        self.imports: list[list[str]] = []
        self.updates: list[int] = []
        stored = {task_id: SimpleNamespace(id=task_id, data={"doc_id": doc_id}) for doc_id, task_id in present.items()}
        project = SimpleNamespace(id=1, title="khabar", label_config="<View/>")
        self.projects = SimpleNamespace(
            list=lambda title: [project],
            import_tasks=lambda id, request: self.imports.append([task["data"]["doc_id"] for task in request]),
            update=lambda **kwargs: None,
        )
        self.tasks = SimpleNamespace(
            list=lambda **kwargs: list(stored.values()),
            get=lambda task_id: stored[task_id],
            update=lambda task_id, data: self.updates.append(task_id),
        )


def session_with(sdk: Recorder) -> Any:
    session = client.Session.__new__(client.Session)
    session.url, session._token, session.sdk = "http://127.0.0.1:1", "token", sdk
    return session


def test_push_imports_in_batches_and_reports_each(monkeypatch) -> None:
    count = 2 * IMPORT_BATCH + 3
    tasks = [{"data": {"doc_id": f"doc-{number:04d}", "text": "نص"}} for number in range(count)]
    sdk = Recorder(present={"doc-0000": 10, "doc-0001": 11})
    seen: list[tuple[int, int]] = []
    report = push(session_with(sdk), tasks, "<View/>", update=True, progress=lambda d, t: seen.append((d, t)))
    new = [task["data"]["doc_id"] for task in tasks[2:]]
    assert [len(batch) for batch in sdk.imports] == [IMPORT_BATCH, IMPORT_BATCH, 1]
    assert [doc_id for batch in sdk.imports for doc_id in batch] == new == report.imported
    assert report.already_there == ["doc-0000", "doc-0001"] and sdk.updates == [10, 11]  # their data changed
    assert seen == [(1, count), (2, count), (2 + IMPORT_BATCH, count), (2 + 2 * IMPORT_BATCH, count), (count, count)]


def test_push_without_progress_imports_the_same(monkeypatch) -> None:
    tasks = [{"data": {"doc_id": f"doc-{number:04d}"}} for number in range(3)]
    sdk = Recorder(present={})
    report = push(session_with(sdk), tasks, "<View/>")
    assert sdk.imports == [["doc-0000", "doc-0001", "doc-0002"]] and report.imported == sdk.imports[0]
