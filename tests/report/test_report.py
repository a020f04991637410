"""The report pipeline: incremental builds, failures, offline self-contained escaped HTML."""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest

import analysis
from analysis import report
from analysis.config import METADATA_CSV, NOTEBOOKS_DIR, RAW_DIR
from analysis.report import _render as render

PAYLOADS = ["</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


def small_notebook(path, body: str = "corpus.docs.height", *, extra_params: str = "",
                   load_args: str = "corpus_path, metadata_path") -> None:
    """A tiny report notebook; ``extra_params`` are more lines for its parameters cell."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'corpus_path: list[str] = []  # corpus\nmetadata_path: str = ""  # metadata'
        + (f"\n{extra_params}" if extra_params else "")
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(
            "from analysis import report\nreport.setup_notebook()\n"
            f"corpus = report.load_report_corpus({load_args})"
        ),
        nbformat.v4.new_code_cell(body),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture()
def workspace(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Kyiv and Moscow.\n\nTalks resumed.", encoding="utf-8")
    small_notebook(nbs / "tiny.ipynb")
    return nbs, corpus, tmp_path / "out"


def statuses(results):
    return [(r.name, r.status) for r in results]


def test_incremental_rebuilds_only_what_changed(workspace):
    nbs, corpus, out = workspace
    build = lambda: report.build_reports([str(corpus)], out_dir=out, notebook_dir=nbs,  # noqa: E731
                                         log=lambda *_: None)
    assert statuses(build()) == [("tiny", "rendered")]
    index = (out / "index.html").read_text()
    assert "tiny.html" in index and analysis.__version__ in index
    assert statuses(build()) == [("tiny", "up to date")]
    (corpus / "a.txt").write_text("Kyiv and Moscow.\n\nTalks failed.", encoding="utf-8")
    assert statuses(build()) == [("tiny", "rendered")]
    small_notebook(nbs / "tiny.ipynb", body="corpus.docs.height + 1")
    assert statuses(build()) == [("tiny", "rendered")]
    assert statuses(build()) == [("tiny", "up to date")]


def test_failure_names_cell_and_keeps_last_good_html(workspace, capsys):
    nbs, corpus, out = workspace
    args = ["--corpus", str(corpus), "--out", str(out), "--notebooks", str(nbs)]
    assert report.main(args) == 0
    good = (out / "tiny.html").read_text()
    small_notebook(nbs / "tiny.ipynb", body="raise ValueError('boom in the third cell')")
    assert report.main(args) == 1
    err = capsys.readouterr()
    assert "tiny" in err.err and "cell 3" in err.err
    assert "ValueError: boom in the third cell" in err.err
    assert (out / "tiny.html").read_text() == good


def test_unknown_notebook_name_is_refused(workspace):
    nbs, corpus, out = workspace
    with pytest.raises(SystemExit, match="no notebook named"):
        report.build_reports([str(corpus)], out_dir=out, notebook_dir=nbs, notebooks=["nope"])


# ------------------------------------------------------------------ the real notebooks


def test_every_report_renders_self_contained(rendered):
    out, results = rendered
    assert {r.status for r in results} == {"rendered"}, [(r.name, r.error) for r in results]
    names = sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb"))
    assert sorted(r.name for r in results) == names
    index = (out / "index.html").read_text()
    for name in names:
        assert f'href="{name}.html"' in index
    # every report ran on the bundled corpus, whose fingerprint is pinned in test_corpus.py
    assert index.count("<code>9659d4a1fae6523a</code>") == len(names)
    bundle_head = render.vega_bundle()[:200]
    for name in names:
        page = (out / f"{name}.html").read_text()
        assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=[\"']?(https?:)?//",
                             page), f"{name} loads something from the network"
        charts = page.count(f'class="{render.SPEC_CLASS}"')
        assert charts >= 1, f"{name} has no charts"
        assert page.count(bundle_head) == 1, f"{name}: chart libraries must be inlined once"
        assert "setup_notebook()" not in page and "load_report_corpus(" not in page  # no code


def test_corpus_text_is_escaped_in_every_report(rendered_xss):
    out, results = rendered_xss
    assert {r.status for r in results} == {"rendered"}, [(r.name, r.error) for r in results]
    for r in results:
        page = r.html.read_text()
        # The payloads never appear as markup, only escaped ...
        scrubbed = page.replace(render.vega_bundle(), "")
        for payload in PAYLOADS:
            assert payload not in scrubbed, f"{r.name} contains raw {payload!r}"
    overview = (out / "corpus_overview.html").read_text()
    assert "&lt;img src=x onerror=alert(1)&gt; title" in overview  # the title, escaped


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    return out, report.build_reports([], out_dir=out, log=lambda *_: None)


@pytest.fixture(scope="session")
def xss_corpus(tmp_path_factory, data_dir=None):
    from tests.conftest import DATA

    root = tmp_path_factory.mktemp("xss_corpus")
    raw = root / "raw"
    shutil.copytree(RAW_DIR, raw)
    shutil.copy(DATA / "messy" / "xss.txt", raw / "xss.txt")
    meta = METADATA_CSV.read_text(encoding="utf-8").rstrip("\n") + "\n"
    meta += ('xss,"<img src=x onerror=alert(1)> title","<b>Outlet</b>",,2024-05-16,en,'
             '"</script><script>alert(1)</script>"\n')
    (root / "metadata.csv").write_text(meta, encoding="utf-8")
    return raw, root / "metadata.csv"


@pytest.fixture(scope="session")
def rendered_xss(tmp_path_factory, xss_corpus):
    raw, meta = xss_corpus
    out = tmp_path_factory.mktemp("reports_xss")
    return out, report.build_reports([str(raw)], metadata_path=str(meta), out_dir=out,
                                     log=lambda *_: None)
