"""What a corpus contains: documents per outlet, document lengths, and their charts.

Documents per period are :func:`analysis.timeline` and :func:`analysis.plot_documents`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    import altair as alt

from analysis.engine._frames import MISSING_GROUP, require_columns, tidy, to_polars
from analysis.engine._options import renamed


@tidy
def outlet_summary(docs: pl.DataFrame) -> pl.DataFrame:
    """One row per outlet: how many documents and words, and the dates they span.

    Parameters
    ----------
    docs
        ``Corpus.docs`` (needs ``outlet``, ``published``, ``n_words``).

    Returns
    -------
    DataFrame
        - ``outlet``: the outlet (``"(none)"`` where it is null);
        - ``n_docs``: documents;
        - ``n_words``: words in those documents;
        - ``first_published``, ``last_published``: earliest and latest publication date;
        - ``undated``: documents with no publication date.

        Sorted by ``n_docs`` descending, then outlet.

    Examples
    --------
    >>> import datetime as dt
    >>> docs = pl.DataFrame({"outlet": ["A", "B", "A"], "n_words": [10, 5, 7],
    ...                      "published": [dt.date(2024, 1, 2), None, dt.date(2023, 5, 1)]})
    >>> outlet_summary(docs)
    shape: (2, 6)
    ┌────────┬────────┬─────────┬─────────────────┬────────────────┬─────────┐
    │ outlet ┆ n_docs ┆ n_words ┆ first_published ┆ last_published ┆ undated │
    │ ---    ┆ ---    ┆ ---     ┆ ---             ┆ ---            ┆ ---     │
    │ str    ┆ u32    ┆ i64     ┆ date            ┆ date           ┆ u32     │
    ╞════════╪════════╪═════════╪═════════════════╪════════════════╪═════════╡
    │ A      ┆ 2      ┆ 17      ┆ 2023-05-01      ┆ 2024-01-02     ┆ 0       │
    │ B      ┆ 1      ┆ 5       ┆ null            ┆ null           ┆ 1       │
    └────────┴────────┴─────────┴─────────────────┴────────────────┴─────────┘
    """
    require_columns(docs, ["outlet", "published", "n_words"], what="docs")
    return (
        docs.with_columns(pl.col("outlet").fill_null(MISSING_GROUP))
        .group_by("outlet")
        .agg(
            n_docs=pl.len(),
            n_words=pl.col("n_words").sum(),
            first_published=pl.col("published").min(),
            last_published=pl.col("published").max(),
            undated=pl.col("published").is_null().sum(),
        )
        .sort(["n_docs", "outlet"], descending=[True, False])
    )


@tidy
def length_histogram(docs: pl.DataFrame, *, bins: int = 20) -> pl.DataFrame:
    """Documents binned by length in words (equal-width bins over the observed range).

    Returns
    -------
    DataFrame
        ``bin_start``, ``bin_end`` (words; a bin holds ``bin_start <= n_words < bin_end``, the
        last one also its end), ``n_docs``.

    Examples
    --------
    >>> length_histogram(pl.DataFrame({"n_words": [0, 5, 10]}), bins=2).rows()
    [(0.0, 5.0, 1), (5.0, 10.0, 2)]
    """
    require_columns(docs, ["n_words"], what="docs")
    words = docs["n_words"].drop_nulls().cast(pl.Float64)
    if words.is_empty():
        return pl.DataFrame(schema={"bin_start": pl.Float64, "bin_end": pl.Float64,
                                    "n_docs": pl.UInt32})
    lo, hi = float(words.min()), float(words.max())  # type: ignore[arg-type]
    width = (hi - lo) / bins if hi > lo else 1.0
    index = ((words - lo) / width).floor().clip(0, bins - 1).cast(pl.Int64)
    return (
        pl.DataFrame({"i": index})
        .group_by("i")
        .agg(n_docs=pl.len())
        .sort("i")
        .select(
            bin_start=lo + pl.col("i") * width,
            bin_end=lo + (pl.col("i") + 1) * width,
            n_docs=pl.col("n_docs"),
        )
    )


@renamed(top_n="top")
def plot_outlets(summary: Any, *, top: int = 20) -> alt.Chart:
    """Horizontal bars of documents per outlet, from :func:`outlet_summary`.

    At most ``top`` bars: the outlets with the most documents (ties by name), then one bar
    ``"other (k outlets)"`` adding up the rest, so a corpus of 244 outlets draws 21 bars.

    Examples
    --------
    >>> table = pl.DataFrame({"outlet": [f"o{i}" for i in range(30)], "n_docs": range(30),
    ...                       "n_words": range(30), "first_published": None,
    ...                       "last_published": None})
    >>> data = plot_outlets(table, top=5).to_dict()["datasets"]
    >>> [row["outlet"] for row in next(iter(data.values()))][-1]
    'other (25 outlets)'
    """
    import altair as alt

    table = to_polars(summary)
    ranked = table.sort(["n_docs", "outlet"], descending=[True, False])
    if ranked.height > top:
        rest = ranked.slice(top)
        other = pl.DataFrame({
            "outlet": [f"other ({rest.height} outlets)"],
            "n_docs": [int(rest["n_docs"].sum())],
            "n_words": [int(rest["n_words"].sum())],
        }).cast({"n_docs": ranked.schema["n_docs"], "n_words": ranked.schema["n_words"]})
        ranked = pl.concat([ranked.head(top), other], how="diagonal_relaxed")
    data = ranked.select("outlet", "n_docs", "n_words", "first_published",
                         "last_published").to_pandas()
    order = data["outlet"].tolist()
    return (
        alt.Chart(data, title="Documents per outlet")
        .mark_bar()
        .encode(
            x=alt.X("n_docs:Q", title="documents", axis=count_axis(int(data["n_docs"].max()))),
            y=alt.Y("outlet:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
            tooltip=["outlet", "n_docs", "n_words", "first_published", "last_published"],
        )
    )


def count_axis(largest: int) -> alt.Axis:
    """An axis of whole counts: one tick per value up to 10 (Vega would put ticks at halves).

    Examples
    --------
    >>> count_axis(2).to_dict()["values"]
    [0, 1, 2]
    """
    import altair as alt

    if largest <= 10:
        return alt.Axis(values=list(range(largest + 1)), format="d")
    return alt.Axis(tickMinStep=1, format="d")


def plot_length_histogram(hist: Any) -> alt.Chart:
    """Bars of documents per length bin, from :func:`length_histogram`."""
    import altair as alt

    data = to_polars(hist).to_pandas()
    return (
        alt.Chart(data, title="Document length")
        .mark_bar()
        .encode(
            x=alt.X("bin_start:Q", bin="binned", title="words per document"),
            x2="bin_end:Q",
            y=alt.Y("n_docs:Q", title="documents",
                    axis=count_axis(int(data["n_docs"].max()) if len(data) else 0)),
            tooltip=["bin_start", "bin_end", "n_docs"],
        )
    )
