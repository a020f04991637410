"""The corpus bundled with the package, found from any working folder and from a wheel.

Five English news articles about Russia–China relations and the war in Ukraine (February 2023 –
May 2024), as ``.txt`` files, and a ``metadata.csv`` beside their folder with each article's
title, outlet and publication date and how they were established from the text. They ship inside
the package (``analysis/data/corpus/``), so a notebook, a script or ``analysis-report`` finds them
wherever it runs; in a source checkout they are the files of ``data/raw/`` and
``data/metadata.csv``.

Examples
--------
>>> from analysis import datasets
>>> datasets.bundled().name, datasets.bundled_metadata().name
('raw', 'metadata.csv')
>>> corpus = datasets.load_bundled()
>>> corpus.docs.height, corpus.fingerprint
(5, '9659d4a1fae6523a')
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import config
from analysis.corpus._load import load_corpus

if TYPE_CHECKING:
    from analysis.corpus._load import Corpus

__all__ = ["bundled", "bundled_metadata", "load_bundled"]


def bundled() -> Path:
    """The folder of the bundled corpus's ``.txt`` files (an absolute path).

    ``load_corpus(bundled())`` finds the ``metadata.csv`` beside it.

    Examples
    --------
    >>> import analysis
    >>> analysis.load_corpus(bundled()).docs.height
    5
    """
    return config.RAW_DIR


def bundled_metadata() -> Path:
    """The bundled corpus's metadata table (one row per article)."""
    return config.METADATA_CSV


def load_bundled(**options: Any) -> Corpus:
    """The bundled corpus, loaded with its metadata; ``options`` go to ``load_corpus``.

    Examples
    --------
    >>> load_bundled().docs["outlet"].sort().to_list()[:2]
    ['EFE', 'France 24']
    """
    return load_corpus(bundled(), metadata=bundled_metadata(), **options)
