"""The report pipeline under faults (issue 12, items 13-16, 18, 22): unwritable or full output
folders, failing notebooks, metadata beside a corpus, leftovers of killed runs, two runs at
once, odd corpus paths on the make command line, and byte-identical HTML."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest

from analysis import report
from analysis.config import PACKAGE_DIR
from tests.report.test_report import small_notebook


@pytest.fixture()
def workspace(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Harbour news.\n\nThe ferry is late.", encoding="utf-8")
    small_notebook(nbs / "tiny.ipynb", body="corpus.docs.select('doc_id', 'n_words')")
    return nbs, corpus, tmp_path / "out"


def run(nbs, corpus, out, *extra):
    return report.main(["--corpus", str(corpus), "--out", str(out), "--notebooks", str(nbs),
                        *extra])


def temporary_files(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob("*") if p.name.endswith((".tmp", ".executed.ipynb")))


@pytest.mark.parametrize(("code", "cause"), [(errno.EROFS, "Read-only file system"),
                                             (errno.EACCES, "Permission denied"),
                                             (errno.ENOSPC, "No space left on device")])
def test_unwritable_output_is_one_line_and_keeps_previous(workspace, capsys, monkeypatch,
                                                          code, cause):
    nbs, corpus, out = workspace
    assert run(nbs, corpus, out) == 0
    before = {p: (out / p).read_bytes() for p in ("manifest.json", "index.html", "tiny.html")}
    capsys.readouterr()
    real = os.fdopen

    def failing(fd, *args, **kwargs):
        fh = real(fd, *args, **kwargs)

        def write(_text):
            raise OSError(code, os.strerror(code))

        fh.write = write
        return fh

    monkeypatch.setattr(os, "fdopen", failing)
    assert run(nbs, corpus, out, "--force") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(out) in err[0] and cause in err[0], err
    assert "Traceback" not in err[0]
    assert temporary_files(out) == []
    assert {p: (out / p).read_bytes() for p in before} == before


def test_output_folder_that_cannot_be_created(workspace, capsys):
    nbs, corpus, out = workspace
    blocker = out.parent / "file"
    blocker.write_text("not a folder")
    assert run(nbs, corpus, blocker / "reports") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(blocker) in err[0], err


def test_failing_notebook_stays_listed_with_error_and_last_good_time(workspace, capsys):
    nbs, corpus, out = workspace
    assert run(nbs, corpus, out) == 0
    built = json.loads((out / "manifest.json").read_text())["tiny"]["built"]
    small_notebook(nbs / "tiny.ipynb", body="raise ValueError('boom')")
    assert run(nbs, corpus, out) == 1
    index = (out / "index.html").read_text()
    assert 'href="tiny.html"' in index and "FAILED" in index
    assert "ValueError: boom" in index and f"last good render, {built}" in index
    entry = json.loads((out / "manifest.json").read_text())["tiny"]
    assert entry["status"] == "failed" and entry["last_good"] == built
    assert run(nbs, corpus, out) == 1  # a failed report is never "up to date"
    small_notebook(nbs / "tiny.ipynb", body="corpus.docs.height")
    assert run(nbs, corpus, out) == 0
    assert "FAILED" not in (out / "index.html").read_text()


def test_metadata_beside_the_corpus_is_a_dependency(workspace):
    nbs, corpus, out = workspace
    meta = corpus.parent / "metadata.csv"
    meta.write_text("doc_id,outlet\na,Harbour Post\n", encoding="utf-8")
    build = lambda: [r.status for r in report.build_reports(  # noqa: E731
        [str(corpus)], out_dir=out, notebook_dir=nbs, log=lambda *_: None)]
    assert build() == ["rendered"]
    assert build() == ["up to date"]
    meta.write_text("doc_id,outlet\na,Ferry Times\n", encoding="utf-8")
    assert build() == ["rendered"]


def test_leftovers_of_a_killed_run_are_cleared(workspace):
    nbs, corpus, out = workspace
    out.mkdir()
    (out / ".tiny.executed.ipynb").write_text("{half a notebook")
    (out / ".index.html.tmp").write_text("<html")
    (out / "manifest.json").write_text("")  # emptied by a crash
    results = report.build_reports([str(corpus)], out_dir=out, notebook_dir=nbs,
                                   log=lambda *_: None)
    assert [r.status for r in results] == ["rendered"]
    assert temporary_files(out) == []
    assert "tiny" in json.loads((out / "manifest.json").read_text())


def test_second_run_into_a_held_folder_says_so(workspace, capsys, monkeypatch):
    nbs, corpus, out = workspace
    out.mkdir()
    monkeypatch.setattr("analysis.report._output.LOCK_TIMEOUT", 0.3)
    with open(out / ".report.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert run(nbs, corpus, out) == 2
    err = capsys.readouterr().err
    assert "another run holds" in err and str(out) in err
    assert run(nbs, corpus, out) == 0  # released: the next run proceeds


def test_same_inputs_give_byte_identical_html(workspace):
    nbs, corpus, out = workspace
    small_notebook(nbs / "tiny.ipynb", body="report.show_parameters(corpus, top_n=3)")
    first = report.build_reports([str(corpus)], out_dir=out, notebook_dir=nbs, force=True,
                                 log=lambda *_: None)[0].html.read_bytes()
    second = report.build_reports([str(corpus)], out_dir=out, notebook_dir=nbs, force=True,
                                  log=lambda *_: None)[0].html.read_bytes()
    assert first == second


@pytest.mark.parametrize("corpus", ["a b/raw dir", "-starts-with-dash", "it's odd"])
def test_make_report_quotes_the_corpus_path(corpus):
    make = subprocess.run(["make", "-n", "report", f"CORPUS={corpus}"], capture_output=True,
                          text=True, cwd=PACKAGE_DIR.parent, check=True)
    line = next(ln for ln in make.stdout.splitlines() if "analysis.report" in ln)
    args = shlex.split(line)
    assert f"--corpus={corpus}" in args, line
    out = args[args.index("--out") + 1]
    assert out.startswith("reports/") and " " not in out


def test_pages_index_and_manifest_are_readable_by_others_under_umask_022(workspace):
    nbs, corpus, out = workspace
    old = os.umask(0o022)
    try:
        assert run(nbs, corpus, out) == 0
    finally:
        os.umask(old)
    written = [p for p in out.iterdir() if p.is_file()]
    assert {p.name for p in written} >= {"index.html", "manifest.json"}
    assert any(p.suffix == ".html" and p.name != "index.html" for p in written)
    for p in written:
        if p.name.startswith("."):
            continue  # the run lock
        assert p.stat().st_mode & 0o777 == 0o644, (p.name, oct(p.stat().st_mode))


def test_manifest_of_the_wrong_shape_counts_as_none(workspace):
    nbs, corpus, out = workspace
    out.mkdir()
    (out / "manifest.json").write_text('{"tiny": "x", "other": [1]}', encoding="utf-8")
    assert run(nbs, corpus, out) == 0  # was AttributeError: 'str' object has no attribute 'get'
    assert json.loads((out / "manifest.json").read_text())["tiny"]["status"] == "rendered"


def test_dangling_cache_link_is_one_line_not_a_traceback(workspace, capsys):
    nbs, corpus, out = workspace
    out.mkdir()
    (out / ".cache").symlink_to(out / "gone")
    assert run(nbs, corpus, out) == 2  # was FileExistsError
    err = capsys.readouterr().err
    assert "cannot write" in err and ".cache" in err and "does not exist" in err
    assert "Traceback" not in err


def test_a_file_named_by_a_parameter_is_a_dependency(workspace):
    nbs, corpus, out = workspace
    small_notebook(nbs / "tiny.ipynb", body="corpus.docs.height",
                   extra_params='actor_dictionary_path: str = ""  # actors')
    actors = corpus.parent / "actors.toml"
    actors.write_text('[ferry]\naliases = ["ferry"]\n', encoding="utf-8")
    build = lambda: [r.status for r in report.build_reports(  # noqa: E731
        [str(corpus)], out_dir=out, notebook_dir=nbs, log=lambda *_: None,
        parameters={"actor_dictionary_path": str(actors)})]
    assert build() == ["rendered"]
    assert build() == ["up to date"]
    actors.write_text('[harbour]\naliases = ["harbour"]\n', encoding="utf-8")
    assert build() == ["rendered"]  # was "up to date": the edited dictionary was not in the key


def test_files_in_a_linked_sub_folder_are_dependencies(workspace):
    nbs, corpus, out = workspace
    elsewhere = corpus.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text("Linked text.", encoding="utf-8")
    (corpus / "linked").symlink_to(elsewhere, target_is_directory=True)
    build = lambda: [r.status for r in report.build_reports(  # noqa: E731
        [str(corpus)], out_dir=out, notebook_dir=nbs, log=lambda *_: None)]
    assert build() == ["rendered"]
    assert build() == ["up to date"]
    (elsewhere / "b.txt").write_text("Linked text, edited.", encoding="utf-8")
    assert build() == ["rendered"]
    (elsewhere / "c.txt").write_text("A new linked text.", encoding="utf-8")
    assert build() == ["rendered"]


def test_a_memory_limit_below_one_kernel_is_said_in_the_log(workspace):
    """REPORT_MEMORY_MB bounds the number of kernels; where one kernel is estimated above it,
    the log says so (a 50k corpus at 1,000 MB peaked at 3.86 GB without a word)."""
    from analysis.report._cache import corpus_text_bytes, kernel_estimate_mb
    from analysis.report._output import corpus_files

    nbs, corpus, out = workspace
    said: list[str] = []
    report.build_reports([str(corpus)], out_dir=out, notebook_dir=nbs, memory_mb=1,
                         log=said.append)
    (note,) = [s for s in said if "memory limit" in s]
    assert "1 MB" in note and "bounds how many kernels run at once" in note
    need = kernel_estimate_mb(corpus_text_bytes(corpus_files([str(corpus)])))
    assert f"estimated at {need:,.0f} MB" in note
    said.clear()
    report.build_reports([str(corpus)], out_dir=out, notebook_dir=nbs, memory_mb=None,
                         force=True, log=said.append)
    assert not [s for s in said if "memory limit" in s]
