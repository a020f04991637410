"""The report command line: paths, parameters, column names, listing, refusals."""

from __future__ import annotations

import json

import nbformat
import pytest

from analysis import report
from analysis.config import NOTEBOOKS_DIR, PACKAGE_DIR
from tests.report.test_report import small_notebook


def param_notebook(path, body: str = "corpus.docs.height") -> None:
    small_notebook(path, body, extra_params=(
        "columns: dict[str, str] = {}  # load_corpus column names\ntop_n: int = 5  # rows"),
        load_args="corpus_path, metadata_path, columns")


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    """A working folder with a notebook folder ``nbs`` and a CSV corpus with odd column names."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nbs").mkdir()
    (tmp_path / "export.csv").write_text(
        'body,publishedAt,source\n"Kyiv and Moscow resumed talks.",2024-03-01,Outlet A\n'
        '"Beijing hosted the summit.",2024-04-02,Outlet B\n', encoding="utf-8")
    return tmp_path


def test_list_shows_each_notebook_with_typed_parameters(capsys):
    assert report.main(["--list"]) == 0
    out = capsys.readouterr().out
    for nb in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        assert f"\n{nb.stem}\n" in out
        for name, kind, default, _ in report.notebook_parameters(nb):
            assert f"  {name}: {kind} = {default}" in out
    assert '  metadata_path: str = ""  # metadata CSV' in out  # the source as written


def test_unknown_parameter_is_refused_with_the_valid_names(folder, capsys):
    param_notebook(folder / "nbs" / "tiny.ipynb")
    with pytest.raises(SystemExit) as exc:
        report.main(["--notebooks", "nbs", "--out", "out", "-p", "topn=5"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "unknown report parameter 'topn'" in err
    assert "valid: columns, corpus_path, metadata_path, top_n" in err
    assert not (folder / "out").exists()  # refused before anything ran


def test_parameter_file_names_are_checked_too(folder, capsys):
    param_notebook(folder / "nbs" / "tiny.ipynb")
    (folder / "p.yaml").write_text("top_n: 3\nevery: 1w\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        report.main(["--notebooks", "nbs", "--out", "out", "--params", "p.yaml"])
    assert "unknown report parameter 'every'" in capsys.readouterr().err


@pytest.mark.parametrize("text, problem", [
    ("- a\n- b\n", "must hold a mapping"),
    ("top_n: [1\n", "not valid YAML"),
])
def test_bad_parameter_files_are_refused(tmp_path, text, problem):
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit, match=problem):
        report.load_parameter_file(tmp_path / "p.yaml")


def test_missing_parameter_file_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="cannot read parameter file"):
        report.load_parameter_file(tmp_path / "nope.yaml")


def test_no_notebooks_is_an_error_not_zero_rendered(folder):
    with pytest.raises(SystemExit, match="nothing to render"):
        report.main(["--notebooks", "nbs", "--out", "out"])


def test_output_inside_the_package_is_refused(folder):
    param_notebook(folder / "nbs" / "tiny.ipynb")
    with pytest.raises(SystemExit, match="inside the installed packages"):
        report.main(["--notebooks", "nbs", "--out", str(PACKAGE_DIR / "reports")])


def test_default_output_folder_is_in_the_working_folder(folder, monkeypatch):
    seen = {}

    def fake_build(corpus, **kw):
        seen.update(kw, corpus=corpus)
        return [report.ReportResult("tiny", "up to date", kw["out_dir"] / "tiny.html")]

    monkeypatch.setattr("analysis.report._cli.build_reports", fake_build)  # where main reads it
    assert report.main(["--corpus", "export.csv", "--text-column", "body"]) == 0
    assert seen["out_dir"] == folder / "reports" / "export"
    assert seen["column_names"] == {"text_column": "body"}
    assert report.main([]) == 0
    assert seen["out_dir"] == folder / "reports"


def test_relative_paths_and_column_names_reach_the_notebook(folder, capsys):
    """``--corpus export.csv`` (relative) and ``--text-column`` etc. load the table as meant."""
    param_notebook(
        folder / "nbs" / "tiny.ipynb",
        body="import json\nd = corpus.docs.sort('published')\n"
             "print('RESULT', json.dumps([d['text'].to_list(), d['outlet'].to_list(), "
             "[str(x) for x in d['published'].to_list()]]))",
    )
    code = report.main(["--corpus", "export.csv", "--text-column", "body",
                        "--date-column", "publishedAt", "--outlet-column", "source",
                        "--notebooks", "nbs", "--out", "out", "-p", "top_n=3"])
    assert code == 0, capsys.readouterr().err
    assert "1 rendered, 0 up to date, 0 failed" in capsys.readouterr().out
    manifest = json.loads((folder / "out" / "manifest.json").read_text())
    params = manifest["tiny"]["parameters"]
    assert params["corpus_path"] == [str(folder / "export.csv")]  # resolved against the cwd
    assert params["columns"] == {"text_column": "body", "date_column": "publishedAt",
                                 "outlet_column": "source"}
    assert params["top_n"] == 3
    page = (folder / "out" / "tiny.html").read_text(encoding="utf-8")
    assert "Kyiv and Moscow resumed talks." in page and "Outlet B" in page
    assert "2024-03-01" in page and "2024-04-02" in page


def test_unknown_column_option_is_refused():
    with pytest.raises(ValueError, match="unknown column option 'text'"):
        report.load_report_corpus([], column_names={"text": "body"})


def test_column_names_need_a_notebook_that_takes_them(tmp_path):
    plain = tmp_path / "plain.ipynb"
    param_notebook(tmp_path / "takes.ipynb")
    nb = nbformat.read(tmp_path / "takes.ipynb", as_version=4)
    nb.cells[0].source = 'corpus_path: list[str] = []  # corpus\nmetadata_path: str = ""  # m'
    nbformat.write(nb, plain)
    with pytest.raises(ValueError, match="no selected notebook takes them"):
        report.check_parameters({}, [plain], column_names={"text_column": "body"})
    assert report.check_parameters({}, [plain, tmp_path / "takes.ipynb"],
                                   column_names={"text_column": "body"}) == ["plain"]
    assert report.check_parameters({}, [plain]) == []


def test_empty_corpus_is_said_once_and_stops(tmp_path, capsys):
    """An empty folder (or a corpus whose every input is skipped): one message naming the
    folder and why, exit 2; not seven unrelated crashes (NaN to int, empty pattern, ...)."""
    empty = tmp_path / "empty"
    empty.mkdir()
    assert report.main(["--corpus", str(empty), "--out", str(tmp_path / "out")]) == 2
    said = capsys.readouterr()
    text = said.out + said.err
    assert text.count("no documents in") == 1, text
    assert str(empty) in text and "no input file or row was found there" in text
    (empty / "page.xml").write_text("<a/>", encoding="utf-8")
    assert report.main(["--corpus", str(empty), "--out", str(tmp_path / "out")]) == 2
    text = "".join(capsys.readouterr())
    assert text.count("no documents in") == 1 and "1 input skipped (unsupported file type" in text


@pytest.mark.parametrize("inside", ["reports", ".", "a/b"])
def test_output_inside_the_corpus_is_refused(tmp_path, inside):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Some text about Kyiv.", encoding="utf-8")
    out = (corpus / inside).resolve()
    with pytest.raises(SystemExit, match="inside the corpus folder"):
        report.main(["--corpus", str(corpus), "--out", str(out)])
    assert not (out / "index.html").exists()


@pytest.mark.parametrize(("given", "said"), [
    ('top_n="abc"', "top_n='abc' (str) is not allowed: top_n takes a whole number"),
    ("top_n=1.5", "top_n=1.5 (float) is not allowed"),
    ("top_n=null", "top_n=None (NoneType) is not allowed"),
    ("top_n=-5", "takes a whole number of at least 1"),
    ('columns="text_column"', "columns takes a mapping of names to str"),
    ("threshold=1.5", "threshold takes a number from 0 to 1"),
    ("metonymy=3", "metonymy takes true or false"),
])
def test_parameters_are_checked_against_their_type_before_any_kernel(tmp_path, capsys,
                                                                      given, said):
    with pytest.raises(SystemExit) as stop:
        report.main(["--out", str(tmp_path / "out"), "-p", given])
    assert stop.value.code == 2
    assert said in capsys.readouterr().err
    assert not (tmp_path / "out" / "index.html").exists()  # stopped before rendering


def test_a_text_for_a_list_parameter_is_a_one_element_list_and_said():
    from analysis.report import _params

    out, notes = _params.validate_parameters({"focus_terms": "putin"},
                                             [NOTEBOOKS_DIR / "term_frequency.ipynb"])
    assert out == {"focus_terms": ["putin"]}  # was ["p", "u", "t", "i", "n"]
    assert notes == ["focus_terms='putin' read as the one-element list ['putin']"]


def test_a_text_inside_a_mapping_of_lists_is_a_one_element_list_too():
    from analysis.report import _params

    out, notes = _params.validate_parameters({"actors": {"Putin": "Vladimir Putin"}},
                                             [NOTEBOOKS_DIR / "timeline.ipynb"])
    assert out == {"actors": {"Putin": ["Vladimir Putin"]}}
    assert notes == ["actors['Putin']='Vladimir Putin' read as the one-element list "
                     "['Vladimir Putin']"]
    with pytest.raises(ValueError, match=r"actors\['Putin'\]=5"):
        _params.validate_parameters({"actors": {"Putin": 5}}, [NOTEBOOKS_DIR / "timeline.ipynb"])
