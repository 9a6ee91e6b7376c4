"""khabar: a gold-annotated Arabic news information-extraction benchmark.

The version is part of every score signature: any change that alters scores bumps it.
"""

__version__ = "0.1.0"

# The Python API (`khabar.api`), reachable as `khabar.evaluate_file` and so on. Imported on
# first use: `import khabar` stays light, and the core modules under the package never load
# the run layer the API sits on.
API = ("Result", "evaluate_file", "evaluate_predictions", "predictions", "compare_files", "predict", "validate_files")


def __getattr__(name: str):
    if name in API:
        from khabar import api  # deferred: on first use only, so `import khabar` never loads the run layer

        return getattr(api, name)
    raise AttributeError(f"module 'khabar' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *API])
