"""khabar from Python: one function per scoring command, each giving what the command gives.

    import khabar

    result = khabar.evaluate_file("pred.jsonl")        # = `khabar evaluate pred.jsonl`
    print(result)                                      # the table the command prints
    result.headline["entities"].f1                     # 0.557…
    result.to_dict()                                   # = `khabar evaluate --format json`
    result.to_dataframe()                              # one row per layer, metric and label (pandas)

The gold is the corpus installed with khabar unless `gold=` names a folder or passes
documents; keyword settings are those of `khabar.eval.settings.ScoringSettings`
(`layers`, `tagset`, `normalize`, `perturbation`, `perturbation_seed`, `bootstrap`,
`seed`), with the command's defaults. The functions read and score exactly as the
commands do (both go through `khabar.runs`), so a number here equals the command's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.document import Document
from khabar.errors import Problem
from khabar.eval.predictions import Predictions, predictions_from_records
from khabar.eval.render import to_text
from khabar.eval.results import EvaluationResult
from khabar.eval.settings import ScoringSettings
from khabar.eval.significance import Comparison, compare_results
from khabar.published import default_corpus
from khabar.runs.predict import predict_corpus
from khabar.runs.scoring import gold_variant, load_scoring_gold, score, score_predictions
from khabar.runs.validate import validate_paths

Gold = str | Path | Sequence[Document] | None


@dataclass(frozen=True)
class Result:
    """The scores of one system: prints as the `khabar evaluate` table.

    Every attribute of the underlying `EvaluationResult` is reachable here (`headline`,
    `layers`, `signature`, `warnings`, `matches`, `not_predicted`)."""

    evaluation: EvaluationResult
    notes: tuple[str, ...] = ()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.evaluation, name)

    def __str__(self) -> str:
        return to_text(self.evaluation)

    def to_dict(self) -> dict[str, Any]:
        """What `khabar evaluate --format json` prints."""
        return self.evaluation.to_dict()

    def rows(self) -> list[dict[str, Any]]:
        """One row per layer, metric and label (averages as `micro`, `macro`, `weighted`)."""
        rows = []
        for layer, result in self.evaluation.layers.items():
            for name, metric in result.metrics.items():
                base = {"layer": layer, "metric": name, "headline": name == result.headline_metric}
                if metric.accuracy is not None:
                    accuracy = metric.accuracy
                    low, high = accuracy.ci or (None, None)
                    rows.append(
                        {**base, "label": "accuracy", "precision": None, "recall": None, "f1": accuracy.accuracy}
                        | {"ci_low": low, "ci_high": high, "support": accuracy.total, "tp": accuracy.correct}
                        | {"pred": None}
                    )
                    continue
                for label, value in [*metric.per_label.items(), *metric.averages.items()]:
                    low, high = value.ci or (None, None)
                    rows.append(
                        {**base, "label": label, "precision": value.precision, "recall": value.recall, "f1": value.f1}
                        | {"ci_low": low, "ci_high": high, "support": value.gold, "tp": value.tp, "pred": value.pred}
                    )
        return rows

    def to_dataframe(self) -> Any:
        """`rows()` as a pandas DataFrame (pandas is optional: `pip install pandas`)."""
        try:
            import pandas  # optional: imported only for this method
        except ModuleNotFoundError:
            raise ModuleNotFoundError("Result.to_dataframe needs pandas: pip install pandas", name="pandas") from None
        return pandas.DataFrame(self.rows())


def scoring_settings(**settings: Any) -> ScoringSettings:
    """`ScoringSettings` from keyword settings; `layers` may be any sequence of layer names."""
    if "layers" in settings:
        settings["layers"] = tuple(settings["layers"])
    return ScoringSettings(**settings)


def load_gold(gold: Gold, settings: ScoringSettings) -> list[Document]:
    """The gold documents to score against: a folder, documents, or the installed corpus."""
    if gold is None or isinstance(gold, str | Path):
        return load_scoring_gold(Path(gold) if gold is not None else default_corpus(), settings)
    return gold_variant(list(gold), settings)


def evaluate_file(
    path: str | Path,
    gold: Gold = None,
    *,
    input_format: str | None = None,
    strict_coverage: bool = False,
    **settings: Any,
) -> Result:
    """Score a prediction file, as `khabar evaluate PATH` does."""
    scoring = scoring_settings(**settings)
    scored = score(
        Path(path), load_gold(gold, scoring), scoring, input_format=input_format, strict_coverage=strict_coverage
    )
    return Result(scored.result, scored.notes)


def predictions(records: Iterable[dict[str, Any]], gold: Gold = None, *, tagset: str = "khabar") -> Predictions:
    """Predictions built in memory, validated as a prediction file's lines are (see
    `khabar.eval.predictions.predictions_from_records`)."""
    return predictions_from_records(records, load_gold(gold, ScoringSettings(tagset=tagset)), tagset=tagset)


def evaluate_predictions(
    pred: Predictions | Iterable[dict[str, Any]], gold: Gold = None, *, strict_coverage: bool = False, **settings: Any
) -> Result:
    """Score predictions built in memory (records, or `predictions(...)`) against the gold."""
    scoring = scoring_settings(**settings)
    documents = load_gold(gold, scoring)
    if not isinstance(pred, Predictions):
        pred = predictions_from_records(pred, documents, tagset=scoring.tagset)
    return Result(score_predictions(pred, documents, scoring, strict_coverage))


def compare_files(
    path_a: str | Path,
    path_b: str | Path,
    gold: Gold = None,
    *,
    trials: int = 10000,
    input_format: str | None = None,
    **settings: Any,
) -> Comparison:
    """Paired tests of two prediction files, as `khabar compare A B` does."""
    scoring = scoring_settings(**settings)
    unresampled = scoring_settings(**{**settings, "bootstrap": 0})  # the tests resample on their own
    documents = load_gold(gold, unresampled)
    result_a = score(Path(path_a), documents, unresampled, input_format=input_format).result
    result_b = score(Path(path_b), documents, unresampled, input_format=input_format).result
    return compare_results(result_a, result_b, bootstrap=scoring.bootstrap, trials=trials, seed=scoring.seed)


def predict(baseline: str, corpus: str | Path | None = None, *, model: str | Path | None = None) -> list[Document]:
    """A baseline's predicted documents, as `khabar predict --baseline NAME` writes them."""
    folder = Path(corpus) if corpus is not None else default_corpus()
    _, documents, _ = predict_corpus(baseline, folder, None, model=Path(model) if model is not None else None)
    return documents


def validate_files(paths: Iterable[str | Path] | None = None) -> list[Problem]:
    """Every problem of the annotation files or folders (sorted), as `khabar validate` lists them."""
    folders = [Path(path) for path in paths] if paths is not None else [default_corpus()]
    return validate_paths(folders)[2]
