"""Inter-annotator agreement between two annotations of the same documents.

- span F1 per layer and label, with annotator A as reference (F1 is symmetric, so the
  choice does not matter), exact and partial: entities `span-strict` and `span-partial`,
  timex `strict-extent` and `relaxed-extent`, event triggers `Trig-C`, event arguments
  `Arg-C+`, quote contents `content-exact` and `content-overlap`;
  quote cues `cue` (exact extent);
- timex value agreement: the share of relaxed timex matches with the same value; quote
  speaker agreement: the share of content-overlap matches whose speakers agree;
- Cohen's kappa on the flat token view of each layer (scikit-learn), over every token,
  `O` included; undefined (None) when both annotators tag every token the same single way;
- the list of every disagreement (`khabar.adjudication`): layer, offsets, text and each side's
  label or value.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

from khabar.adjudication import Disagreement, disagreements
from khabar.document import Document
from khabar.errors import InputError
from khabar.eval.harness import evaluate
from khabar.eval.results import MetricResult
from khabar.inventories import LAYERS
from khabar.views import token_view

SPAN_METRICS = {
    "entities": ("span-strict", "span-partial"),
    "timex": ("strict-extent", "relaxed-extent"),
    "events": ("Trig-C", "Arg-C+"),
    "quotes": ("content-exact", "content-overlap", "cue"),
}


@dataclass(frozen=True)
class AgreementRow:
    layer: str
    measure: str
    label: str
    value: float | None
    ci: tuple[float, float] | None
    support_a: float | None = None
    support_b: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "measure": self.measure,
            "label": self.label,
            "value": self.value,
            "ci": list(self.ci) if self.ci else None,
            "count_a": self.support_a,
            "count_b": self.support_b,
        }


@dataclass(frozen=True)
class Agreement:
    rows: list[AgreementRow]
    signature: dict[str, Any]
    disagreements: list[Disagreement]

    def to_dict(self) -> dict[str, Any]:
        return {
            "signature": dict(self.signature),
            "rows": [row.to_dict() for row in self.rows],
            "disagreements": [item.to_dict() for item in self.disagreements],
        }


def _f1_rows(layer: str, metric: MetricResult) -> list[AgreementRow]:
    rows = [
        AgreementRow(layer, f"{metric.name} F1", label, score.f1, score.ci, score.gold, score.pred)
        for label, score in metric.per_label.items()
        if label != "*"
    ]
    micro = metric.micro
    rows.append(AgreementRow(layer, f"{metric.name} F1", "micro", micro.f1, micro.ci, micro.gold, micro.pred))
    return rows


def cohen_kappa(tags_a: list[str], tags_b: list[str]) -> float | None:
    # Deferred for start-up time: scikit-learn takes seconds to import; only agreement needs it.
    from sklearn.metrics import cohen_kappa_score

    if not tags_a or len(set(tags_a) | set(tags_b)) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = float(cohen_kappa_score(tags_a, tags_b))
    return None if value != value else value  # NaN: undefined


def common_documents(
    docs_a: list[Document], docs_b: list[Document], where_a: str, where_b: str
) -> tuple[list[Document], list[Document], list[str]]:
    """The documents annotated on both sides (a pass may cover part of a corpus), and a note per
    document annotated on one side only. An error when none is shared or a shared text differs."""
    ids_a = {document.id: document for document in docs_a}
    ids_b = {document.id: document for document in docs_b}
    notes = [
        f"document {doc_id!r} is annotated only in {where_a if doc_id in ids_a else where_b}: not compared"
        for doc_id in sorted(set(ids_a) ^ set(ids_b))
    ]
    shared = sorted(set(ids_a) & set(ids_b))
    if not shared:
        raise InputError(f"{where_a} and {where_b} annotate no document in common")
    for doc_id in shared:
        if ids_a[doc_id].text_sha256 != ids_b[doc_id].text_sha256:
            raise InputError(f"document {doc_id!r} has different texts in {where_a} and {where_b}")
    return [ids_a[doc_id] for doc_id in shared], [ids_b[doc_id] for doc_id in shared], notes


def agreement(
    docs_a: list[Document],
    docs_b: list[Document],
    *,
    layers: tuple[str, ...] | list[str] = LAYERS,
    bootstrap: int = 1000,
    seed: int = 7,
) -> Agreement:
    """Agreement of annotation B with annotation A on every layer."""
    result = evaluate(docs_a, docs_b, layers=layers, bootstrap=bootstrap, seed=seed)
    rows: list[AgreementRow] = []
    by_id_b = {document.id: document for document in docs_b}
    for layer in layers:
        metrics = result.layers[layer].metrics
        for name in SPAN_METRICS[layer]:
            rows += _f1_rows(layer, metrics[name])
        if layer == "timex":
            value = metrics["value-accuracy"].accuracy
            rows.append(
                AgreementRow(layer, "value agreement", "relaxed matches", value.accuracy, value.ci, value.total, None)
            )
        if layer == "quotes":
            speaker = metrics["speaker-accuracy"].accuracy
            rows.append(
                AgreementRow(
                    layer, "speaker agreement", "overlap matches", speaker.accuracy, speaker.ci, speaker.total, None
                )
            )
        tags_a: list[str] = []
        tags_b: list[str] = []
        for document in sorted(docs_a, key=lambda item: item.id):
            view_a, _ = token_view(document, (layer,))
            view_b, _ = token_view(by_id_b[document.id], (layer,))
            for sentence_a, sentence_b in zip(view_a, view_b, strict=True):
                tags_a += sentence_a.tags[layer]
                tags_b += sentence_b.tags[layer]
        rows.append(AgreementRow(layer, "Cohen's kappa (token view)", "all tags", cohen_kappa(tags_a, tags_b), None))
    signature = {key: value for key, value in result.signature.items() if key != "spans"}
    signature["reference"] = "A"
    return Agreement(rows, signature, disagreements(docs_a, docs_b, layers))
