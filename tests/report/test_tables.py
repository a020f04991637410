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
