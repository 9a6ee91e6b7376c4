"""The dateparser baseline: its substrings become exact spans with TimeML values."""

from __future__ import annotations

from khabar.baselines.registry import get
from khabar.document import DCT, Document
from khabar.validate import check_annotation


def predict(text: str) -> Document:
    [pred] = get("dateparser").predict([Document(id="d", text=text, dct=DCT("2025-12-03", "test"))])
    return pred


def test_dates_map_to_exact_spans_with_values_at_their_granularity():
    pred = predict("وانضمت في 11 نوفمبر 2025، ثم عادت أمس.")
    found = [(t.text, t.value) for t in pred.timex]
    assert ("في 11 نوفمبر 2025", "2025-11-11") in found  # dateparser's extent, trimmed of the comma only
    assert ("أمس", "2025-12-02") in found
    assert check_annotation(pred.to_json(), pred.text) == []


def test_repeated_substrings_map_to_successive_occurrences():
    text = "تأسس عام 2014 ثم توسع عام 2014 أيضا"
    pred = predict(text)
    starts = [t.start for t in pred.timex]
    assert len(starts) == 2 and starts[0] < starts[1]
    assert all(t.value == "2014" for t in pred.timex)


def test_only_the_timex_layer_is_predicted():
    pred = predict("وقال الرئيس إن الهجوم وقع أمس.")
    assert pred.entities == () and pred.events == () and pred.quotes == ()
    assert get("dateparser").layers == ("timex",)
