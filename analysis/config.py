"""Project paths, resolved from the repository root so no notebook hard-codes ``../data``.

Every path the package, the notebooks and the Makefile agree on lives here.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR: Path = Path(__file__).resolve().parent
"""The installed ``analysis`` package folder (holds ``data/`` shipped with the package)."""

REPO_ROOT: Path = PACKAGE_DIR.parent
"""The project checkout (``pyproject.toml``, ``notebooks/``, ``data/``)."""

DATA_DIR: Path = REPO_ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
"""The bundled corpus: five articles, never written by code."""

METADATA_CSV: Path = DATA_DIR / "metadata.csv"
"""One row per bundled article: doc_id, title, outlet, url, published, language, note."""

PROCESSED_DIR: Path = DATA_DIR / "processed"
NOTEBOOKS_DIR: Path = REPO_ROOT / "notebooks"
REPORTS_DIR: Path = REPO_ROOT / "reports"

PACKAGE_DATA: Path = PACKAGE_DIR / "data"
"""Data files that ship inside the wheel (stop-words, actor dictionary, JS bundle cache)."""
