"""Report kernels reused across notebooks (analysis.report_runner, analysis.kernel_state): each
notebook starts as in a fresh kernel (no name, setting, warning or display registration of the
previous one; byte-identical HTML), a failing notebook fails alone, a dead kernel is replaced."""

from __future__ import annotations

import json

import nbformat
import pytest

from analysis import report
from analysis.report import _runner as report_runner

SETUP = "import os\nfrom analysis import report\nreport.setup_notebook()"

# What a notebook may leave behind in its kernel: a name, an environment variable, polars and
# Altair settings, a warning filter, a "once" warning, a display formatter, the working folder.
LITTER = """
import os, sys, warnings
import altair as alt
import polars as pl
leftover = 42
os.environ["REPORT_TEST_LEFTOVER"] = "1"
pl.Config.set_tbl_rows(2)
alt.data_transformers.disable_max_rows()
alt.theme.enable("dark")
warnings.simplefilter("ignore")
warnings.warn("shown once per location")
get_ipython().display_formatter.formatters["text/html"].for_type(int, lambda n: "<b>int</b>")
sys.path.append("/nowhere")
os.chdir("/")
"""

# The same checks, and the same outputs (a warning as a note, a table, a chart), in every
# notebook: run alone in a new kernel and after LITTER in a reused one, the pages must be equal.
PROBE = """
import os, sys, warnings
import altair as alt
import polars as pl
assert "leftover" not in globals(), "a name of the previous notebook is visible"
assert "REPORT_TEST_LEFTOVER" not in os.environ
assert "/nowhere" not in sys.path and os.getcwd() != "/"
assert alt.data_transformers.options == {} and alt.theme.active == "analysis"
main = sys.modules["__main__"]  # multiprocessing (tone's parallel scoring) reads these
assert hasattr(main, "__spec__") and hasattr(main, "__name__"), "__main__ lost its attributes"
print("cells executed:", len(In), get_ipython().execution_count)  # compared in the page
warnings.warn("shown once per location")
display(pl.DataFrame({"n": range(5)}))
display(7)
alt.Chart(pl.DataFrame({"x": [1, 2]})).mark_bar().encode(x="x")
"""


def notebook(path, *cells: str) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('pid_file: str = ""  # where the kernel writes its pid')
    params.metadata["tags"] = ["parameters"]
    record = "import os\nif pid_file:\n    open(pid_file, 'a').write(f'{os.getpid()}\\n')"
    nb.cells = [params, nbformat.v4.new_code_cell(record),
                *(nbformat.v4.new_code_cell(c) for c in cells)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)


def build(nbs, out, pid_file, **options):
    return report.build_reports([], out_dir=out, notebook_dir=nbs, log=lambda *_: None,
                                parameters={"pid_file": str(pid_file)}, force=True, **options)


def pids(pid_file) -> list[str]:
    return pid_file.read_text().split()


@pytest.fixture()
def folders(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    return nbs, tmp_path / "out", tmp_path / "pids.txt"


def test_next_notebook_starts_clean_and_renders_as_in_a_fresh_kernel(folders):
    nbs, out, pid_file = folders
    notebook(nbs / "b_probe.ipynb", SETUP, PROBE)
    alone = build(nbs, out.with_name("alone"), pid_file, jobs=1)
    assert [r.status for r in alone] == ["rendered"], alone
    page_alone = alone[0].html.read_bytes()
    notebook(nbs / "a_litter.ipynb", SETUP, LITTER)
    pid_file.unlink()
    results = build(nbs, out, pid_file, jobs=1)  # no manifest yet: executed in name order
    assert [(r.name, r.status) for r in results] == [("a_litter", "rendered"),
                                                    ("b_probe", "rendered")], results
    first, second = pids(pid_file)
    assert first == second  # one kernel executed both notebooks
    assert (out / "b_probe.html").read_bytes() == page_alone
    assert b"shown once per location" in page_alone and b"analysis-chart-libs" in page_alone


def test_failing_notebook_fails_alone_on_a_shared_kernel(folders):
    nbs, out, pid_file = folders
    notebook(nbs / "a_fails.ipynb", SETUP, "leftover = 1\nraise ValueError('boom')")
    notebook(nbs / "b_probe.ipynb", SETUP, PROBE)
    results = build(nbs, out, pid_file, jobs=1)
    assert [(r.name, r.status) for r in results] == [("a_fails", "failed"),
                                                    ("b_probe", "rendered")], results
    assert "cell 4" in results[0].error and "ValueError: boom" in results[0].error
    first, second = pids(pid_file)
    assert first == second


def test_dead_kernel_is_replaced(folders):
    nbs, out, pid_file = folders
    notebook(nbs / "a_dies.ipynb", SETUP, "os._exit(1)")
    notebook(nbs / "b_probe.ipynb", SETUP, PROBE)
    results = build(nbs, out, pid_file, jobs=1)
    assert [(r.name, r.status) for r in results] == [("a_dies", "failed"),
                                                    ("b_probe", "rendered")], results
    first, second = pids(pid_file)
    assert first != second
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["a_dies"]["status"] == "failed" and manifest["b_probe"]["status"] == "rendered"


def test_kernel_over_the_memory_limit_is_replaced(folders, monkeypatch):
    nbs, out, pid_file = folders
    monkeypatch.setattr(report_runner, "REUSE_LIMIT_MB", 0)
    notebook(nbs / "a.ipynb", SETUP)
    notebook(nbs / "b.ipynb", SETUP)
    results = build(nbs, out, pid_file, jobs=1)
    assert [r.status for r in results] == ["rendered", "rendered"], results
    first, second = pids(pid_file)
    assert first != second


def test_kernels_are_shared_by_the_notebooks(folders):
    nbs, out, pid_file = folders
    for name in "abcd":
        notebook(nbs / f"{name}.ipynb", SETUP, PROBE)
    results = build(nbs, out, pid_file, jobs=2)
    assert [r.status for r in results] == ["rendered"] * 4, results
    assert len(pids(pid_file)) == 4 and len(set(pids(pid_file))) <= 2
    pages = {(out / f"{name}.html").read_bytes() for name in "abcd"}
    assert len(pages) == 1  # the same notebook renders the same page on either kernel


def test_nothing_to_render_starts_no_kernel_and_imports_no_papermill(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from analysis.report import _runner as r; "
            f"assert r.render_notebooks([], out_dir={str(tmp_path)!r}, workers=2) == []; "
            "assert 'papermill' not in sys.modules and 'nbconvert' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
