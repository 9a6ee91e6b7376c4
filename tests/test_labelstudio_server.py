"""Against a real Label Studio server: push the corpus with predictions, annotate through the API, pull.

Run locally with:

    .ci/install-labelstudio && .venv/bin/python -m pytest -m labelstudio -s tests/test_labelstudio_server.py

One server per test session, on 127.0.0.1, with a throwaway data directory and a
pre-created user and token; it is always stopped when the session ends. Skipped (with
the reason) only when the server's virtual environment is absent; CI installs it.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import socket
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.cli import main
from khabar.document import Document, Entity
from khabar.labelstudio import client, server
from khabar.labelstudio.annotations import export_to_documents
from khabar.labelstudio.config import label_config
from khabar.labelstudio.corpus import corpus_documents
from khabar.labelstudio.tasks import document_to_task, render_signature
from khabar.runs.annotate import load_pass
from khabar.store import load_corpus, save_document
from tests.strategies import documents
from tests.test_labelstudio_roundtrip import hand_made, without_repeated_arguments

pytestmark = pytest.mark.labelstudio


@dataclass
class Running:
    server: server.Server
    credentials: server.Credentials
    startup_seconds: float

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def token(self) -> str:
        return self.credentials.token


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory: pytest.TempPathFactory):
    if not server.executable().exists():
        pytest.skip(f"Label Studio is not installed at {server.venv_path()}: run .ci/install-labelstudio")
    credentials = server.Credentials(
        username="annotator@khabar.test",
        password=secrets.token_urlsafe(12),
        token=f"khabar{secrets.token_hex(20)}",
    )
    # Hold the requested port so that the server has to move on: the fixture must find where it really is.
    busy = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    busy.bind((server.HOST, 0))
    busy.listen()
    started = time.monotonic()
    try:
        running = server.start(tmp_path_factory.mktemp("label-studio"), credentials, port=busy.getsockname()[1])
    finally:
        busy.close()
    try:
        yield Running(running, credentials, time.monotonic() - started)
    finally:
        running.stop()


def test_server_moved_off_the_busy_port_and_validates_the_config(label_studio: Running) -> None:
    assert label_studio.server.port != label_studio.server.requested_port
    assert label_studio.url == f"http://127.0.0.1:{label_studio.server.port}"
    headers = {"Authorization": f"Token {label_studio.token}"}
    with httpx.Client(base_url=label_studio.url, headers=headers, timeout=30) as http:
        assert http.get("/health").status_code == 200
        assert http.post("/api/projects/validate/", json={"label_config": label_config()}).status_code == 204
        # The same endpoint refuses a broken config, so the 204 above means something.
        broken = label_config().replace('toName="text"', 'toName="nothing"', 1)
        assert http.post("/api/projects/validate/", json={"label_config": broken}).status_code == 400


def annotate_as_an_annotator(session: client.Session, project_id: int, extra: dict[str, list[dict[str, Any]]]) -> None:
    """Submit each task's gold pre-annotation as the annotation, plus any extra regions, through the API."""
    for task in session.sdk.tasks.list(project=project_id, fields="task_only"):
        predictions = list(session.sdk.predictions.list(task=task.id))
        (gold,) = [prediction for prediction in predictions if prediction.model_version == "gold"]
        result = list(gold.result) + extra.get(task.data["doc_id"], [])
        session.sdk.annotations.create(id=task.id, result=result, lead_time=12.5)


def _rules_baseline() -> Any | None:
    try:
        from khabar.baselines.registry import get
    except ImportError:
        return None
    return get("rules")


def _files_containing(folder: Path, needle: str) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and needle.encode() in path.read_bytes()]


def test_push_annotate_pull_is_identity_and_the_token_never_shows(
    label_studio: Running,
    corpus_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv(client.TOKEN_ENV_VAR, label_studio.token)
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir / "documents", corpus / "documents")
    shutil.copytree(corpus_dir / "annotations", corpus / "annotations")
    save_document(hand_made(), corpus)
    new_text = "وصل 𝐀 وزير الخارجية إلى دمشق"
    (corpus / "documents" / "doc-9200.txt").write_text(new_text, encoding="utf-8")
    sent = corpus_documents(corpus)
    started = time.monotonic()

    push = ["ls", "push", str(corpus), "--url", label_studio.url, "--project", "round-trip", "--with-gold"]
    baseline = _rules_baseline()
    if baseline is not None:  # once the baselines are installed, their predictions go along too
        push += ["--predictions", "rules"]
    assert main(push) == 0
    pushed = capsys.readouterr()
    project = client.find_project(client.Session(label_studio.url), "round-trip")
    assert pushed.err == (
        f"project 'round-trip' (id {project.id}) created at {label_studio.url}\n"
        f"imported {len(sent)} task(s); 0 already there\n"
    )
    if baseline is not None:
        (task,) = [
            t
            for t in client.Session(label_studio.url).sdk.tasks.list(project=project.id)
            if t.data["doc_id"] == "doc-0001"
        ]
        versions = {p.model_version for p in client.Session(label_studio.url).sdk.predictions.list(task=task.id)}
        assert versions == {"gold", render_signature(baseline.signature())}
    # Pushing again duplicates nothing.
    assert main(push) == 0
    assert capsys.readouterr().err.endswith(f"imported 0 task(s); {len(sent)} already there\n")

    # The annotator keeps every pre-annotation and marks one new entity in the new document
    # (the editor gives new regions random ids; they are kept).
    start = new_text.index("دمشق")
    new_region = {
        "id": "Zq3x_8LkP0",
        "from_name": "entity",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {"start": start, "end": start + 4, "text": "دمشق", "labels": ["GPE"]},
    }
    annotate_as_an_annotator(client.Session(label_studio.url), project.id, {"doc-9200": [new_region]})

    out, export = tmp_path / "pulled", tmp_path / "export.json"
    pull = ["ls", "pull", "--url", label_studio.url, "--project", "round-trip", "--out", str(out)]
    assert main([*pull, "--export", str(export), "--corpus", str(corpus)]) == 0
    pulled = capsys.readouterr()
    elapsed = time.monotonic() - started
    assert pulled.err == f"wrote {len(sent)} annotation file(s) to the pass {out}\n"

    expected = {document.id: document for document in sent}
    expected["doc-9200"] = Document(
        id="doc-9200", text=new_text, entities=(Entity("Zq3x_8LkP0", start, start + 4, "GPE", "دمشق"),)
    )
    # The layers come back as sent; the header is the pass's own (metadata), the document facts the corpus's.
    got = [replace(document, metadata={}) for document in load_pass(out, corpus, require_header=False)]
    assert got == [replace(expected[key], metadata={}) for key in sorted(expected)]

    for captured in (pushed.out, pushed.err, pulled.out, pulled.err, caplog.text):
        assert label_studio.token not in captured
    assert _files_containing(tmp_path, label_studio.token) == []
    with capsys.disabled():
        print(
            f"\nlabel studio: server start {label_studio.startup_seconds:.1f} s; "
            f"push, annotate and pull of {len(sent)} documents {elapsed:.1f} s"
        )


def test_server_errors_never_show_the_token(
    label_studio: Running, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv(client.TOKEN_ENV_VAR, label_studio.token)
    assert main(["ls", "pull", "--url", label_studio.url, "--project", "no-such", "--out", str(tmp_path / "o")]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"Error: {label_studio.url}: no project titled 'no-such'\n"
    wrong = label_studio.token[::-1]
    monkeypatch.setenv(client.TOKEN_ENV_VAR, wrong)
    assert main(["ls", "pull", "--url", label_studio.url, "--out", str(tmp_path / "o")]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"Error: {label_studio.url}: listing projects failed: HTTP 401")
    for text in (captured.out, captured.err, caplog.text):
        assert label_studio.token not in text and wrong not in text
    assert not (tmp_path / "o").exists()


@settings(max_examples=5, deadline=None)
@given(st.lists(documents(), min_size=1, max_size=4, unique_by=lambda document: document.id))
def test_generated_documents_survive_the_server(label_studio: Running, batch: list[Document]) -> None:
    session = client.Session(label_studio.url, token=label_studio.token)
    tasks = [document_to_task(document, [("gold", document)])[0] for document in batch]
    title = f"generated-{uuid.uuid4().hex[:8]}"
    report = client.push(session, tasks, label_config(), title=title)
    annotate_as_an_annotator(session, report.project_id, {})
    _, export = client.pull(session, title=title)
    result = export_to_documents(export, where="server", trim=False)
    assert result.problems == []
    by_id = {document.id: document for document in result.documents}
    assert by_id == {document.id: without_repeated_arguments(document) for document in batch}


def test_blind_push_annotate_pull_into_a_pass_and_a_refused_pull_into_the_gold(
    label_studio: Running, corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from tests.fixture_corpus import snapshot
    from tests.generated_documents import fixture_document

    monkeypatch.setenv(client.TOKEN_ENV_VAR, label_studio.token)
    assert server.server_environment(tmp_path, 1, label_studio.credentials)["LATEST_VERSION_CHECK"] == "false"
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    gold = fixture_document(2)
    save_document(gold, corpus)  # a gold-annotated document, pushed blind
    push = ["ls", "push", str(corpus), "--url", label_studio.url, "--project", "blind", "--blind", "--overlap", "2"]
    assert main(push) == 0
    capsys.readouterr()
    session = client.Session(label_studio.url)
    project = client.find_project(session, "blind")
    assert project.maximum_annotations == 2
    tasks = {task.data["doc_id"]: task for task in session.sdk.tasks.list(project=project.id)}
    assert sorted(tasks) == ["doc-0001", "doc-0002"]
    for task in tasks.values():
        # Blind: the text and its header, no gold ids, roles, annotators or pre-annotations.
        header = task.data["khabar"]
        assert set(header) == {"id", "text_sha256", "language", "dct", "source", "arguments"}
        assert header["arguments"] == {} and list(session.sdk.predictions.list(task=task.id)) == []
    assert tasks["doc-0002"].data["khabar"]["dct"] == gold.dct.to_json()

    # Who am I: the id --annotator takes.
    assert main(["ls", "whoami", "--url", label_studio.url]) == 0
    user_id = session.sdk.users.whoami().id
    assert capsys.readouterr().out.startswith(f"id {user_id} (")

    # The annotator marks the person in doc-0002 through the API.
    person = gold.entities[0]
    region = {
        "id": "p1",
        "from_name": "entity",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {"start": person.start, "end": person.end, "text": person.text, "labels": ["PER"]},
    }
    session.sdk.annotations.create(id=tasks["doc-0002"].id, result=[region], lead_time=3.0)

    before = snapshot(corpus / "annotations", corpus / "documents")
    pull = ["ls", "pull", "--url", label_studio.url, "--project", "blind", "--corpus", str(corpus)]
    gold_folder = corpus / "annotations"
    assert main([*pull, "--out", str(gold_folder), "--annotator", str(user_id)]) == 2
    assert capsys.readouterr().err.startswith(f"Error: {gold_folder}: refusing to write a pass here")
    assert snapshot(corpus / "annotations", corpus / "documents") == before

    out = corpus / "annotations" / "passes" / "annotator-blind"
    assert main([*pull, "--out", str(out), "--annotator", str(user_id)]) == 0
    assert "wrote 1 annotation file(s) to the pass" in capsys.readouterr().err
    (pulled,) = load_corpus(out)
    assert pulled.id == "doc-0002" and pulled.entities == (Entity("p1", person.start, person.end, "PER", person.text),)
    assert pulled.dct == gold.dct and pulled.source == gold.source
    assert "annotators" not in pulled.metadata
    assert pulled.metadata["pass"]["annotator"] == "annotator-blind"
    assert pulled.metadata["pass"]["label_studio_user"] == user_id
    # The gold never changed: only the pass folder is new.
    after = snapshot(corpus / "annotations", corpus / "documents")
    assert {key: value for key, value in after.items() if "/passes/annotator-blind" not in key} == before

    # A header changed after the push reaches Label Studio with --update (annotations stay).
    save_document(replace(gold, source={**gold.source, "url": "https://example.org/fixture"}), corpus)
    assert main([*push, "--update"]) == 0
    assert capsys.readouterr().err.endswith("imported 0 task(s); 2 already there (1 refreshed)\n")
    task = session.sdk.tasks.get(tasks["doc-0002"].id)
    assert task.data["khabar"]["source"]["url"] == "https://example.org/fixture"
    assert len(list(session.sdk.annotations.list(id=task.id))) == 1
