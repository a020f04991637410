"""The package finds its own files in a checkout and an install; notebooks declare the kernel."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import analysis
from analysis import config, datasets

NOTEBOOKS = sorted((config.REPO_ROOT / "notebooks").glob("*.ipynb"))


def test_package_paths_are_inside_the_package():
    for path in (config.RAW_DIR, config.METADATA_CSV, config.NOTEBOOKS_DIR, config.TEMPLATE_DIR):
        assert config.PACKAGE_DIR in path.parents
        assert path.exists(), path
    assert (config.PACKAGE_DIR / "py.typed").is_file()


def test_package_links_are_the_checkout_folders():
    """In a checkout the package's corpus and notebooks are the project's, not copies."""
    root = config.REPO_ROOT
    assert config.RAW_DIR.resolve() == (root / "data" / "raw").resolve()
    assert config.METADATA_CSV.resolve() == (root / "data" / "metadata.csv").resolve()
    assert config.NOTEBOOKS_DIR.resolve() == (root / "notebooks").resolve()


def test_bundled_corpus_is_found_from_any_working_folder(tmp_path):
    code = ("import analysis; c = analysis.datasets.load_bundled(); "
            "print(c.docs.height, c.fingerprint, analysis.datasets.bundled().is_absolute())")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, check=True)
    assert done.stdout.split() == ["5", "9659d4a1fae6523a", "True"]


def test_bundled_loads_like_the_folder():
    assert datasets.load_bundled().fingerprint == analysis.load_corpus(datasets.bundled()).fingerprint


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_declare_the_project_kernel(path):
    spec = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
    assert spec == {"display_name": "Python (news analysis)", "language": "python",
                    "name": "news-analysis"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_pass_column_names_to_the_loader(path):
    source = json.loads(path.read_text(encoding="utf-8"))
    code = "".join("".join(c["source"]) for c in source["cells"] if c["cell_type"] == "code")
    assert "columns: dict[str, str] = {}" in code
    assert "load_report_corpus(corpus_path, metadata_path, columns" in code
