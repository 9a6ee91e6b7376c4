"""The corpus grows: an annotator adds two documents and takes them through the whole loop.

A copy of the published corpus gets two generated fixture documents (`khabar add`), an
annotation of each from a Label Studio export (`khabar ls import` into a pass folder), and
then every step a release of the corpus runs: validate, build, benchmark
--write-reference, check, agree between two passes (a speaker disagreement is listed),
adjudicate and promote. The gold of doc-0001 stays byte-identical throughout.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from khabar.cli import main
from khabar.document import Speaker
from khabar.labelstudio.tasks import document_to_task
from khabar.store import load_corpus
from tests.generated_documents import FIXTURE_DCT, fixture_document
from tests.test_labelstudio_roundtrip import exported

FIXTURE_NAME = "khabar test fixture"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(item) for item in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def export_of(documents, path: Path) -> Path:
    tasks = [document_to_task(document, [("gold", document)])[0] for document in documents]
    path.write_text(json.dumps(exported(tasks), ensure_ascii=False), encoding="utf-8")
    return path


def test_an_annotator_adds_two_documents_end_to_end(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    shutil.copytree(corpus_dir, tmp_path / "corpus", ignore=shutil.ignore_patterns("passes"))
    (tmp_path / "baselines").mkdir()
    monkeypatch.chdir(tmp_path)
    seed = Path("corpus/annotations/doc-0001.json")
    seed_bytes = seed.read_bytes()
    assert seed_bytes == (corpus_dir / "annotations" / "doc-0001.json").read_bytes()

    # 1. add: the verbatim text and a header-only annotation, as the next two free ids.
    taken = max(int(path.stem.split("-")[1]) for path in Path("corpus/documents").glob("doc-*.txt"))
    documents = [fixture_document(number) for number in (taken + 1, taken + 2)]
    for document in documents:
        text = tmp_path / f"new-{document.id}.txt"
        text.write_bytes(document.text.encode("utf-8"))
        argv = ["add", text, "--id", document.id, "--dct", FIXTURE_DCT.value]
        argv += ["--dct-provenance", FIXTURE_DCT.provenance, "--source-name", FIXTURE_NAME]
        assert run(capsys, *argv, "--guidelines-version", "2.1")[0] == 0
        assert Path(f"corpus/documents/{document.id}.txt").read_bytes() == text.read_bytes()
    assert seed.read_bytes() == seed_bytes

    # 2. ls import: one export per document, into two annotators' pass folders; the second
    #    annotator gives the first new document's quote another speaker.
    passes = Path("corpus/annotations/passes")
    second = [replace(documents[0], quotes=(replace(documents[0].quotes[0], speaker=Speaker(ref="T2")),))]
    second.append(documents[1])
    for name, versions in (("annotator-1", documents), ("annotator-2", second)):
        for document in versions:
            export = export_of([document], tmp_path / f"{name}-{document.id}.json")
            argv = ["ls", "import", export, "--out", passes / name, "--guidelines-version", "2.1"]
            code, _, err = run(capsys, *argv)
            assert (code, err) == (0, f"wrote 1 annotation file(s) to the pass {passes / name}\n")
    assert seed.read_bytes() == seed_bytes

    # 3. validate, build, benchmark --write-reference, check.
    assert run(capsys, "validate", "corpus", passes / "annotator-1", passes / "annotator-2")[0] == 0
    assert run(capsys, "build")[0] == 0
    code, _, err = run(capsys, "benchmark", "--bootstrap", "50", "--write-reference")
    assert (code, err) == (0, "wrote baselines/scores.json\n")
    reference = json.loads(Path("baselines/scores.json").read_text(encoding="utf-8"))
    unit = reference["systems"]["rules"]["entities"]["signature"]["unit"]
    count = len(list(Path("corpus/documents").glob("*.txt")))
    assert unit == ("document" if count >= 30 else "sentence-by-document")  # few documents: sentences, stratified
    code, _, err = run(capsys, "check")
    assert code == 0 and err.startswith("ok: 0 regressed")
    assert seed.read_bytes() == seed_bytes

    # 4. agree: the speaker disagreement is listed.
    code, out, _ = run(capsys, "agree", passes / "annotator-1", passes / "annotator-2", "--bootstrap", "0")
    content, person, city = documents[0].quotes[0].content, documents[0].entities[0], documents[0].entities[1]
    assert code == 0
    assert out.endswith(
        "disagreements: 1\n"
        f"  {documents[0].id} quotes speaker [{content.start}, {content.end}) «{content.text}»: "
        f"A «{person.text}» [{person.start}, {person.end}) | B «{city.text}» [{city.start}, {city.end})\n"
    )

    # 5. adjudicate: the agreed part is merged, the disagreement is left for a decision.
    adjudicated = passes / "adjudicator"
    code, out, _ = run(capsys, "adjudicate", passes / "annotator-1", passes / "annotator-2", "--out", adjudicated)
    assert code == 0 and out.startswith(f"{documents[0].id} quotes speaker")
    open_items = [json.loads(line) for line in (adjudicated / "disagreements.jsonl").read_text().splitlines()]
    assert [(item["document"], item["part"]) for item in open_items] == [(documents[0].id, "speaker")]
    merged = {document.id: document for document in load_corpus(adjudicated)}
    assert merged[documents[0].id].quotes[0].speaker is None  # undecided
    assert merged[documents[1].id].quotes == documents[1].quotes
    # The adjudicator decides: the first annotator's speaker (edited in the pass, as in Label Studio).
    decided = replace(merged[documents[0].id], quotes=documents[0].quotes)
    from khabar.store import dumps_annotation

    (adjudicated / f"{documents[0].id}.json").write_text(dumps_annotation(decided), encoding="utf-8")
    assert seed.read_bytes() == seed_bytes

    # 6. promote: validated, written, logged; doc-0001 untouched.
    code, out, err = run(capsys, "promote", adjudicated, "--into", "corpus")
    assert code == 0
    assert out == "".join(
        f"{document.id}: changed (entities 3, timex 1, events 2, quotes 1)\n" for document in documents
    )
    gold = {document.id: document for document in load_corpus(Path("corpus"))}
    for document in documents:
        assert replace(gold[document.id], metadata={}) == replace(document, metadata={}, source={"name": FIXTURE_NAME})
        assert gold[document.id].metadata["annotators"] == ["annotator-1", "annotator-2", "adjudicator"]
    entry = json.loads(Path("corpus/annotations/promotions.jsonl").read_text().splitlines()[-1])
    assert sorted(entry["documents"]) == [document.id for document in documents]
    assert seed.read_bytes() == seed_bytes
    assert run(capsys, "validate", "corpus")[0] == 0
    # The new gold changes the corpus: the reference is stale until refreshed.
    assert run(capsys, "check")[0] == 3
    assert run(capsys, "build")[0] == 0
    assert run(capsys, "benchmark", "--bootstrap", "50", "--write-reference")[0] == 0
    assert run(capsys, "check")[0] == 0
    assert seed.read_bytes() == seed_bytes
