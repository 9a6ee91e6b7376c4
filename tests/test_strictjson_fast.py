"""The fast path of the strict JSON reader decides exactly as the full reading does.

`strictjson.parse` first tries `json.loads` with scans that run in C and falls back to the
full reading (`_parse_checked`: hooks on every number, a walk over every value) whenever it
cannot vouch for a text. These tests compare the two on random texts built to hit every
refusal (repeated keys, lone surrogates, deep nesting, long numbers, NaN, 1e999) and on
random corruptions of them: the same value, or the same message and pointer.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from khabar import strictjson
from khabar.errors import InputError
from khabar.strictjson import MAX_DEPTH, MAX_DIGITS, JSONProblem, _Doubt, _parse_checked, _parse_fast, parse
from tests.strategies import text_chars

KEYS = st.sampled_from(["a", "b", "id", "a/b~c", "نص", "\\ud800", "😀"])
STRING_PIECES = st.one_of(
    st.text(text_chars, max_size=8).map(lambda text: json.dumps(text, ensure_ascii=False)),
    st.text(text_chars, max_size=8).map(json.dumps),  # escaped, surrogate pairs for non-BMP
    st.sampled_from(['"\\ud800"', '"x\\udfffy"', '"\\ud83d\\ude00"', '"\\\\ud800"', '"\\"[{"', '"a\\\\"']),
)
NUMBERS = st.one_of(
    st.integers(-(10**45), 10**45).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["1e999", "-1e999", "NaN", "Infinity", "-Infinity", "1e308", "0.5e-400", "-0"]),
    st.integers(MAX_DIGITS - 2, MAX_DIGITS + 2).map(lambda n: "9" * n),
    st.integers(MAX_DIGITS - 2, MAX_DIGITS + 2).map(lambda n: "1." + "5" * (n - 1)),
    st.integers(MAX_DIGITS - 2, MAX_DIGITS + 2).map(lambda n: "1" * (n // 2) + "e" + "1" * (n - n // 2)),
)
SCALARS = st.one_of(STRING_PIECES, NUMBERS, st.sampled_from(["true", "false", "null"]))


def _objects(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pairs = st.lists(st.tuples(KEYS, children), max_size=4)  # keys repeat: duplicates happen
    return pairs.map(lambda items: "{" + ", ".join(f"{json.dumps(key)}: {value}" for key, value in items) + "}")


def _arrays(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(children, max_size=4).map(lambda items: "[" + ",".join(items) + "]")


JSON_TEXTS = st.recursive(SCALARS, lambda children: st.one_of(_objects(children), _arrays(children)), max_leaves=20)


@st.composite
def deep_texts(draw: st.DrawFn) -> str:
    """Containers nested around the limit, with a random value inside."""
    depth = draw(st.integers(MAX_DEPTH - 2, MAX_DEPTH + 2))
    kinds = draw(st.lists(st.booleans(), min_size=depth, max_size=depth))
    inner = draw(JSON_TEXTS)
    opening = "".join('{"k": ' if is_object else "[" for is_object in kinds)
    closing = "".join("}" if is_object else "]" for is_object in reversed(kinds))
    return opening + inner + closing


@st.composite
def corrupted(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> str:
    """A text with a few characters replaced, inserted or deleted (syntax errors and worse)."""
    text = draw(texts)
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(['"', "\\", "[", "]", "{", "}", ",", ":", "1", "e", " ", "\ud800", "x"]))
        action = draw(st.sampled_from(["insert", "replace", "delete"]))
        if action == "insert":
            text = text[:position] + piece + text[position:]
        elif action == "replace":
            text = text[:position] + piece + text[position + 1 :]
        else:
            text = text[:position] + text[position + 1 :]
    return text


def _outcome(read, text: str, one_line: bool) -> tuple[str, Any, Any]:
    try:
        value = read(text, one_line)
    except JSONProblem as problem:
        return "refused", problem.message, problem.pointer
    # json.dumps tells 1 from 1.0 and True from 1, which == would not.
    return "read", json.dumps(value, sort_keys=True), value


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(JSON_TEXTS, deep_texts(), corrupted(JSON_TEXTS)), st.booleans())
def test_the_fast_path_decides_as_the_full_reading(text, one_line):
    fast = _outcome(lambda text, one_line: parse(text, one_line=one_line), text, one_line)
    assert fast == _outcome(_parse_checked, text, one_line)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(JSON_TEXTS, deep_texts(), corrupted(JSON_TEXTS)), st.booleans())
def test_the_fast_path_over_the_bytes_of_a_line_decides_as_the_full_reading(text, one_line):
    # What a file reader does: the scans run over the UTF-8 bytes the text was decoded from.
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 file holds this text
        assume(False)
    fast = _outcome(lambda text, one_line: strictjson._parse(text, raw, one_line), text, one_line)
    assert fast == _outcome(_parse_checked, text, one_line)


def test_files_and_lines_take_the_fast_path_and_keep_their_refusals(tmp_path):
    lines = ['{"id": "a", "n": 1.5, "t": "نص \\"x\\" [{"}', '{"id": "b", "id": "c"}']
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(strictjson.json_lines(path))
    assert (caught.value.message, caught.value.pointer) == ("duplicate key 'id'", "line 2: /id")
    single = tmp_path / "one.json"
    single.write_text(lines[0], encoding="utf-8")
    assert strictjson.read_json(single) == next(strictjson.json_lines(path))[1] == json.loads(lines[0])


def test_an_ordinary_annotation_takes_the_fast_path():
    annotation = {
        "id": "doc-0001",
        "text": "ذهب زيد إلى القاهرة 😀",
        "entities": [{"id": "T1", "start": 4, "end": 7, "type": "PER", "text": "زيد", "score": 0.5}],
        "events": [{"id": "E1", "arguments": [{"role": "Agent", "ref": "T1"}]}],
    }
    for text in (json.dumps(annotation, ensure_ascii=False), json.dumps(annotation, ensure_ascii=False, indent=2)):
        assert _parse_fast(text) == annotation


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',
        '{"a": "\\ud800"}',
        '{"a": "\\ud83d\\ude00"}',
        '{"a": "\ud800"}',
        '{"a": ' + "1" * (MAX_DIGITS + 1) + "}",
        '{"a": 1.' + "1" * MAX_DIGITS + "}",
        '{"a": 1e999}',
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        '{"a": ',
    ],
)
def test_every_refusal_is_left_to_the_full_reading(text):
    with pytest.raises(_Doubt):
        _parse_fast(text)


def test_nesting_at_the_limit_is_vouched_for():
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert _parse_fast(text) == parse(text) == strictjson._parse_checked(text, False)


def _deeper_than_limit_by_regex(structure: bytes) -> bool:
    """The depth scan as first written (one regex pass per level), kept as the oracle of the faster one."""
    brackets = structure.translate(None, bytes(byte for byte in range(256) if byte not in b"[]{}"))
    for _ in range(MAX_DEPTH):
        brackets = re.sub(rb"\[\]|\{\}", b"", brackets)
        if not brackets:
            return False
    return True


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(JSON_TEXTS, deep_texts()))
def test_the_structure_scans_answer_as_the_regexes_they_replace(text):
    """Depth and exponents of a JSON text (the fast path scans only texts `json` has parsed)."""
    try:
        json.loads(text)
        raw = text.encode("utf-8")
    except (ValueError, RecursionError, UnicodeEncodeError):
        assume(False)
    structure = strictjson._outside_strings(raw)
    assert strictjson._deeper_than_limit(structure) == _deeper_than_limit_by_regex(structure)
    assert strictjson._has_large_exponent(structure) == bool(re.search(rb"[eE][+\-]?[0-9]{3}", structure))
