"""A compiled yes/no check of an annotation schema, for the common case: a valid document.

`jsonschema` walks a schema anew for every value (a validator object per step), which costs
several seconds on a few thousand predicted documents. `compile_check(schema)` turns the
schema once into nested functions that answer only "is this instance valid?", with
jsonschema's meaning of each keyword the khabar schema uses (`KEYWORDS`); a keyword outside
them makes compiling fail, so the schema cannot grow past this check unnoticed. The
validator asks jsonschema for the errors only when the answer is no, so every message
still comes from jsonschema; the check may be stricter than jsonschema (an `OrderedDict`
is left to jsonschema) but never more lenient, which a property test compares.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from numbers import Number
from typing import Any

Check = Callable[[Any], bool]

KEYWORDS = frozenset(
    {"type", "properties", "required", "additionalProperties", "items", "enum", "minimum", "minLength", "pattern"}
)
ANNOTATIONS = frozenset({"$schema", "$id", "title", "description"})  # no effect on validity


def _is_integer(value: Any) -> bool:
    # jsonschema: an int that is not a bool, or a float with no fractional part.
    kind = type(value)
    return kind is int or (kind is float and value.is_integer())


_TYPES: dict[str, Check] = {
    "object": lambda value: type(value) is dict,
    "array": lambda value: type(value) is list,
    "string": lambda value: isinstance(value, str),
    "integer": _is_integer,
    "number": lambda value: type(value) in (int, float),
    "boolean": lambda value: type(value) is bool,
    "null": lambda value: value is None,
}


def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """`pattern` as JSON Schema means it (ECMA-262): `$` ends the string (Python's `$` also
    matches before a final newline)."""
    python = pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith(r"\$") else pattern
    return re.compile(python)


def _type_check(expected: str | list[str]) -> Check:
    names = [expected] if isinstance(expected, str) else list(expected)
    checks = [_TYPES[name] for name in names]
    if len(checks) == 1:
        return checks[0]
    return lambda value: any(check(value) for check in checks)


def _enum_check(values: list[Any]) -> Check:
    if not all(value is None or isinstance(value, str) for value in values):
        raise ValueError("enum: only strings and null are compiled")
    strings = frozenset(value for value in values if value is not None)
    allows_null = None in values
    return lambda value: (value is None and allows_null) or (isinstance(value, str) and value in strings)


def _minimum_check(minimum: int | float) -> Check:
    def check(value: Any) -> bool:
        kind = type(value)
        if kind is int or kind is float:
            return value >= minimum
        # Not a number (a bool is none): `minimum` does not apply. Another number type: left to jsonschema.
        return kind is bool or not isinstance(value, Number)

    return check


def _object_check(schema: dict[str, Any]) -> Check | None:
    """properties, required and additionalProperties, on objects only (as in jsonschema)."""
    if not {"properties", "required", "additionalProperties"} & set(schema):
        return None
    properties = {key: compile_check(value) for key, value in schema.get("properties", {}).items()}
    required = tuple(schema.get("required", ()))
    additional = schema.get("additionalProperties", True)
    extra: Check | None = None
    must_be_object = schema.get("type") == "object"
    if isinstance(additional, dict):
        extra = compile_check(additional)
    elif additional is not True and additional is not False:
        raise ValueError("additionalProperties: a boolean or a schema")

    def check(value: Any) -> bool:
        if type(value) is not dict:
            # Not an object: these keywords do not apply (unless the type must be "object").
            # A dict subclass: left to jsonschema.
            return not must_be_object and not isinstance(value, dict)
        for key in required:
            if key not in value:
                return False
        for key, item in value.items():
            item_check = properties.get(key)
            if item_check is not None:
                if not item_check(item):
                    return False
            elif additional is False or (extra is not None and not extra(item)):
                return False
        return True

    return check


def compile_check(schema: dict[str, Any] | bool) -> Check:
    """A function telling whether an instance is valid under `schema` (see the module docstring)."""
    if schema is True:
        return lambda value: True
    if schema is False:
        return lambda value: False
    unknown = set(schema) - KEYWORDS - ANNOTATIONS
    if unknown:
        raise ValueError(f"keyword {sorted(unknown)[0]!r} is not compiled")
    checks: list[Check] = []
    object_check = _object_check(schema)
    if "type" in schema and not (object_check is not None and schema["type"] == "object"):  # else checked there
        checks.append(_type_check(schema["type"]))
    if "enum" in schema:
        checks.append(_enum_check(schema["enum"]))
    if "minimum" in schema:
        checks.append(_minimum_check(schema["minimum"]))
    if "minLength" in schema:
        min_length = schema["minLength"]
        checks.append(lambda value: not isinstance(value, str) or len(value) >= min_length)
    if "pattern" in schema:
        search = ecma_pattern(schema["pattern"]).search
        checks.append(lambda value: not isinstance(value, str) or search(value) is not None)
    if object_check is not None:
        checks.append(object_check)
    if "items" in schema:
        item_check = compile_check(schema["items"])
        # Not a list: `items` does not apply. A list subclass: left to jsonschema.
        checks.append(
            lambda value: not isinstance(value, list) or (type(value) is list and all(map(item_check, value)))
        )
    return _common_shape(schema) or _all_of(checks)


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)

    return lambda value: all(one(value) for one in checks)


def _common_shape(schema: dict[str, Any]) -> Check | None:
    """One function for the shapes met on every span (an offset, a string), where the general
    combination would call one function per keyword; the same answers (a test compares)."""
    keys = set(schema) - ANNOTATIONS
    if keys == {"type", "minimum"} and schema["type"] == "integer":
        minimum = schema["minimum"]
        return lambda value: (type(value) is int and value >= minimum) or (_is_integer(value) and value >= minimum)
    if keys == {"type"} and schema["type"] == "string":
        return lambda value: isinstance(value, str)
    if keys == {"type", "minLength"} and schema["type"] == "string":
        min_length = schema["minLength"]
        return lambda value: isinstance(value, str) and len(value) >= min_length
    return None
