"""Tables in reports: complete, searchable, sortable, paginated offline, and saved as files.

:func:`display_table` turns a polars or pandas table into report HTML with `itables
<https://mwouts.github.io/itables/>`_ in its offline mode (the DataTables bundle of the
installed ``itables`` package is inlined once per page, base64-encoded; nothing is loaded from
the network). Every row is included (no downsampling) up to :data:`DISPLAY_ROWS`; a longer
table shows its first :data:`DISPLAY_ROWS` rows and says so, next to the links to the complete
files (a page must stay readable on a 100,000-article corpus). Numbers are rounded for reading
(:func:`for_display`), lists are joined with ``"; "``. When a folder is given, the complete table
is also written there as CSV and Parquet (:func:`write_table`) and the HTML links to both.

CSV files are opened by spreadsheets, which run a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``):
text from a corpus (outlets, titles, actors, metadata) could then act on the reader's machine.
Every text cell and column name of a CSV the project writes that starts with one of those
characters is therefore written with a leading ``'`` (OWASP's advice for CSV injection,
:func:`neutralise_formulas`); numbers stay numbers, and the Parquet file keeps the true value.

Element ids are numbered in display order (``analysis-table-01``), so the same notebook on the
same corpus gives the same HTML.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import polars as pl

__all__ = ["TableDisplay", "display_table", "for_display", "neutralise_formulas", "write_table"]

LIST_SEPARATOR = "; "

DISPLAY_ROWS = 20_000
"""Most rows a table shows in a page; the complete table is in the CSV and Parquet files."""

_LOGO_LINK = re.compile(r"<a href=https://itables\.org/>.*?</a>", re.DOTALL)
_HELP_LINK = re.compile(r"<a href=https://itables\.org/[^>]*>(.*?)</a>", re.DOTALL)


def _as_polars(table: Any) -> pl.DataFrame:
    if isinstance(table, pl.DataFrame):
        return table
    import pandas as pd

    if isinstance(table, pd.DataFrame):
        frame = table.reset_index() if not isinstance(table.index, pd.RangeIndex) else table
        return pl.from_pandas(frame.rename(columns=str))
    raise TypeError(f"a table must be a polars or pandas DataFrame, got {type(table).__name__}")


def for_display(table: Any) -> pl.DataFrame:
    """The table as it is shown: floats rounded, lists joined, nested values as JSON.

    Floats of magnitude 1 or more keep 2 decimals, smaller ones 4 significant digits (so
    ``23266.635644`` shows as ``23266.64`` and ``3.405782e-08`` as ``3.406e-08``); the numbers
    stay numbers, so columns still sort numerically. Lists of scalars are joined with ``"; "``;
    structs and nested lists become JSON text.

    Examples
    --------
    >>> t = pl.DataFrame({"x": [23266.635644, 3.405782e-08], "ids": [["a", "b"], []]})
    >>> for_display(t).rows()
    [(23266.64, 'a; b'), (3.406e-08, '')]
    """
    frame = _as_polars(table)
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype.is_float():
            exprs.append(pl.when(col.abs() >= 1).then(col.round(2))
                         .otherwise(col.round_sig_figs(4)).alias(name))
        elif isinstance(dtype, (pl.List, pl.Array)) and not dtype.inner.is_nested():
            exprs.append(col.cast(pl.List(pl.String)).list.join(LIST_SEPARATOR).alias(name))
        elif dtype.is_nested() or dtype == pl.Object:
            exprs.append(col.map_elements(
                lambda v: json.dumps(v, ensure_ascii=False, default=str, sort_keys=True),
                return_dtype=pl.String).alias(name))
    return frame.with_columns(exprs) if exprs else frame


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula (OWASP)."""


def _neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def neutralise_formulas(table: pl.DataFrame) -> pl.DataFrame:
    """The table with every text cell and column name that a spreadsheet would run as a formula
    (starting with ``=``, ``+``, ``-``, ``@``, tab or CR) prefixed with ``'``.

    Only text is changed: numeric columns keep their values (``-0.5`` stays a number).

    Examples
    --------
    >>> t = pl.DataFrame({"outlet": ["=HYPERLINK(1)", "BBC", "-2+3", None], "n": [-1, 2, 3, 4]})
    >>> neutralise_formulas(t).rows()
    [("'=HYPERLINK(1)", -1), ('BBC', 2), ("'-2+3", 3), (None, 4)]
    >>> neutralise_formulas(pl.DataFrame({"@sum": [1]})).columns
    ["'@sum"]
    """
    pattern = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_START) + "]"
    text = [n for n, t in table.schema.items() if t == pl.String]
    out = table.with_columns(
        pl.when(pl.col(n).str.contains(pattern)).then(pl.lit("'") + pl.col(n))
        .otherwise(pl.col(n)).alias(n) for n in text)
    renamed = {n: _neutralise(n) for n in out.columns if _neutralise(n) != n}
    return out.rename(renamed) if renamed else out


def write_table(table: Any, folder: Path | str, stem: str) -> tuple[Path, Path]:
    """Write the complete table as ``<folder>/<stem>.csv`` and ``<stem>.parquet``.

    The Parquet file keeps the column types (lists stay lists) and the true values; the CSV
    holds what :func:`for_display` shows, without the rounding (lists joined, nested values as
    JSON), with text that a spreadsheet would run as a formula neutralised
    (:func:`neutralise_formulas`).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> csv, parquet = write_table(pl.DataFrame({"a": [1.5], "l": [["x", "y"]]}), folder, "t")
    >>> csv.read_text(encoding="utf-8")
    'a,l\\n1.5,x; y\\n'
    >>> pl.read_parquet(parquet)["l"].to_list()
    [['x', 'y']]
    """
    frame = _as_polars(table)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    flat = for_display(frame.with_columns(
        pl.col(n).cast(pl.String) for n, t in frame.schema.items() if t.is_float()))
    flat = flat.with_columns(pl.col(n).cast(pl.Float64) for n, t in frame.schema.items()
                             if t.is_float())
    csv, parquet = out / f"{stem}.csv", out / f"{stem}.parquet"
    neutralise_formulas(flat).write_csv(csv)
    try:
        frame.write_parquet(parquet)
    except Exception:  # an Object column: keep the flat version
        flat.write_parquet(parquet)
    return csv, parquet


class TableDisplay:
    """Shows tables as interactive offline HTML, numbering them, optionally saving each.

    Parameters
    ----------
    folder
        Where each displayed table is written as CSV and Parquet (``table-01.csv``, ...);
        ``None``: not written. The links in the HTML are ``<folder name>/<file>``, relative to
        the report, so ``folder`` should be a sub-folder of the report's folder.
    max_rows
        Most rows shown in the page (:data:`DISPLAY_ROWS`); a longer table shows its first
        ``max_rows`` and says so under it, and the files keep every row.

    Examples
    --------
    >>> shown = TableDisplay()
    >>> page = shown.html(pl.DataFrame({"term": ["<b>x</b>"], "n": [3]}))
    >>> "analysis-table-01" in page, "<b>x</b>" in page, "https://" in page
    (True, False, False)
    """

    def __init__(self, folder: Path | str | None = None, *,
                 max_rows: int = DISPLAY_ROWS) -> None:
        self.folder = Path(folder) if folder else None
        self.max_rows = max_rows
        self.count = 0
        self.initialised = False

    def html(self, table: Any) -> str:
        """The HTML for one table: the offline bundle (first table only), table, file links."""
        from itables import to_html_datatable

        self.count += 1
        stem = f"table-{self.count:02d}"
        frame = _as_polars(table)
        shown = for_display(frame.head(self.max_rows))
        parts = []
        if not self.initialised:
            parts.append(_init_html())
            self.initialised = True
        body = to_html_datatable(
            shown, connected=False, table_id=f"analysis-{stem}", maxBytes=0, showIndex=False,
            classes="display compact", lengthMenu=[10, 25, 100, 1000], pageLength=25,
            show_dtypes=False,
        )
        body = _HELP_LINK.sub(r"\1", _LOGO_LINK.sub("", body))
        parts.append(body)
        note = f"{frame.height:,} rows × {frame.width} columns"
        if frame.height > self.max_rows:
            note = f"the first {self.max_rows:,} of {note} are shown"
        if self.folder is not None:
            csv, parquet = write_table(frame, self.folder, stem)
            base = html.escape(self.folder.name)
            note += (f' · complete table: <a href="{base}/{html.escape(csv.name)}">CSV</a>, '
                     f'<a href="{base}/{html.escape(parquet.name)}">Parquet</a>')
        parts.append(f'<p class="analysis-table-note"><small>{note}</small></p>')
        return "\n".join(parts)


def _init_html() -> str:
    """The DataTables bundle shipped in the itables wheel, inlined (base64), no network."""
    import itables
    from itables.javascript import generate_init_offline_itables_html

    bundle = Path(itables.__file__).parent / "html" / "dt_bundle.js"
    text = generate_init_offline_itables_html(bundle)
    text = _HELP_LINK.sub(r"\1", _LOGO_LINK.sub("", text))
    return re.sub(r"<noscript>.*?</noscript>", "", text, flags=re.DOTALL)


def display_table(table: Any, *, folder: Path | str | None = None) -> str:
    """One table as offline interactive HTML (a one-off :class:`TableDisplay`)."""
    return TableDisplay(folder).html(table)
