"""The stated limits: the README's table is `khabar.limits`', and each reading limit holds
exactly at its boundary (the limit is accepted, one more is refused with its pointer)."""

from __future__ import annotations

import json
import re

import pytest

from khabar import strictjson
from khabar.errors import InputError
from khabar.limits import render_markdown
from khabar.strictjson import MAX_DEPTH, MAX_DIGITS, JSONProblem, loads, parse
from tests.conftest import REPO


def test_the_readme_states_the_limits_of_the_code():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- limits:start -->\n(.*?)<!-- limits:end -->", readme, re.DOTALL)
    assert table is not None and table.group(1) == render_markdown()


def _nested(depth: int) -> str:
    return '{"a": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


def test_nesting_depth_boundary():
    assert parse(_nested(MAX_DEPTH)) is not None
    with pytest.raises(JSONProblem) as error:
        parse(_nested(MAX_DEPTH + 1))
    assert (error.value.pointer, error.value.message) == ("/a" + "/0" * (MAX_DEPTH - 1), "nested deeper than 64 levels")


@pytest.mark.parametrize("literal", ["{n}", "-{n}", "0.{n}", "{n}e5", "{n}E-1"])
def test_digit_boundary(literal):
    assert parse(json.dumps({"x": None}).replace("null", literal.format(n="9" * (MAX_DIGITS - 1)))) is not None
    with pytest.raises(JSONProblem, match=r"a number with \d+ digits \(at most 40\)"):
        parse(json.dumps({"x": None}).replace("null", literal.format(n="9" * (MAX_DIGITS + 1))))


def test_line_length_boundary(monkeypatch, tmp_path):
    monkeypatch.setattr(strictjson, "MAX_LINE_BYTES", 20)
    assert loads(b'{"a": "0123456789"}', where="x.json") == {"a": "0123456789"}
    with pytest.raises(InputError) as error:
        loads(b'{"a": "01234567890123"}', where="x.json")
    assert str(error.value) == "x.json: line 1 is longer than 0 MiB (23 bytes from offset 0)"
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"id": "a"}\n{"id": "0123456789012345"}\n')
    with pytest.raises(InputError) as error:
        list(strictjson.json_lines(path))
    assert str(error.value) == f"{path}:line 2: longer than 0 MiB (26 bytes)"


@pytest.mark.parametrize(
    ("text", "pointer", "message"),
    [
        ('{"a": {"b": 1, "b": 2}}', "/a/b", "duplicate key 'b'"),
        ('{"a": [NaN]}', "", "NaN is not a JSON number"),
        ('{"a": [1, -1e999]}', "/a/1", "-1e999 is beyond the range of a number"),
        ('{"a": ["ok", "\\ud83d"]}', "/a/1", "lone surrogate U+D83D at character 0 (not valid Unicode)"),
        ('{"a/b~c": "\\udfff"}', "/a~1b~0c", "lone surrogate U+DFFF at character 0 (not valid Unicode)"),
    ],
)
def test_strict_refusals_name_the_pointer(text, pointer, message):
    with pytest.raises(JSONProblem) as error:
        parse(text)
    assert (error.value.pointer, error.value.message) == (pointer, message)


def test_a_surrogate_pair_is_a_character_not_a_problem():
    assert parse('{"emoji": "\\ud83d\\ude00"}') == {"emoji": "😀"}
