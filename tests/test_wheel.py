"""A pip user's install: the built wheel alone, in a clean virtual environment, renders every report.

Builds the wheel from a copy of the source (``pip wheel --no-deps --no-build-isolation``; the
links ``analysis/notebooks`` and ``analysis/data/corpus`` become copies), installs it with its
dependencies, and runs ``analysis-report`` from an unrelated working folder.

The dependencies are the ones ``make env`` installed from ``requirements.lock``: the new
environment sees the project environment's ``site-packages`` through a ``.pth`` line (its own
``.pth`` files, such as the editable install of the checkout, are not run from there) and
nbconvert's templates through a link, so the
test needs no network and no package cache and runs on every fresh machine. That the wheel's
declared dependencies are all satisfied by those pins is checked from its metadata.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from analysis.config import REPO_ROOT

pytestmark = pytest.mark.slow

UV = Path(sys.executable).with_name("uv")
SOURCES = ("analysis", "data", "notebooks", "pyproject.toml", "README.md")


def run(cmd, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "processed")
    for name in SOURCES:
        path = REPO_ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, symlinks=True, ignore=ignore)
        else:
            shutil.copy(path, src / name)
    dist = tmp_path_factory.mktemp("dist")
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                 "--quiet", "--wheel-dir", dist, src])
    assert built.returncode == 0, built.stderr
    (whl,) = dist.glob("analysis-*.whl")
    return whl


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    if not UV.exists():
        pytest.skip("uv not found beside the interpreter (make env installs it)")
    env = tmp_path_factory.mktemp("venv")
    made = run([sys.executable, "-m", "venv", "--without-pip", env])
    assert made.returncode == 0, made.stderr
    python = env / "bin" / "python"
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
                    ).stdout.strip())
    # the locked dependencies of the project environment, appended after the new site-packages
    (site / "zz_locked_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # and their data files (nbconvert's templates live in <prefix>/share/jupyter/nbconvert)
    (env / "share" / "jupyter").mkdir(parents=True)
    (env / "share" / "jupyter" / "nbconvert").symlink_to(
        Path(sys.prefix) / "share" / "jupyter" / "nbconvert", target_is_directory=True)
    installed = run([UV, "pip", "install", "--offline", "--no-deps", "--quiet", "--python",
                     python, wheel])
    assert installed.returncode == 0, installed.stderr
    return env


def test_wheel_dependencies_are_satisfied_by_the_lock(venv):
    check = run([venv / "bin" / "python", "-c", (
        "import importlib.metadata as m\n"
        "from packaging.requirements import Requirement\n"
        "bad = []\n"
        "for text in m.requires('analysis'):\n"
        "    r = Requirement(text)\n"
        "    if r.marker and not r.marker.evaluate({'extra': ''}):\n"
        "        continue\n"
        "    try:\n"
        "        v = m.version(r.name)\n"
        "    except m.PackageNotFoundError:\n"
        "        v = None\n"
        "    if v is None or not r.specifier.contains(v, prereleases=True):\n"
        "        bad.append(f'{r} (found {v})')\n"
        "print(bad)\n")])
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "[]", check.stdout


def test_wheel_carries_notebooks_templates_corpus_and_types(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    notebooks = {p.name for p in (REPO_ROOT / "notebooks").glob("*.ipynb")}
    assert {f"analysis/notebooks/{n}" for n in notebooks} <= names
    assert "analysis/templates/analysis_report/index.html.j2" in names
    assert "analysis/templates/analysis_report/conf.json" in names
    assert "analysis/py.typed" in names
    assert "analysis/data/corpus/metadata.csv" in names
    raw = {p.name for p in (REPO_ROOT / "data" / "raw").glob("*.txt")}
    assert {f"analysis/data/corpus/raw/{n}" for n in raw} <= names


def test_installed_wheel_renders_every_report(venv, tmp_path):
    bindir = venv / "bin"
    work = tmp_path / "work"  # an unrelated working folder: relative paths resolve here
    corpus = work / "my texts"
    corpus.mkdir(parents=True)
    # a folder of .txt files with a metadata.csv: the bundled articles, copied
    for path in sorted((REPO_ROOT / "data" / "raw").glob("*.txt")):
        shutil.copy(path, corpus / path.name)
    shutil.copy(REPO_ROOT / "data" / "metadata.csv", corpus / "metadata.csv")
    where = run([bindir / "python", "-c", "import analysis; print(analysis.__file__)"], cwd=work)
    assert str(venv) in where.stdout, where  # the wheel, not the source checkout

    listed = run([bindir / "analysis-report", "--list"], cwd=work)
    assert listed.returncode == 0, listed.stderr
    notebooks = sorted(p.stem for p in (REPO_ROOT / "notebooks").glob("*.ipynb"))
    for name in notebooks:
        assert f"\n{name}\n" in listed.stdout
    assert "  corpus_path: list[str] = []" in listed.stdout

    bad = run([bindir / "analysis-report", "--corpus", "my texts", "--out", "out",
               "-p", "no_such_parameter=5"], cwd=work)
    assert bad.returncode == 2 and "valid:" in bad.stderr and "top_n" in bad.stderr

    done = run([bindir / "analysis-report", "--corpus", "my texts", "--out", "out",
                "--jobs", "2"], cwd=work, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(notebooks)} rendered, 0 up to date, 0 failed" in done.stdout
    out = work / "out"
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in notebooks:
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        assert "analysis-chart-spec" in page and "analysis-chart-libs" in page, name
        assert f'href="{name}.html"' in index
    assert not list((venv / "lib").rglob("reports"))  # nothing written into site-packages


def test_installed_wheel_refuses_empty_notebook_folder(venv, tmp_path):
    (tmp_path / "empty").mkdir()
    r = run([venv / "bin" / "analysis-report", "--notebooks", "empty", "--out", "out"],
            cwd=tmp_path)
    assert r.returncode != 0
    assert "nothing to render" in r.stderr
