"""Every reproducer of "nothing is ever lost": exit 2 (or 1 where problems are found), one
line naming the file and the field, no traceback, and every file byte-identical.

The `--out`-names-an-input reproducers are in `test_guard.py`; the write path's own
failures (full disk, interrupts, symlinks, modes) in `test_files.py`; interrupts of
whole commands in `test_interrupts.py`.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest

from khabar import files
from khabar.cli import main
from khabar.eval.predictions import write_predictions
from khabar.labelstudio.tasks import document_to_task
from khabar.store import load_corpus
from tests.fixture_corpus import make_corpus, snapshot
from tests.test_labelstudio_roundtrip import exported

PAYLOAD = "@@payload@@"
DEEP = "[" * 2000 + "]" * 2000
LONG_NUMBER = "1" + "0" * 5000
DEEP_POINTER = "/note" + "/0" * 63


@pytest.fixture
def project(tmp_path: Path) -> Path:
    corpus = make_corpus(tmp_path / "corpus")
    gold = load_corpus(corpus)
    write_predictions(tmp_path / "pred.jsonl", gold)
    write_predictions(tmp_path / "other.jsonl", gold[:2])
    tasks = [document_to_task(document, [("gold", document)])[0] for document in gold]
    (tmp_path / "export.json").write_text(json.dumps(exported(tasks), ensure_ascii=False), encoding="utf-8")
    (tmp_path / "pulled" / "annotations").mkdir(parents=True)
    (tmp_path / "pulled" / "annotations" / "doc-0001.json").write_text("an earlier import\n", encoding="utf-8")
    return tmp_path


def one_line(capsys, argv: list[str], watched: Path, code: int = 2) -> str:
    """Run `argv`; assert the exit code, a single stderr line, no traceback and no file changed."""
    before = snapshot(watched)
    capsys.readouterr()
    assert main(argv) == code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    lines = [line for line in captured.err.splitlines() if not line.startswith("Warning: ")]
    assert len(lines) == 1, lines
    assert snapshot(watched) == before
    return lines[0]


def with_payload(value: Any, raw: str) -> str:
    """`value` as JSON with the string PAYLOAD replaced by the raw JSON text `raw`."""
    return json.dumps(value, ensure_ascii=False).replace(json.dumps(PAYLOAD), raw)


def corrupt_annotation(corpus: Path, change, raw: str) -> Path:
    path = corpus / "annotations" / "doc-0002.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(with_payload(data, raw), encoding="utf-8")
    return path


def corrupt_predictions(path: Path, change, raw: str) -> Path:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    change(lines[1])
    path.write_text("\n".join(with_payload(line, raw) for line in lines) + "\n", encoding="utf-8")
    return path


# --- bad JSON in the gold: every command that reads it ------------------------------------

GOLD_READERS = {
    "build": lambda root: ["build", "--corpus", str(root / "corpus")],
    "export": lambda root: ["export", "conll", "--corpus", str(root / "corpus"), "--out", str(root / "x.conll")],
    "agree": lambda root: ["agree", str(root / "corpus"), str(root / "corpus"), "--bootstrap", "0"],
    "evaluate": lambda root: ["evaluate", str(root / "pred.jsonl"), "--gold", str(root / "corpus"), "--bootstrap", "0"],
    "ls tasks": lambda root: ["ls", "tasks", str(root / "corpus"), "--out", str(root / "tasks.json")],
    "perturb": lambda root: ["perturb", "tatweel", "--corpus", str(root / "corpus"), "--out", str(root / "variant")],
}


def _note(data: dict) -> None:
    data["note"] = PAYLOAD


def _start(data: dict) -> None:
    data["entities"][0]["start"] = PAYLOAD


GOLD_FAMILIES = {
    "nested 2,000 deep": (_note, DEEP, f"{DEEP_POINTER}: nested deeper than 64 levels"),
    "an offset of 5,001 digits": (_start, LONG_NUMBER, "/entities/0/start: a number with 5001 digits (at most 40)"),
    "a lone surrogate": (_note, '"\\udc00"', "/note: lone surrogate U+DC00 at character 0 (not valid Unicode)"),
    "a duplicate key": (
        lambda data: data.update(id=PAYLOAD),
        '"doc-0002", "id": "doc-0002"',
        "/id: duplicate key 'id'",
    ),
}


@pytest.mark.parametrize("family", sorted(GOLD_FAMILIES))
@pytest.mark.parametrize("command", sorted(GOLD_READERS))
def test_bad_json_in_the_gold_is_one_line_for_every_reader(project, capsys, command, family):
    change, raw, expected = GOLD_FAMILIES[family]
    path = corrupt_annotation(project / "corpus", change, raw)
    line = one_line(capsys, GOLD_READERS[command](project), project)
    assert line == f"Error: {path}:{expected}"
    assert not (project / "x.conll").exists() and not (project / "variant").exists()


@pytest.mark.parametrize("family", sorted(GOLD_FAMILIES))
def test_validate_lists_bad_json_as_an_input_error(project, capsys, family):
    change, raw, expected = GOLD_FAMILIES[family]
    path = corrupt_annotation(project / "corpus", change, raw)
    before = snapshot(project)
    assert main(["validate", str(project / "corpus")]) == 2
    captured = capsys.readouterr()
    assert captured.out == f"{path}:{expected}\n"
    assert captured.err == "1 problem(s) in 3 file(s)\n"
    assert snapshot(project) == before


# --- bad JSON in predictions, a reference, a Label Studio export ---------------------------

PRED_FAMILIES = {
    "nested 2,000 deep": (
        lambda line: line.update(entities=PAYLOAD),
        DEEP,
        "line 2: /entities" + "/0" * 63 + ": nested deeper than 64 levels",
    ),
    "an offset of 5,001 digits": (
        lambda line: line["entities"][0].update(start=PAYLOAD),
        LONG_NUMBER,
        "line 2: /entities/0/start: a number with 5001 digits (at most 40)",
    ),
    "a lone surrogate in an id": (
        lambda line: line["entities"][0].update(id=PAYLOAD),
        '"\\udc00"',
        "line 2: /entities/0/id: lone surrogate U+DC00 at character 0 (not valid Unicode)",
    ),
    "a lone surrogate in a timex value": (
        lambda line: line["timex"][0].update(value=PAYLOAD),
        '"2025-\\udc00"',
        "line 2: /timex/0/value: lone surrogate U+DC00 at character 5 (not valid Unicode)",
    ),
    "a duplicate key": (
        lambda line: line.update(id=PAYLOAD),
        '"doc-0002", "id": "doc-0002"',
        "line 2: /id: duplicate key 'id'",
    ),
}
PRED_READERS = {
    "evaluate": lambda root: ["evaluate", str(root / "pred.jsonl"), "--gold", str(root / "corpus"), "--bootstrap", "0"],
    "compare": lambda root: [
        "compare",
        str(root / "other.jsonl"),
        str(root / "pred.jsonl"),
        "--gold",
        str(root / "corpus"),
        "--bootstrap",
        "1",
        "--trials",
        "1",
    ],
    "report": lambda root: [
        "report",
        str(root / "pred.jsonl"),
        "--gold",
        str(root / "corpus"),
        "--bootstrap",
        "0",
        "--out",
        str(root / "report.html"),
    ],
}


@pytest.mark.parametrize("family", sorted(PRED_FAMILIES))
@pytest.mark.parametrize("command", sorted(PRED_READERS))
def test_bad_json_in_predictions_is_one_line(project, capsys, command, family):
    change, raw, expected = PRED_FAMILIES[family]
    path = corrupt_predictions(project / "pred.jsonl", change, raw)
    line = one_line(capsys, PRED_READERS[command](project), project)
    assert line == f"Error: {path}:{expected}"
    assert not (project / "report.html").exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"systems": ' + DEEP + "}", "/systems" + "/0" * 63 + ": nested deeper than 64 levels"),
        ('{"systems": {"rules": {"entities": {"f1": ' + LONG_NUMBER + "}}}}", "/systems/rules/entities/f1: a number"),
        ('{"systems": {}, "systems": {}}', "/systems: duplicate key 'systems'"),
        ('{"systems": {}}', "/systems: names no system: nothing to check"),
    ],
)
def test_check_reference_is_read_strictly(project, capsys, raw, expected):
    reference = project / "scores.json"
    reference.write_text(raw, encoding="utf-8")
    line = one_line(capsys, ["check", "--reference", str(reference), "--gold", str(project / "corpus")], project)
    assert line.startswith(f"Error: {reference}:{expected}")


# --- Label Studio import: gold destroyed before --------------------------------------------


def _export(project: Path) -> list[dict]:
    return json.loads((project / "export.json").read_text(encoding="utf-8"))


def _write_export(project: Path, export: Any, raw: str = "") -> Path:
    path = project / "export.json"
    path.write_text(with_payload(export, raw) if raw else json.dumps(export, ensure_ascii=False), encoding="utf-8")
    return path


def _import(project: Path) -> list[str]:
    return [
        "ls",
        "import",
        str(project / "export.json"),
        "--out",
        str(project / "pulled"),
        "--corpus",
        str(project / "corpus"),
    ]


@pytest.mark.parametrize(
    ("change", "raw", "pointer", "message"),
    [
        (
            lambda e: e[0]["data"]["khabar"].update(note=PAYLOAD),
            '"\\udc00"',
            "/0/data/khabar/note",
            "lone surrogate U+DC00 at character 0 (not valid Unicode)",
        ),
        (
            lambda e: e[0]["annotations"][0]["result"][0].update(id=PAYLOAD),
            '"\\udc00"',
            "/0/annotations/0/result/0/id",
            "lone surrogate U+DC00 at character 0 (not valid Unicode)",
        ),
    ],
)
def test_ls_import_of_a_lone_surrogate_is_refused_at_read(project, capsys, change, raw, pointer, message):
    export = _export(project)
    change(export)
    path = _write_export(project, export, raw)
    assert one_line(capsys, _import(project), project) == f"Error: {path}:{pointer}: {message}"


@pytest.mark.parametrize("result", ["missing", None])
def test_ls_import_of_an_annotation_without_result_is_refused(project, capsys, result):
    export = _export(project)
    if result == "missing":
        del export[1]["annotations"][0]["result"]
    else:
        export[1]["annotations"][0]["result"] = None
    path = _write_export(project, export)
    line = one_line(capsys, _import(project), project)
    message = "an annotation needs a result list (empty when nothing was annotated)"
    assert line == f"Error: {path}:/1/annotations/0/result: {message}"


def test_ls_import_of_an_id_with_a_trailing_newline_is_refused(project, capsys):
    export = _export(project)
    export[0]["data"]["khabar"]["id"] = "evil\n"
    export[0]["data"]["doc_id"] = "evil\n"
    _write_export(project, export)
    line = one_line(capsys, _import(project), project, code=1)
    assert line.endswith("/id: 'evil\\n' does not match the pattern ^[A-Za-z0-9][A-Za-z0-9._-]*$")
    assert not list((project / "pulled").rglob("evil*"))


def test_ls_import_writes_nothing_when_the_second_document_fails(project, capsys):
    export = _export(project)
    export[1]["annotations"][0]["result"][0]["value"]["start"] = 10**6
    _write_export(project, export)
    before = snapshot(project)
    assert main(_import(project)) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert snapshot(project) == before


def test_ls_import_on_a_full_disk_writes_nothing(project, capsys, monkeypatch):
    calls = {"n": 0}
    original = files._write_all

    def full_at_the_second_file(handle, data):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        original(handle, data)

    monkeypatch.setattr(files, "_write_all", full_at_the_second_file)
    line = one_line(capsys, _import(project), project)
    assert line.startswith("Error: ") and line.endswith(": cannot write: No space left on device")
    assert calls["n"] == 2


# --- full disk for every --out -----------------------------------------------------------

FULL_DISK_COMMANDS = {
    "evaluate": lambda root, out: [
        "evaluate",
        str(root / "pred.jsonl"),
        "--gold",
        str(root / "corpus"),
        "--bootstrap",
        "0",
        "--out",
        str(out),
    ],
    "compare": lambda root, out: [
        "compare",
        str(root / "other.jsonl"),
        str(root / "pred.jsonl"),
        "--gold",
        str(root / "corpus"),
        "--bootstrap",
        "1",
        "--trials",
        "1",
        "--out",
        str(out),
    ],
    "predict": lambda root, out: [
        "predict",
        "--baseline",
        "rules",
        "--corpus",
        str(root / "corpus"),
        "--out",
        str(out),
    ],
}


@pytest.mark.parametrize("command", sorted(FULL_DISK_COMMANDS))
def test_a_full_disk_leaves_an_existing_output_whole(project, capsys, monkeypatch, command):
    out = project / "existing-output"
    out.write_bytes(os.urandom(20_000))

    def full(handle, data):
        os.write(handle, data[:8192])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_write_all", full)
    line = one_line(capsys, FULL_DISK_COMMANDS[command](project, out), project)
    assert line == f"Error: {out}: cannot write: No space left on device"


def test_build_with_a_folder_in_place_of_a_parquet_replaces_nothing(project, capsys):
    corpus = project / "corpus"
    sentences = corpus / "data" / "sentences" / "test.parquet"
    sentences.unlink()
    sentences.mkdir()
    (corpus / "annotations" / "doc-0003.json").unlink()  # the build would change documents/test.parquet
    line = one_line(capsys, ["build", "--corpus", str(corpus)], project)
    assert line == f"Error: {sentences}: cannot write: Is a directory"


def test_plots_on_a_full_disk_leave_no_png(project, capsys, monkeypatch):
    calls = {"n": 0}
    original = files._write_all

    def full_at_the_third(handle, data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        original(handle, data)

    monkeypatch.setattr(files, "_write_all", full_at_the_third)
    plots = project / "plots"
    argv = ["benchmark", "--corpus", str(project / "corpus"), "--systems", "rules", "--bootstrap", "1"]
    line = one_line(capsys, [*argv, "--plot", str(plots)], project)
    assert line.endswith(": cannot write: No space left on device")
    assert not plots.exists()


def test_plots_into_a_file_path_are_one_line(project, capsys):
    blocker = project / "not-a-folder"
    blocker.write_text("x")
    argv = ["benchmark", "--corpus", str(project / "corpus"), "--systems", "rules", "--bootstrap", "1"]
    line = one_line(capsys, [*argv, "--plot", str(blocker / "plots")], project)
    assert line.startswith(f"Error: {blocker / 'plots'}") and "Not a directory" in line


# --- predictions: refs, misspelled keys, pointers, kinds -----------------------------------


def _pred_line_error(project, capsys, change) -> str:
    path = corrupt_predictions(project / "pred.jsonl", change, "")
    argv = ["evaluate", str(path), "--gold", str(project / "corpus"), "--bootstrap", "0"]
    line = one_line(capsys, argv, project)
    assert line.startswith(f"Error: {path}:line 2: ")
    return line.split(":line 2: ", 1)[1]


def _argument(line: dict) -> dict:
    return line["events"][0]["arguments"][0]


PRED_CASES = {
    "ref a list (argument)": (
        lambda line: _argument(line).update(ref=["T1"]),
        "/events/0/arguments/0/ref: expected string, got list",
    ),
    "ref an object (speaker)": (
        lambda line: line["quotes"][0]["speaker"].update(ref={"id": "T1"}),
        "/quotes/0/speaker/ref: expected string, got dict",
    ),
    "argumnets": (
        lambda line: line["events"][0].update(argumnets=line["events"][0].pop("arguments")),
        "/events/0/argumnets: unexpected field 'argumnets' (did you mean 'arguments'?)",
    ),
    "speakr": (
        lambda line: line["quotes"][0].update(speakr=line["quotes"][0].pop("speaker")),
        "/quotes/0/speakr: unexpected field 'speakr' (did you mean 'speaker'?)",
    ),
    "realsi": (
        lambda line: line["events"][0].update(realsi="actual"),
        "/events/0/realsi: unexpected field 'realsi' (did you mean 'realis'?)",
    ),
    "mode": (
        lambda line: line["timex"][0].update(mode="APPROX"),
        "/timex/0/mode: unexpected field 'mode' (did you mean 'mod'?)",
    ),
    "arguments not a list": (
        lambda line: line["events"][0].update(arguments={"role": "Place"}),
        "/events/0/arguments: expected array, got dict",
    ),
    "unknown role": (
        lambda line: _argument(line).update(role="Victm"),
        "/events/0/arguments/0/role: unknown event role 'Victm'",
    ),
    "unknown quote kind": (
        lambda line: line["quotes"][0].update(kind="said"),
        "/quotes/0/kind: unknown quote kind 'said'",
    ),
    "empty speaker": (
        lambda line: line["quotes"][0].update(speaker={}),
        "/quotes/0/speaker: a speaker needs a ref or start/end/text",
    ),
}


@pytest.mark.parametrize("case", sorted(PRED_CASES))
def test_prediction_items_are_read_strictly(project, capsys, case):
    change, expected = PRED_CASES[case]
    assert _pred_line_error(project, capsys, change) == expected


def test_a_score_on_predicted_items_is_the_declared_extension(project, capsys):
    path = project / "pred.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        for layer in ("entities", "timex", "events", "quotes"):
            for item in line[layer]:
                item["score"] = 0.5
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    assert main(["evaluate", str(path), "--gold", str(project / "corpus"), "--bootstrap", "0"]) == 0


# --- annotations: misspelled keys, ids, empty folders --------------------------------------

ANNOTATION_CASES = {
    "argumnets": (
        lambda data: data["events"][0].update(argumnets=[]),
        "/events/0/argumnets: unexpected field 'argumnets' (did you mean 'arguments'?)",
    ),
    "speakr": (
        lambda data: data["quotes"][0].update(speakr={"ref": "T1"}),
        "/quotes/0/speakr: unexpected field 'speakr' (did you mean 'speaker'?)",
    ),
    "id with a trailing newline": (
        lambda data: data.update(id="doc-0002\n"),
        "/id: 'doc-0002\\n' does not match the pattern ^[A-Za-z0-9][A-Za-z0-9._-]*$",
    ),
    "empty speaker": (
        lambda data: data["quotes"][0].update(speaker={}),
        "/quotes/0/speaker: a speaker needs a ref or start/end/text",
    ),
}


@pytest.mark.parametrize("case", sorted(ANNOTATION_CASES))
def test_annotation_problems_name_the_field(project, capsys, case):
    change, expected = ANNOTATION_CASES[case]
    path = project / "corpus" / "annotations" / "doc-0002.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = snapshot(project)
    assert main(["validate", str(project / "corpus")]) == 1
    assert capsys.readouterr().out == f"{path}:{expected}\n"
    assert snapshot(project) == before


def test_validate_of_an_empty_folder_is_a_usage_error(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert one_line(capsys, ["validate", str(empty)], tmp_path) == f"Error: no annotation files in {empty}"


# --- limits on options --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check", "--min-tolerance", "nan"], "argument --min-tolerance: expected a finite number >= 0, not 'nan'"),
        (["check", "--min-tolerance", "-0.1"], "argument --min-tolerance: expected a finite number >= 0, not '-0.1'"),
        (["evaluate", "p.jsonl", "--bootstrap", "10000000"], "argument --bootstrap: at most 100,000 resamples"),
        (["compare", "a", "b", "--trials", "10000001"], "argument --trials: at most 1,000,000 trials"),
        (["report", "p", "--out", "r.html", "--bootstrap", "200000"], "argument --bootstrap: at most 100,000"),
    ],
)
def test_option_limits_are_usage_errors(tmp_path, capsys, argv, expected):
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert expected in err.splitlines()[-1] and "Traceback" not in err


def test_an_empty_systems_list_is_refused(project, capsys):
    line = one_line(capsys, ["benchmark", "--corpus", str(project / "corpus"), "--systems", ""], project)
    assert line == "Error: --systems names no baseline (choose from rules, crf, dateparser, hf)"
