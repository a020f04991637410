"""Where the package finds its own files, in a source checkout and in an installed wheel alike.

Everything here is inside the installed ``analysis`` package, so no library code depends on a
source checkout. Paths a user gives (``--corpus``, ``--out``, ``load_corpus(...)``) resolve
against the user's working folder, never against these. In a checkout,
``analysis/data/corpus/`` and ``analysis/notebooks`` are links to ``data/`` and ``notebooks/``
at the project root; the wheel carries copies of them (package data).

Examples
--------
>>> from analysis import config
>>> sorted(p.name for p in config.RAW_DIR.glob("*.txt"))[:2]
['000_1aebdc1241029af4.txt', '001_4d35a865ec83e0f2.txt']
>>> config.METADATA_CSV.parent == config.RAW_DIR.parent   # metadata.csv beside the folder
True
"""

from __future__ import annotations

from pathlib import Path

VERSION = "0.1.0"
"""The package version (``analysis.__version__``; pyproject.toml carries the same)."""

PACKAGE_DIR: Path = Path(__file__).resolve().parent
"""The installed ``analysis`` package folder."""

PACKAGE_DATA: Path = PACKAGE_DIR / "data"
"""Data files that ship inside the wheel (stop-words, actor dictionary, the bundled corpus)."""

BUNDLED_DIR: Path = PACKAGE_DATA / "corpus"
RAW_DIR: Path = BUNDLED_DIR / "raw"
"""The bundled corpus: five articles (``.txt``), never written by code. See
:func:`analysis.datasets.bundled`."""

METADATA_CSV: Path = BUNDLED_DIR / "metadata.csv"
"""One row per bundled article: doc_id, title, outlet, url, published, language, note."""

NOTEBOOKS_DIR: Path = PACKAGE_DIR / "notebooks"
"""The report notebooks (``notebooks/`` in a checkout; package data in the wheel)."""

TEMPLATE_DIR: Path = PACKAGE_DIR / "templates"
"""nbconvert templates of the HTML reports."""

REPO_ROOT: Path = PACKAGE_DIR.parent
"""The project checkout holding the package. Only meaningful in a source checkout (the
benchmark and the tests use it); library code does not."""


def reports_dir() -> Path:
    """The default output folder of the reports: ``reports/`` in the current working folder.

    Examples
    --------
    >>> reports_dir() == Path.cwd() / "reports"
    True
    """
    return Path.cwd() / "reports"
