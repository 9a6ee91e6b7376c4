"""`khabar ls tasks` and `khabar ls import`: exact output, exit codes, no partial output."""

from __future__ import annotations

import dataclasses
import json
import sys
import types
from pathlib import Path

import pytest

from khabar.cli import main
from khabar.document import Entity
from khabar.labelstudio.tasks import render_signature
from khabar.runs.annotate import load_pass
from khabar.store import save_document
from tests.test_labelstudio_roundtrip import exported, hand_made


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    save_document(hand_made(), folder)
    (folder / "documents" / "doc-9200.txt").write_text("نص جديد بلا تعليق 😀", encoding="utf-8")
    return folder


class FakeBaseline:
    """Stands in for a registry baseline: predicts the hand-made gold (or a broken copy)."""

    def __init__(self, broken: bool = False):
        self.broken = broken
        self.seen: list = []

    def signature(self) -> dict:
        return {"baseline": "fake", "version": "1", "seed": 7}

    def predict(self, documents):
        self.seen = list(documents)
        gold = hand_made()
        preds = []
        for document in documents:
            pred = gold if document.id == gold.id else document
            if self.broken and document.id == gold.id:
                entity = dataclasses.replace(pred.entities[0], type="NOT-A-TYPE")
                pred = dataclasses.replace(pred, entities=(entity, *pred.entities[1:]))
            preds.append(pred)
        return preds


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, FakeBaseline]:
    baselines = {"fake": FakeBaseline(), "broken": FakeBaseline(broken=True)}
    module = types.ModuleType("khabar.baselines.registry")

    def get(name: str):
        return baselines[name]

    module.get = get  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "khabar.baselines.registry", module)
    return baselines


def test_tasks_with_baseline_predictions(corpus: Path, registry, capsys) -> None:
    assert main(["ls", "tasks", str(corpus), "--predictions", "fake"]) == 0
    tasks = json.loads(capsys.readouterr().out)
    assert [task["data"]["doc_id"] for task in tasks] == ["doc-9100", "doc-9200"]
    (prediction,) = tasks[0]["predictions"]
    assert prediction["model_version"] == "baseline:fake|version:1|seed:7"
    assert prediction["model_version"] == render_signature(registry["fake"].signature())
    assert {result["id"] for result in prediction["result"] if result["type"] == "labels"} >= {"T1", "T2", "T3", "E1"}
    # The baseline sees texts only, never the gold layers.
    assert all(not document.entities and not document.events for document in registry["fake"].seen)


def test_invalid_predictions_are_refused_before_upload(corpus: Path, registry, capsys) -> None:
    assert main(["ls", "tasks", str(corpus), "--predictions", "broken"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0].startswith(
        "invalid-prediction: doc-9100:baseline:fake|version:1|seed:7: Region 0: Invalid value for control 'entity'."
    )
    # The relation to the refused region is refused too (the SDK checks relations against valid regions only).
    assert (
        lines[1]
        == "invalid-prediction: doc-9100:baseline:fake|version:1|seed:7: Relation 19: 'to_id' 'T1' not found in regions"
    )
    assert lines[2].startswith("Error: 2 problems; first: doc-9100:baseline:fake|version:1|seed:7: Region 0:")


def test_import_writes_validated_annotations(corpus: Path, tmp_path: Path, capsys) -> None:
    assert main(["ls", "tasks", str(corpus), "--with-gold", "--out", str(tmp_path / "tasks.json")]) == 0
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    (tmp_path / "export.json").write_text(json.dumps(exported(tasks), ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    out = corpus / "annotations" / "passes" / "annotator-9"
    argv = ["ls", "import", str(tmp_path / "export.json"), "--out", str(out), "--corpus", str(corpus)]
    assert main([*argv, "--guidelines-version", "9.9"]) == 0
    assert capsys.readouterr().err == f"wrote 2 annotation file(s) to the pass {out}\n"
    pulled = {document.id: document for document in load_pass(out, corpus, require_header=False)}
    assert dataclasses.replace(pulled["doc-9100"], metadata={}) == dataclasses.replace(hand_made(), metadata={})
    assert pulled["doc-9200"].text == "نص جديد بلا تعليق 😀" and pulled["doc-9200"].entities == ()
    # The pass carries its own identity, never the gold's header.
    assert pulled["doc-9100"].metadata == {
        "guidelines_version": "9.9",
        "pass": {"annotator": "annotator-9", "label_studio_user": 1, "imported_from": str(tmp_path / "export.json")},
    }


@pytest.mark.parametrize("inside", [".", "annotations", "documents", "annotations/passes", "annotations/x"])
def test_import_into_the_gold_is_refused_and_writes_nothing(corpus: Path, tmp_path: Path, capsys, inside) -> None:
    from tests.fixture_corpus import snapshot

    assert main(["ls", "tasks", str(corpus), "--with-gold", "--out", str(tmp_path / "tasks.json")]) == 0
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    (tmp_path / "export.json").write_text(json.dumps(exported(tasks), ensure_ascii=False), encoding="utf-8")
    before = snapshot(corpus)
    capsys.readouterr()
    out = corpus / inside
    assert main(["ls", "import", str(tmp_path / "export.json"), "--out", str(out), "--corpus", str(corpus)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {out}: refusing to write a pass here: it is ")
    assert err.endswith(
        "write passes to " + str(corpus / "annotations" / "passes") + "/<annotator>/; "
        "`khabar promote` makes one gold)\n"
    )
    assert snapshot(corpus) == before


def test_import_of_bad_json_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    path = tmp_path / "export.json"
    path.write_text('[{"data": ', encoding="utf-8")
    assert main(["ls", "import", str(path), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"Error: {path}: not JSON: Expecting value (line 1, column 11)\n"
    assert not (tmp_path / "out").exists()


def test_import_with_unmapped_regions_writes_nothing(corpus: Path, tmp_path: Path, capsys) -> None:
    main(["ls", "tasks", str(corpus), "--with-gold", "--out", str(tmp_path / "tasks.json")])
    export = exported(json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8")))
    export[0]["annotations"][0]["result"].append(
        {"type": "relation", "from_id": "E1", "to_id": "T1", "direction": "right", "labels": ["speaker"]}
    )
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["ls", "import", str(path), "--out", str(tmp_path / "out")]) == 1
    pointer = f"/0/annotations/0/result/{len(export[0]['annotations'][0]['result']) - 1}"
    assert capsys.readouterr().err == (
        f"Error: {path}:{pointer}: relation from trigger E1 has label 'speaker', which is not an event role\n"
    )
    assert not (tmp_path / "out").exists()


def test_import_reports_trims_on_stderr(corpus: Path, tmp_path: Path, capsys) -> None:
    main(["ls", "tasks", str(corpus), "--with-gold", "--out", str(tmp_path / "tasks.json")])
    export = exported(json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8")))
    region = export[0]["annotations"][0]["result"][0]
    assert region["id"] == "T1"
    region["value"]["end"] += 1  # swallow the space after the mention
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    out = tmp_path / "out"
    assert main(["ls", "import", str(path), "--out", str(out), "--corpus", str(corpus)]) == 0
    entity: Entity = hand_made().entities[0]
    assert capsys.readouterr().err.splitlines()[0] == (
        f"trimmed: {path}:/0/annotations/0/result/0: entity region T1 trimmed from "
        f"[{entity.start}, {entity.end + 1}) to [{entity.start}, {entity.end})"
    )
    assert load_pass(out, corpus, require_header=False)[0].entities == hand_made().entities


def test_seed_annotation_file_comes_back_byte_identical(corpus_dir: Path, tmp_path: Path, capsys) -> None:
    assert main(["ls", "tasks", str(corpus_dir), "--with-gold", "--out", str(tmp_path / "tasks.json")]) == 0
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    (tmp_path / "export.json").write_text(json.dumps(exported(tasks), ensure_ascii=False), encoding="utf-8")
    argv = ["ls", "import", str(tmp_path / "export.json"), "--out", str(tmp_path / "pulled")]
    assert main([*argv, "--corpus", str(corpus_dir)]) == 0
    for path in sorted((corpus_dir / "annotations").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        pulled = json.loads((tmp_path / "pulled" / path.name).read_text(encoding="utf-8"))
        for key in ("id", "text_sha256", "language", "dct", "source", "entities", "timex", "events", "quotes"):
            assert json.dumps(pulled.get(key), ensure_ascii=False) == json.dumps(gold.get(key), ensure_ascii=False)
        assert "annotators" not in pulled and pulled["pass"]["annotator"] == "pulled"
