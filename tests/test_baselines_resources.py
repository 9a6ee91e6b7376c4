"""Rule resources: every file states its source, and none carries a name from the gold."""

from __future__ import annotations

from importlib import resources

import pytest

from khabar.baselines.audit import find_leaks, general_source_keys, gold_entity_texts
from khabar.baselines.resources import HAND_WRITTEN, read_list


def test_every_resource_file_is_audited_and_states_its_source():
    files = sorted(p.name for p in resources.files("khabar.baselines.resources").iterdir() if p.name.endswith(".tsv"))
    assert files == sorted(HAND_WRITTEN)
    for name in files:
        resource = read_list(name)
        assert len(resource.source) > 20, name
        assert resource.kind in ("vocabulary", "names"), name
        assert resource.rows, name


def test_a_resource_without_source_is_rejected(tmp_path, monkeypatch):
    from khabar.baselines import resources as package

    read_list.cache_clear()
    fake = tmp_path / "bad.tsv"
    fake.write_text("# kind: names\nفلان\n", encoding="utf-8")
    monkeypatch.setattr(package.resources, "files", lambda _name: tmp_path)
    with pytest.raises(ValueError, match="does not state its source"):
        package.read_list("bad.tsv")
    read_list.cache_clear()


def test_declared_general_sources_hold_arabic_country_and_city_names():
    general = general_source_keys()
    # pycountry's iso3166-1 Arabic catalogue and CLDR (with shadda and hamza folded away).
    assert "الجمهوريه العربيه السوريه" in general
    assert "سوريا" in general
    assert "دمشق" in general


def test_audit_flags_a_hand_written_entry_found_in_gold_but_in_no_general_source():
    # `وزارة` is in the hand-written org heads; as a gold mention text it is not a general-source name.
    leaks = find_leaks(["وزارة", "سوريا"])
    assert [(leak.resource, leak.entry) for leak in leaks] == [("org_heads.tsv", "وزارة")]


def test_audit_accepts_gold_names_that_a_general_source_declares():
    # `أمريكا` is hand-written too, but a general source that has it makes it legitimate.
    assert find_leaks(["أمريكا"], general_keys=frozenset({"امريكا"})) == []
    assert [leak.entry for leak in find_leaks(["أمريكا"], general_keys=frozenset())] == ["أمريكا"]


def test_no_hand_written_resource_contains_a_gold_name(corpus_dir):
    annotations = corpus_dir / "annotations"
    texts = gold_entity_texts(annotations) if annotations.is_dir() else []
    if not texts:
        pytest.skip("no gold annotation in the corpus yet")
    leaks = find_leaks(texts)
    assert leaks == [], "\n".join(f"{leak.resource}: {leak.entry} (gold: {leak.gold_text})" for leak in leaks)
