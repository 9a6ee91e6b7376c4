"""Exceptions khabar raises: each carries a code, a location and an optional hint.

The library raises these and never prints or exits; the CLI turns them into one-line
`Error: …` messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in an input, located as precisely as possible.

    `where` is a file path; `pointer` a JSON pointer (`/entities/3/end`) or a line
    reference (`line 4: ner_tags`). Sorting problems sorts by file, then pointer.
    """

    where: str
    pointer: str
    message: str
    code: str = field(default="invalid", compare=False)

    def __str__(self) -> str:
        location = f"{self.where}:{self.pointer}" if self.pointer else self.where
        return f"{location}: {self.message}"


class KhabarError(Exception):
    """Base of every error khabar raises on bad input or usage."""

    code = "khabar"
    exit_code = 2

    def __init__(self, message: str, *, where: str = "", pointer: str = "", hint: str = ""):
        self.message = message
        self.where = where
        self.pointer = pointer
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        location = ":".join(part for part in (self.where, self.pointer) if part)
        text = f"{location}: {self.message}" if location else self.message
        return f"{text} ({self.hint})" if self.hint else text


class InputError(KhabarError):
    """A file that cannot be read as what it claims to be (JSON, UTF-8, JSONL …)."""

    code = "input"


class ValidationError(KhabarError):
    """An annotation that breaks the data model; holds every problem found."""

    code = "validation"
    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        first = str(self.problems[0]) if self.problems else "no problems"
        super().__init__(first if len(self.problems) == 1 else f"{len(self.problems)} problems; first: {first}")


class MalformedInput(ValidationError):
    """An input whose structure is wrong (not a mapping or model problem): every problem
    found, exit 2 like any other input error."""

    code = "input"
    exit_code = 2


class StaleReferenceError(KhabarError):
    """Reference scores computed on another version of the corpus: not comparable, refresh them.

    Its own exit code (3), so CI can tell "refresh the reference" from a regression (1)."""

    code = "stale-reference"
    exit_code = 3


class Interrupted(BaseException):
    """SIGTERM arrived (SIGINT arrives as `KeyboardInterrupt`). A `BaseException`, like
    `KeyboardInterrupt`, so that no `except Exception` on the way swallows it: every
    `finally` and undo between the signal and the CLI runs, and the CLI exits 128 + signal."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"signal {signum}")
