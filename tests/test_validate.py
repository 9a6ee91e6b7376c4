"""`khabar validate`: every kind of problem gives its exact one-line message and exit 1."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.cli import main
from khabar.document import Document, sha256_text
from khabar.validate import check_annotation
from tests.strategies import value_paths

TEXT = 'أعلنت القيادة المركزية الأميركية "سنتكوم" في 11 نوفمبر/تشرين الثاني 𝐀.'


def _base() -> dict[str, Any]:
    return {
        "id": "doc-9001",
        "text_sha256": sha256_text(TEXT),
        "language": "ar",
        "dct": {"value": "2025-12", "provenance": "test"},
        "source": {"origin": "test"},
        "guidelines_version": "2.1",
        "entities": [
            {"id": "T1", "start": 6, "end": 32, "type": "ORG", "text": "القيادة المركزية الأميركية"},
            {"id": "T2", "start": 23, "end": 32, "type": "NORP", "text": "الأميركية"},
            {"id": "T3", "start": 34, "end": 40, "type": "ORG", "text": "سنتكوم"},
        ],
        "timex": [{"id": "X1", "start": 45, "end": 67, "type": "DATE", "value": "2025-11-11", "text": TEXT[45:67]}],
        "events": [
            {
                "id": "E1",
                "type": "Contact:Phone-Write",
                "trigger": {"start": 0, "end": 5, "text": "أعلنت"},
                "arguments": [{"role": "Entity", "ref": "T1"}, {"role": "Time-Within", "ref": "X1"}],
            }
        ],
        "quotes": [],
    }


def _write(tmp_path: Path, data: Any = None, *, raw: bytes | None = None, text: bytes | None = None) -> Path:
    (tmp_path / "documents").mkdir(exist_ok=True)
    (tmp_path / "annotations").mkdir(exist_ok=True)
    if text is not False:
        (tmp_path / "documents" / "doc-9001.txt").write_bytes(TEXT.encode() if text is None else text)
    path = tmp_path / "annotations" / "doc-9001.json"
    path.write_bytes(raw if raw is not None else json.dumps(data, ensure_ascii=False).encode())
    return path


def _validate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[int, list[str]]:
    code = main(["validate", str(tmp_path)])
    return code, capsys.readouterr().out.splitlines()


def test_base_fixture_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert TEXT[45:67] == "11 نوفمبر/تشرين الثاني"
    _write(tmp_path, _base())
    assert _validate(capsys, tmp_path) == (0, [])


def test_the_corpus_is_valid(corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(corpus_dir)]) == 0
    assert capsys.readouterr().out == ""


def _mutated(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(_base())
    change(data)
    return data


CASES = [
    (
        "offset out of range",
        lambda d: d["entities"][2].update(end=999),
        "/entities/2/end: end 999 is beyond the text (length 70)",
    ),
    ("start not before end", lambda d: d["entities"][0].update(end=6), "/entities/0: start 6 must be less than end 6"),
    ("negative start", lambda d: d["entities"][0].update(start=-1), "/entities/0/start: must be >= 0, got -1"),
    (
        "span text differs",
        lambda d: d["entities"][2].update(text="سنتكم"),
        "/entities/2/text: 'سنتكم' does not equal the text at [34, 40) 'سنتكوم'",
    ),
    (
        "unknown entity type",
        lambda d: d["entities"][0].update(type="PERSON"),
        "/entities/0/type: unknown entity type 'PERSON'",
    ),
    (
        "unknown event type",
        lambda d: d["events"][0].update(type="Conflict:War"),
        "/events/0/type: unknown event type 'Conflict:War'",
    ),
    (
        "unknown role",
        lambda d: d["events"][0]["arguments"][0].update(role="Speaker"),
        "/events/0/arguments/0/role: unknown event role 'Speaker'",
    ),
    (
        "duplicate id",
        lambda d: d["entities"][1].update(id="T1"),
        "/entities/1/id: duplicate id 'T1' (first at /entities/0/id)",
    ),
    (
        "duplicate id across layers",
        lambda d: (d["timex"][0].update(id="T3"), d["events"][0]["arguments"].pop(1)),
        "/timex/0/id: duplicate id 'T3' (first at /entities/2/id)",
    ),
    (
        "unresolved ref",
        lambda d: d["events"][0]["arguments"][0].update(ref="T9"),
        "/events/0/arguments/0/ref: 'T9' does not resolve to an entity or timex id",
    ),
    (
        "ref to a disallowed layer",
        lambda d: d["quotes"].append(
            {
                "id": "Q1",
                "kind": "direct",
                "content": {"start": 34, "end": 40, "text": "سنتكوم"},
                "speaker": {"ref": "X1"},
            }
        ),
        "/quotes/0/speaker/ref: 'X1' is a timex id; expected an entity id",
    ),
    (
        "crossing spans",
        lambda d: d["entities"].append({"id": "T4", "start": 15, "end": 40, "type": "ORG", "text": TEXT[15:40]}),
        "/entities/3: [15, 40) crosses /entities/0 [6, 32)",
    ),
    (
        "bad timex value",
        lambda d: d["timex"][0].update(value="11/11/2025"),
        "/timex/0/value: '11/11/2025' is not a TimeML value",
    ),
    (
        "bad dct value",
        lambda d: d["dct"].update(value="December 2025"),
        "/dct/value: 'December 2025' is not a TimeML value",
    ),
    ("missing field", lambda d: d["entities"][0].pop("type"), "/entities/0: missing field 'type'"),
    ("wrong JSON type", lambda d: d["entities"][0].update(start="6"), "/entities/0/start: expected integer, got str"),
    ("unexpected field", lambda d: d["entities"][0].update(label="ORG"), "/entities/0/label: unexpected field 'label'"),
    (
        "wrong hash",
        lambda d: d.update(text_sha256="0" * 64),
        f"/text_sha256: does not match the text (its sha256 is {sha256_text(TEXT)})",
    ),
    (
        "id not the file name",
        lambda d: d.update(id="doc-9002"),
        "/id: 'doc-9002' does not match the file name 'doc-9001'",
    ),
    (
        "argument with ref and span",
        lambda d: d["events"][0]["arguments"][0].update(start=6, end=32, text="القيادة المركزية الأميركية"),
        "/events/0/arguments/0: an argument needs either a ref or start/end/text, not both",
    ),
]


@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[case[0] for case in CASES])
def test_each_problem_has_its_exact_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, change: Any, expected: str
) -> None:
    path = _write(tmp_path, _mutated(change))
    assert _validate(capsys, tmp_path) == (1, [f"{path}:{expected}"])


@pytest.mark.parametrize(
    ("name", "raw", "text", "expected", "code"),
    [
        (
            "malformed JSON",
            b'{"id": "doc-9001",',
            None,
            "not JSON: Expecting property name enclosed in double quotes (line 1, column 19)",
            2,
        ),
        ("empty file", b"", None, "empty file", 2),
        ("non-UTF-8 annotation", b'{"id": "\xff"}', None, "not UTF-8: invalid byte 0xff at offset 8", 2),
        ("top level not an object", b"[]", None, "expected object, got list", 1),
    ],
)
def test_unreadable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, raw: bytes, text: Any, expected: str, code: int
) -> None:
    """A file that cannot be read is an input error (2); a JSON value of the wrong shape a problem (1)."""
    path = _write(tmp_path, raw=raw, text=text)
    assert _validate(capsys, tmp_path) == (code, [f"{path}: {expected}"])


def test_missing_text_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, _base(), text=False)
    text_path = tmp_path / "documents" / "doc-9001.txt"
    assert _validate(capsys, tmp_path) == (1, [f"{path}: text file not found: {text_path}"])


def test_non_utf8_text_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, _base(), text=b"abc\xfe")
    assert _validate(capsys, tmp_path) == (1, [f"{path}: text file is not UTF-8: invalid byte 0xfe at offset 3"])


def test_all_problems_are_collected_and_sorted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def several(data: dict[str, Any]) -> None:
        data["timex"][0]["value"] = "soon"
        data["entities"][1]["id"] = "T1"

    path = _write(tmp_path, _mutated(several))
    code, lines = _validate(capsys, tmp_path)
    assert code == 1
    assert lines == [
        f"{path}:/entities/1/id: duplicate id 'T1' (first at /entities/0/id)",
        f"{path}:/timex/0/value: 'soon' is not a TimeML value",
    ]


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no-such-folder"]) == 2
    assert capsys.readouterr().err == "Error: no such file or folder: no-such-folder\n"


def test_schema_errors_and_semantic_problems_come_in_one_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def both(data: dict[str, Any]) -> None:
        data["entities"][2]["type"] = "COUNTRY"  # a schema error in one item
        data["events"][0]["arguments"][1]["ref"] = "X9"  # a dangling ref in another
        data["timex"][0]["end"] = 99  # an offset beyond the text

    path = _write(tmp_path, _mutated(both))
    assert _validate(capsys, tmp_path) == (
        1,
        [
            f"{path}:/entities/2/type: unknown entity type 'COUNTRY'",
            f"{path}:/events/0/arguments/1/ref: 'X9' does not resolve to an entity or timex id",
            f"{path}:/timex/0/end: end 99 is beyond the text (length {len(TEXT)})",
        ],
    )


def test_a_ref_to_an_item_with_a_schema_error_still_resolves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, _mutated(lambda data: data["entities"][0].update(type="COUNTRY")))
    assert _validate(capsys, tmp_path) == (1, [f"{path}:/entities/0/type: unknown entity type 'COUNTRY'"])


def _rich() -> dict[str, Any]:
    """The base annotation with every optional part present, so that each can be corrupted."""
    data = _base()
    data["timex"][0].update(anchor="DCT", mod="START")
    data["events"][0]["arguments"].append({"role": "Place", "start": 34, "end": 40, "text": "سنتكوم"})
    data["events"][0]["realis"] = "actual"
    data["quotes"] = [
        {
            "id": "Q1",
            "kind": "direct",
            "content": {"start": 34, "end": 40, "text": "سنتكوم"},
            "cue": {"start": 0, "end": 5, "text": "أعلنت"},
            "speaker": {"ref": "T1"},
        },
        {
            "id": "Q2",
            "kind": "indirect",
            "content": {"start": 6, "end": 13, "text": "القيادة"},
            "speaker": {"start": 6, "end": 32, "text": "القيادة المركزية الأميركية"},
        },
    ]
    return data


def test_the_rich_annotation_is_valid() -> None:
    assert check_annotation(_rich(), TEXT, stem="doc-9001") == []


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(value_paths(_rich())), _JSON_VALUES), min_size=1, max_size=3))
def test_random_values_anywhere_give_problems_never_an_exception(substitutions: list[tuple[Any, Any]]) -> None:
    data: Any = _rich()
    for place, value in substitutions:
        if not place:
            data = value
            continue
        container = data
        try:
            for key in place[:-1]:
                container = container[key]
            if isinstance(container, list) and not (isinstance(place[-1], int) and place[-1] < len(container)):
                continue
            container[place[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    found = check_annotation(copy.deepcopy(data), TEXT, stem="doc-9001")
    assert all(isinstance(pointer, str) and isinstance(message, str) for pointer, message in found)
    if not found:
        Document.from_json(data, TEXT)  # what validates must load


def test_validate_requires_the_header_the_guidelines_require(tmp_path, capsys):
    data = _base()
    del data["dct"], data["guidelines_version"]
    data["source"] = {}
    _write(tmp_path, data)
    code, lines = _validate(capsys, tmp_path)
    where = tmp_path / "annotations" / "doc-9001.json"
    assert code == 1
    assert lines == [
        f"{where}:/dct: required: the document creation time {{value, provenance}} (guidelines TMX-2)",
        f"{where}:/guidelines_version: required: the guidelines version the annotation follows",
        f"{where}:/source: required: where the text comes from (e.g. name, url)",
    ]
