"""The dataset card (`corpus/README.md`): YAML metadata plus a body rendered from
`templates/dataset_card.md.j2`, with every table generated from the code and the data.

The YAML `dataset_info` and `configs` blocks are written by `datasets` itself
(`DatasetInfosDict`, `MetadataConfigs`) from the same `Features` the parquet files are
written with, so the card cannot drift from the data. Nothing in the card depends on the
time or the machine: building twice gives the same bytes.

Licensing decision: the annotations are CC BY 4.0; the article text is third-party news
text of unknown license, included verbatim for research. The YAML therefore says
`license: other` with a `license_name` that says both, and the card states it in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import jinja2
from datasets import DatasetInfo, SplitDict, SplitInfo
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard, DatasetCardData

from khabar import __version__
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
_VERSION_LINE = re.compile(r"version\W{0,3}\s*v?(\d+(?:\.\d+)*[\w.-]*)", re.IGNORECASE)


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


def guidelines_version(guidelines_dir: Path | None) -> str | None:
    """The version stated in `guidelines/README.md` (a line like `Version: 0.1`), if any."""
    if guidelines_dir is None:
        return None
    readme = guidelines_dir / "README.md"
    if not readme.is_file():
        return None
    match = _VERSION_LINE.search(readme.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def size_category(count: int) -> str:
    """The Hub's `size_categories` bucket of the default config's example count."""
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if count < limit:
            return name
    return "1M<n<10M"


def card_data(sizes: dict[str, SplitSize]) -> DatasetCardData:
    """The card's YAML: configs, features, language, license, task categories, size."""
    data = DatasetCardData(
        pretty_name="khabar: Arabic news information extraction (entities, events, dates, quotes)",
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


def render_card(
    statistics: CorpusStatistics,
    sizes: dict[str, SplitSize],
    *,
    collisions: list[CollisionRow],
    guidelines: str | None,
    unannotated: tuple[str, ...] = (),
) -> str:
    """The full `README.md` of the dataset: YAML header and body."""
    text = _template().render(
        card_data=card_data(sizes).to_yaml(),
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
        guidelines_version=guidelines,
        unannotated=unannotated,
        license_name=LICENSE_NAME,
    )
    DatasetCard(text)  # parses the YAML header: a malformed card fails here, not on the Hub
    return text
