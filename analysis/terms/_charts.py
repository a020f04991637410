"""Charts of term counts: the top terms per group and the most distinctive terms (tf-idf).

Both take the tables of :func:`analysis.term_frequency` and :func:`analysis.tf_idf` and return
Altair charts (never saved or displayed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import polars as pl

if TYPE_CHECKING:
    import altair as alt

from analysis.engine._frames import Frame, require_columns, to_polars
from analysis.engine._options import renamed
from analysis.terms._frequency import group_columns, infer_group


def _top_per_group(table: pl.DataFrame, group: str | None, value: str, top_n: int) -> pl.DataFrame:
    order = [value, "term"]
    if group is None:
        return table.sort(order, descending=[True, False]).head(top_n)
    ranked = table.sort([group, *order], descending=[False, True, False])
    return ranked.filter(pl.int_range(pl.len()).over(group) < top_n)


@renamed(top_n="top", value="measure")
def plot_top_terms(
    counts: Frame,
    *,
    top: int = 10,
    measure: Literal["n", "per_million"] = "n",
    by: str | None = None,
    columns: int = 3,
) -> alt.Chart:
    """Horizontal bars of the most frequent terms, one panel per group.

    Parameters
    ----------
    counts
        :func:`term_frequency` output (any grouping; ``by=None`` gives one panel).
    top
        Terms per group (ties broken alphabetically).
    measure
        Bar length: raw count ``n`` or ``per_million`` (comparable across groups).
    by
        The group column to facet by; inferred (none when ``counts`` has no group column).
    columns
        Panels per row.

    Returns
    -------
    alt.Chart
        Tooltips show group, term, n, per_million, docfreq and rank.

    Examples
    --------
    >>> import polars as pl
    >>> counts = pl.DataFrame({"outlet": ["A", "A", "B"], "term": ["x", "y", "x"],
    ...                        "n": [3, 1, 2], "per_million": [7.5e5, 2.5e5, 1e6],
    ...                        "docfreq": [1, 1, 1], "rank": [1, 2, 1]})
    >>> type(plot_top_terms(counts)).__name__
    'FacetChart'
    """
    import altair as alt

    table = to_polars(counts, what="plot_top_terms()'s counts")
    require_columns(table, ["term", measure], what="counts")
    groups = group_columns(table)
    group = by if by is not None else (groups[0] if len(groups) == 1 else None)
    if by is None and len(groups) > 1:
        raise ValueError(f"counts has several group columns {groups}; say which with by=...")
    data = _top_per_group(table, group, measure, top)
    tips = [c for c in [group, "term", "n", "per_million", "docfreq", "rank"]
            if c is not None and c in data.columns]
    tooltip = [alt.Tooltip(f"{c}:Q" if data.schema[c].is_numeric() else f"{c}:N",
                           format=",.1f" if c == "per_million" else "") for c in tips]
    base = alt.Chart(data).mark_bar().encode(
        x=alt.X(f"{measure}:Q", title="occurrences" if measure == "n" else "per million tokens"),
        y=alt.Y("term:N", sort="-x", title=None),
        tooltip=tooltip,
    ).properties(width=220, height=alt.Step(14))
    if group is None:
        return base.properties(title=f"Top {top} terms")
    return base.facet(
        facet=alt.Facet(f"{group}:N", title=group), columns=columns
    ).resolve_scale(y="independent").properties(title=f"Top {top} terms by {group}")


@renamed(top_n="top")
def plot_tf_idf(table: Frame, *, top: int = 10, document: str | None = None,
                columns: int = 3) -> alt.Chart:
    """Bars of the terms with the highest tf-idf in each document (or group).

    Parameters
    ----------
    table
        :func:`tf_idf` output.
    top
        Terms per document (ties broken alphabetically).
    document
        The document column; default ``doc_id`` or the only group column.
    columns
        Panels per row.

    Returns
    -------
    alt.Chart
        One panel per document; tooltips show n, tf, idf and tf_idf. Terms whose tf-idf is 0
        (used by every document or group) are not drawn: with a single group nothing is
        distinctive, and the title says so.

    Examples
    --------
    >>> import polars as pl
    >>> from analysis.terms._frequency import tf_idf
    >>> t = tf_idf(pl.DataFrame({"doc_id": ["a", "a", "b"], "term": ["x", "y", "y"],
    ...                          "n": [2, 1, 1]}))
    >>> type(plot_tf_idf(t)).__name__
    'FacetChart'
    """
    import altair as alt

    data = to_polars(table, what="plot_tf_idf()'s table")
    require_columns(data, ["term", "n", "tf", "idf", "tf_idf"], what="tf-idf table")
    doc = infer_group(data, document, what="tf-idf table", prefer="doc_id")
    data = _top_per_group(data.filter(pl.col("tf_idf") > 0), doc, "tf_idf", top)
    title = (f"Top {top} terms by tf-idf" if data.height else
             "No distinctive terms: tf-idf needs at least two groups (every term here has idf 0)")
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("tf_idf:Q", title="tf-idf"),
        y=alt.Y("term:N", sort="-x", title=None),
        tooltip=[alt.Tooltip(f"{doc}:N"), alt.Tooltip("term:N"), alt.Tooltip("n:Q"),
                 alt.Tooltip("tf:Q", format=".4f"), alt.Tooltip("idf:Q", format=".4f"),
                 alt.Tooltip("tf_idf:Q", format=".4f")],
    ).properties(width=220, height=alt.Step(14)).facet(
        facet=alt.Facet(f"{doc}:N", title=doc), columns=columns
    ).resolve_scale(y="independent").properties(title=title)
