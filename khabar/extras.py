"""Optional parts of khabar and the extra that installs each.

The core install (`pip install khabar`) holds what scoring needs: reading and validating
annotations and predictions, seqeval, span matching, bootstrap and the HTML report. The
rest is behind extras so that a researcher who only scores does not pull Label Studio's
SDK (and opencv through it), matplotlib or the Hugging Face stack:

- `baselines`: `predict`, `benchmark`, `check`, the rules, crf and dateparser baselines
  (sklearn-crfsuite, joblib, dateparser, pycountry, babel);
- `dataset`: `build`, `export` and the dataset card (datasets, huggingface-hub, pyarrow, pyyaml);
- `plots`: `benchmark --plot` (matplotlib);
- `annotate`: `ls`, the Label Studio loop (label-studio-sdk);
- `hf`: the `hf` baseline, local transformers models (transformers; torch installed first);
- `all`: every extra above but `hf`.

Optional modules are imported where they are used, so a missing one surfaces as a
`ModuleNotFoundError` naming it; `missing_extra` maps that name to the extra to install.
"""

from __future__ import annotations

from khabar.errors import KhabarError

# Top-level import name → the extra that installs it.
MODULE_EXTRAS: dict[str, str] = {
    "sklearn_crfsuite": "baselines",
    "pycrfsuite": "baselines",
    "joblib": "baselines",
    "dateparser": "baselines",
    "pycountry": "baselines",
    "babel": "baselines",
    "datasets": "dataset",
    "huggingface_hub": "dataset",
    "pyarrow": "dataset",
    "yaml": "dataset",
    "matplotlib": "plots",
    "label_studio_sdk": "annotate",
    "transformers": "hf",
    "torch": "hf",
}


class MissingExtra(KhabarError):
    """A command needs an optional dependency that is not installed."""

    code = "missing-extra"
    exit_code = 2


def missing_extra(error: ModuleNotFoundError, command: str) -> MissingExtra | None:
    """The error to report for a missing optional module, or None when it is not optional."""
    module = (error.name or "").split(".")[0]
    extra = MODULE_EXTRAS.get(module)
    if extra is None:
        return None
    return MissingExtra(
        f"khabar {command} needs the '{extra}' extra ({module} is not installed): pip install 'khabar[{extra}]'"
    )
