"""No baseline reads the clock: every one predicts the same under two frozen clocks.

Each baseline runs in a child process: freezegun patches `datetime` and `time` process-wide,
which other tests' libraries (pydantic models, hypothesis' timers) must never see.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from khabar.baselines import registry
from khabar.refdate import FALLBACK, reference_date

# A made-up test sentence (not news) full of expressions relative to the day of writing,
# with a month-only DCT: a tagger falling back to the clock resolves them to "today".
CHILD = r"""
import datetime as dt, json, sys
from pathlib import Path
from freezegun import freeze_time
from khabar.baselines import registry
from khabar.document import DCT, Document
from khabar.store import load_corpus

name, corpus = sys.argv[1], Path(sys.argv[2])
relative = Document(
    id="fixture-relative",
    text="جملة اختبار: وصل الوفد أمس، وكان الاجتماع في 11 نوفمبر الماضي، ويعود يوم الخميس المقبل بعد ٣ أيام.",
    dct=DCT("2025-12", "test fixture"),
)
gold = [*load_corpus(corpus), relative]
runs = {}
# The first run, on the real clock, imports every module the tagger needs: C extensions
# (pandas, via sklearn) must not be first imported while datetime is faked.
for clock in (None, "2001-02-03", "2031-10-20"):
    tagger = registry.get(name)
    if clock is None:
        runs["today"] = [d.to_json() for d in tagger.predict(gold)]
        continue
    with freeze_time(clock):
        assert dt.date.today().isoformat() == clock, "the clock is not frozen"
        runs[clock] = [d.to_json() for d in tagger.predict(gold)]
json.dump(runs, sys.stdout, ensure_ascii=False)
"""


@pytest.mark.parametrize("name", registry.available())
def test_every_baseline_gives_the_same_output_under_two_frozen_clocks(name, corpus_dir):
    child = subprocess.run(
        [sys.executable, "-c", CHILD, name, str(corpus_dir)], capture_output=True, text=True, check=False, timeout=600
    )
    assert child.returncode == 0, child.stderr[-2000:]
    runs = json.loads(child.stdout)
    assert any(document["timex"] or document["entities"] for document in runs["today"])
    assert runs["2001-02-03"] == runs["today"]
    assert runs["2031-10-20"] == runs["today"]


def test_the_reference_date_rule():
    assert reference_date("2025-12-03") == dt.date(2025, 12, 3)
    assert reference_date("2025-12-03T10:00") == dt.date(2025, 12, 3)
    assert reference_date("2025-12") == dt.date(2025, 12, 1)
    assert reference_date("2025") == dt.date(2025, 1, 1)
    assert reference_date("XXXX-12") == reference_date(None) == FALLBACK
