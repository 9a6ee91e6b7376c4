"""The `hf` adapter: any local Hugging Face token-classification model as a khabar tagger.

Needs the optional `hf` extra (transformers, with torch installed first). The model
directory is read with `AutoTokenizer`/`AutoModelForTokenClassification` (no download:
`local_files_only`); its tokenizer must be a fast one, which reports each word piece's
character offsets.

- Each sentence of the token view is encoded alone (split into halves when longer than
  the model's maximum length). Word-piece offsets, relative to the sentence, are shifted to
  document code-point offsets (Python string offsets, so non-BMP characters count as one).
- A khabar token takes the label of the first word piece that overlaps it (the usual
  first-subword rule); the token tags become character spans with `tags_to_spans`, so every
  span starts and ends on token boundaries of the raw text.
- Labels are read from the model's `id2label`. Prefixes B/I of IOB, and S/U (→ B), E/L (→ I)
  of BIOES/BILOU are accepted. Types map onto ours by `LABEL_MAPS`: Wojood names map one to
  one (PERS → PER; DATE and TIME fill the timex layer, with values from the rule
  normalizer); CoNLL-2003/ANERcorp names map PER/PERS → PER, ORG → ORG, LOC → GPE (in news
  most CoNLL locations are countries and cities: ACE GPEs), MISC → nothing. `tagset="auto"`
  picks Wojood when the label set has a Wojood-only type (GPE, NORP, OCC, FAC …), else CoNLL.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from khabar import __version__
from khabar.baselines.crf import timex_value
from khabar.baselines.protocol import blank_prediction
from khabar.document import Document, Entity, Timex
from khabar.errors import InputError
from khabar.tokenize import Sentence, split_sentences
from khabar.views import LabeledSpan, tags_to_spans

WOJOOD_MAP: dict[str, tuple[str, str] | None] = {
    **{label: ("entities", label) for label in ("NORP", "OCC", "ORG", "GPE", "LOC", "FAC", "EVENT", "WEBSITE")},
    "PERS": ("entities", "PER"),
    "PER": ("entities", "PER"),
    "DATE": ("timex", "DATE"),
    "TIME": ("timex", "TIME"),
}
CONLL_MAP: dict[str, tuple[str, str] | None] = {
    "PER": ("entities", "PER"),
    "PERS": ("entities", "PER"),
    "ORG": ("entities", "ORG"),
    "LOC": ("entities", "GPE"),
    "MISC": None,
}
LABEL_MAPS = {"wojood": WOJOOD_MAP, "conll": CONLL_MAP}
# Types only Wojood has (ANERcorp also says PERS, so PERS does not tell them apart).
WOJOOD_ONLY = frozenset({"GPE", "NORP", "OCC", "FAC", "EVENT", "WEBSITE"})
PREFIXES = {"B": "B", "I": "I", "S": "B", "U": "B", "E": "I", "L": "I"}


def split_label(label: str) -> tuple[str, str] | None:
    """`B-PERS` → ("B", "PERS"); `O` or an unreadable label → None."""
    prefix, separator, name = label.partition("-")
    if not separator:
        prefix, separator, name = label.partition("_")
    if not separator or prefix.upper() not in PREFIXES:
        return None
    return PREFIXES[prefix.upper()], name.upper()


def detect_tagset(labels: list[str]) -> str:
    names = {parts[1] for label in labels if (parts := split_label(label))}
    return "wojood" if names & WOJOOD_ONLY else "conll"


def map_label(label: str, tagset: str) -> tuple[str, str] | None:
    """A model label → (layer, our tag), e.g. `B-PERS` → ("entities", "B-PER"); None for O."""
    parts = split_label(label)
    if parts is None:
        return None
    prefix, name = parts
    target = LABEL_MAPS[tagset].get(name)
    if target is None:
        return None
    layer, ours = target
    return layer, f"{prefix}-{ours}"


def piece_spans(offsets: list[tuple[int, int]], special: list[int], shift: int) -> list[tuple[int, int] | None]:
    """Document spans of the word pieces (None for special tokens and empty pieces)."""
    spans: list[tuple[int, int] | None] = []
    for (start, end), is_special in zip(offsets, special, strict=True):
        spans.append(None if is_special or end <= start else (start + shift, end + shift))
    return spans


class HfTagger:
    """A local token-classification model (e.g. a CAMeLBERT or Wojood checkpoint)."""

    name = "hf"
    deterministic = True  # inference only (no dropout, no sampling): same input → same output

    def __init__(self, model: str | Path, tagset: str = "auto"):
        # Deferred: torch and transformers are the optional hf extra (and take seconds to import).
        try:
            import torch  # noqa: F401
            from transformers import AutoModelForTokenClassification, AutoTokenizer
        except ImportError as error:
            raise InputError(
                "the hf baseline needs the hf extra",
                hint="pip install torch==2.13.0 && pip install 'khabar[hf]'",
            ) from error
        path = Path(model)
        if not path.is_dir():
            raise InputError("not a model directory", where=str(path))
        self.path = path
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        if not getattr(self.tokenizer, "is_fast", False):
            raise InputError("the model's tokenizer is not a fast tokenizer (no offsets)", where=str(path))
        self.model = AutoModelForTokenClassification.from_pretrained(path, local_files_only=True)
        self.model.eval()
        self.labels = [self.model.config.id2label[index] for index in range(self.model.config.num_labels)]
        if tagset not in ("auto", *LABEL_MAPS):
            raise InputError(f"unknown tag set {tagset!r}; expected auto, wojood or conll")
        self.tagset = detect_tagset(self.labels) if tagset == "auto" else tagset
        mapped = [map_label(label, self.tagset) for label in self.labels]
        self.layers: tuple[str, ...] = tuple(
            layer for layer in ("entities", "timex") if any(m and m[0] == layer for m in mapped)
        ) or ("entities",)
        self.max_length = min(int(getattr(self.model.config, "max_position_embeddings", 512)), 512)

    # ---- inference ----

    def _piece_labels(self, text: str, start: int, end: int) -> list[tuple[tuple[int, int], str]]:
        """(document span, label) of every word piece of text[start:end]."""
        import torch  # deferred: the optional hf extra (see __init__)

        encoding = self.tokenizer(
            text[start:end], return_offsets_mapping=True, return_special_tokens_mask=True, return_tensors="pt"
        )
        length = encoding["input_ids"].shape[1]
        if length > self.max_length:
            return []
        offsets = [tuple(pair) for pair in encoding.pop("offset_mapping")[0].tolist()]
        special = encoding.pop("special_tokens_mask")[0].tolist()
        with torch.no_grad():
            logits = self.model(**encoding).logits[0]
        best = logits.argmax(-1).tolist()
        spans = piece_spans(offsets, special, start)
        return [(span, self.labels[label]) for span, label in zip(spans, best, strict=True) if span is not None]

    def _sentence_tags(self, text: str, sentence: Sentence) -> dict[str, list[str]]:
        pieces = self._chunked(text, list(sentence.tokens))
        tags = {layer: ["O"] * len(sentence.tokens) for layer in self.layers}
        position = 0
        for index, token in enumerate(sentence.tokens):
            while position < len(pieces) and pieces[position][0][1] <= token.start:
                position += 1
            if position < len(pieces) and pieces[position][0][0] < token.end:
                mapped = map_label(pieces[position][1], self.tagset)
                if mapped is not None and mapped[0] in tags:
                    tags[mapped[0]][index] = mapped[1]
        return tags

    def _chunked(self, text: str, tokens) -> list[tuple[tuple[int, int], str]]:
        """Pieces of a run of tokens; halves the run when it is longer than the model allows."""
        if not tokens:
            return []
        pieces = self._piece_labels(text, tokens[0].start, tokens[-1].end)
        if pieces or len(tokens) == 1:
            return pieces
        middle = len(tokens) // 2
        return self._chunked(text, tokens[:middle]) + self._chunked(text, tokens[middle:])

    def predict(self, documents: list[Document]) -> list[Document]:
        predictions = []
        for document in documents:
            spans: dict[str, list[LabeledSpan]] = {layer: [] for layer in self.layers}
            for sentence in split_sentences(document.text):
                for layer, tags in self._sentence_tags(document.text, sentence).items():
                    spans[layer] += tags_to_spans(sentence.tokens, tags)
            text = document.text
            entities = [
                Entity(f"e{n}", s.start, s.end, s.label, text[s.start : s.end])
                for n, s in enumerate(spans.get("entities", []), 1)
            ]
            dct = document.dct.value if document.dct else None
            timex = []
            for n, s in enumerate(spans.get("timex", []), 1):
                value, mod = timex_value(text[s.start : s.end], s.label, dct)
                timex.append(Timex(f"t{n}", s.start, s.end, s.label, value, text[s.start : s.end], mod=mod))
            predictions.append(replace(blank_prediction(document), entities=tuple(entities), timex=tuple(timex)))
        return predictions

    def signature(self) -> dict[str, Any]:
        import transformers  # deferred: the optional hf extra (see __init__)

        return {
            "system": self.name,
            "khabar": __version__,
            "model": self.path.name,
            "architecture": type(self.model).__name__,
            "tagset": self.tagset,
            "labels": len(self.labels),
            "transformers": transformers.__version__,
        }
