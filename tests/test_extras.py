"""A command that needs an optional dependency names the extra that installs it (one line, exit 2)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from khabar.cli import main
from khabar.extras import MODULE_EXTRAS, missing_extra


def test_every_extra_named_is_declared_in_pyproject(repo: Path) -> None:
    extras = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert set(MODULE_EXTRAS.values()) <= set(extras)
    assert "label-studio-sdk" not in " ".join(
        tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    )


def test_an_unmapped_module_is_not_an_extra() -> None:
    assert missing_extra(ModuleNotFoundError("No module named 'nope'", name="nope"), "evaluate") is None
    error = missing_extra(ModuleNotFoundError("x", name="matplotlib.pyplot"), "benchmark")
    assert str(error) == (
        "khabar benchmark needs the 'plots' extra (matplotlib is not installed): pip install 'khabar[plots]'"
    )


def test_a_missing_baseline_dependency_names_its_extra(monkeypatch, capsys, corpus_dir: Path) -> None:
    monkeypatch.setitem(sys.modules, "dateparser", None)  # importing it now raises ModuleNotFoundError
    for name in [name for name in sys.modules if name.startswith("dateparser.")]:
        monkeypatch.setitem(sys.modules, name, None)
    assert main(["predict", "--baseline", "dateparser", "--corpus", str(corpus_dir)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "Error: khabar predict needs the 'baselines' extra (dateparser is not installed): "
        "pip install 'khabar[baselines]'\n"
    )


def test_a_missing_module_that_is_no_extra_is_a_bug_not_a_message(monkeypatch, corpus_dir: Path) -> None:
    monkeypatch.setattr(
        "khabar.baselines.registry.get",
        lambda *args, **kwargs: (_ for _ in ()).throw(ModuleNotFoundError("No module named 'nope'", name="nope")),
    )
    with pytest.raises(ModuleNotFoundError):
        main(["predict", "--baseline", "rules", "--corpus", str(corpus_dir)])
