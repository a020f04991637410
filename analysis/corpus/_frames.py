"""Parquet files and data frames as sources, read column by column.

:func:`frame_records` gives exactly the records, skips and notes of
:func:`analysis.corpus._tables.table_records` over the frame's rows, without turning every row
into a dictionary first: the checks on the text column (empty, too big, NUL characters) are
polars expressions and metadata columns are converted a column at a time. Frames it cannot
read that way (nested columns, a text column that is not text) go through the row path.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from analysis.corpus._records import Collector, Record
from analysis.corpus._tables import (
    field_value,
    find_roles,
    frame_rows,
    note_columns,
    table_records,
)


def _values(column: pl.Series) -> list[Any]:
    """A metadata column as :func:`~analysis.corpus._tables.field_value` gives it, per value."""
    if column.dtype == pl.String:
        return pl.select(pl.when(column != "").then(column)).to_series().to_list()
    return [field_value(v) for v in column.to_list()]


def frame_records(
    frame: pl.DataFrame, col: Collector, *, label: str, stem: str, outlet_from_name: bool
) -> None:
    """The rows of ``frame`` as records in ``col`` (or skips): what
    :func:`~analysis.corpus._tables.table_records` gives for them, column by column.

    Examples
    --------
    >>> col = Collector()
    >>> frame_records(pl.DataFrame({"text": ["One.", " ", None], "title": ["T", "", "x"]}), col,
    ...               label="f", stem="f", outlet_from_name=False)
    >>> [(r.doc_id, r.raw, r.fields) for r in col.records]
    [('f:1', 'One.', {'title': 'T', 'outlet': None})]
    >>> col.skipped
    [('f:2', "empty text in column 'text'"), ('f:3', "empty text in column 'text'")]
    """
    flat = frame.height and not any(isinstance(t, pl.Struct) for t in frame.schema.values())
    roles = find_roles(frame.columns, col.columns) if flat else {}
    text_col = roles.get("text")
    if (not flat or text_col is None or frame.schema[text_col] not in (pl.String, pl.Null)
            or any(c.startswith(f"{text_col}.") for c in frame.columns)):
        table_records(frame_rows(frame.iter_rows(named=True)), col, label=label, stem=stem,
                      outlet_from_name=outlet_from_name)
        return
    extra = note_columns(col, label, roles, frame.columns, stem=stem,
                         outlet_from_name=outlet_from_name)
    text = frame[text_col].cast(pl.String)
    checks = pl.DataFrame({"text": text}).select(
        empty=pl.col("text").is_null() | pl.col("text").str.contains(r"^[\s\x1c-\x1f]*$"),
        size=pl.col("text").str.len_bytes(),
        nuls=pl.col("text").str.count_matches("\x00", literal=True),
    )
    empty = checks["empty"].fill_null(True).to_list()
    sizes = checks["size"].to_list()
    nuls = checks["nuls"].fill_null(0).to_list()
    if any(nuls):
        text = text.str.replace_all("\x00", "", literal=True)
    fields: list[tuple[str, list[Any]]] = [(c, _values(frame[c])) for c in extra]
    for role in ("title", "outlet"):
        name = roles[role]
        fields.append((role, _values(frame[name]) if name else [None] * frame.height))
    if roles["outlet"] is None and outlet_from_name:
        fields[-1] = ("outlet", [stem] * frame.height)
    if roles["published"]:
        fields.append(("published", [v if isinstance(v, date) else field_value(v)
                                     for v in frame[roles["published"]].to_list()]))
    ids = _values(frame[roles["doc_id"]]) if roles["doc_id"] else [None] * frame.height
    names = [name for name, _ in fields]
    rows = zip(text.to_list(), ids, *(values for _, values in fields), strict=True)
    for number, (body, id_value, *values) in enumerate(rows, start=1):
        source = f"{label}:{number}"
        if empty[number - 1]:
            col.skip(source, f"empty text in column {text_col!r}")
            continue
        if sizes[number - 1] > col.max_bytes:
            col.skip(source, f"text of {sizes[number - 1]:,} bytes, above the max_bytes limit of "
                             f"{col.max_bytes:,}")
            continue
        n = nuls[number - 1]
        notes = [f"{n} NUL byte{'s' if n > 1 else ''} removed"] if n else []
        col.records.append(Record(id_value or f"{stem}:{number}", body, source, "utf-8",
                                  dict(zip(names, values, strict=True)), date_group=label,
                                  notes=notes))
