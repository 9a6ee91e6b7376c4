"""No baseline reads the clock: every one predicts the same under two frozen clocks."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from khabar.baselines import registry
from khabar.document import DCT, Document
from khabar.refdate import FALLBACK, reference_date
from khabar.store import load_corpus


def predictions(name: str, gold, clock: str | None) -> list[dict]:
    tagger = registry.get(name)
    if clock is None:
        return [document.to_json() for document in tagger.predict(gold)]
    with freeze_time(clock):
        assert dt.date.today().isoformat() == clock  # the clock really is frozen
        return [document.to_json() for document in tagger.predict(gold)]


# A made-up test sentence (not news) full of expressions relative to the day of writing,
# with a month-only DCT: a tagger falling back to the clock resolves them to "today".
RELATIVE = Document(
    id="fixture-relative",
    text="جملة اختبار: وصل الوفد أمس، وكان الاجتماع في 11 نوفمبر الماضي، ويعود يوم الخميس المقبل بعد ٣ أيام.",
    dct=DCT("2025-12", "test fixture"),
)


@pytest.mark.parametrize("name", registry.available())
def test_every_baseline_gives_the_same_output_under_two_frozen_clocks(name, corpus_dir):
    gold = [*load_corpus(corpus_dir), RELATIVE]
    # A first run on the real clock imports every module the tagger needs: C extensions
    # (pandas, via sklearn) must not be first imported while datetime is faked.
    today = predictions(name, gold, None)
    assert predictions(name, gold, "2001-02-03") == today
    assert predictions(name, gold, "2031-10-20") == today


def test_the_reference_date_rule():
    assert reference_date("2025-12-03") == dt.date(2025, 12, 3)
    assert reference_date("2025-12-03T10:00") == dt.date(2025, 12, 3)
    assert reference_date("2025-12") == dt.date(2025, 12, 1)
    assert reference_date("2025") == dt.date(2025, 1, 1)
    assert reference_date("XXXX-12") == reference_date(None) == FALLBACK
