"""`khabar build` on the command line: exact output, exit codes, one-line errors."""

from __future__ import annotations

from khabar.cli import main
from khabar.store import save_document
from tests.corpus_samples import collision_sample, mixed_script_sample


def test_build_prints_the_files_written(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    save_document(mixed_script_sample(), corpus)
    out = tmp_path / "out"
    assert main(["build", "--corpus", str(corpus), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        str(out / "data/documents/test.parquet"),
        str(out / "data/sentences/test.parquet"),
        str(out / "README.md"),
    ]
    assert captured.err == "built: 1 document(s), 2 sentence(s), 16 token(s), 0 collision(s)\n"


def test_build_of_a_missing_corpus_is_a_one_line_error(tmp_path, capsys):
    assert main(["build", "--corpus", str(tmp_path / "nope")]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"Error: no such corpus folder: {tmp_path / 'nope'}\n"
    assert captured.out == ""


def test_build_with_collisions_exits_1_and_writes_nothing(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    save_document(collision_sample(), corpus)
    assert main(["build", "--corpus", str(corpus)]) == 1
    captured = capsys.readouterr()
    path = corpus / "annotations" / "doc-0003.json"
    assert captured.err == (
        f"Error: {path}:/entities/1: GPE span T2 shares a token with GPE span T1: the flat tag column cannot "
        "hold both (fix the spans, or build with --allow-collisions)\n"
    )
    assert not (corpus / "README.md").exists() and not (corpus / "data").exists()
    assert main(["build", "--corpus", str(corpus), "--allow-collisions"]) == 0
    assert (corpus / "README.md").exists()
