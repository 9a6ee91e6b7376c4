"""The rule baseline on synthetic sentences: spans exact in the raw text, values normalized."""

from __future__ import annotations

from hypothesis import given, settings

from khabar.baselines.registry import available, get
from khabar.baselines.rules import tag_document
from khabar.baselines.rules.timex import hijri_to_gregorian, timex_for
from khabar.document import DCT, Document
from khabar.validate import check_annotation
from tests.strategies import documents

DCT_VALUE = "2025-12-03"


def tag(text: str, dct: str | None = DCT_VALUE) -> Document:
    return tag_document(Document(id="doc-x", text=text, dct=DCT(dct, "test") if dct else None))


def entities(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.text) for e in tag(text).entities}


def timexes(text: str, dct: str | None = DCT_VALUE) -> list[tuple[str, str, str, str | None]]:
    return [(t.type, t.text, t.value, t.mod) for t in timex_for(text, dct)]


# ---------- entities ----------


def test_title_then_name_gives_occ_and_per_with_nested_norp():
    found = entities("وقال وزير الخارجية الفرنسي جان دوفال إن باريس تدعم الحل.")
    assert {("OCC", "وزير الخارجية الفرنسي"), ("NORP", "الفرنسي"), ("PER", "جان دوفال"), ("GPE", "باريس")} <= found


def test_organisation_head_with_qualifiers_and_with_a_name():
    found = entities("أعلنت وزارة الدفاع السورية أن حركة النهضة فازت.")
    assert ("ORG", "وزارة الدفاع السورية") in found
    assert ("ORG", "حركة النهضة") in found


def test_a_bare_head_is_not_an_organisation():
    assert not any(label == "ORG" for label, _ in entities("وأكدت الوزارة ذلك."))


def test_country_variants_and_clitics_are_stripped_from_the_span():
    found = entities("زار الوفد لسوريا ثم أميركا وأمريكا والولايات المتحدة.")
    assert {("GPE", "سوريا"), ("GPE", "أميركا"), ("GPE", "أمريكا"), ("GPE", "الولايات المتحدة")} <= found


def test_diacritics_and_tatweel_do_not_hide_a_name_and_stay_in_the_span():
    text = "وصل الوفد إلى دِمَشْق ثم إلى ســوريا."
    found = entities(text)
    assert ("GPE", "دِمَشْق") in found
    assert ("GPE", "ســوريا") in found


def test_offsets_are_exact_after_a_non_bmp_character():
    text = "𝕏 ثم 😀 الرئيس المصري محمود سالم في القاهرة."
    document = tag(text)
    for entity in document.entities:
        assert text[entity.start : entity.end] == entity.text
    assert ("GPE", "القاهرة") in {(e.type, e.text) for e in document.entities}


# ---------- timex ----------


def test_dual_month_series_and_day_range_resolved_to_the_dct():
    assert timexes("بين 24 و27 نوفمبر/تشرين الثاني الماضي.") == [
        ("DATE", "24", "2025-11-24", None),
        ("DATE", "27 نوفمبر/تشرين الثاني الماضي", "2025-11-27", None),
    ]


def test_levantine_month_and_eastern_digits():
    assert timexes("في ١٥ كانون الثاني ٢٠٢٤ وقع الاتفاق") == [("DATE", "١٥ كانون الثاني ٢٠٢٤", "2024-01-15", None)]


def test_month_without_year_takes_the_nearest_year_and_past_takes_the_latest_before():
    assert timexes("في 11 نوفمبر الماضي")[0][2] == "2025-11-11"
    assert timexes("في 20 ديسمبر المقبل")[0][2] == "2025-12-20"
    assert timexes("في 5 يناير")[0][2] == "2026-01-05"


def test_relative_expressions():
    assert [t[2] for t in timexes("وصل أمس ويعود يوم الثلاثاء المقبل، والشهر الماضي، والعام المقبل")] == [
        "2025-12-02",
        "2025-12-09",
        "2025-11",
        "2026",
    ]
    assert timexes("بدأت قبل أسابيع")[0][1:3] == ("قبل أسابيع", "PAST_REF")
    assert timexes("قبل 3 أيام")[0][2] == "2025-11-30"


def test_relative_expressions_without_dct_stay_vague():
    assert timexes("وصل أمس", dct=None)[0][2] == "PAST_REF"


def test_durations_with_mods():
    assert timexes("استمرت أكثر من 10 سنوات") == [("DURATION", "أكثر من 10 سنوات", "P10Y", "MORE_THAN")]
    assert timexes("لمدة عامين")[0][2] == "P2Y"
    assert timexes("نحو ثلاثة أشهر") == [("DURATION", "نحو ثلاثة أشهر", "P3M", "APPROX")]


def test_years_periods_sets_and_times():
    assert timexes("في مطلع عام 2025") == [("DATE", "مطلع عام 2025", "2025", "START")]
    assert timexes("تعقد كل عام")[0][:3] == ("SET", "كل عام", "P1Y")
    assert timexes("الساعة 10 صباحا")[0][2] == "2025-12-03T10:00"


def test_hijri_dates_use_the_arithmetic_calendar():
    assert hijri_to_gregorian(1446, 9, 1).isoformat() in ("2025-02-28", "2025-03-01")
    found = timexes("في 1 رمضان 1446 هـ")
    assert found[0][1] == "1 رمضان 1446 هـ"


def test_timex_offsets_keep_diacritics_inside_the_span():
    text = "في العامِ الماضي"
    found = timex_for(text, DCT_VALUE)
    assert [(t.text, t.value) for t in found] == [("العامِ الماضي", "2024")]


# ---------- events and quotes ----------


def test_event_triggers_with_clitics_and_arguments():
    document = tag("وشنت القوات هجوما ضد الجيش السوري في حلب أمس، وأكدت مقتل عشرة.")
    triggers = {(event.type, event.trigger.text) for event in document.events}
    assert ("Conflict:Attack", "هجوم") in triggers  # the accusative alif is left out of the span
    assert ("Life:Die", "مقتل") in triggers
    document = tag("واستهدفت الغارات مواقع ضد الجيش السوري أمس.")
    attack = next(event for event in document.events if event.trigger.text == "الغارات")
    roles = {argument.role for argument in attack.arguments}
    assert {"Time-Within", "Target"} <= roles


def test_indirect_quote_with_verb_subject_order_finds_the_speaker():
    document = tag("وقال وزير الخارجية الفرنسي جان دوفال إن باريس تدعم الحل السياسي.")
    [quote] = document.quotes
    assert quote.kind == "indirect"
    assert quote.content.text == "إن باريس تدعم الحل السياسي"
    assert quote.cue.text == "قال"
    speaker = next(e for e in document.entities if e.id == quote.speaker.ref)
    assert (speaker.type, speaker.text) == ("PER", "جان دوفال")


def test_direct_quote_needs_a_cue_and_three_words():
    document = tag("وأكدت الوزارة في بيان: «لن نتراجع عن دعمنا» وأضافت «نعم».")
    assert [(q.kind, q.content.text) for q in document.quotes] == [("direct", "لن نتراجع عن دعمنا")]
    assert tag("كتب على اللافتة «لن نتراجع عن دعمنا».").quotes == ()


def test_a_source_that_is_no_mention_is_the_subject_span():
    [quote] = tag("والوزارة تؤكد أن القوات انسحبت.").quotes
    assert quote.speaker.span.text == "الوزارة"
    [quote] = tag("وأكدت الشرطة في بيان أن الوضع هادئ.").quotes
    assert quote.speaker.span.text == "الشرطة"
    [quote] = tag("بيان تؤكد أن الوضع هادئ.").quotes
    assert quote.speaker.span.text == "بيان"


def test_mixed_quote():
    document = tag("وقال الرئيس المصري محمود سالم إن بلاده «لن تتراجع عن موقفها أبدا».")
    assert [q.kind for q in document.quotes] == ["mixed"]


# ---------- the tagger as a whole ----------


def test_registry_lists_the_baselines_that_need_no_extras():
    assert available() == ["rules", "crf", "dateparser"]
    tagger = get("rules")
    assert tagger.name == "rules"
    assert tagger.signature()["system"] == "rules"


@settings(max_examples=40, deadline=None)
@given(documents())
def test_predictions_keep_id_text_and_exact_offsets(gold):
    [pred] = get("rules").predict([gold])
    assert (pred.id, pred.text) == (gold.id, gold.text)
    for entity in pred.entities:
        assert pred.text[entity.start : entity.end] == entity.text
    for timex in pred.timex:
        assert pred.text[timex.start : timex.end] == timex.text
    for event in pred.events:
        assert pred.text[event.trigger.start : event.trigger.end] == event.trigger.text
    for quote in pred.quotes:
        assert pred.text[quote.content.start : quote.content.end] == quote.content.text
    assert check_annotation(pred.to_json(), pred.text) == []


def test_a_news_paragraph_gives_a_valid_annotation():
    text = (
        "دمشق تؤكد أن الهجوم على مواقع في حلب يوم الثلاثاء الماضي استمر أكثر من 3 ساعات.\n"
        "وقال المتحدث باسم وزارة الداخلية السورية أحمد سالم إن القوات اعتقلت 12 شخصا في 2 ديسمبر/كانون الأول، "
        "مضيفا «لن نسمح بعودة الفوضى إلى البلاد»."
    )
    pred = tag(text)
    assert check_annotation(pred.to_json(), pred.text) == []
    assert {layer: bool(getattr(pred, layer)) for layer in ("entities", "timex", "events", "quotes")} == {
        "entities": True,
        "timex": True,
        "events": True,
        "quotes": True,
    }


def test_a_trigger_is_a_whole_word_never_letters_inside_one():
    # Test fixture sentence (made up): `زار` is a trigger, the same letters inside `وزارة` are not.
    text = "قالت وزارة الخارجية إن الوزير زار تونس وإن الوفد زارها أمس."
    (pred,) = get("rules").predict([Document(id="doc-9001", text=text, dct=DCT("2025-12-01", "test"))])
    triggers = [(event.trigger.text, event.trigger.start) for event in pred.events]
    assert ("زار", text.index(" زار ") + 1) in triggers
    assert ("زار", text.index("زارها")) in triggers  # a pronoun suffix is not part of the word's stem
    assert all(not (text.index("وزارة") <= start < text.index("وزارة") + 5) for _, start in triggers)


def test_timex_spans_never_end_in_whitespace_and_a_day_month_year_is_one_timex():
    # Test fixture sentences (made up), both dual-month notations.
    for text in (
        "وصل الوفد في 14 أكتوبر/تشرين الأول 2025 ثم عاد.",
        "وصل الوفد في 14 أكتوبر (تشرين الأول) 2025 ثم عاد.",
    ):
        (timex,) = timex_for(text, "2025-12-01")
        assert (timex.value, timex.text.split()[-1]) == ("2025-10-14", "2025")
    for text in ("اجتمعوا في 14 أكتوبر/تشرين الأول ثم عادوا.", "اجتمعوا في 3 مارس  ثم عادوا."):
        for timex in timex_for(text, "2025-12-01"):
            assert timex.text == timex.text.rstrip(), timex
