"""The leaderboard: every baseline run over the gold corpus and scored, and its robustness.

`run_benchmark`: each system predicts the whole corpus once (the CRF through its declared
k-fold cross-validation), `khabar.eval.evaluate` scores the layers the system predicts,
and the report keeps, per system and layer, the headline metric, its F1 and 95%
bootstrap interval, whether the system is deterministic, and a signature (the scorer's
settings plus the system's own).

`robustness`: the same systems on every perturbed variant of the corpus
(`khabar.perturb`), tabulated by `khabar.eval.robustness`. `write_plots`: the figures of
`--plot`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from khabar import __version__
from khabar.baselines import registry
from khabar.baselines.leaderboard import dumps_report, with_leaderboard
from khabar.document import Document
from khabar.errors import InputError
from khabar.eval import evaluate
from khabar.eval.plots import benchmark_plots, robustness_plots
from khabar.eval.results import EvaluationResult
from khabar.eval.robustness import CLEAN, robustness_table
from khabar.files import write_files
from khabar.inventories import LAYERS
from khabar.perturb import DEFAULT_SEED, PERTURBATIONS, perturb_corpus
from khabar.progress import Progress
from khabar.store import load_corpus


def load_benchmark_corpus(corpus: Path) -> list[Document]:
    """The validated documents the baselines run over; none at all is an input error."""
    gold = load_corpus(corpus)
    if not gold:
        raise InputError("no annotated documents", where=str(corpus))
    return gold


def system_options(name: str, seed: int) -> dict[str, Any]:
    """Options a baseline takes from the benchmark: the CRF's fold shuffle uses its seed."""
    return {"seed": seed} if name == "crf" else {}


def score_system(name: str, gold: list[Document], *, bootstrap: int, seed: int, **options: Any) -> dict[str, Any]:
    """{layer: {metric, f1, ci, signature}} of one system over `gold`."""
    tagger = registry.get(name, **{**system_options(name, seed), **options})
    pred = tagger.predict(gold)
    result = evaluate(gold, pred, layers=tagger.layers, bootstrap=bootstrap, seed=seed)
    system_signature = tagger.signature()
    scores: dict[str, Any] = {}
    for layer in tagger.layers:
        headline = result.headline[layer]
        signature = dict(result.signature)
        layer_results = getattr(result, "layers", {})
        if layer in layer_results:
            signature.update(layer_results[layer].signature)
        signature["system"] = system_signature
        scores[layer] = {
            "metric": headline.name,
            "f1": headline.f1,
            "ci": [headline.low, headline.high],
            # Read by `khabar check`: a deterministic system's score may not drop beyond the
            # minimum tolerance (a tagger without the attribute is taken as non-deterministic).
            "deterministic": bool(getattr(tagger, "deterministic", False)),
            "signature": signature,
        }
    return scores


def run_benchmark(
    documents: list[Document],
    *,
    systems: list[str] | None = None,
    bootstrap: int = 1000,
    seed: int = 7,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The leaderboard of `systems` (default: every baseline usable without extras).

    `progress(done, total)` is called after each system is scored."""
    names = list(systems) if systems is not None else registry.available()
    scores = {}
    for done, name in enumerate(names, start=1):
        scores[name] = score_system(name, documents, bootstrap=bootstrap, seed=seed)
        if progress is not None:
            progress(done, len(names))
    return {"khabar_version": __version__, "systems": scores}


def score_systems(
    documents: list[Document],
    systems: Iterable[str],
    *,
    layers: Iterable[str] = LAYERS,
    bootstrap: int = 1000,
    seed: int = 7,
) -> dict[str, EvaluationResult]:
    """`{system: EvaluationResult}` of each baseline on `documents` (only its own layers),
    each built and scored as `run_benchmark` does (same options, bootstrap and seed)."""
    wanted = tuple(layers)
    results: dict[str, EvaluationResult] = {}
    for name in systems:
        tagger = registry.get(name, **system_options(name, seed))
        scored = tuple(layer for layer in wanted if layer in tagger.layers)
        if not scored:
            continue
        predictions = tagger.predict(documents)
        results[name] = evaluate(documents, predictions, layers=scored, bootstrap=bootstrap, seed=seed)
    return results


def robustness(
    documents: list[Document],
    systems: Iterable[str] | None = None,
    perturbations: Iterable[str] | None = None,
    *,
    layers: Iterable[str] = LAYERS,
    bootstrap: int = 1000,
    seed: int = 7,
    perturbation_seed: int = DEFAULT_SEED,
    clean_results: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Each baseline's headline F1 on the clean corpus and on every variant, with the drop
    (see `khabar.eval.robustness`).

    `clean_results` (`score_systems` of the same documents and settings) saves scoring the
    clean corpus again when the caller has it already. `progress(done, total)` is called
    after each variant is scored (the command draws a progress bar from it)."""
    # Outside systems are perturbed only when named (each HeidelTime run starts a JVM).
    system_names = list(systems) if systems is not None else registry.baselines()
    names = list(perturbations) if perturbations is not None else list(PERTURBATIONS)
    unknown = [name for name in names if name not in PERTURBATIONS]
    if unknown:
        raise InputError(f"unknown perturbation {unknown[0]!r}", hint=f"choose from {', '.join(PERTURBATIONS)}")
    scored = {}
    for done, name in enumerate(names, start=1):
        corpus = perturb_corpus(documents, name, perturbation_seed)
        scored[name] = score_systems(corpus, system_names, layers=layers, bootstrap=bootstrap, seed=seed)
        if progress is not None:
            progress(done, len(names))
    if clean_results is None:
        clean_results = score_systems(documents, system_names, layers=layers, bootstrap=bootstrap, seed=seed)
    scored[CLEAN] = clean_results
    return robustness_table(scored, names, bootstrap=bootstrap, seed=seed, perturbation_seed=perturbation_seed)


def write_reference(report: dict[str, Any], reference: Path, readme: Path | None) -> list[Path]:
    """The reference scores, and the README's leaderboard rendered from them: both written or neither."""
    files: dict[Path, str] = {reference: dumps_report(report)}
    if readme is not None:
        try:
            text = readme.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"cannot read: {error}", where=str(readme)) from None
        files[readme] = with_leaderboard(text, report, str(readme))
    return write_files(files, make_folders=False)


def check_plot_folder(plot: Path | None) -> None:
    """Fail before the long run when `--plot` cannot be a folder."""
    if plot is not None and plot.exists() and not plot.is_dir():
        raise InputError(f"--plot {plot} exists and is not a folder")


def benchmark_extras(
    gold: list[Document],
    systems: list[str] | None,
    *,
    bootstrap: int,
    seed: int,
    with_robustness: bool = False,
    plot: Path | None = None,
    plot_formats: tuple[str, ...] = ("png",),
    progress: Progress | None = None,
) -> tuple[dict[str, Any] | None, list[Path]]:
    """`khabar benchmark --robustness` and `--plot DIR`: the robustness report (None without
    `with_robustness`) and the figures written under `plot`, in each of `plot_formats`."""
    if not with_robustness and plot is None:
        return None, []
    names = systems if systems is not None else registry.baselines()  # outside systems only when named
    clean = score_systems(gold, names, bootstrap=bootstrap, seed=seed)
    data = None
    if with_robustness:
        data = robustness(gold, names, bootstrap=bootstrap, seed=seed, clean_results=clean, progress=progress)
    written: list[Path] = []
    if plot is not None:
        figures = benchmark_plots(clean, plot, plot_formats)
        if data is not None:
            figures.update(robustness_plots(data, plot, plot_formats))
        written = write_files(figures)  # all or nothing
    return data, written
