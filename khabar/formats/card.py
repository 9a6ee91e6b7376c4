"""The dataset card (`corpus/README.md`): YAML metadata plus a body rendered from
`templates/dataset_card.md.j2`, with every table generated from the code and the data.

The YAML `dataset_info` and `configs` blocks are written by `datasets` itself
(`DatasetInfosDict`, `MetadataConfigs`) from the same `Features` the parquet files are
written with, so the card cannot drift from the data. Nothing in the card depends on the
time or the machine: building twice gives the same bytes.

The body follows the sections of the Hugging Face dataset card template
(`huggingface_hub/templates/datasetcard_template.md`); a test checks every heading and
the YAML keys. What the repository around the corpus says (guidelines version, agreement,
reference scores, citation year) comes in through `khabar.card_sources`.

Licensing decision: the annotations are CC BY 4.0; the article text is third-party news
text of unknown license, included verbatim for research. The YAML therefore says
`license: other` with a `license_name` that says both, and the card states it in words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import jinja2
from datasets import DatasetInfo, SplitDict, SplitInfo
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard, DatasetCardData

from khabar import __version__
from khabar.card_sources import CardSources, ReferenceScore
from khabar.card_sources import guidelines_version as guidelines_version
from khabar.document import Document
from khabar.formats.hf import DOCUMENT_FEATURES, SENTENCE_FEATURES
from khabar.inventories import (
    ENTITY_TYPES,
    EVENT_EXTENSIONS,
    EVENT_TYPES,
    LAYERS,
    QUOTE_KINDS,
    TAG_COLUMNS,
    TIMEX_TYPES,
    iob2_tags,
)
from khabar.stats import CorpusStatistics
from khabar.tokenize import TOKENIZER_VERSION
from khabar.views import TOKEN_VIEW_SIGNATURE, VIEW_VERSION

DATA_FILES = {
    "documents": "data/documents/test.parquet",
    "sentences": "data/sentences/test.parquet",
}
DEFAULT_CONFIG = "sentences"
SPLIT = "test"
LICENSE_NAME = "cc-by-4.0-annotations-third-party-news-text"
LAYER_TITLES = {"entities": "Entities", "timex": "Dates and times (TIMEX3)", "events": "Events", "quotes": "Quotes"}
LAYER_DESCRIPTIONS = {"entities": ENTITY_TYPES, "timex": TIMEX_TYPES, "events": EVENT_TYPES, "quotes": QUOTE_KINDS}
# Where the dataset is meant to live on the Hugging Face Hub (`hf upload` target).
HUB_ID = "khabar-benchmark/khabar"
PRETTY_NAME = "khabar: Arabic news information extraction (entities, events, dates, quotes)"
TITLE = "khabar: a gold-annotated Arabic news information-extraction benchmark"
AUTHORS = "khabar maintainers"


@dataclass(frozen=True)
class SplitSize:
    """What the card's `dataset_info` says about a config's one split."""

    num_examples: int
    num_bytes: int


@dataclass(frozen=True)
class CollisionRow:
    """A gold span the flat tag column could not tag in full (listed in the card)."""

    doc_id: str
    layer: str
    span_id: str
    label: str
    kept_id: str
    kept_label: str
    pointer: str = ""


def size_category(count: int) -> str:
    """The Hub's `size_categories` bucket of the default config's example count."""
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if count < limit:
            return name
    return "1M<n<10M"


def card_data(sizes: dict[str, SplitSize]) -> DatasetCardData:
    """The card's YAML: configs, features, language, license, task categories, size."""
    data = DatasetCardData(
        pretty_name=PRETTY_NAME,
        annotations_creators=["expert-generated"],
        language=["ar"],
        license="other",
        license_name=LICENSE_NAME,
        license_link="README.md#license",
        language_creators=["found"],
        multilinguality=["monolingual"],
        source_datasets=["original"],
        task_categories=["token-classification"],
        task_ids=["named-entity-recognition"],
        size_categories=[size_category(sizes[DEFAULT_CONFIG].num_examples)],
        tags=["arabic", "news", "information-extraction", "event-extraction", "timex", "quotation-attribution"],
    )
    features = {"documents": DOCUMENT_FEATURES, "sentences": SENTENCE_FEATURES}
    infos = {}
    for config, size in sizes.items():
        splits = SplitDict()
        splits.add(SplitInfo(name=SPLIT, num_bytes=size.num_bytes, num_examples=size.num_examples))
        infos[config] = DatasetInfo(features=features[config], config_name=config, splits=splits)
    DatasetInfosDict(infos).to_dataset_card_data(data)
    configs: dict[str, dict[str, object]] = {
        config: {"data_files": [{"split": SPLIT, "path": path}]} for config, path in DATA_FILES.items()
    }
    configs[DEFAULT_CONFIG]["default"] = True
    MetadataConfigs(configs).to_dataset_card_data(data)
    return data


def label_tables() -> list[dict[str, object]]:
    """Per layer: its tag column and each label with its description and tags."""
    tables = []
    for layer in LAYERS:
        descriptions = LAYER_DESCRIPTIONS[layer]
        tables.append(
            {
                "layer": layer,
                "title": LAYER_TITLES[layer],
                "column": TAG_COLUMNS[layer],
                "size": len(iob2_tags(layer)),
                "labels": [
                    {
                        "label": label,
                        "description": description,
                        "extension": layer == "events" and label in EVENT_EXTENSIONS,
                    }
                    for label, description in descriptions.items()
                ],
            }
        )
    return tables


def _template() -> jinja2.Template:
    source = (files("khabar") / "templates" / "dataset_card.md.j2").read_text(encoding="utf-8")
    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
    )
    return environment.from_string(source)


def example_row(sentence_rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A short sentence row that shows tags of as many layers as possible (ties: the earlier)."""

    def tagged_layers(row: dict[str, Any]) -> int:
        return sum(any(tag != 0 for tag in row[TAG_COLUMNS[layer]]) for layer in LAYERS)

    if not sentence_rows:
        return None
    return min(sentence_rows, key=lambda row: (-tagged_layers(row), len(row["tokens"])))


def example_json(row: dict[str, Any]) -> str:
    """The row as `load_dataset` returns it, one field a line."""
    return "{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in row.items()) + "\n}"


def example_tokens(row: dict[str, Any]) -> list[dict[str, str]]:
    """Token by token, the tag names of each layer's column."""
    names = {layer: SENTENCE_FEATURES[TAG_COLUMNS[layer]].feature.int2str(row[TAG_COLUMNS[layer]]) for layer in LAYERS}
    return [{"token": token, **{layer: names[layer][i] for layer in LAYERS}} for i, token in enumerate(row["tokens"])]


def persons_named(documents: list[Document]) -> list[str]:
    """The distinct PER mentions of the corpus, in order of first appearance."""
    return list(
        dict.fromkeys(entity.text for document in documents for entity in document.entities if entity.type == "PER")
    )


def annotators(documents: list[Document]) -> list[str]:
    """The annotator ids recorded in the annotation files, in order of first appearance."""
    found: list[str] = []
    for document in documents:
        listed = document.metadata.get("annotators", [])
        found += [str(name) for name in (listed if isinstance(listed, list) else [listed])]
    return list(dict.fromkeys(found))


def outlets(documents: list[Document]) -> list[str]:
    """What the annotations say about each text's outlet or origin."""
    return list(
        dict.fromkeys(
            str(document.source.get("outlet") or document.source.get("origin") or "not recorded")
            for document in documents
        )
    )


def dominant_labels(statistics: CorpusStatistics) -> list[dict[str, Any]]:
    """Per layer with spans, its most frequent label and that layer's total."""
    rows = []
    for total in statistics.layer_totals:
        counts = [row for row in statistics.labels if row.layer == total.layer]
        if counts:
            top = max(counts, key=lambda row: row.spans)
            rows.append({"layer": total.layer, "label": top.label, "spans": top.spans, "total": total.spans})
    return rows


def headline_example(scores: tuple[ReferenceScore, ...]) -> ReferenceScore | None:
    """The reference score the limitations section explains: the first entities headline."""
    return next((score for score in scores if score.layer == "entities"), scores[0] if scores else None)


def bibtex(version: str, year: str | None) -> str:
    """The dataset's BibTeX entry."""
    fields = [
        ("title", f"{{{TITLE}}}"),
        ("author", f"{{{AUTHORS}}}"),
        *([("year", year)] if year else []),
        ("version", version),
        ("howpublished", f"{{Hugging Face dataset \\texttt{{{HUB_ID}}}}}"),
        ("note", "{Annotations CC BY 4.0; article text third-party, license unknown}"),
    ]
    body = ",\n".join(
        f"  {name} = {{{value}}}" if not value.startswith("{") else f"  {name} = {value}" for name, value in fields
    )
    return "@misc{khabar,\n" + body + "\n}"


def render_card(
    statistics: CorpusStatistics,
    sizes: dict[str, SplitSize],
    *,
    collisions: list[CollisionRow],
    documents: list[Document],
    example: dict[str, Any] | None,
    sources: CardSources,
    unannotated: tuple[str, ...] = (),
) -> str:
    """The full `README.md` of the dataset: YAML header and body."""
    scores = sources.reference_scores
    text = _template().render(
        card_data=card_data(sizes).to_yaml(),
        pretty_name=PRETTY_NAME,
        hub_id=HUB_ID,
        version=__version__,
        tokenizer_version=TOKENIZER_VERSION,
        view_version=VIEW_VERSION,
        view_signature=TOKEN_VIEW_SIGNATURE,
        stats=statistics,
        sizes=sizes,
        data_files=DATA_FILES,
        label_tables=label_tables(),
        tag_columns=TAG_COLUMNS,
        layers=LAYERS,
        collisions=collisions,
        guidelines_version=sources.guidelines_version,
        agreement=sources.agreement,
        reference=headline_example(scores),
        ci_widths=sorted(round(100 * (score.ci[1] - score.ci[0]), 1) for score in scores),
        example=example,
        example_json=example_json(example) if example else "",
        example_tokens=example_tokens(example) if example else [],
        persons=persons_named(documents),
        annotators=annotators(documents),
        outlets=outlets(documents),
        dominant=dominant_labels(statistics),
        bibtex=bibtex(__version__, sources.citation_year),
        bibtex_authors=AUTHORS,
        title=TITLE,
        citation_year=sources.citation_year,
        unannotated=unannotated,
        license_name=LICENSE_NAME,
    )
    DatasetCard(text)  # parses the YAML header: a malformed card fails here, not on the Hub
    return text
