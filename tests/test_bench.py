"""The benchmark harness (``bench/``): its implementations count the same, its memory sampler
measures, its table names every target. Timings are never asserted."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.append(str(Path(__file__).resolve().parent.parent))  # the checkout, for bench/
from synthetic import write_corpus

from bench import treemem, whole


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("whole")
    corpus = write_corpus(folder / "c.parquet", docs=40, chunk_size=20, progress=False)
    config = json.loads(whole._config_file(folder).read_text())
    return corpus, config


def test_every_implementation_counts_the_same(small_corpus):
    corpus, config = small_corpus
    totals = {name: whole.child(name, str(corpus), config)["totals"]
              for name in ("tidy", "count", "nltk", "sklearn", "re_counter")}
    first = totals["tidy"]
    assert first["docs"] == 40 and first["tokens"] > 40 * 300
    assert all(t == first for t in totals.values()), totals


def test_load_and_tokenize_memory_children(small_corpus):
    corpus, config = small_corpus
    load = whole.child("load", str(corpus), config)
    assert load["totals"] == {"docs": 40} and load["call_s"] > 0
    mem = whole.child("tokenize_memory", str(corpus), config)
    assert mem["row_groups_chunks"] == 2  # the file has two row groups
    assert mem["result_mb"] > 0 and mem["peak_mb"] >= mem["rss_before_mb"]
    with pytest.raises(ValueError, match="unknown implementation"):
        whole.child("nope", str(corpus), config)


def test_tree_memory_sampler_sees_an_allocation():
    r = treemem.measure([sys.executable, "-c", "x = bytearray(80 * 2**20); import time; "
                         "time.sleep(0.3)"], interval=0.02)
    assert r["returncode"] == 0
    assert r["peak_single_mb"] >= 80 and r["peak_tree_mb"] >= 80


def test_summary_ratio_only_with_equal_totals_and_table():
    runs = [{"wall_s": w, "cpu_s": w, "totals": {"tokens": 5}} for w in (3.0, 1.0, 2.0)]
    s = whole.summarise(runs)
    assert (s["median_s"], s["min_s"], s["max_s"], s["runs"]) == (2.0, 1.0, 3.0, 3)
    assert whole.summarise([{"error": "boom"}]) == {"error": "boom"}
    result = {"size": 1000, "groups": {
        "tidy": {"summary": {"tidy": s, "nltk": s}, "same_totals": False,
                 "ratios": {"nltk": None}}}}
    fig = whole.figures(result)
    assert fig["tidy_nltk"] == "n/a (totals differ)"
    meta = {"date": "d", "host": "h", "cpus": 2, "memory_gb": 1, "python": "3",
            "loadavg_start": "0", "loadavg_end": "0", "repeats": 3}
    table = whole.markdown(meta, [result], None)
    for label, _, target, _ in whole.TARGETS:
        assert label in table and target in table


def test_cell_memory_profile_sees_each_cells_allocation(tmp_path):
    import subprocess

    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('corpus_path: list[str] = []')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params,
                nbformat.v4.new_markdown_cell("a note"),
                nbformat.v4.new_code_cell("peak = bytearray(120 * 2**20)\n"
                                          "peak[::4096] = b'x' * len(peak[::4096])\n"
                                          "del peak"),
                nbformat.v4.new_code_cell("assert corpus_path == ['c.parquet']")]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-m", "bench.cellmem", str(path), "c.parquet",
                          "--settle", "0"], capture_output=True, text=True, cwd=root,
                         check=True).stdout.splitlines()
    cells = {int(line.split()[1]): line for line in out if line.startswith("cell")}
    assert sorted(cells) == [0, 2, 3]  # code cells only, numbered as in the notebook
    added = {i: int(line.split("+")[1].split()[0]) for i, line in cells.items()}
    assert added[2] >= 100  # the 120 MB the cell touched (and freed)
    assert added[3] < 100  # the high-water mark was reset: cell 2's peak is not cell 3's
    assert out[-1].startswith("worst peak")
