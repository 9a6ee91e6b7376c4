"""One colour per label: every label of a layer has its own colour, defined once."""

from __future__ import annotations

import re

import pytest

from khabar.inventories import EVENT_ROLES, LABEL_COLOURS, LAYERS, ROLE_COLOURS, label_colour, layer_labels

HEX = re.compile(r"#[0-9a-f]{6}")


@pytest.mark.parametrize("layer", LAYERS)
def test_every_label_of_a_layer_has_its_own_colour(layer: str) -> None:
    colours = LABEL_COLOURS[layer]
    assert tuple(colours) == layer_labels(layer)
    assert len(set(colours.values())) == len(colours)
    assert all(HEX.fullmatch(colour) for colour in colours.values())


def test_every_role_has_its_own_colour() -> None:
    assert tuple(ROLE_COLOURS) == EVENT_ROLES
    assert len(set(ROLE_COLOURS.values())) == len(EVENT_ROLES)


def test_colours_are_dark_enough_for_white_text() -> None:
    for colour in [*ROLE_COLOURS.values(), *(c for layer in LAYERS for c in LABEL_COLOURS[layer].values())]:
        red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        assert 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.75, colour


def test_an_unknown_label_has_no_colour() -> None:
    assert label_colour("entities", "PER") == LABEL_COLOURS["entities"]["PER"]
    with pytest.raises(ValueError, match="no colour for entities label 'PERS'"):
        label_colour("entities", "PERS")
