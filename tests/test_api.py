"""The Python API equals the CLI: the same numbers, the same table, the same JSON.

Every prediction file below (baseline outputs at document level, sentence-level tag files,
a file that covers part of the corpus, another tool's format) is scored both ways, under
the default settings and under non-default ones.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from seqeval.metrics import classification_report
from seqeval.scheme import BILOU, IOB1, IOBES

import khabar
from khabar.cli import main
from khabar.errors import InputError
from khabar.eval import score_tags
from khabar.eval.render import to_json
from khabar.formats.conll import dumps_conll
from khabar.inventories import LAYERS, TAG_COLUMNS
from khabar.store import load_corpus
from khabar.views import token_view

SETTINGS = [
    ({}, []),
    ({"layers": ["entities", "timex"], "tagset": "conll", "normalize": True, "seed": 3}, [
        "--layers", "entities", "timex", "--tagset", "conll", "--normalize", "--seed", "3"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def prediction_files(tmp_path_factory, corpus_dir: Path) -> list[Path]:
    folder = tmp_path_factory.mktemp("api-predictions")
    gold = load_corpus(corpus_dir)
    files = []
    for baseline in ("rules", "dateparser"):
        path = folder / f"{baseline}.jsonl"
        documents = khabar.predict(baseline, corpus_dir)
        path.write_text(
            "".join(json.dumps(d.to_json(), ensure_ascii=False) + "\n" for d in documents), encoding="utf-8"
        )
        files.append(path)
    rng = random.Random(5)
    views = [view for document in gold for view in token_view(document)[0]]
    lines = []
    for view in views:
        record = {"id": view.id}
        for layer in LAYERS:  # the gold tags with some chunks dropped
            record[TAG_COLUMNS[layer]] = [tag if rng.random() > 0.2 else "O" for tag in view.tags[layer]]
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    (folder / "sentences.jsonl").write_text("".join(lines), encoding="utf-8")
    (folder / "partial.jsonl").write_text("".join(lines[::3]), encoding="utf-8")
    conll = dumps_conll([token_view(document)[0] for document in gold])
    (folder / "gold.conll").write_text(conll, encoding="utf-8")
    return [*files, folder / "sentences.jsonl", folder / "partial.jsonl", folder / "gold.conll"]


@pytest.mark.parametrize(("settings", "flags"), SETTINGS)
def test_evaluate_file_equals_the_cli_on_every_prediction_file(prediction_files, settings, flags, capsys) -> None:
    for path in prediction_files:
        common = ["evaluate", str(path), "--bootstrap", "200", *flags]
        assert main([*common, "--format", "json"]) == 0, path
        cli_json = capsys.readouterr().out
        assert main(common) == 0, path
        cli_table = capsys.readouterr().out
        result = khabar.evaluate_file(path, bootstrap=200, **settings)
        assert to_json(result.to_dict()) == cli_json, path
        assert str(result) == cli_table, path
        assert json.loads(cli_json)["headline"] == {
            layer: (None if headline is None else headline) for layer, headline in result.to_dict()["headline"].items()
        }


def test_in_memory_predictions_score_as_the_file_does(prediction_files, corpus_dir) -> None:
    path = prediction_files[0]
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    from_file = khabar.evaluate_file(path, corpus_dir, bootstrap=50)
    in_memory = khabar.evaluate_predictions(records, corpus_dir, bootstrap=50)
    assert in_memory.to_dict() == from_file.to_dict()
    built = khabar.predictions(records, corpus_dir)
    assert khabar.evaluate_predictions(built, load_corpus(corpus_dir), bootstrap=50).to_dict() == from_file.to_dict()


def test_in_memory_predictions_are_validated(corpus_dir) -> None:
    bad = [{"id": "doc-0001", "entities": [{"id": "T1", "start": 0, "end": 3, "type": "PER", "text": "xyz"}]}]
    with pytest.raises(
        InputError, match=r"<predictions>:line 1: /entities/0/text: 'xyz' does not equal the text at \[0, 3\)"
    ):
        khabar.predictions(bad, corpus_dir)
    with pytest.raises(InputError, match="missing id"):
        khabar.evaluate_predictions([{"entities": []}], corpus_dir)


def test_result_rows_and_dataframe(prediction_files) -> None:
    result = khabar.evaluate_file(prediction_files[0], bootstrap=0, layers=["entities"])
    rows = result.rows()
    frame = result.to_dataframe()
    assert len(frame) == len(rows) and list(frame.columns) == list(rows[0])
    micro = [row for row in rows if row["headline"] and row["label"] == "micro"]
    assert micro[0]["f1"] == result.headline["entities"].f1


def test_compare_files_equals_the_cli(prediction_files, capsys) -> None:
    a, b = prediction_files[0], prediction_files[2]
    assert main(["compare", str(a), str(b), "--bootstrap", "100", "--trials", "200", "--format", "json"]) == 0
    assert to_json(khabar.compare_files(a, b, bootstrap=100, trials=200).to_dict()) == capsys.readouterr().out


def test_validate_files_lists_what_the_cli_prints(tmp_path, corpus_dir, capsys) -> None:
    assert khabar.validate_files([corpus_dir]) == []
    broken = tmp_path / "doc.json"
    broken.write_text('{"id": "doc"}', encoding="utf-8")
    problems = khabar.validate_files([broken])
    assert main(["validate", str(broken)]) == 1
    assert capsys.readouterr().out == "".join(f"{problem}\n" for problem in problems)


def random_sequences(rng: random.Random, scheme: str, count: int = 40) -> list[list[str]]:
    prefixes = {"IOB1": "BI", "IOBES": "BIES", "BILOU": "BILU"}[scheme]
    return [
        [rng.choice(["O", *(f"{p}-{label}" for p in prefixes for label in ("PER", "ORG"))]) for _ in range(8)]
        for _ in range(count)
    ]


@pytest.mark.parametrize(("name", "scheme"), [("IOB1", IOB1), ("IOBES", IOBES), ("BILOU", BILOU)])
def test_other_schemes_equal_seqeval_strict_mode(name, scheme) -> None:
    rng = random.Random(11)
    gold, pred = random_sequences(rng, name), random_sequences(rng, name)
    ours = score_tags(gold, pred, scheme=name, bootstrap=0)
    theirs = classification_report(gold, pred, mode="strict", scheme=scheme, output_dict=True, zero_division=0)
    for label, score in ours.per_label.items():
        assert score.f1 == pytest.approx(theirs[label]["f1-score"], abs=1e-12)
        assert score.gold == theirs[label]["support"]
    assert ours.micro.f1 == pytest.approx(theirs["micro avg"]["f1-score"], abs=1e-12)
    assert ours.signature["scheme"] == f"{name}-strict"


def test_tag_ids_with_their_names() -> None:
    names = ["O", "B-PER", "I-PER"]
    as_ids = score_tags([[1, 2, 0]], [[1, 0, 0]], names=names, bootstrap=0)
    as_tags = score_tags([["B-PER", "I-PER", "O"]], [["B-PER", "O", "O"]], bootstrap=0)
    assert as_ids.to_dict() == as_tags.to_dict()
    with pytest.raises(InputError, match="gold sequence 0, tag 0: tag id 1 needs names="):
        score_tags([[1]], [[1]])
    with pytest.raises(InputError, match="pred sequence 0, tag 1: 7 is not a tag id of 3 names"):
        score_tags([[1, 0]], [[1, 7]], names=names)
