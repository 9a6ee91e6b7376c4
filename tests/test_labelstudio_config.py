"""The committed labeling config is the generated one, and it carries every label of the inventories."""

from __future__ import annotations

from xml.etree import ElementTree

from label_studio_sdk.label_interface import LabelInterface

from khabar.cli import main
from khabar.inventories import (
    ENTITY_TYPES,
    EVENT_REALIS,
    EVENT_ROLES,
    EVENT_TYPES,
    QUOTE_KINDS,
    TIMEX_MODS,
    TIMEX_TYPES,
)
from khabar.labelstudio import config as c

COMMITTED = "corpus/labelstudio/config.xml"


def test_committed_config_is_fresh(repo) -> None:
    committed = (repo / COMMITTED).read_text(encoding="utf-8")
    assert committed == c.label_config(), f"stale: run `khabar ls config --out {COMMITTED}`"


def test_cli_prints_the_config(capsys) -> None:
    assert main(["ls", "config"]) == 0
    assert capsys.readouterr().out == c.label_config()


def _values(root: ElementTree.Element, tag: str, name: str) -> list[str]:
    (control,) = [element for element in root.iter(tag) if element.get("name") == name]
    return [child.get("value") for child in control]


def test_every_inventory_label_is_in_the_config() -> None:
    root = ElementTree.fromstring(c.label_config())
    assert _values(root, "Labels", c.ENTITY) == list(ENTITY_TYPES)
    assert _values(root, "Labels", c.TIMEX) == list(TIMEX_TYPES)
    assert _values(root, "Labels", c.QUOTE) == list(QUOTE_KINDS)
    assert _values(root, "Choices", c.EVENT_TYPE) == list(EVENT_TYPES)
    assert _values(root, "Choices", c.REALIS) == list(EVENT_REALIS)
    assert _values(root, "Choices", c.TIMEX_MOD) == list(TIMEX_MODS)
    (relations,) = root.iter("Relations")
    assert [child.get("value") for child in relations] == [*EVENT_ROLES, "cue", "speaker"]


def test_text_is_shown_right_to_left() -> None:
    root = ElementTree.fromstring(c.label_config())
    (wrapper,) = [view for view in root.iter("View") if view.find("Text") is not None]
    assert "direction: rtl" in wrapper.get("style", "")
    (style,) = root.iter("Style")
    assert f".{wrapper.get('className')} {{ direction: rtl;" in style.text


def test_per_region_controls_follow_their_span_control() -> None:
    interface = LabelInterface(c.label_config())
    for name, span_control in c.PER_REGION_CONTROLS.items():
        control = interface.get_control(name)
        assert control.attr.get("perRegion") == "true"
        assert control.attr.get("whenTagName") == span_control or name in (c.TIMEX_VALUE, c.TIMEX_ANCHOR)
    assert {control.name for control in interface.controls} == set(c.SPAN_CONTROLS) | set(c.PER_REGION_CONTROLS)


def test_labels_have_the_inventory_colours_the_report_uses() -> None:
    """One colour per label, from `khabar.inventories`: each entity, TIMEX3 and quote label has
    its own, each role its own on its relation, and the report draws with the same ones."""
    from khabar.inventories import LABEL_COLOURS, PART_COLOURS, ROLE_COLOURS

    root = ElementTree.fromstring(c.label_config())
    for control, layer in ((c.ENTITY, "entities"), (c.TIMEX, "timex"), (c.QUOTE, "quotes")):
        (labels,) = [element for element in root.iter("Labels") if element.get("name") == control]
        backgrounds = {label.get("value"): label.get("background") for label in labels}
        assert backgrounds == LABEL_COLOURS[layer]
        assert len(set(backgrounds.values())) == len(backgrounds), control
    for control, part in ((c.TRIGGER, "trigger"), (c.ARGUMENT, "argument"), (c.CUE, "cue"), (c.SOURCE, "speaker")):
        (labels,) = [element for element in root.iter("Labels") if element.get("name") == control]
        assert [label.get("background") for label in labels] == [PART_COLOURS[part]]
    (relations,) = root.iter("Relations")
    backgrounds = {relation.get("value"): relation.get("background") for relation in relations}
    assert backgrounds == {**ROLE_COLOURS, "cue": PART_COLOURS["cue"], "speaker": PART_COLOURS["speaker"]}
