"""`--quiet` on every command: the same results, byte for byte, and no status on stderr.

The whole annotation and scoring loop runs three times over its own fixture corpus (made-up
sentences, not news) — as is, with `-q` and with `-qq` after each command — in three folders
with the same layout. Every step's exit code and standard output, and every file the loop
leaves, must be identical; `-q` leaves only warning lines of the plain run on stderr, `-qq`
nothing at all. Commands that need a Label Studio server (push, pull, whoami) are checked to
accept the flag; their runs are in the Label Studio integration test.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from khabar.cli import COMMAND_MODULES, _leaf_parsers, build_parser, main
from khabar.document import Speaker
from khabar.store import load_corpus
from tests.fixture_corpus import make_corpus, snapshot
from tests.test_corpus_grows import export_of

PASSES = Path("corpus/annotations/passes")
# Lines a command prints as warnings (kept by -q): their own prefixes.
WARNING_PREFIXES = ("Warning: ", "Note: ", "note: ", "unexpressible: ", "not in the dataset")
GUIDELINES = Path(__file__).resolve().parents[1] / "guidelines"


def prepare(folder: Path) -> None:
    """The fixture corpus, a new text to add, and two annotators' exports (a speaker disagrees)."""
    make_corpus(folder / "corpus", count=3)
    (folder / "new.txt").write_text("نص تجريبي جديد للاختبار فقط.\n", encoding="utf-8")
    documents = load_corpus(folder / "corpus")
    other = replace(documents[0], quotes=(replace(documents[0].quotes[0], speaker=Speaker(ref="T2")),))
    export_of(documents, folder / "export-1.json")
    export_of([other, *documents[1:]], folder / "export-2.json")
    # Predictions of one document of three: evaluate warns about the two left out.
    (folder / "partial.jsonl").write_text('{"id": "doc-0001", "entities": []}\n', encoding="utf-8")


ADD_SOURCE = ["--source-name", "test fixture", "--corpus", "corpus", "--guidelines-version", "2.1"]
STEPS: list[list[str]] = [
    ["validate", "corpus"],
    ["validate", "corpus", "--format", "json"],
    ["export", "conll", "--corpus", "corpus"],
    ["export", "conll", "--corpus", "corpus", "--out", "corpus.conll"],
    ["predict", "--system", "rules", "--corpus", "corpus"],
    ["predict", "--system", "rules", "--corpus", "corpus", "--out", "rules.jsonl"],
    ["predict", "--system", "crf", "--corpus", "corpus", "--out", "crf.jsonl"],
    ["convert", "corpus.conll", "--corpus", "corpus", "--out", "converted.jsonl"],
    ["evaluate", "rules.jsonl", "--corpus", "corpus", "--bootstrap", "20"],
    ["evaluate", "crf.jsonl", "--corpus", "corpus", "--bootstrap", "20", "--format", "markdown"],
    ["evaluate", "partial.jsonl", "--corpus", "corpus", "--bootstrap", "0", "--format", "json"],
    ["compare", "rules.jsonl", "crf.jsonl", "--corpus", "corpus", "--bootstrap", "20", "--trials", "50"],
    ["report", "rules.jsonl", "--corpus", "corpus", "--bootstrap", "20", "--out", "report.html"],
    ["perturb", "tatweel", "--corpus", "corpus", "--out", "variant"],
    ["benchmark", "--corpus", "corpus", "--systems", "rules", "--bootstrap", "20", "--write-reference", "ref.json"],
    ["check", "--corpus", "corpus", "--reference", "ref.json"],
    ["guidelines", "--guidelines", str(GUIDELINES), "--corpus", "corpus", "--out", "prompt.md"],
    ["ls", "config"],
    ["ls", "tasks", "corpus", "--with-gold", "--out", "tasks.json"],
    ["ls", "import", "export-1.json", "--out", str(PASSES / "a1"), "--corpus", "corpus", "--guidelines-version", "2.1"],
    ["ls", "import", "export-2.json", "--out", str(PASSES / "a2"), "--corpus", "corpus", "--guidelines-version", "2.1"],
    ["agree", str(PASSES / "a1"), str(PASSES / "a2"), "--bootstrap", "10"],
    ["adjudicate", str(PASSES / "a1"), str(PASSES / "a2"), "--out", str(PASSES / "adj"), "--corpus", "corpus"],
    ["promote", str(PASSES / "a1"), "--into", "corpus"],
    ["add", "new.txt", "--id", "doc-0009", "--dct", "2025-12", "--dct-provenance", "made up", *ADD_SOURCE],
    ["build", "--corpus", "corpus"],
]
# Steps that print a status line when not quiet (the flag must have something to silence).
STATUS_STEPS = {0, 3, 5, 6, 7, 12, 13, 14, 15, 16, 18, 19, 20, 22, 23, 24, 25}
WARNING_STEP = 10


def run_loop(folder: Path, quiet: list[str], monkeypatch, capsys) -> list[tuple[int, str, str]]:
    prepare(folder)
    monkeypatch.chdir(folder)
    outcomes = []
    for step in STEPS:
        code = main([*step, *quiet])
        captured = capsys.readouterr()
        outcomes.append((code, captured.out, captured.err))
    return outcomes


def files(folder: Path) -> dict[str, str]:
    found = {str(Path(path).relative_to(folder)): digest for path, digest in snapshot(folder).items()}
    # The promotion log's line carries the time of the promotion: compared without it below.
    found.pop("corpus/annotations/promotions.jsonl")
    return found


def promotions(folder: Path) -> list[dict]:
    lines = (folder / "corpus/annotations/promotions.jsonl").read_text(encoding="utf-8").splitlines()
    return [{key: value for key, value in json.loads(line).items() if key != "date"} for line in lines]


def test_quiet_changes_no_result_and_silences_status(tmp_path, monkeypatch, capsys) -> None:
    plain = run_loop(tmp_path / "plain", [], monkeypatch, capsys)
    quiet = run_loop(tmp_path / "quiet", ["-q"], monkeypatch, capsys)
    silent = run_loop(tmp_path / "silent", ["-qq"], monkeypatch, capsys)
    for index, step in enumerate(STEPS):
        (code, out, err), (quiet_code, quiet_out, quiet_err) = plain[index], quiet[index]
        assert code == 0, (step, err)
        assert (quiet_code, quiet_out) == (code, out), step
        assert silent[index][:2] == (code, out), step
        kept = [line for line in err.splitlines(keepends=True) if line.startswith(WARNING_PREFIXES)]
        assert quiet_err == "".join(kept), step
        assert silent[index][2] == "", step
        if index in STATUS_STEPS:
            assert err != "" and len(kept) < len(err.splitlines()), (step, err)
    assert plain[WARNING_STEP][2].startswith("Warning: partial.jsonl: ")  # kept by -q, checked above
    assert files(tmp_path / "quiet") == files(tmp_path / "plain") == files(tmp_path / "silent")
    assert promotions(tmp_path / "quiet") == promotions(tmp_path / "plain") == promotions(tmp_path / "silent")
    assert (tmp_path / "plain/corpus/data").is_dir() and (tmp_path / "plain/report.html").is_file()


def test_every_command_accepts_quiet_before_and_after_it() -> None:
    parser = build_parser()
    leaves = list(_leaf_parsers(parser))
    assert len(leaves) >= len(COMMAND_MODULES)
    for leaf in leaves:
        assert any("--quiet" in action.option_strings for action in leaf._actions), leaf.prog
    for argv in (
        ["ls", "whoami", "--url", "http://127.0.0.1:1", "-q"],
        ["ls", "push", "--url", "http://127.0.0.1:1", "-qq"],
        ["ls", "pull", "--url", "http://127.0.0.1:1", "--out", "pass", "--quiet"],
        ["-q", "evaluate", "pred.jsonl"],
        ["evaluate", "pred.jsonl"],
    ):
        args = parser.parse_args(argv)
        assert args.quiet == argv.count("-q") + 2 * argv.count("-qq") + argv.count("--quiet"), argv


def test_quiet_never_silences_an_error(tmp_path, capsys) -> None:
    missing = tmp_path / "missing.jsonl"
    assert main(["evaluate", str(missing), "--corpus", str(make_corpus(tmp_path / "corpus", count=2)), "-qq"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("Error: ") and str(missing) in captured.err


def test_help_says_what_quiet_silences() -> None:
    help_text = " ".join(build_parser().format_help().split())
    assert "-q silences status lines and progress bars, -qq warnings and notes too" in help_text


@pytest.mark.parametrize("flag", ["-q", "-qq"])
def test_quiet_is_reset_after_a_run(flag, tmp_path, capsys) -> None:
    corpus = make_corpus(tmp_path / "corpus", count=2)
    assert main(["validate", str(corpus), flag]) == 0
    assert capsys.readouterr().err == ""
    assert main(["validate", str(corpus)]) == 0
    assert capsys.readouterr().err == "ok: 2 document(s) valid\n"


def test_no_command_writes_to_standard_error_but_through_the_status_module() -> None:
    """Status and warnings go through `khabar.commands.status` (which `--quiet` governs), never
    a bare `print(..., file=sys.stderr)` or `sys.stderr.write` in a command or the CLI."""
    root = Path(__file__).resolve().parents[1] / "khabar"
    offenders = []
    for path in sorted([root / "cli.py", *(root / "commands").glob("*.py")]):
        if path.name == "status.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "sys.stderr" in line or "stderr=" in line:
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
