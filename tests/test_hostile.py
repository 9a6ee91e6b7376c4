"""Hostile inputs against every command: whatever the input, the exit code is one of
0, 1, 2, 130, 143; nothing prints a traceback; every input file is byte-identical
afterwards; a command that fails writes no output.

Hypothesis draws a command, a file it reads (a gold annotation, a prediction line, a
Label Studio export, a reference) and a corruption from the families the adversarial
review found: deep nesting, numbers with thousands of digits, lone surrogates, duplicate
keys, NaN, misspelled keys, values of the wrong type, ids with a newline, refs that are
lists or objects, truncated and non-UTF-8 files.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.cli import main
from khabar.eval.predictions import write_predictions
from khabar.labelstudio.tasks import document_to_task
from khabar.store import load_corpus
from tests.fixture_corpus import make_corpus, snapshot
from tests.strategies import value_paths
from tests.test_labelstudio_roundtrip import exported

SENTINEL = "@@hostile@@"
EXIT_CODES = {0, 1, 2, 130, 143}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A project folder: a built gold corpus, predictions, a Label Studio export, a reference."""
    root = tmp_path_factory.mktemp("hostile")
    corpus = make_corpus(root / "corpus")
    gold = load_corpus(corpus)
    write_predictions(root / "pred.jsonl", gold)
    write_predictions(root / "other.jsonl", gold[1:])
    tasks = [document_to_task(document, [("gold", document)])[0] for document in gold]
    (root / "export.json").write_text(json.dumps(exported(tasks), ensure_ascii=False), encoding="utf-8")
    reference = {
        "systems": {"rules": {"entities": {"metric": "m", "f1": 0.5, "ci": [0.4, 0.6], "deterministic": True}}}
    }
    (root / "scores.json").write_text(json.dumps(reference), encoding="utf-8")
    return root


# Each command: argv for a project folder and an output folder `out` (absent beforehand).
COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "validate": lambda p, o: ["validate", str(p / "corpus")],
    "build": lambda p, o: ["build", "--corpus", str(p / "corpus"), "--out", str(o)],
    "export": lambda p, o: ["export", "conll", "--corpus", str(p / "corpus"), "--out", str(o / "x.conll")],
    "agree": lambda p, o: ["agree", str(p / "corpus"), str(p / "corpus"), "--bootstrap", "0"],
    "evaluate": lambda p, o: [
        *["evaluate", str(p / "pred.jsonl"), "--gold", str(p / "corpus"), "--bootstrap", "0"],
        *["--out", str(o / "scores.txt")],
    ],
    "compare": lambda p, o: [
        *["compare", str(p / "pred.jsonl"), str(p / "other.jsonl"), "--gold", str(p / "corpus")],
        *["--bootstrap", "1", "--trials", "1", "--out", str(o / "cmp.txt")],
    ],
    "report": lambda p, o: [
        *["report", str(p / "pred.jsonl"), "--gold", str(p / "corpus"), "--bootstrap", "0"],
        *["--out", str(o / "r.html")],
    ],
    "ls tasks": lambda p, o: ["ls", "tasks", str(p / "corpus"), "--out", str(o / "tasks.json")],
    "ls import": lambda p, o: ["ls", "import", str(p / "export.json"), "--out", str(o)],
    "perturb": lambda p, o: ["perturb", "tatweel", "--corpus", str(p / "corpus"), "--out", str(o)],
    "check": lambda p, o: ["check", "--reference", str(p / "scores.json"), "--gold", str(p / "corpus")],
    "predict": lambda p, o: ["predict", "--baseline", "rules", "--corpus", str(p / "corpus"), "--out", str(o / "p")],
}
# The file each command is attacked through (the gold for the rest).
TARGETS = {
    "evaluate": "pred.jsonl",
    "compare": "pred.jsonl",
    "report": "pred.jsonl",
    "ls import": "export.json",
    "check": "scores.json",
}
GOLD = "corpus/annotations/doc-0002.json"


def _at(value: Any, place: tuple) -> Any:
    for key in place:
        value = value[key]
    return value


# A corruption is raw JSON text standing for a value; a few families change a key instead.
raw_values = st.one_of(
    st.integers(65, 3000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(65, 400).map(lambda depth: '{"a": ' * depth + "1" + "}" * depth),
    st.integers(41, 6000).map(lambda digits: "7" * digits),
    st.sampled_from(['"\\udc00"', '"x\\ud800y"', '"doc-0001\\n"', '"T1\\u0000"', "NaN", "-Infinity", "1e999"]),
    st.sampled_from(['["T1"]', '{"id": "T1"}', "null", "true", "[]", "{}", '""', "-1", "3.5", '"DAY"']),
    st.recursive(
        st.none() | st.booleans() | st.integers(-5, 10**9) | st.text(max_size=4),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
        max_leaves=5,
    ).map(lambda value: json.dumps(value)),
)


@st.composite
def corruptions(draw, document: Any) -> tuple[str, Any]:
    """(kind, details) of one corruption of the JSON `document`."""
    kind = draw(st.sampled_from(["value", "value", "duplicate key", "misspelled key", "bytes"]))
    places = value_paths(document)
    if kind == "bytes":
        return kind, draw(st.sampled_from(["truncate", "non-utf8", "empty"]))
    if kind == "value":
        return kind, (draw(st.sampled_from(places[1:])), draw(raw_values))
    objects = [place for place in places if isinstance(_at(document, place), dict) and _at(document, place)]
    place = draw(st.sampled_from(objects))
    key = draw(st.sampled_from(sorted(_at(document, place))))
    return kind, (place, key)


def _misspelled(key: str) -> str:
    return key[:-1] if len(key) > 1 else key + key


def _corrupt_json(document: Any, kind: str, details: Any) -> str:
    """The JSON text of `document` with the corruption applied."""
    document = json.loads(json.dumps(document))
    if kind == "value":
        place, raw = details
        parent = _at(document, place[:-1])
        parent[place[-1]] = SENTINEL
        return json.dumps(document, ensure_ascii=False).replace(json.dumps(SENTINEL), raw, 1)
    place, key = details
    container = _at(document, place)
    if kind == "misspelled key":
        container[_misspelled(key)] = container.pop(key)
        return json.dumps(document, ensure_ascii=False)
    container[SENTINEL] = container[key]  # duplicate key: the key twice in one object
    return json.dumps(document, ensure_ascii=False).replace(json.dumps(SENTINEL), json.dumps(key), 1)


def _apply(path: Path, kind: str, details: Any, line: int | None) -> None:
    raw = path.read_bytes()
    if kind == "bytes":
        corrupted = {"truncate": raw[: len(raw) // 2], "non-utf8": raw[:10] + b"\xff\xfe" + raw[10:], "empty": b""}
        path.write_bytes(corrupted[details])
        return
    if line is None:
        path.write_text(_corrupt_json(json.loads(raw), kind, details), encoding="utf-8")
        return
    lines = raw.decode("utf-8").splitlines()
    lines[line] = _corrupt_json(json.loads(lines[line]), kind, details)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@st.composite
def attacks(draw, template: Path) -> tuple[str, str, Any, int | None]:
    command = draw(st.sampled_from(sorted(COMMANDS)))
    target = TARGETS.get(command, GOLD)
    line = None
    if target.endswith(".jsonl"):
        lines = (template / target).read_text(encoding="utf-8").splitlines()
        line = draw(st.integers(0, len(lines) - 1))
        document = json.loads(lines[line])
    else:
        document = json.loads((template / target).read_text(encoding="utf-8"))
    kind, details = draw(corruptions(document))
    return command, kind, details, line


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_hostile_inputs_never_lose_data(template, capsys, data):
    command, kind, details, line = data.draw(attacks(template))
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "project"
        shutil.copytree(template, project, symlinks=True)
        _apply(project / TARGETS.get(command, GOLD), kind, details, line)
        out = Path(folder) / "out"
        before = snapshot(project)
        capsys.readouterr()
        code = main(COMMANDS[command](project, out))
        captured = capsys.readouterr()
        assert code in EXIT_CODES, (command, kind, details, captured.err)
        assert "Traceback" not in captured.err + captured.out
        assert snapshot(project) == before, (command, kind, details)
        if code != 0:
            assert not out.exists() or not any(out.iterdir()), (command, kind, details, code, captured.err)
            assert captured.err.strip(), "a failure says why"
