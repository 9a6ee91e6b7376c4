"""The dataset card follows the Hugging Face template and fills every section from the data.

The template is the one `huggingface_hub` ships (`templates/datasetcard_template.md`): every
heading of it must be in the card, in its order, with text under it; the YAML must carry the
metadata keys the Hub's dataset card spec names. The sections that read the repository
(agreement, reference scores, citation year, guidelines version) are checked on a fixture
repository with made-up values, so a hard-coded number in the template would fail here.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import pytest
from datasets import load_dataset
from huggingface_hub import DatasetCard

from khabar.card_sources import parse_agreement
from khabar.errors import InputError
from khabar.formats.card import HUB_ID
from khabar.formats.hf import row_tags
from khabar.runs.build import build_corpus
from khabar.store import save_document
from tests.corpus_samples import mixed_script_sample, seed_sample

# The metadata keys of the Hub's dataset card spec that describe a dataset (not a model).
YAML_KEYS = (
    "pretty_name",
    "language",
    "license",
    "annotations_creators",
    "language_creators",
    "multilinguality",
    "size_categories",
    "source_datasets",
    "task_categories",
    "task_ids",
    "tags",
    "configs",
    "dataset_info",
)

AGREEMENT = """# Agreement (test fixture)

```
khabar agree corpus corpus/annotations/passes/annotator-9
```

Prose between the command and its table.

```text
layer     measure                     label     value          95% CI   A   B
entities  span-strict F1              GPE        61.5   [40.0, 80.0]   4   3
entities  span-strict F1              micro      72.7   [50.0, 90.9]   7   6
entities  Cohen's kappa (token view)  all tags  0.812
timex     value agreement             relaxed matches   33.3   [0.0, 100.0]   3
khabar:0.1.0|corpus:00000000|reference:A
```
"""


def template_headings() -> list[str]:
    """The headings of the template huggingface_hub ships, without "[optional]"."""
    template = (files("huggingface_hub") / "templates" / "datasetcard_template.md").read_text(encoding="utf-8")
    body = template.split("\n---\n", 1)[1]  # the YAML header's comments start with "#" too
    headings = re.findall(r"^(#{1,4}) (.+)$", body, flags=re.MULTILINE)
    return [f"{hashes} {title.removesuffix(' [optional]')}" for hashes, title in headings]


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("card-repository")
    for document in (seed_sample(), mixed_script_sample()):
        save_document(document, root / "corpus")
    (root / "guidelines").mkdir()
    (root / "guidelines" / "README.md").write_text("# Guidelines\n\nVersion: 7.3\n", encoding="utf-8")
    (root / "guidelines" / "adjudication").mkdir(parents=True, exist_ok=True)
    (root / "guidelines" / "adjudication" / "agreement.md").write_text(AGREEMENT, encoding="utf-8")
    (root / "baselines").mkdir()
    scores = {
        "systems": {
            "toy": {
                "timex": {"metric": "value F1", "f1": 0.25, "ci": [0.1, 0.5]},
                "entities": {"metric": "exact micro F1", "f1": 0.4321, "ci": [0.3149, 0.5851]},
            }
        }
    }
    (root / "baselines" / "scores.json").write_text(json.dumps(scores), encoding="utf-8")
    (root / "CITATION.cff").write_text("cff-version: 1.2.0\ndate-released: 2031-02-03\n", encoding="utf-8")
    build_corpus(root / "corpus")
    return root


@pytest.fixture(scope="module")
def card(repository: Path) -> str:
    return (repository / "corpus" / "README.md").read_text(encoding="utf-8")


def sections(card: str) -> dict[str, str]:
    """Each heading of the card's body and the text up to the next heading of any level."""
    body = card.split("\n---\n", 1)[1]
    parts = re.split(r"^(#{1,4} .+)$", body, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_the_template_has_the_sections_we_check() -> None:
    headings = template_headings()
    assert "## Uses" in headings and "#### Personal and Sensitive Information" in headings
    assert "## Bias, Risks, and Limitations" in headings and "## Citation" in headings


@pytest.mark.parametrize("path", ["fixture", "published"])
def test_card_has_every_template_section_in_order_with_text(path: str, card: str, corpus_dir: Path) -> None:
    text = card if path == "fixture" else (corpus_dir / "README.md").read_text(encoding="utf-8")
    found = sections(text)
    headings = [heading for heading in template_headings() if not heading.startswith("# Dataset Card for")]
    assert next(iter(found)).startswith("# Dataset Card for khabar")
    order = list(found)
    positions = []
    for heading in headings:
        assert heading in found, f"the card lacks the template's section {heading!r}"
        positions.append(order.index(heading))
        # A section either has text of its own or subsections that do.
        own = found[heading].strip()
        following = order[order.index(heading) + 1] if order.index(heading) + 1 < len(order) else None
        deeper = following is not None and following.split()[0].count("#") > heading.split()[0].count("#")
        assert own or deeper, f"section {heading!r} is empty"
    assert positions == sorted(positions), "the card's sections are not in the template's order"
    assert "More Information Needed" not in text and "[optional]" not in text


@pytest.mark.parametrize("path", ["fixture", "published"])
def test_card_yaml_has_the_spec_keys(path: str, card: str, corpus_dir: Path) -> None:
    text = card if path == "fixture" else (corpus_dir / "README.md").read_text(encoding="utf-8")
    data = DatasetCard(text).data.to_dict()
    missing = [key for key in YAML_KEYS if not data.get(key)]
    assert missing == []
    assert data["annotations_creators"] == ["expert-generated"]
    assert data["license_link"] == "README.md#license" and "### License" in text


def test_card_states_agreement_from_the_agreement_report(card: str) -> None:
    process = sections(card)["#### Annotation process"]
    assert "guidelines, version 7.3" in process
    assert "`khabar agree corpus corpus/annotations/passes/annotator-9`" in process
    assert "| entities | span-strict F1 | 72.7 | [50.0, 90.9] |" in process
    assert "| entities | Cohen's kappa (token view) | 0.812 | – |" in process
    assert "| timex | value agreement | 33.3 | [0.0, 100.0] |" in process
    assert "GPE" not in process  # per-label rows stay in the report


def test_card_explains_the_interval_of_a_reference_score(card: str) -> None:
    limits = sections(card)["## Bias, Risks, and Limitations"]
    assert "`toy` baseline on\n  entities is 43.2 F1 with a 95% interval of\n  [31, 59]" in limits
    assert "the 25 sentences" in limits
    assert "intervals are 27.0 to 40.0 points wide" in limits


def test_card_cites_with_bibtex_and_names_the_hub_id(card: str) -> None:
    citation = sections(card)["## Citation"]
    assert "@misc{khabar," in citation and "year = {2031}" in citation and f"\\texttt{{{HUB_ID}}}" in citation
    assert "(2031)" in citation
    more = sections(card)["## More Information"]
    assert f"hf upload {HUB_ID} corpus . --repo-type dataset" in more
    assert f'push_to_hub("{HUB_ID}", config_name=config)' in more


def test_card_example_row_is_a_row_of_the_dataset(card: str, repository: Path) -> None:
    example = sections(card)["### Example"]
    row = json.loads(re.search(r"```json\n(.*?)\n```", example, re.DOTALL).group(1))
    rows = {r["id"]: r for r in load_dataset(str(repository / "corpus"), "sentences", split="test")}
    assert rows[row["id"]] == row
    tags = row_tags(row)
    for index, token in enumerate(row["tokens"]):
        cells = [token, *(tags[layer][index] for layer in tags)]
        assert "| " + " | ".join(cells) + " |" in example


def test_card_names_annotators_persons_and_outlet_from_the_annotations(card: str) -> None:
    creation = sections(card)
    assert "It names these persons" in creation["#### Personal and Sensitive Information"]
    assert "أحمد" not in creation["#### Who are the annotators?"]


def test_card_without_repository_sources_says_what_was_not_measured(tmp_path: Path) -> None:
    save_document(mixed_script_sample(), tmp_path / "corpus")
    build_corpus(tmp_path / "corpus")
    text = (tmp_path / "corpus" / "README.md").read_text(encoding="utf-8")
    assert "No agreement has been measured for this corpus" in text
    assert "What an interval means here" not in text
    assert "year =" not in text


def test_agreement_report_without_a_table_is_an_input_error(tmp_path: Path) -> None:
    save_document(mixed_script_sample(), tmp_path / "corpus")
    (tmp_path / "guidelines").mkdir()
    (tmp_path / "guidelines" / "adjudication").mkdir(parents=True, exist_ok=True)
    (tmp_path / "guidelines" / "adjudication" / "agreement.md").write_text(
        "# Agreement\n\nNothing measured.\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"agreement\.md: no `khabar agree` table found"):
        build_corpus(tmp_path / "corpus")
    assert not (tmp_path / "corpus" / "README.md").exists()


def test_parse_agreement_keeps_summary_rows_only() -> None:
    (table,) = parse_agreement(AGREEMENT)
    assert (table.reference, table.other) == ("corpus", "corpus/annotations/passes/annotator-9")
    assert [(row.layer, row.measure, row.value, row.ci) for row in table.rows] == [
        ("entities", "span-strict F1", "72.7", "[50.0, 90.9]"),
        ("entities", "Cohen's kappa (token view)", "0.812", ""),
        ("timex", "value agreement", "33.3", "[0.0, 100.0]"),
    ]


def test_citation_file_must_be_yaml(tmp_path: Path) -> None:
    save_document(mixed_script_sample(), tmp_path / "corpus")
    (tmp_path / "CITATION.cff").write_text("key: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"CITATION\.cff: not YAML"):
        build_corpus(tmp_path / "corpus")
