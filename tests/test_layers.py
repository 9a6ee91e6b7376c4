"""The import-layering contract of pyproject.toml (`[tool.importlinter]`): it holds, and a
deliberately added upward import or hidden cycle breaks it.

import-linter reads the package from disk; `package-dir` maps eval/ and baselines/ into
khabar.eval and khabar.baselines, so the package is first assembled as it is installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def assemble(destination: Path) -> Path:
    """The `khabar` package laid out as installed (every mapped folder in place) under `destination`."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    for package, folder in sorted(setuptools["package-dir"].items(), key=lambda item: item[0].count(".")):
        shutil.copytree(
            ROOT / folder,
            destination.joinpath(*package.split(".")),
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            dirs_exist_ok=True,
        )
    return destination


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(tree)}  # before the editable install's finder
    return subprocess.run(
        [str(LINT_IMPORTS), str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    if not LINT_IMPORTS.exists():
        pytest.fail("lint-imports is missing: install the dev extra (pip install -e '.[dev]')")
    return assemble(tmp_path / "tree")


def test_the_contracts_hold(tree: Path) -> None:
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Contracts: [1-9]\d* kept, 0 broken\.", result.stdout)


def test_an_upward_import_breaks_the_layers(tree: Path) -> None:
    with (tree / "khabar" / "eval" / "tags.py").open("a", encoding="utf-8") as module:
        module.write("\nfrom khabar.runs import scoring  # a library reaching up into the run layer\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "khabar.eval is not allowed to import khabar.runs:" in result.stdout
    assert "- khabar.eval.tags -> khabar.runs.scoring" in result.stdout


def test_an_import_hidden_in_a_function_still_counts(tree: Path) -> None:
    with (tree / "khabar" / "validate.py").open("a", encoding="utf-8") as module:
        module.write("\n\ndef _hidden():\n    from khabar.store import load_corpus\n\n    return load_corpus\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "No cycles are allowed in khabar." in result.stdout
    assert "- .validate -> .store (1 import)" in result.stdout


def test_a_command_used_as_a_library_breaks_the_commands_contract(tree: Path) -> None:
    with (tree / "khabar" / "commands" / "compare.py").open("a", encoding="utf-8") as module:
        module.write("\nfrom khabar.commands import evaluate  # one command borrowing another's code\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "khabar.commands.compare is not allowed to import khabar.commands.evaluate:" in result.stdout
