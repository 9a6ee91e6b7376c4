"""Throughput and peak memory of each baseline over a synthetic 200,000-token Arabic text.

    python benchmarks/taggers.py [--tokens 200000] [--dateparser-tokens 20000]

Prints tokens per second and peak resident memory (each baseline runs in its own
process, so the peak is its own), and the ratio to the tokenizer alone in the same run
(the floor every tagger pays; `+ sentences` is `split_sentences`, tokenizer included,
which every baseline runs first). One-time setup (loading resources; for the crf, silver
training) is timed apart in the `setup s` column. Targets: rules ≥ 100,000 tokens/s, crf inference
≥ 20,000 tokens/s. The crf is trained on the rule tagger's output over a separate
synthetic text (silver data, for timing only), then tags the benchmark text; dateparser
is timed on a shorter prefix (`--dateparser-tokens`) as it is much slower.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

NAMES = ["محمد سالم", "أحمد الحسن", "سارة خليل", "جان دوفال", "ليلى منصور", "عمر بن علي"]
PLACES = ["دمشق", "حلب", "بغداد", "القاهرة", "عمّان", "بيروت", "سوريا", "العراق", "الأردن", "لبنان", "أمريكا"]
TITLES = ["وزير الخارجية", "الرئيس", "المتحدث باسم الجيش", "قائد القوات", "السفير"]
ORGS = ["وزارة الدفاع", "مجلس الأمن", "حركة النهضة", "وكالة الأنباء الرسمية", "الجيش السوري"]
MONTHS = ["يناير", "نوفمبر/تشرين الثاني", "كانون الأول", "مارس", "أيار"]
DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
TEMPLATES = [
    "وقال {title} {name} إن {org} ستعقد اجتماعا في {place} يوم {day} {month} {year}.",
    "وأكدت {org} أن الهجوم على مواقع في {place} أسفر عن مقتل {n} أشخاص أمس.",
    "وأعلن {title} {name} «لن نتراجع عن دعمنا للشعب في {place}» في الشهر الماضي.",
    "واعتقلت قوات الأمن {n} أشخاص في {place} بعد اشتباكات استمرت أكثر من {n} ساعات.",
    "وزار {title} {name} {place} قبل أسابيع، والتقى ممثلين عن {org} لمدة يومين.",
    "وذكرت {org} أن المفاوضات بدأت في {day} {month} الماضي وستستمر {n} سنوات.",
]


def synthetic_text(tokens: int, seed: int) -> str:
    """Seeded news-like Arabic paragraphs (5 sentences each) of about `tokens` tokens."""
    from khabar.tokenize import tokenize

    rng = random.Random(seed)
    sentences: list[str] = []
    count = 0
    while count < tokens:
        sentence = rng.choice(TEMPLATES).format(
            title=rng.choice(TITLES),
            name=rng.choice(NAMES),
            org=rng.choice(ORGS),
            place=rng.choice(PLACES),
            day=rng.randint(1, 28),
            month=rng.choice(MONTHS),
            year=rng.choice(["2024", "٢٠٢٥", "2023"]),
            n=str(rng.randint(2, 30)).translate(DIGITS) if rng.random() < 0.3 else rng.randint(2, 30),
        )
        sentences.append(sentence)
        count += len(tokenize(sentence))
    return "\n".join(" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5))


def _documents(text: str):
    from khabar.document import DCT, Document

    return [Document(id="bench", text=text, dct=DCT("2025-12-03", "synthetic"))]


def measure(name: str, tokens: int, dateparser_tokens: int) -> dict:
    """Run one baseline in this process; seconds and tokens for the timed part."""
    from khabar.baselines import registry
    from khabar.tokenize import tokenize

    text = synthetic_text(tokens, seed=1)
    if name == "dateparser":
        text = synthetic_text(dateparser_tokens, seed=1)
    count = len(tokenize(text))
    setup = 0.0
    if name == "tokenizer":
        started = time.perf_counter()
        tokenize(text)
        seconds = time.perf_counter() - started
    elif name == "sentences":
        from khabar.tokenize import split_sentences

        started = time.perf_counter()
        split_sentences(text)
        seconds = time.perf_counter() - started
    elif name == "crf":
        from khabar.baselines.crf import encode, fit_models, tag_sentences
        from khabar.baselines.rules import tag_document
        from khabar.tokenize import split_sentences
        from khabar.views import token_view

        started = time.perf_counter()
        silver = tag_document(_documents(synthetic_text(20_000, seed=2))[0])
        views, _ = token_view(silver)
        vocabulary: dict = {}
        training = encode([[token.text for token in view.tokens] for view in views], vocabulary)
        models = fit_models(training, range(len(training)), views)
        setup = time.perf_counter() - started
        started = time.perf_counter()  # features of the new text are part of tagging it
        table = encode([[token.text for token in sentence.tokens] for sentence in split_sentences(text)], vocabulary)
        tag_sentences(models, table, range(len(table)))
        seconds = time.perf_counter() - started
    else:
        tagger = registry.get(name)
        documents = _documents(text)
        # One-time setup (gazetteer from pycountry/CLDR, regexes, dateparser's language data)
        # is timed apart, on a short different text, so that throughput is per token only.
        started = time.perf_counter()
        tagger.predict(_documents(synthetic_text(200, seed=3)))
        setup = time.perf_counter() - started
        started = time.perf_counter()
        tagger.predict(documents)
        seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"name": name, "tokens": count, "seconds": seconds, "setup": setup, "peak_mib": peak_mib}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=200_000)
    parser.add_argument("--dateparser-tokens", type=int, default=20_000)
    parser.add_argument("--only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        print(json.dumps(measure(args.only, args.tokens, args.dateparser_tokens)))
        return
    results = []
    for name in ["tokenizer", "sentences", "rules", "crf", "dateparser"]:
        command = [sys.executable, __file__, "--only", name, "--tokens", str(args.tokens)]
        command += ["--dateparser-tokens", str(args.dateparser_tokens)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    floor = results[0]["tokens"] / results[0]["seconds"]
    print(
        f"{'system':<12} {'tokens':>8} {'seconds':>8} {'tokens/s':>10} {'vs tokenizer':>13} "
        f"{'setup s':>8} {'peak MiB':>9}"
    )
    for result in results:
        speed = result["tokens"] / result["seconds"]
        label = {"crf": "crf (infer)", "sentences": "+ sentences"}.get(result["name"], result["name"])
        print(
            f"{label:<12} {result['tokens']:>8} {result['seconds']:>8.2f} {speed:>10,.0f} "
            f"{speed / floor:>12.2f}x {result['setup']:>8.2f} {result['peak_mib']:>9.0f}"
        )


if __name__ == "__main__":
    main()
