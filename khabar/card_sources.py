"""What the dataset card reads from the repository around a corpus, never typed by hand.

A corpus folder `corpus/` sits in a repository whose `guidelines/README.md` states the
guidelines version, whose `guidelines/adjudication/agreement.md` holds the `khabar agree` tables
(kept fresh by their own test), whose `baselines/scores.json` holds the reference scores
and whose `CITATION.cff` names the work. Each reader returns `None` (or nothing) when its
file is absent, so a corpus outside a repository still builds, and the card then says
what was not measured rather than inventing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from khabar.errors import InputError
from khabar.strictjson import read_json

_VERSION_LINE = re.compile(r"version\W{0,3}\s*v?(\d+(?:\.\d+)*[\w.-]*)", re.IGNORECASE)
# A fenced `khabar agree A B` command, then prose, then the fenced table it printed (the
# convention `guidelines/adjudication/agreement.md` follows and its staleness test enforces).
_AGREE_TABLE = re.compile(r"```\n(khabar agree (\S+) (\S+))\n```\n.*?```text\n(.*?)```", re.DOTALL)
# The agreement report cites the test document, so it sits with the adjudication record.
AGREEMENT_REPORT = Path("adjudication") / "agreement.md"
# Rows of an agreement table that summarise a layer (per-label rows stay in agreement.md).
_SUMMARY_LABELS = ("micro", "all tags", "relaxed matches")


@dataclass(frozen=True)
class AgreementRow:
    """One summary row of a `khabar agree` table, values as printed."""

    layer: str
    measure: str
    value: str
    ci: str


@dataclass(frozen=True)
class AgreementTable:
    """The summary of one `khabar agree A B` table: B measured against A."""

    command: str
    reference: str
    other: str
    rows: tuple[AgreementRow, ...]


@dataclass(frozen=True)
class ReferenceScore:
    """A committed headline score of a baseline (`baselines/scores.json`)."""

    system: str
    layer: str
    metric: str
    f1: float
    ci: tuple[float, float]


@dataclass(frozen=True)
class CardSources:
    """Everything the card takes from the repository around the corpus."""

    guidelines_version: str | None = None
    agreement: tuple[AgreementTable, ...] = ()
    reference_scores: tuple[ReferenceScore, ...] = ()
    citation_year: str | None = None


def guidelines_version(guidelines_dir: Path | None) -> str | None:
    """The version stated in `guidelines/README.md` (a line like `Version: 0.1`), if any."""
    if guidelines_dir is None:
        return None
    readme = guidelines_dir / "README.md"
    if not readme.is_file():
        return None
    match = _VERSION_LINE.search(readme.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def _agreement_row(line: str) -> AgreementRow | None:
    """A summary row of the fixed-width table (columns are two or more spaces apart)."""
    cells = re.split(r"\s{2,}", line.strip())
    if len(cells) < 4 or cells[2] not in _SUMMARY_LABELS:
        return None
    layer, measure, _label, value, *rest = cells
    ci = rest[0] if rest and rest[0].startswith("[") else ""
    return AgreementRow(layer, measure, value, ci)


def parse_agreement(markdown: str) -> tuple[AgreementTable, ...]:
    """The summary rows of every `khabar agree` table in an agreement report, in order."""
    tables = []
    for command, reference, other, table in _AGREE_TABLE.findall(markdown):
        rows = tuple(row for line in table.splitlines()[1:] if (row := _agreement_row(line)) is not None)
        tables.append(AgreementTable(command, reference, other, rows))
    return tuple(tables)


def agreement_tables(guidelines_dir: Path | None) -> tuple[AgreementTable, ...]:
    """The agreement tables of `guidelines/adjudication/agreement.md`; none when the file is absent."""
    if guidelines_dir is None or not (guidelines_dir / AGREEMENT_REPORT).is_file():
        return ()
    path = guidelines_dir / AGREEMENT_REPORT
    tables = parse_agreement(path.read_text(encoding="utf-8"))
    if not tables:
        raise InputError(f"{path}: no `khabar agree` table found (a fenced command followed by its fenced output)")
    return tables


def reference_scores(scores_path: Path) -> tuple[ReferenceScore, ...]:
    """The committed headline scores, in the file's order; none when the file is absent."""
    if not scores_path.is_file():
        return ()
    try:
        systems = read_json(scores_path)["systems"]
        return tuple(
            ReferenceScore(
                system, layer, score["metric"], float(score["f1"]), (float(score["ci"][0]), float(score["ci"][1]))
            )
            for system, layers in systems.items()
            for layer, score in layers.items()
            if score.get("f1") is not None and score.get("ci") is not None
        )
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise InputError(f"{scores_path}: not a reference score file ({error})") from None


def citation_year(citation_path: Path) -> str | None:
    """The year of `date-released` in CITATION.cff, if the file gives one."""
    if not citation_path.is_file():
        return None
    try:
        data = yaml.safe_load(citation_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InputError(f"{citation_path}: not YAML ({error})") from None
    released = data.get("date-released") if isinstance(data, dict) else None
    return str(released)[:4] if released else None


def read_card_sources(repository: Path) -> CardSources:
    """The card's sources in the repository folder that holds a corpus."""
    guidelines_dir = repository / "guidelines"
    return CardSources(
        guidelines_version=guidelines_version(guidelines_dir),
        agreement=agreement_tables(guidelines_dir),
        reference_scores=reference_scores(repository / "baselines" / "scores.json"),
        citation_year=citation_year(repository / "CITATION.cff"),
    )
