"""Charts of :func:`analysis.timeline` tables: documents per period, term trends."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from analysis.engine._frames import require_columns, to_polars

if TYPE_CHECKING:
    import altair as alt


def plot_documents(
    table: Any, *, by: str | None = None, title: str = "Documents per period"
) -> alt.Chart:
    """Bars of documents per period, stacked by group (e.g. outlet).

    Parameters
    ----------
    table
        The output of :func:`analysis.timeline` (without ``terms``, or with: one row per term is
        reduced to one per period and group).
    by
        The group column to stack and colour by; default: the column :func:`analysis.timeline` was
        split by, if any.
    title
        Chart title.

    Returns
    -------
    alt.Chart
        Bars: period on x, documents on y; tooltip with period, group, documents, tokens.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> t = pl.DataFrame({"period": [date(2023, 1, 1), date(2023, 2, 1)], "outlet": ["a", "b"],
    ...                   "n_docs": [2, 0], "n_tokens": [10, 0]})
    >>> plot_documents(t).to_dict()["mark"]["type"]
    'bar'
    """
    import altair as alt

    t = to_polars(table, what="plot_documents()'s table")
    require_columns(t, ["period", "n_docs", "n_tokens"], what="timeline table")
    if by is None:
        extra = [c for c in t.columns if c not in {
            "period", "n_docs", "n_tokens", "term", "count", "per_1k", "docs_with_term",
            "share_docs"}]
        by = extra[0] if extra else None
    keys = ["period"] + ([by] if by else [])
    t = t.unique(keys, keep="first").sort(keys).select([*keys, "n_docs", "n_tokens"])
    # each bar spans its period: from its first day to the next period's first day
    periods = t["period"].unique().sort()
    if periods.len() > 1:
        last_step = periods[-1] - periods[-2]
        nxt = pl.DataFrame({"period": periods, "period_end": periods.shift(-1)}).with_columns(
            pl.col("period_end").fill_null(pl.col("period") + last_step))
    else:
        nxt = pl.DataFrame({"period": periods}).with_columns(
            period_end=pl.col("period") + pl.duration(days=1))
    t = t.join(nxt, on="period", how="left").sort(keys)
    # stacked by hand (Vega-Lite does not stack bars that have x2)
    t = t.with_columns(top=pl.col("n_docs").cum_sum().over("period")).with_columns(
        bottom=pl.col("top") - pl.col("n_docs"))
    enc: dict[str, Any] = {
        "x": alt.X("period:T", title="Period", axis=alt.Axis(format="%b %Y", labelAngle=-40)),
        "x2": alt.X2("period_end:T"),
        "y": alt.Y("bottom:Q", title="Documents", axis=alt.Axis(tickMinStep=1, format="d")),
        "y2": alt.Y2("top:Q"),
        "tooltip": [alt.Tooltip("period:T", title="period", format="%Y-%m-%d"),
                    *([alt.Tooltip(f"{by}:N")] if by else []),
                    alt.Tooltip("n_docs:Q", title="documents"),
                    alt.Tooltip("n_tokens:Q", title="tokens")],
    }
    if by:
        enc["color"] = alt.Color(f"{by}:N", title=by)
    return alt.Chart(t.to_pandas(), title=title).mark_bar(stroke="white", strokeWidth=0.5).encode(
        **enc).properties(
        width=600, height=220
    )


def plot_trends(
    table: Any,
    *,
    measure: str = "per_1k",
    columns: int = 3,
    title: str = "Term trends",
) -> alt.Chart:
    """Small multiples, one panel per traced term: its frequency per period.

    Parameters
    ----------
    table
        The output of :func:`analysis.timeline` with ``terms`` (and optionally ``by``: one
        line per group).
    measure
        The plotted column: ``"per_million"`` (per million tokens, the unit of every term
        table; computed from ``count`` and ``n_tokens``), ``"per_1k"`` (per thousand tokens,
        the timeline's own column, kept as the default while the reports' pages must not
        change), ``"count"`` or ``"share_docs"``.
    columns
        Panels per row.
    title
        Chart title.

    Returns
    -------
    alt.Chart
        Lines with points, one panel per term; tooltip with period, term, count, per 1,000
        tokens, documents with the term and share of documents.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> t = pl.DataFrame({"period": [date(2023, 1, 1)] * 2, "n_docs": [1, 1],
    ...     "n_tokens": [10, 10], "term": ["putin", "xi"], "count": [1, 2],
    ...     "per_1k": [100.0, 200.0], "docs_with_term": [1, 1], "share_docs": [1.0, 1.0]})
    >>> sorted(plot_trends(t).to_dict()["facet"])
    ['field', 'title', 'type']
    """
    import altair as alt

    if measure not in {"per_million", "per_1k", "count", "share_docs"}:
        raise ValueError("measure must be 'per_million', 'per_1k', 'count' or 'share_docs'; "
                         f"got {measure!r}")
    t = to_polars(table, what="plot_trends()'s table")
    if measure == "per_million" and "per_million" not in t.columns:
        require_columns(t, ["count", "n_tokens"], what="timeline table with terms")
        t = t.with_columns(per_million=pl.when(pl.col("n_tokens") > 0)
                           .then(1e6 * pl.col("count") / pl.col("n_tokens")).otherwise(0.0))
    require_columns(t, ["period", "term", "count", "per_1k", "docs_with_term", "share_docs"],
                    what="timeline table with terms")
    extra = [c for c in t.columns if c not in {
        "period", "n_docs", "n_tokens", "term", "count", "per_1k", "docs_with_term",
        "share_docs", "per_million"}]
    by = extra[0] if extra else None
    labels = {"per_1k": "per 1,000 tokens", "count": "occurrences", "share_docs": "share of docs",
              "per_million": "per million tokens"}
    enc: dict[str, Any] = {
        "x": alt.X("period:T", title="Period", axis=alt.Axis(format="%b %Y", labelAngle=-40)),
        "y": alt.Y(f"{measure}:Q", title=labels[measure]),
        "tooltip": [alt.Tooltip("period:T", format="%Y-%m-%d"), alt.Tooltip("term:N"),
                    *([alt.Tooltip(f"{by}:N")] if by else []),
                    alt.Tooltip("count:Q", title="occurrences"),
                    alt.Tooltip("per_1k:Q", title="per 1,000 tokens", format=".2f"),
                    alt.Tooltip("docs_with_term:Q", title="documents with term"),
                    alt.Tooltip("share_docs:Q", title="share of documents", format=".1%")],
    }
    if by:
        enc["color"] = alt.Color(f"{by}:N")
    return (
        alt.Chart(t.sort("term", "period").to_pandas())
        .mark_line(point=True)
        .encode(**enc)
        .properties(width=200, height=120)
        .facet(facet=alt.Facet("term:N", title=None), columns=columns, title=title)
    )
