"""An import inside a function says why (start-up time, an optional extra): imports are
deferred for a stated reason, never to hide an import cycle (the layering contract,
tests/test_layers.py, sees through them anyway)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("khabar", "eval", "baselines")
# Words of a comment that states why an import waits: start-up time, or an optional extra.
REASONS = ("deferred", "start-up", "slow to import", "optional")


def _function_imports(tree: ast.AST) -> list[ast.stmt]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found += [child for child in ast.walk(node) if isinstance(child, ast.Import | ast.ImportFrom)]
    return found


def _has_reason(lines: list[str], number: int) -> bool:
    """A comment giving a reason on the import's line or above its block of imports."""
    index = number - 1
    if "#" in lines[index] and any(word in lines[index].lower() for word in REASONS):
        return True
    index -= 1
    while index >= 0:
        text = lines[index].strip()
        if text.startswith("#"):
            if any(word in text.lower() for word in REASONS):
                return True
        elif not text.startswith(("from ", "import ", "try:")):
            return False
        index -= 1
    return False


def unexplained_imports(root: Path = ROOT) -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            lines = source.splitlines()
            for node in _function_imports(ast.parse(source)):
                if not _has_reason(lines, node.lineno):
                    found.append(f"{path.relative_to(root)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


def test_every_import_inside_a_function_states_its_reason() -> None:
    assert unexplained_imports() == []


def test_the_check_finds_an_unexplained_import(tmp_path) -> None:
    package = tmp_path / "khabar"
    package.mkdir()
    body = "    from khabar import store\n\n    return store\n"
    (package / "hidden.py").write_text("def f():\n" + body, encoding="utf-8")
    (package / "said.py").write_text("def f():\n    # Deferred for start-up time.\n" + body, encoding="utf-8")
    assert unexplained_imports(tmp_path) == ["khabar/hidden.py:2: from khabar import store"]
