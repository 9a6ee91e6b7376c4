"""The resource audit: no hand-written rule resource may carry a name taken from the gold.

An entry of a hand-written resource (`resources.HAND_WRITTEN`) *leaks* when its matching
key equals the key of a gold entity mention's text and that text is in none of the
declared general sources (pycountry's ISO 3166 Arabic names, CLDR territory and city
names). Titles and other vocabulary are checked too: a gold mention that is exactly a
word of a hand-written list, and is in no general source, is a leak all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from khabar.baselines.arabic import key
from khabar.baselines.gazetteer import general_source_names, name_key
from khabar.baselines.resources import HAND_WRITTEN, read_list
from khabar.strictjson import read_json


@dataclass(frozen=True, order=True)
class Leak:
    resource: str
    entry: str
    gold_text: str


def general_source_keys() -> frozenset[str]:
    return frozenset(" ".join(name_key(name)) for name in general_source_names())


def find_leaks(gold_texts: list[str], general_keys: frozenset[str] | None = None) -> list[Leak]:
    """Hand-written entries equal to a gold mention text that no general source has."""
    general = general_source_keys() if general_keys is None else general_keys
    gold_by_key: dict[str, str] = {}
    for text in gold_texts:
        gold_key = " ".join(name_key(text))
        if gold_key and gold_key not in general:
            gold_by_key.setdefault(gold_key, text)
    leaks = []
    for resource in HAND_WRITTEN:
        for entry in read_list(resource).entries:
            entry_key = " ".join(key(part) for part in entry.split())
            if entry_key in gold_by_key:
                leaks.append(Leak(resource, entry, gold_by_key[entry_key]))
    return sorted(leaks)


def gold_entity_texts(annotations: Path) -> list[str]:
    """The text of every entity mention in the annotation files of a folder (raw JSON)."""
    texts = []
    for path in sorted(annotations.glob("*.json")):
        data = read_json(path)
        texts += [entity["text"] for entity in data.get("entities", [])]
    return texts
