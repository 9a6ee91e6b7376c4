"""`ls import` of structurally corrupted exports: Problems or one-line errors, never a traceback."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.cli import main
from khabar.errors import KhabarError
from khabar.labelstudio.annotations import export_to_documents
from khabar.labelstudio.tasks import document_to_task
from khabar.runs.annotate import import_pass
from khabar.store import save_document
from tests.strategies import value_paths
from tests.test_labelstudio_roundtrip import exported, hand_made


def _valid_export() -> list[dict[str, Any]]:
    document = hand_made()
    task, _ = document_to_task(document, [("gold", document)])
    return exported([task])


VALID = _valid_export()


PLACES = value_paths(VALID)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 10**6) | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def _substitute(export: Any, place: tuple, value: Any) -> Any:
    if not place:
        return value
    corrupted = copy.deepcopy(export)
    container = corrupted
    for key in place[:-1]:
        container = container[key]
    container[place[-1]] = value
    return corrupted


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*")) if folder.exists() else []


def test_the_valid_export_imports() -> None:
    result = export_to_documents(VALID)
    assert result.problems == [] and [document.id for document in result.documents] == ["doc-9100"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(PLACES), json_values), min_size=1, max_size=3))
def test_random_type_substitutions_never_raise_and_write_nothing_on_problems(tmp_path_factory, substitutions) -> None:
    export: Any = VALID
    for place, value in substitutions:
        if place and not _reachable(export, place):
            continue
        export = _substitute(export, place, value)
    result = export_to_documents(export, where="export.json")
    for problem in result.problems:
        assert problem.where == "export.json" and (problem.pointer.startswith("/") or problem.pointer == "")
    corpus = tmp_path_factory.mktemp("corpus")
    save_document(hand_made(), corpus)
    out = corpus / "annotations" / "passes" / "p"
    try:
        imported = import_pass(export, "export.json", out, corpus, annotator=None, trim=True, guidelines_version="2")
    except KhabarError:
        assert _files(out) == []
    else:
        if imported.problems:
            assert _files(out) == []
        else:
            assert not result.problems and len(_files(out)) == len(imported.documents)


def _reachable(export: Any, place: tuple) -> bool:
    container = export
    for key in place[:-1]:
        try:
            container = container[key]
        except (KeyError, IndexError, TypeError):
            return False
    if isinstance(container, dict):
        return True
    return isinstance(container, list) and isinstance(place[-1], int) and place[-1] < len(container)


def _annotation(export: list[dict[str, Any]]) -> dict[str, Any]:
    return export[0]["annotations"][0]


@pytest.mark.parametrize(
    ("corrupt", "pointer", "message"),
    [
        (lambda e: e[0]["data"].__setitem__("khabar", []), "/0/data/khabar", "task data khabar must be an object"),
        (
            lambda e: _annotation(e)["result"][0].__setitem__("id", ["x"]),
            "/0/annotations/0/result/0/id",
            "a result id must be a string",
        ),
        (
            lambda e: _annotation(e)["result"][-1].__setitem__("from_id", {"a": 1}),
            "/0/annotations/0/result/",
            "",
        ),
        (lambda e: e[0].__setitem__("annotations", {"x": 1}), "/0/annotations", "annotations must be a list"),
        (lambda e: _annotation(e).__setitem__("result", "x"), "/0/annotations/0/result", "result must be a list"),
    ],
)
def test_corrupted_structure_is_one_line_exit_2(corrupt, pointer, message, tmp_path: Path, capsys) -> None:
    export = copy.deepcopy(VALID)
    corrupt(export)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["ls", "import", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {path}:{pointer}") and "Traceback" not in err, err
    assert message in err
    assert not out.exists()


def test_every_structural_problem_is_listed(tmp_path: Path, capsys) -> None:
    export = copy.deepcopy(VALID)
    export[0]["data"]["khabar"] = []
    _annotation(export)["result"][0]["id"] = ["x"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    assert main(["ls", "import", str(path), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"malformed: {path}:/0/annotations/0/result/0/id: a result id must be a string\n"
        f"malformed: {path}:/0/data/khabar: task data khabar must be an object\n"
        f"Error: 2 problems; first: {path}:/0/annotations/0/result/0/id: a result id must be a string\n"
    )
