"""Shared fixtures: paths to the messy test data, and the bundled corpus loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

import analysis
from analysis.config import METADATA_CSV, RAW_DIR

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def bundled() -> analysis.Corpus:
    return analysis.load_corpus(RAW_DIR, metadata=METADATA_CSV)


@pytest.fixture(scope="session")
def bundled_tokens(bundled):
    return analysis.tokenize(bundled)
