"""The CRF baseline: k-fold over paragraphs, and no fold's model ever saw what it tags."""

from __future__ import annotations

from khabar.baselines.crf import (
    FOLD_RULE,
    K_FOLDS,
    TRAINING,
    TRAINING_RULE,
    CrfTagger,
    Unit,
    fold_of,
    paragraph_extents,
    sentence_folds,
)
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
    "وفي 3 مارس الماضي أعلنت الحكومة الأردنية خطة جديدة لمدة ثلاثة أشهر.",
    "وبدأت المفاوضات في عمّان يوم الخميس واستمرت أسبوعين.",
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


def test_folds_are_seeded_and_spread():
    units = [Unit(f"doc-{d}", i) for d in range(20) for i in range(10)]
    folds = [fold_of(unit, seed=7) for unit in units]
    assert set(folds) == set(range(K_FOLDS))
    assert min(folds.count(f) for f in range(K_FOLDS)) >= len(units) / K_FOLDS / 2
    assert folds != [fold_of(unit, seed=8) for unit in units]


def test_adding_a_document_leaves_every_existing_paragraph_in_its_fold():
    gold = gold_documents()
    extra = tag_document(Document(id="doc-0", text="\n".join(PARAGRAPHS[1:3]), dct=DCT("2025-12-03", "test")))
    before_views, before = sentence_folds(gold, seed=7)
    after_views, after = sentence_folds([extra, *gold], seed=7)
    after_by_sentence = {view.id: fold for view, fold in zip(after_views, after, strict=True)}
    assert len(after) > len(before)
    for view, fold in zip(before_views, before, strict=True):
        assert after_by_sentence[view.id] == fold


def test_every_fold_model_never_saw_the_paragraphs_it_predicts(monkeypatch):
    from khabar.baselines import crf

    gold = gold_documents()
    views, folds = sentence_folds(gold, seed=7)
    # The table `predict` encodes holds the sentences in this order.
    words = [tuple(token.text for token in view.tokens) for view in views]
    seen: dict[object, set] = {}  # keyed by the model itself, kept alive
    tagged: dict[object, set] = {}
    original_fit, original_tag = crf.fit_model, crf.tag_sentences

    def fit_model(table, sentences, tags):
        model = original_fit(table, sentences, tags)
        seen[model] = {words[i] for i in sentences}
        return model

    def tag_sentences(models, table, sentences):
        sentences = list(sentences)
        for model in models.values():
            tagged.setdefault(model, set()).update(words[i] for i in sentences)
        return original_tag(models, table, sentences)

    monkeypatch.setattr(crf, "fit_model", fit_model)
    monkeypatch.setattr(crf, "tag_sentences", tag_sentences)
    tagger = CrfTagger(seed=7, n_jobs=1)  # in this process, where the patches apply
    pred = tagger.predict(gold)

    assert len(seen) == len(set(folds)) * 4  # one model per layer for each fold that holds sentences
    for model, sentences in tagged.items():
        assert sentences and not sentences & seen[model]
    # Every sentence of the corpus was tagged once per layer, by some model.
    all_tagged = [s for sentences in tagged.values() for s in sentences]
    assert len(all_tagged) == len(set(all_tagged)) * 4
    for document in pred:
        assert check_annotation(document.to_json(), document.text) == []


def test_the_signature_states_the_rules_whatever_the_corpus_size():
    tagger = CrfTagger(seed=7)
    tagger.predict(gold_documents())
    signature = tagger.signature()
    assert signature["k"] == K_FOLDS and signature["seed"] == 7
    assert signature["folds"] == FOLD_RULE and signature["training"] == TRAINING_RULE
    assert f"at most {TRAINING['max_iterations']} iterations" in signature["training"]


def test_parallel_training_predicts_what_one_process_does():
    gold = gold_documents()
    one = CrfTagger(seed=7, n_jobs=1).predict(gold)
    two = CrfTagger(seed=7, n_jobs=2).predict(gold)
    assert [document.to_json() for document in two] == [document.to_json() for document in one]
    assert sum(len(document.entities) for document in one) > 0


def test_models_are_trained_largest_first_and_the_order_changes_no_prediction(monkeypatch):
    from khabar.baselines import crf

    gold = gold_documents()
    expected = [document.to_json() for document in CrfTagger(seed=7, n_jobs=1).predict(gold)]
    costs: list[int] = []
    original, cost = crf.train_and_tag, crf.training_cost

    def train_and_tag(layer, table, train, train_tags, test):
        costs.append(cost(train_tags))
        return original(layer, table, train, train_tags, test)

    monkeypatch.setattr(crf, "train_and_tag", train_and_tag)
    CrfTagger(seed=7, n_jobs=1).predict(gold)  # in this process, where the patch applies
    assert len(costs) > 4 and costs == sorted(costs, reverse=True) and costs[0] > costs[-1]
    # Smallest first instead: the same predictions.
    monkeypatch.setattr(crf, "training_cost", lambda tags: -cost(tags))
    assert [document.to_json() for document in CrfTagger(seed=7, n_jobs=1).predict(gold)] == expected


def test_training_cost_is_tokens_times_labels():
    from khabar.baselines.crf import training_cost

    assert training_cost([["B-PER", "I-PER", "O"], ["O", "O"]]) == 5 * 3
    assert training_cost([["O"] * 4]) == 4
    assert training_cost([]) == 0


def test_crf_learns_from_other_folds():
    pred = CrfTagger(seed=7).predict(gold_documents())
    assert sum(len(document.entities) for document in pred) > 0
    assert sum(len(document.timex) for document in pred) > 0


def test_a_single_paragraph_cannot_be_cross_validated():
    [pred] = CrfTagger().predict([Document(id="d", text="جملة واحدة فقط.")])
    assert pred.entities == () and pred.timex == ()


def _views_and_words():
    from khabar.views import token_view

    views = [view for document in gold_documents() for view in token_view(document)[0]]
    return views, [[token.text for token in view.tokens] for view in views]


def test_shared_item_sequences_tag_as_crf_predict_does():
    from khabar.baselines.crf import encode, fit_models, tag_sentences

    views, words = _views_and_words()
    table = encode(words)
    models = fit_models(table, range(6), views[:6])
    tags = tag_sentences(models, table, range(6, len(table)))
    for layer, model in models.items():
        expected = model.predict([table.items(i) for i in range(6, len(table))])
        assert tags[layer] == [list(sequence) for sequence in expected]


def test_encoded_features_train_the_model_the_feature_dicts_do():
    """Attribute ids instead of feature strings: the same objective at every iteration and the
    same tags, so the encoding is a matter of speed only."""
    from khabar.baselines.crf import _crf, encode, fit_model
    from khabar.baselines.features import sentence_features

    views, words = _views_and_words()
    table = encode(words)
    assert len(table) == len(views)
    train, test = range(6), range(6, len(views))
    for layer in ("entities", "timex"):
        tags = [views[i].tags[layer] for i in train]
        encoded = fit_model(table, train, tags)
        plain = _crf().fit([sentence_features(views[i].tokens) for i in train], tags)
        assert [it["loss"] for it in encoded.training_log_.iterations] == [
            it["loss"] for it in plain.training_log_.iterations
        ]
        assert list(map(list, encoded.predict([table.items(i) for i in test]))) == list(
            map(list, plain.predict([sentence_features(views[i].tokens) for i in test]))
        )


def test_a_shared_vocabulary_gives_known_attributes_their_ids():
    from khabar.baselines.crf import encode
    from khabar.baselines.features import word_sequence_features

    _, words = _views_and_words()
    vocabulary: dict = {}
    first = encode(words[:3], vocabulary)
    size = len(vocabulary)
    again = encode(words[:1], vocabulary)
    assert len(vocabulary) == size and again.items(0) == first.items(0)
    other = encode(words[3:], vocabulary)
    assert len(vocabulary) > size and len(other) == len(words) - 3
    assert [len(names) for names in other.items(0)] == [len(row) for row in word_sequence_features(words[3])]
