"""The CRF baseline: k-fold over paragraphs, and no fold's model ever saw what it tags."""

from __future__ import annotations

import sklearn_crfsuite

from khabar.baselines.crf import CrfTagger, Unit, assign_folds, paragraph_extents
from khabar.baselines.rules import tag_document
from khabar.document import DCT, Document
from khabar.validate import check_annotation

PARAGRAPHS = [
    "وقال وزير الخارجية الفرنسي جان دوفال إن باريس تدعم الحل في 5 أكتوبر الماضي.",
    "وأعلنت وزارة الدفاع السورية أن قوات الأمن اعتقلت عشرة أشخاص في حلب أمس.",
    "التقى الرئيس المصري محمود سالم بوزير الدفاع الأميركي في القاهرة يوم الثلاثاء.",
    "وأكد المتحدث باسم الجيش الأردني أن الولايات المتحدة وبريطانيا تدعمان التحالف الدولي.",
    "وذكرت وكالة الأنباء الرسمية أن حركة النهضة فازت في الانتخابات قبل 3 أيام.",
    "واستهدفت الغارات مواقع في لبنان لمدة عامين، وقالت الحكومة إن الهجوم مرفوض.",
    "وزار السفير العراقي عادل بن سالم لبنان في 11 نوفمبر للمشاركة في اجتماع مجلس الأمن.",
]


def gold_documents() -> list[Document]:
    """Synthetic gold: the rule tagger's output over distinct paragraphs (test data only)."""
    texts = ["\n".join(PARAGRAPHS[:4]), "\n\n".join(PARAGRAPHS[4:])]
    return [
        tag_document(Document(id=f"doc-{n}", text=text, dct=DCT("2025-12-03", "test")))
        for n, text in enumerate(texts, 1)
    ]


def test_paragraphs_are_line_blocks():
    assert paragraph_extents("أ ب\n\nج د\nهـ") == [(0, 3), (5, 8), (9, 11)]


def test_fold_assignment_is_seeded_and_balanced():
    units = [Unit("d", i) for i in range(7)]
    k, folds = assign_folds(units, seed=7)
    assert k == 5
    assert folds == assign_folds(list(reversed(units)), seed=7)[1]
    assert sorted(list(folds.values()).count(f) for f in range(k)) == [1, 1, 1, 2, 2]
    assert folds != assign_folds(units, seed=8)[1]


def test_every_fold_model_never_saw_the_paragraphs_it_predicts(monkeypatch):
    from khabar.baselines import crf

    seen: dict[object, set] = {}  # keyed by the model itself, kept alive
    tagged: dict[object, set] = {}
    original_fit, original_tag = sklearn_crfsuite.CRF.fit, crf.tag_sentences

    def words(sequence):
        return tuple(row["w"] for row in sequence)

    def fit(self, X, y, *args, **kwargs):
        seen.setdefault(self, set()).update(words(x) for x in X)
        return original_fit(self, X, y, *args, **kwargs)

    def tag_sentences(models, X):
        for model in models.values():
            tagged.setdefault(model, set()).update(words(x) for x in X)
        return original_tag(models, X)

    monkeypatch.setattr(sklearn_crfsuite.CRF, "fit", fit)
    monkeypatch.setattr(crf, "tag_sentences", tag_sentences)
    tagger = CrfTagger(seed=7)
    gold = gold_documents()
    pred = tagger.predict(gold)

    assert len(seen) == 5 * 4  # k folds × one model per layer
    for model, sentences in tagged.items():
        assert sentences and not sentences & seen[model]
    # Every sentence of the corpus was tagged once per layer, by some model.
    all_tagged = [s for sentences in tagged.values() for s in sentences]
    assert len(all_tagged) == len(set(all_tagged)) * 4
    signature = tagger.signature()
    assert signature["k"] == 5 and signature["seed"] == 7
    assert [len(folds) for folds in signature["folds"].values()] == [4, 3]
    for document in pred:
        assert check_annotation(document.to_json(), document.text) == []


def test_crf_learns_from_other_folds():
    pred = CrfTagger(seed=7).predict(gold_documents())
    assert sum(len(document.entities) for document in pred) > 0
    assert sum(len(document.timex) for document in pred) > 0


def test_a_single_paragraph_cannot_be_cross_validated():
    [pred] = CrfTagger().predict([Document(id="d", text="جملة واحدة فقط.")])
    assert pred.entities == () and pred.timex == ()


def test_shared_item_sequences_tag_as_crf_predict_does():
    from khabar.baselines.crf import fit_models, tag_sentences
    from khabar.baselines.features import sentence_features
    from khabar.views import token_view

    views = [view for document in gold_documents() for view in token_view(document)[0]]
    features = [sentence_features(view.tokens) for view in views]
    models = fit_models(features[:6], views[:6])
    tags = tag_sentences(models, features[6:])
    for layer, model in models.items():
        assert tags[layer] == [list(sequence) for sequence in model.predict(features[6:])]
