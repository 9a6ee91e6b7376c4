"""The guidelines as one Markdown prompt for a guideline-conditioned extractor.

The prompt is the guidelines proper (never an adjudication record), the label
inventories of `khabar.inventories` and the annotation / prediction format, in that
order. It is assembled from the files and the inventories each time, so it cannot drift
from either; the leak check of `khabar.guidelines` applies to the whole prompt.
"""

from __future__ import annotations

import re
from pathlib import Path

from khabar.errors import Problem, ValidationError
from khabar.guidelines import GUIDELINES_PROPER, find_leaks, guidelines_version, read_guidelines
from khabar.inventories import (
    ACE_EVENT_TYPES,
    ENTITY_TYPES,
    EVENT_EXTENSIONS,
    EVENT_REALIS,
    EVENT_ROLES,
    QUOTE_KINDS,
    TIMEX_MODS,
    TIMEX_TYPES,
)

HEADING = re.compile(r"^(#+) ", re.MULTILINE)
# Links between guideline files mean nothing inside one document.
FILE_LINK = re.compile(r"\[([^\]]+)\]\([a-z-]+\.md(?:#[^)]*)?\)")

FORMAT = """\
One JSON object per document, with character offsets into the exact document text:
Python code points, `start` inclusive, `end` exclusive, and `text` equal to
`document_text[start:end]` character for character (GEN-1).

```text
id, text_sha256, language "ar", dct {value, provenance}, source
entities: [{id, start, end, type, text}]                          named mentions; may nest
timex:    [{id, start, end, type, value, text, mod?, anchor?}]     TIMEX3: DATE TIME DURATION SET
events:   [{id, type, trigger:{start,end,text}, arguments:[{role, ref | start,end,text}], realis?}]
quotes:   [{id, kind: direct|indirect|mixed, content:{start,end,text}, cue?, speaker?:{ref | start,end,text}}]
```

- Ids: entities `T1`, `T2` …, timex `X1` …, events `E1` …, quotes `Q1` …, unique in the
  document; entities and timex in text order.
- `entities[].type`, `timex[].type`, `timex[].mod`, `events[].type`, `arguments[].role`,
  `events[].realis` and `quotes[].kind` take the values of the inventories below.
- `timex[].anchor` is `DCT` or the id of another timex (TMX-13); `value` is an ISO 8601 /
  TimeML value (`2024-03-05`, `2024-W11`, `P2D`, `PAST_REF`, `XXXX-WXX-5`).
- An event argument is either `{"role", "ref"}` (the id of an entity or, for the
  `Time-*` roles, of a timex) or `{"role", "start", "end", "text"}` (a span, EVT-5).
- A quote's `cue` is a span; its `speaker` is `{"ref"}` (an entity id) or a span
  (QUO-15), and is omitted when no source is named (QUO-8).
- A layer that is not predicted is left out; an empty list means "predicted: none".

Example (a constructed sentence, not a corpus document), for the text
`قال وزير الخارجية سامي حداد إن الشرطة اعتقلت ثلاثة مشتبهين أمس.`:

```json
{"id": "example", "entities": [
   {"id": "T1", "start": 4, "end": 17, "type": "OCC", "text": "وزير الخارجية"},
   {"id": "T2", "start": 18, "end": 27, "type": "PER", "text": "سامي حداد"}],
 "timex": [{"id": "X1", "start": 59, "end": 62, "type": "DATE", "value": "2024-03-04",
            "anchor": "DCT", "text": "أمس"}],
 "events": [{"id": "E1", "type": "Justice:Arrest-Jail", "realis": "actual",
             "trigger": {"start": 38, "end": 44, "text": "اعتقلت"},
             "arguments": [{"role": "Agent", "start": 31, "end": 37, "text": "الشرطة"},
                           {"role": "Person", "start": 45, "end": 58, "text": "ثلاثة مشتبهين"},
                           {"role": "Time-Within", "ref": "X1"}]}],
 "quotes": [{"id": "Q1", "kind": "indirect",
             "content": {"start": 28, "end": 62, "text": "إن الشرطة اعتقلت ثلاثة مشتبهين أمس"},
             "cue": {"start": 0, "end": 3, "text": "قال"}, "speaker": {"ref": "T2"}}]}
```

Predictions for a whole corpus are JSONL: one such object per line, one line per
document (`khabar evaluate preds.jsonl` scores them).
"""


def _table(header: tuple[str, str], rows: dict[str, str]) -> str:
    lines = [f"| {header[0]} | {header[1]} |", "| --- | --- |"]
    lines += [f"| `{label}` | {description} |" for label, description in rows.items()]
    return "\n".join(lines)


def inventories_markdown() -> str:
    """The label inventories as Markdown tables (from `khabar.inventories`)."""
    extensions = {label: f"{text} (khabar extension, EVT-10)" for label, text in EVENT_EXTENSIONS.items()}
    parts = [
        "### Entity types\n\n" + _table(("type", "definition"), ENTITY_TYPES),
        "### Timex types\n\n" + _table(("type", "definition"), TIMEX_TYPES),
        "### Timex mods\n\n" + ", ".join(f"`{mod}`" for mod in TIMEX_MODS),
        "### Event types\n\n" + _table(("type", "definition"), {**ACE_EVENT_TYPES, **extensions}),
        "### Event argument roles\n\n" + ", ".join(f"`{role}`" for role in EVENT_ROLES),
        "### Event realis\n\n" + ", ".join(f"`{realis}`" for realis in EVENT_REALIS),
        "### Quote kinds\n\n" + _table(("kind", "definition"), QUOTE_KINDS),
    ]
    return "\n\n".join(parts) + "\n"


def annotation_format_markdown() -> str:
    """The annotation (and prediction) format, with a constructed example."""
    return FORMAT


def _demote(markdown: str) -> str:
    """One heading level down, so each guideline file becomes a section of the prompt."""
    return FILE_LINK.sub(r"\1", HEADING.sub(lambda match: "#" + match[1] + " ", markdown)).strip() + "\n"


def build_prompt(guidelines_dir: Path) -> str:
    """The guidelines proper, the inventories and the format as one Markdown document."""
    texts = read_guidelines(guidelines_dir, GUIDELINES_PROPER)
    version = guidelines_version(texts["README.md"]) or "unknown"
    parts = [
        f"# khabar annotation guidelines {version} — extraction prompt\n",
        "Annotate an Arabic news document in four layers (entities, timex, events, quotes) "
        "following the guidelines below, and answer in the format at the end. Every example "
        "in the guidelines is a constructed sentence.\n",
        *(_demote(texts[name]) for name in GUIDELINES_PROPER),
        "## Label inventories\n\n" + inventories_markdown(),
        "## Annotation and prediction format\n\n" + annotation_format_markdown(),
    ]
    return "\n".join(parts)


def checked_prompt(guidelines_dir: Path, documents: dict[str, str]) -> str:
    """The prompt, refused (ValidationError, every leak a problem) when it reveals any of
    the corpus `documents` (id → text)."""
    prompt = build_prompt(guidelines_dir)
    leaks = find_leaks({"prompt": prompt}, documents)
    if leaks:
        raise ValidationError(
            [Problem(str(guidelines_dir), leak.source, f"{leak.kind}: {leak.detail}") for leak in leaks]
        )
    return prompt
