"""Shared fixtures: paths to the messy test data, and the bundled corpus loaded once."""

from __future__ import annotations

from pathlib import Path

import polars as pl
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


# Fixtures over tests/data/terms_docs.json (a messy little corpus) for the n-gram and KWIC tests.


@pytest.fixture(scope="module")
def docs() -> pl.DataFrame:
    return pl.read_json(DATA / "terms_docs.json")


@pytest.fixture(scope="module")
def tokens(docs: pl.DataFrame) -> pl.DataFrame:
    return analysis.tokenize(docs)


@pytest.fixture(scope="module")
def texts(docs: pl.DataFrame) -> dict[str, str]:
    return dict(docs.select("doc_id", "text").iter_rows())
