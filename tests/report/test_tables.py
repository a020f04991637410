"""Report tables (analysis.tables): complete, escaped, offline, deterministic, saved as files."""

from __future__ import annotations

import json
import re

import pandas as pd
import polars as pl
import pytest

from analysis.report.tables import TableDisplay, for_display, write_table

PAYLOAD = "</script><script>alert(1)</script>"


def data_rows(page: str, table_id: str) -> list:
    """The rows itables embeds for one table (its ``data_json``)."""
    m = re.search(r'#' + table_id + r':not.*?"data_json": ("(?:[^"\\]|\\.)*")', page, re.DOTALL)
    assert m, f"no data for {table_id}"
    return json.loads(json.loads(m.group(1)))


def test_every_row_is_in_the_page_and_the_files(tmp_path):
    big = pl.DataFrame({"term": [f"t{i}" for i in range(3000)], "n": list(range(3000))})
    shown = TableDisplay(tmp_path / "r_tables")
    page = shown.html(big)
    rows = data_rows(page, "analysis-table-01")
    assert len(rows) == 3000  # no downsampling
    assert pl.read_csv(tmp_path / "r_tables" / "table-01.csv").equals(big)
    assert pl.read_parquet(tmp_path / "r_tables" / "table-01.parquet").equals(big)
    assert 'href="r_tables/table-01.csv"' in page and 'href="r_tables/table-01.parquet"' in page
    assert "3,000 rows × 2 columns" in page


def test_a_longer_table_shows_its_first_rows_and_says_so(tmp_path):
    big = pl.DataFrame({"term": [f"t{i}" for i in range(25)], "n": list(range(25))})
    page = TableDisplay(tmp_path / "r_tables", max_rows=20).html(big)
    assert [r[1] for r in data_rows(page, "analysis-table-01")] == list(range(20))
    assert "the first 20 of 25 rows × 2 columns are shown" in page
    assert pl.read_parquet(tmp_path / "r_tables" / "table-01.parquet").equals(big)  # complete
    assert "of 25 rows" not in TableDisplay(max_rows=25).html(big)


def test_offline_and_escaped():
    shown = TableDisplay()
    first = shown.html(pl.DataFrame({"title": [PAYLOAD, "<img src=x onerror=alert(1)>"]}))
    second = shown.html(pl.DataFrame({"title": ["x"]}))
    assert PAYLOAD not in first and "<img src=x" not in first
    for page in (first, second):
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", page)
        assert "https://" not in page and "http://cdn" not in page
    assert first.count("function injectModule(") == 1  # the bundle, once per page
    assert "injectModule(" not in second


def test_same_tables_same_html(tmp_path):
    tables = [pl.DataFrame({"a": [1.5, 2.25]}), pd.DataFrame({"b": ["x", "y"]})]
    one, two = TableDisplay(), TableDisplay()
    assert [one.html(t) for t in tables] == [two.html(t) for t in tables]


def test_numbers_rounded_lists_joined_nested_as_json():
    t = pl.DataFrame({"g2": [23266.635644, -3.405782e-08, None], "ids": [["a", "b"], [], None],
                      "nested": [{"k": 1}, {"k": 2}, None], "n": [1, 2, 3]})
    out = for_display(t)
    assert out["g2"].to_list() == [23266.64, -3.406e-08, None]
    assert out["ids"].to_list() == ["a; b", "", None]
    assert out["nested"].to_list()[:2] == ['{"k": 1}', '{"k": 2}']
    assert out["n"].dtype == pl.Int64 and out["g2"].dtype == pl.Float64  # still sortable numbers


def test_pandas_index_is_kept_and_bad_input_refused(tmp_path):
    frame = pd.DataFrame({"n": [3, 4]}, index=pd.Index(["x", "y"], name="term"))
    csv, _ = write_table(frame, tmp_path, "t")
    assert csv.read_text().splitlines() == ["term,n", "x,3", "y,4"]
    with pytest.raises(TypeError, match="a table must be a polars or pandas DataFrame"):
        TableDisplay().html("not a table")


FORMULAS = ['=HYPERLINK("http://example.invalid/x","click")', "=cmd|' /C calc'!A0", "@SUM(1+1)",
            "+1+2", "-2+3", "\tTAB", "\rCR"]


def test_csv_cells_and_names_that_spreadsheets_run_are_neutralised(tmp_path):
    table = pl.DataFrame({"outlet": FORMULAS, "n": [-1, 2, 3, 4, 5, 6, 7],
                          "=x": ["plain"] * 7})
    csv, parquet = write_table(table, tmp_path, "t")
    import csv as csvlib

    with csv.open(encoding="utf-8", newline="") as f:
        rows = list(csvlib.reader(f))
    assert rows[0] == ["outlet", "n", "'=x"]
    assert [r[0] for r in rows[1:]] == ["'" + v for v in FORMULAS]
    assert [r[1] for r in rows[1:]] == ["-1", "2", "3", "4", "5", "6", "7"]  # numbers stay
    assert pl.read_parquet(parquet).equals(table)  # the true values


def test_no_report_csv_starts_a_cell_with_a_formula(tmp_path):
    """Every CSV beside every report, on a corpus whose outlets, titles and metadata are
    formulas: nothing a spreadsheet would run, the Parquet files keep the true values."""
    import csv as csvlib
    import shutil

    from analysis import report
    from analysis.config import METADATA_CSV, RAW_DIR

    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    lines = METADATA_CSV.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0] + ",desk", []
    for i, line in enumerate(lines[1:]):
        row = next(csvlib.reader([line]))
        row[1] = FORMULAS[i % 2]  # title
        row[2] = FORMULAS[i % 3]  # outlet
        row.append(FORMULAS[(i + 2) % len(FORMULAS)].strip())  # a metadata column
        rows.append(row)
    meta = tmp_path / "metadata.csv"
    with meta.open("w", encoding="utf-8", newline="") as f:
        w = csvlib.writer(f)
        w.writerow(header.split(","))
        w.writerows(rows)
    out = tmp_path / "out"
    results = report.build_reports([str(raw)], metadata_path=str(meta), out_dir=out,
                                   log=lambda *_: None, jobs=2)
    assert all(r.status == "rendered" for r in results), [(r.name, r.error) for r in results]
    csvs = sorted(out.glob("*_tables/*.csv"))
    assert csvs
    seen = 0
    for path in csvs:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csvlib.reader(f):
                for cell in row:
                    try:
                        float(cell)  # a number ("-0.5") is not run as a formula
                        continue
                    except ValueError:
                        pass
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path, cell)
                    seen += cell.startswith("'=HYPERLINK")
    assert seen  # the outlet survived, neutralised
    raw_values = set()
    for path in out.glob("*_tables/*.parquet"):
        for col, dtype in pl.read_parquet(path).schema.items():
            if dtype == pl.String:
                raw_values |= set(pl.read_parquet(path)[col].drop_nulls().to_list())
    assert FORMULAS[0] in raw_values
