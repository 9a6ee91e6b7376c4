"""Strict JSON reading: the one parser every khabar reader uses, with stated limits.

Python's `json` accepts things a data tool must refuse, and fails on others with a
traceback. Here, a document (a JSON file, or one line of a JSONL file) is refused with
one `InputError` naming the file, the line (JSONL) and the JSON pointer when

- it is not UTF-8 or not JSON (with line and column),
- an object repeats a key (`json` silently keeps the last one),
- it nests deeper than `MAX_DEPTH` (`json` raises `RecursionError` near 1,000),
- a number has more than `MAX_DIGITS` digits (`int()` refuses 4,301+ with a `ValueError`),
- a number is `NaN` or `Infinity` (not JSON),
- a string or key holds a lone surrogate (`"\\udc00"` parses, then breaks every writer),
- a line is longer than `MAX_LINE_BYTES`.

`LIMITS` is the table the README states (a test keeps the two equal).
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from khabar import guard
from khabar.errors import InputError

MAX_DEPTH = 64
MAX_DIGITS = 40
MAX_LINE_BYTES = 64 * 1024 * 1024

LIMITS: tuple[tuple[str, str, str], ...] = (
    ("nesting depth of a JSON value", f"{MAX_DEPTH}", "an annotation needs 5 levels, a Label Studio export about 10"),
    ("digits in a JSON number", f"{MAX_DIGITS}", "offsets and counts need at most 20"),
    ("bytes in one line of a JSON or JSONL file", f"{MAX_LINE_BYTES // (1024 * 1024)} MiB", "one JSONL record"),
)

_SURROGATE = re.compile("[\ud800-\udfff]")


class _Number(str):
    """A number literal refused by the parse hooks, found again (with its pointer) by the walk."""


class _Pairs(dict):
    """An object with a repeated key (the first one is kept in `duplicate`)."""

    duplicate: str = ""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = _Pairs()
    for key, value in pairs:
        if key in result and not result.duplicate:
            result.duplicate = key
        result[key] = value
    return result if result.duplicate else dict(result)


def _digits(literal: str) -> int:
    return sum(character.isdigit() for character in literal)


def _integer(literal: str) -> int | _Number:
    return _Number(literal) if _digits(literal) > MAX_DIGITS else int(literal)


def _float(literal: str) -> float | _Number:
    if _digits(literal) > MAX_DIGITS:
        return _Number(literal)
    value = float(literal)
    return value if math.isfinite(value) else _Number(literal)  # 1e999 would be read as infinity


def _escape(part: str | int) -> str:
    """A pointer token (RFC 6901), with a lone surrogate shown as `\\udXXX` so the pointer prints."""
    token = str(part).replace("~", "~0").replace("/", "~1")
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", token)


class JSONProblem(Exception):
    """Why a JSON text is refused, and where (a JSON pointer, or a line and column)."""

    def __init__(self, message: str, pointer: str = ""):
        self.message = message
        self.pointer = pointer
        super().__init__(message)


def _check(value: Any, pointer: str, depth: int) -> None:
    """Walk a parsed value: depth, refused numbers, repeated keys, lone surrogates."""
    if depth > MAX_DEPTH and isinstance(value, dict | list):
        raise JSONProblem(f"nested deeper than {MAX_DEPTH} levels", pointer)
    if isinstance(value, _Number):
        if _digits(value) > MAX_DIGITS:
            raise JSONProblem(f"a number with {_digits(value)} digits (at most {MAX_DIGITS})", pointer)
        raise JSONProblem(f"{value} is beyond the range of a number", pointer)
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        if found:
            code = f"U+{ord(found.group()):04X}"
            raise JSONProblem(f"lone surrogate {code} at character {found.start()} (not valid Unicode)", pointer)
    elif isinstance(value, dict):
        if isinstance(value, _Pairs):
            raise JSONProblem(f"duplicate key {value.duplicate!r}", f"{pointer}/{_escape(value.duplicate)}")
        for key, item in value.items():
            child = f"{pointer}/{_escape(key)}"
            found = _SURROGATE.search(key)
            if found:
                raise JSONProblem(f"lone surrogate U+{ord(found.group()):04X} in a key (not valid Unicode)", child)
            _check(item, child, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{pointer}/{index}", depth + 1)


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]')


def _too_deep_at(text: str) -> str:
    """The JSON pointer of the first value nested deeper than `MAX_DEPTH` (a scan of the
    brackets outside strings: `json` itself gave up with a `RecursionError`)."""
    stack: list[list[Any]] = []  # per open container: [is_object, current key or index]
    last_string = '""'
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0] == '"':
            last_string = token
        elif token in "[{":
            if len(stack) >= MAX_DEPTH:
                return "".join(f"/{_escape(position)}" for _, position in stack)
            stack.append([token == "{", "" if token == "{" else 0])
        elif token in "]}":
            if stack:
                stack.pop()
        elif token == "," and stack and not stack[-1][0]:
            stack[-1][1] += 1
        elif token == ":" and stack:
            stack[-1][1] = json.loads(last_string)
    return ""


def _constant(name: str) -> Any:
    raise JSONProblem(f"{name} is not a JSON number")


def _parse_checked(text: str, one_line: bool) -> Any:
    """The full reading: every number through a hook, every value walked (`_check`)."""
    try:
        value = json.loads(
            text, object_pairs_hook=_pairs, parse_int=_integer, parse_float=_float, parse_constant=_constant
        )
    except json.JSONDecodeError as error:
        where = f"column {error.colno}" if one_line else f"line {error.lineno}, column {error.colno}"
        message = f"not JSON ({error.msg}, {where})" if one_line else f"not JSON: {error.msg} ({where})"
        raise JSONProblem(message) from None
    except RecursionError:
        raise JSONProblem(f"nested deeper than {MAX_DEPTH} levels", _too_deep_at(text)) from None
    _check(value, "", 1)
    return value


# --- the fast path -------------------------------------------------------------------------
# Walking every parsed value in Python costs several times what `json` itself does. Most texts
# are plainly fine, and that can be shown with scans that run in C: a text passes the fast
# path only when it holds no escaped or raw surrogate, no number of more than MAX_DIGITS
# digits, no container deeper than MAX_DEPTH, no repeated key and no exponent of 3+ digits (where a
# float could overflow).
# Anything else — doubt included — takes the full reading above, so a refusal always comes
# from the same code with the same message and pointer (a property test compares the two).

# The scans run over the UTF-8 bytes of the text: a byte below 0x80 is always that ASCII
# character in UTF-8, the characters the scans look for are all ASCII, and bytes scan
# faster than a string of Arabic text.
# A lone surrogate can only come from a `\uD800`-`\uDFFF` escape (or be in the str already,
# which a text decoded from UTF-8 never is); a surrogate pair such as `\ud83d\ude00` is fine
# but is sent to the full reading too.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_NOT_BRACKET = bytes(byte for byte in range(256) if byte not in b"[]{}")
# Depth does not depend on the kind of container: objects are counted as arrays.
_ONE_KIND = bytes.maketrans(b"{}", b"[]")
# Outside strings, a number with more than MAX_DIGITS digits makes a run of more than
# MAX_DIGITS characters of a number ("0-9.eE+-"; its digits, with at most `.`, `e` and a sign
# between): each such character becomes `#`, every other one a space, and the run is looked for.
_NUMBER_CHARACTERS = bytes(ord("#") if chr(byte) in "0123456789.eE+-" else ord(" ") for byte in range(256))
_LONG_RUN = b"#" * (MAX_DIGITS + 1)
# A float of at most MAX_DIGITS digits overflows (1e999) only with an exponent of 3+ digits.
_LARGE_EXPONENT = re.compile(rb"[eE][+\-]?[0-9]{3}")
# Outside strings, an `e` or `E` is in `true`, `false` or an exponent.
_LITERAL_E = (b"true", b"false")


class _Doubt(Exception):
    """The fast path cannot vouch for a text: read it in full."""


def _outside_strings(raw: bytes) -> bytes:
    """`raw` with its string literals removed (a valid JSON text: `json` parsed it)."""
    if b"\\" in raw:
        # Backslashes occur only inside strings, each starting a two-character escape: taking
        # out escaped backslashes (left to right, as a reader pairs them) and then escaped
        # quotes leaves only the quotes that open or close a string.
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    return b"".join(raw.split(b'"')[::2])


def _deeper_than_limit(structure: bytes) -> bool:
    """Whether containers nest deeper than MAX_DEPTH in `structure` (a JSON text without its
    strings): each pass removes the containers that hold no container, so after MAX_DEPTH
    passes only containers nested deeper remain."""
    if structure.count(b"[") + structure.count(b"{") <= MAX_DEPTH:
        return False
    # In a valid JSON text an empty container is `[]` or `{}`, never `[}`: with one kind of
    # bracket, one `replace` (a single pass, left to right) removes exactly the empty ones.
    brackets = structure.translate(_ONE_KIND, _NOT_BRACKET)
    for _ in range(MAX_DEPTH):
        brackets = brackets.replace(b"[]", b"")
        if not brackets:
            return False
    return True


def _has_large_exponent(structure: bytes) -> bool:
    """Whether a number of `structure` (a JSON text without its strings) has an exponent of 3+ digits."""
    letters = structure.count(b"e") + structure.count(b"E")
    if letters == sum(structure.count(literal) for literal in _LITERAL_E):
        return False  # no exponent at all
    return _LARGE_EXPONENT.search(structure) is not None


def _parse_fast(text: str, raw: bytes | None = None) -> Any:
    """The value of `text` when the scans above vouch for it; `_Doubt` otherwise. `raw`, when
    given, is the UTF-8 bytes `text` was decoded from (strictly, so it holds no surrogate)."""
    if raw is None:
        if _SURROGATE.search(text):
            raise _Doubt
        raw = text.encode("utf-8")
    if b"\\u" in raw and _SURROGATE_ESCAPE.search(raw):
        raise _Doubt
    n_keys = 0

    def count_keys(value: dict[str, Any]) -> dict[str, Any]:
        nonlocal n_keys
        n_keys += len(value)
        return value

    try:
        value = json.loads(text, object_hook=count_keys, parse_constant=_constant)
    except (ValueError, RecursionError):  # not JSON, or an integer beyond `int()`: the full reading says why
        raise _Doubt from None
    structure = _outside_strings(raw)
    # Each `:` outside strings is one key of an object; a repeated key leaves its object shorter.
    if (
        n_keys != structure.count(b":")
        or _LONG_RUN in structure.translate(_NUMBER_CHARACTERS)
        or _has_large_exponent(structure)
        or _deeper_than_limit(structure)
    ):
        raise _Doubt
    return value


def parse(text: str, *, one_line: bool = False) -> Any:
    """The value of one JSON text, or `JSONProblem` (see the module docstring); a syntax
    error names the column only when the text is `one_line` of a JSONL file."""
    return _parse(text, None, one_line)


def _parse(text: str, raw: bytes | None, one_line: bool) -> Any:
    """`parse`, given the UTF-8 bytes `raw` that `text` was decoded from when at hand."""
    try:
        return _parse_fast(text, raw)
    except _Doubt:
        return _parse_checked(text, one_line)


def decode(raw: bytes) -> str:
    """UTF-8 text of `raw` (a byte-order mark is refused as any other non-JSON byte would be)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JSONProblem(f"not UTF-8: invalid byte 0x{raw[error.start]:02x} at offset {error.start}") from None


def _check_lines(raw: bytes) -> None:
    if len(raw) <= MAX_LINE_BYTES:
        return
    offset = 0
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if len(line) > MAX_LINE_BYTES:
            limit = f"{MAX_LINE_BYTES // (1024 * 1024)} MiB"
            raise JSONProblem(f"line {number} is longer than {limit} ({len(line)} bytes from offset {offset})")
        offset += len(line) + 1


def read_bytes(path: Path) -> bytes:
    """The bytes of an input file (declared as an input of the running command)."""
    guard.declare_inputs(path)
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a folder, not a file", where=str(path)) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", where=str(path)) from None


def loads(raw: bytes, *, where: str) -> Any:
    """The value of one JSON file's bytes; `InputError` at `where` otherwise."""
    try:
        _check_lines(raw)
        return _parse(decode(raw), raw, False)
    except JSONProblem as problem:
        raise InputError(problem.message, where=where, pointer=problem.pointer) from None


def read_json(path: Path) -> Any:
    """The value of a JSON file; `InputError` naming the file (and pointer) otherwise."""
    return loads(read_bytes(path), where=str(path))


def _lines(path: Path) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, bytes without the line break, length) for every line of a file, read one
    line at a time, so memory is bounded by the longest line; a line longer than
    `MAX_LINE_BYTES` is skipped over in pieces (its bytes None, its length counted)."""
    guard.declare_inputs(path)
    try:
        file = path.open("rb")
    except IsADirectoryError:
        raise InputError("is a folder, not a file", where=str(path)) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", where=str(path)) from None
    limit = MAX_LINE_BYTES
    with file:
        for number in itertools.count(1):
            try:
                line = file.readline(limit + 1)
                if not line:
                    return
                if line.endswith(b"\n"):
                    yield number, line[:-1], len(line) - 1
                elif len(line) <= limit:
                    yield number, line, len(line)  # the last line, without a line break
                else:
                    length = len(line)
                    while line and not line.endswith(b"\n"):
                        line = file.readline(1 << 20)
                        length += len(line)
                    yield number, None, length - line.endswith(b"\n")
            except OSError as error:
                raise InputError(f"cannot read: {error.strerror or error}", where=str(path)) from None


def json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, value) for every non-blank line of a JSONL file, read and parsed one line
    at a time; `InputError` naming the file, `line N` and the pointer at the first bad line."""
    for number, line, length in _lines(path):
        try:
            if line is None:
                raise JSONProblem(f"longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB ({length} bytes)")
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise JSONProblem(f"not UTF-8 (byte {error.start + 1})") from None
            if not text.strip():
                continue
            value = _parse(text, line, True)
        except JSONProblem as problem:
            location = f"line {number}" + (f": {problem.pointer}" if problem.pointer else "")
            raise InputError(problem.message, where=str(path), pointer=location) from None
        yield number, value
