"""The matching key: offsets back to the raw text, equal to the per-character map."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.baselines.arabic import KeyMap, key, key_with_offsets, stems

ARABIC = st.text(alphabet="ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآةىـًٌٍَُِّْٰ ٠١٢3😀", max_size=60)


@settings(max_examples=100, deadline=None)
@given(ARABIC)
def test_key_map_agrees_with_the_per_character_offsets(text):
    key_text, offsets = key_with_offsets(text)
    key_map = KeyMap(text)
    assert key_map.key == key_text == key(text)
    assert [key_map.raw(index) for index in range(len(key_text))] == offsets


def test_key_folds_and_drops_only_what_it_should():
    assert key("أَمِيرْكَا") == key("اميركا") == "اميركا"
    assert key("ســوريا") == "سوريا"
    assert key("مدرسة") == "مدرسه"
    assert key("٢٠٢٥ 😀") == "٢٠٢٥ 😀"


def test_stems_strip_proclitics_and_read_lil_as_the_article():
    assert ("سوريا", 1) in stems("لسوريا")
    assert ("العراق", 2) in stems("للعراق")
    assert stems("والعراق")[0] == ("والعراق", 0)
    assert ("العراق", 1) in stems("والعراق")
    assert stems("في") == (("في", 0),)
