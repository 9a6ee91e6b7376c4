"""Shared fixtures: the repository root, the embedded corpus, a small corpus with its own cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar import validcache
from khabar.store import save_documents
from tests.corpus_samples import mixed_script_sample, seed_sample

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return REPO / "corpus"


@pytest.fixture
def cached_corpus(tmp_path, monkeypatch) -> Path:
    """A two-document fixture corpus, and a validation cache folder of the test's own."""
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "corpus"
    save_documents([seed_sample(), mixed_script_sample()], folder)
    return folder


@pytest.fixture
def cache_writes(monkeypatch) -> list[tuple[Path, dict]]:
    """Every file the validation cache writes, with the options it passes to `write_file`
    (it is still written): how a test sees that a cache entry goes through the write path."""
    written: list[tuple[Path, dict]] = []
    real_write = validcache.write_file

    def spy(path, content, **options):
        written.append((path, options))
        return real_write(path, content, **options)

    monkeypatch.setattr(validcache, "write_file", spy)
    return written


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """No network for `datasets`, and a cache of its own."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr("datasets.config.HF_DATASETS_OFFLINE", True)
    monkeypatch.setattr("datasets.config.HF_HUB_OFFLINE", True)
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", True)
    return tmp_path / "hf-cache"
