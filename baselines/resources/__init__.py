"""Word lists of the rule baseline, each file headed by the source it was written from.

A resource file is UTF-8 TSV. Header lines start with `#`: `# source:` (required) says
where the entries come from, `# kind:` says whether the file is `vocabulary` (titles,
month names, verbs: general words) or `names` (proper names). The first column of a
row is the entry (an Arabic form); further columns carry its value (a type, a number).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

HAND_WRITTEN: tuple[str, ...] = (
    "titles.tsv",
    "org_heads.tsv",
    "short_country_names.tsv",
    "hijri_months.tsv",
    "time_units.tsv",
    "number_words.tsv",
    "speech_verbs.tsv",
    "event_triggers.tsv",
    "function_words.tsv",
    "ambiguous_words.tsv",
)


@dataclass(frozen=True)
class ResourceList:
    name: str
    source: str
    kind: str
    rows: tuple[tuple[str, ...], ...]

    @property
    def entries(self) -> tuple[str, ...]:
        return tuple(row[0] for row in self.rows)


@cache
def read_list(name: str) -> ResourceList:
    """Read one resource file; a file without a `# source:` header is an error."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    header: dict[str, str] = {}
    rows: list[tuple[str, ...]] = []
    for line in text.splitlines():
        if line.startswith("#"):
            field, _, value = line[1:].partition(":")
            header.setdefault(field.strip(), value.strip())
            continue
        if line.strip():
            rows.append(tuple(cell.strip() for cell in line.split("\t")))
    if not header.get("source"):
        raise ValueError(f"resource {name} does not state its source")
    return ResourceList(name, header["source"], header.get("kind", "vocabulary"), tuple(rows))
