"""The `rules` baseline: entities, timex, events and quotes from general resources only.

Each layer has its own module; this one runs them in order (entities first, since
event arguments and quote sources refer to entity mentions) and fills a prediction
`Document` with the same id and text as its input.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from importlib import resources
from importlib.metadata import version
from typing import Any

import babel

from khabar import __version__
from khabar.baselines.resources import HAND_WRITTEN, read_list
from khabar.baselines.rules.entities import entities_for
from khabar.baselines.rules.events import events_for
from khabar.baselines.rules.quotes import quotes_for
from khabar.baselines.rules.timex import timex_for
from khabar.baselines.rules.tokens import sentence_tokens
from khabar.document import Document
from khabar.gcpause import paused_gc
from khabar.inventories import LAYERS

RULES_VERSION = "1"


def tag_document(document: Document) -> Document:
    """A prediction for `document`: its id, text and DCT with the four rule layers."""
    sentences = sentence_tokens(document.text)
    entities = entities_for(document.text, sentences)
    timex = timex_for(document.text, document.dct.value if document.dct else None)
    events = events_for(document.text, sentences, entities, timex)
    quotes = quotes_for(document.text, sentences, entities)
    bare = Document(id=document.id, text=document.text, dct=document.dct, language=document.language)
    return replace(bare, entities=tuple(entities), timex=tuple(timex), events=tuple(events), quotes=tuple(quotes))


def resources_digest() -> str:
    """The first 8 hex digits of the sha256 of every hand-written resource file, in order."""
    digest = hashlib.sha256()
    for name in HAND_WRITTEN:
        digest.update(resources.files("khabar.baselines.resources").joinpath(name).read_bytes())
    return digest.hexdigest()[:8]


class RulesTagger:
    """Hand-written rules over general resources; never sees gold layers."""

    name = "rules"
    layers: tuple[str, ...] = LAYERS
    deterministic = True  # same input and seed → same output: re-scoring has no run-to-run noise

    def predict(self, documents: list[Document]) -> list[Document]:
        with paused_gc():
            return [tag_document(document) for document in documents]

    def signature(self) -> dict[str, Any]:
        return {
            "system": self.name,
            "rules": RULES_VERSION,
            "khabar": __version__,
            "resources": resources_digest(),
            "pycountry": version("pycountry"),
            "babel_cldr": babel.__version__,
            "resource_entries": sum(len(read_list(name).rows) for name in HAND_WRITTEN),
        }
