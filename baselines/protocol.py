"""The one protocol every baseline implements, and the shape of a prediction.

A prediction is a `Document` with the same id and text (and DCT) as the gold document
and only the predicted layers filled. Taggers that learn (`crf`) receive the gold
documents and may read the gold layers only of the cross-validation folds a prediction
is not made for; the others never read gold layers.

A tagger whose `predict` can take long may set `reports_progress = True` and accept
`predict(documents, progress=None)`, calling `progress(done, total)` (`khabar.progress`) as
it goes; the run layer passes a callback only to such a tagger.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from khabar.document import Document


@runtime_checkable
class Tagger(Protocol):
    name: str
    layers: tuple[str, ...]
    # True when the same input (and seed) always gives the same output. `khabar check` then
    # allows no run-to-run noise beyond its minimum tolerance; see khabar.eval.gate.
    deterministic: bool

    def predict(self, documents: list[Document]) -> list[Document]: ...

    def signature(self) -> dict[str, Any]: ...


def blank_prediction(document: Document) -> Document:
    """A document with the id, text and DCT of `document` and no annotation layers."""
    return Document(id=document.id, text=document.text, dct=document.dct, language=document.language)
