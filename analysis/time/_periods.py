"""Publication periods: date limits, the period of each dated document, counts per period.

The documents-and-tokens part of :func:`analysis.timeline` is one per-batch function and an
associative combine, shared by the local verb and the Dask path
(:func:`analysis.scale._dask.timeline_counts`): :func:`period_table` gives the period (and group)
of each dated document, :func:`period_counts` counts one batch of whole documents,
:func:`combine_period_counts` adds two batches and :func:`period_grid` finishes the complete
period grid, empty periods as zeros. :func:`published_between` keeps the documents of a date
range.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, cast

import polars as pl

from analysis.engine._batches import document_batches
from analysis.engine._frames import MISSING_GROUP, require_columns, tidy, with_counts

_EVERY_PATTERN = re.compile(r"^[1-9]\d*(d|w|mo|q|y)$")


def check_every(every: str) -> None:
    """Refuse a period length that is not a polars calendar duration (``"1d"``, ``"2w"``, ...).

    Examples
    --------
    >>> check_every("1mo")
    >>> check_every("month")
    Traceback (most recent call last):
    ...
    ValueError: every must be a polars calendar duration such as '1d', ... got 'month'
    """
    if not isinstance(every, str) or not _EVERY_PATTERN.match(every):
        raise ValueError(
            f"every must be a polars calendar duration such as '1d', '1w', '1mo', '1q' or '1y'; "
            f"got {every!r}"
        )


DateSpec = date | str | None
"""A day: a ``datetime.date``, an ISO string (``"2023-01-31"``), or ``None`` / ``""`` (no limit)."""


def as_date(value: DateSpec, what: str) -> date | None:
    """``None`` for no limit, else the day ``value`` names (ISO strings are parsed).

    ``what`` names the option in the error message.

    Examples
    --------
    >>> as_date("2023-01-31", "start")
    datetime.date(2023, 1, 31)
    >>> as_date(" ", "end") is None
    True
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"{what} must be an ISO date such as '2023-01-31' or empty, got {value!r}"
            ) from None
    raise ValueError(f"{what} must be a date, an ISO date string or empty, got {value!r}")


@tidy
def published_between(
    docs: Any, *, start: DateSpec = None, end: DateSpec = None, date_column: str = "published"
) -> Any:
    """The documents published from ``start`` to ``end`` (inclusive); undated ones are kept.

    Parameters
    ----------
    docs
        Documents (``Corpus.docs`` or any table with the ``date_column``).
    start, end
        First and last publication day to keep: a date or an ISO string; ``None`` or ``""``:
        no limit on that side.
    date_column
        The publication date column (``pl.Date`` or datetime).

    Returns
    -------
    DataFrame
        The rows of ``docs`` whose date lies in ``[start, end]``, plus the rows without a date
        (their mentions of absolute dates still count), same columns and order.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c"],
    ...                      "published": [date(2023, 1, 5), None, date(2023, 3, 2)]})
    >>> published_between(docs, start="2023-02-01")["doc_id"].to_list()
    ['b', 'c']
    >>> published_between(docs, start="", end=date(2023, 1, 5))["doc_id"].to_list()
    ['a', 'b']
    """
    lo = as_date(start, "start")
    hi = as_date(end, "end")
    require_columns(docs, [date_column], what="docs")
    dtype = docs.schema[date_column]
    if not (dtype == pl.Date or isinstance(dtype, pl.Datetime)):
        raise ValueError(f"docs column {date_column!r} must hold dates, found {dtype}")
    day = pl.col(date_column).cast(pl.Date)
    keep = pl.lit(True)
    if lo is not None:
        keep = keep & (day >= lo)
    if hi is not None:
        keep = keep & (day <= hi)
    return docs.filter(day.is_null() | keep)



# --------------------------------------------------------------------------------------------
# documents and tokens per period: per batch (period_counts), combined, finished (period_grid);
# timeline() and analysis.scale._dask.timeline_counts call these


def period_table(docs: pl.DataFrame, *, every: str, by: str | None, date_column: str,
                 start: date | None = None, end: date | None = None) -> pl.DataFrame:
    """``doc_id``, ``__date``, ``period`` (and ``by``, missing as ``"(none)"``) of the dated
    documents published from ``start`` to ``end``."""
    cols = ["doc_id", date_column] + ([by] if by else [])
    require_columns(docs, cols, what="docs")
    meta = docs.select(cols).unique("doc_id", keep="first", maintain_order=True)
    dtype = meta.schema[date_column]
    if dtype == pl.String:
        raise ValueError(f"docs column {date_column!r} holds strings; parse it to dates first")
    if not (dtype == pl.Date or isinstance(dtype, pl.Datetime)):
        raise ValueError(f"docs column {date_column!r} must hold dates, found {dtype}")
    meta = meta.with_columns(pl.col(date_column).cast(pl.Date).alias("__date"))
    meta = meta.filter(pl.col("__date").is_not_null())
    if by:
        meta = meta.with_columns(pl.col(by).cast(pl.String).fill_null(MISSING_GROUP))
    if start is not None:
        meta = meta.filter(pl.col("__date") >= start)
    if end is not None:
        meta = meta.filter(pl.col("__date") <= end)
    return meta.with_columns(period=pl.col("__date").dt.truncate(every))


def period_counts(periods: pl.DataFrame, tokens: pl.DataFrame, *,
                  by: str | None) -> pl.DataFrame:
    """Documents and word tokens per period (and group) of one batch of whole documents:
    ``period``, ``by``, ``n_docs``, ``n_tokens`` (Int64). ``periods`` is
    :func:`period_table`, ``tokens`` a token or count table (``doc_id``, ``is_punct``).

    Examples
    --------
    >>> from datetime import date
    >>> periods = pl.DataFrame({"doc_id": ["a", "b"], "period": [date(2023, 1, 1)] * 2})
    >>> toks = pl.DataFrame({"doc_id": ["a", "a", "b"], "n": [2, 1, 4],
    ...                      "is_punct": [False, True, False]})
    >>> period_counts(periods, toks, by=None).rows()
    [(datetime.date(2023, 1, 1), 2, 6)]
    """
    keys = ["period"] + ([by] if by else [])

    def doc_tokens(batch: pl.DataFrame) -> pl.DataFrame:
        counted = batch.select("doc_id", "is_punct", *(["n"] if "n" in batch.columns else []))
        return (with_counts(counted).filter(~pl.col("is_punct")).group_by("doc_id")
                .agg(pl.col("n").sum().alias("__ntok")))

    # word tokens per document, a batch of whole documents at a time (no filtered copy of the
    # whole table); a document lies in one batch, so the batches' rows are concatenated
    n_tok = pl.concat([doc_tokens(b) for b in document_batches(tokens)] or [doc_tokens(tokens)])
    per_doc = periods.select("doc_id", *keys).join(n_tok, on="doc_id", how="left")
    return per_doc.group_by(keys).agg(
        n_docs=pl.len().cast(pl.Int64), n_tokens=pl.col("__ntok").fill_null(0).sum().cast(pl.Int64)
    )


def combine_period_counts(a: pl.DataFrame, b: pl.DataFrame) -> pl.DataFrame:
    """Add two batches' :func:`period_counts` (associative, commutative)."""
    keys = [c for c in a.columns if c not in ("n_docs", "n_tokens")]
    return pl.concat([a, b]).group_by(keys).agg(pl.col("n_docs", "n_tokens").sum())


def period_grid(counts: pl.DataFrame, *, every: str, by: str | None,
                start: date | None = None, end: date | None = None) -> pl.DataFrame:
    """The complete grid of periods (x groups) from ``start`` (default: the first period) to
    ``end`` (default: the last) with the summed :func:`period_counts`, empty ones as zeros
    (UInt32); sorted by period and group."""
    keys = ["period"] + ([by] if by else [])
    lo = start if start is not None else cast("date | None", counts["period"].min())
    hi = end if end is not None else cast("date | None", counts["period"].max())
    if lo is None or hi is None:
        grid = pl.DataFrame(schema={"period": pl.Date})
    else:
        lo_p = pl.Series([lo], dtype=pl.Date).dt.truncate(every)[0]
        grid = pl.DataFrame(
            {"period": pl.date_range(lo_p, hi, interval=every, eager=True)}
        ).with_columns(pl.col("period").cast(pl.Date))
    if by:
        group_values = pl.DataFrame({by: sorted(counts[by].unique().to_list())},
                                    schema={by: pl.String})
        grid = grid.join(group_values, how="cross")
    return grid.join(counts, on=keys, how="left").with_columns(
        pl.col("n_docs", "n_tokens").fill_null(0).cast(pl.UInt32)
    ).sort(keys)
