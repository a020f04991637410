"""Who copies whom: tables built on the clusters of :func:`analysis.near_duplicates`.

A *copy* is a document of a near-duplicate cluster that is not the cluster's first document
(the earliest published, ties by ``doc_id``); the first document is the *original*. Counting
"each cluster once" means keeping the originals and dropping the copies (:func:`drop_copies`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import polars as pl

from analysis.copies._dedup import duplicate_copies
from analysis.engine._frames import require_columns, tidy, to_polars
from analysis.time._timeline import timeline

if TYPE_CHECKING:
    import altair as alt

CLUSTER_COLUMNS = ("cluster_id", "doc_id", "is_first")
"""The columns of a clusters table these verbs need (:func:`analysis.near_duplicates`)."""
MISSING = "(none)"


def _clusters(clusters: Any) -> pl.DataFrame:
    table = to_polars(clusters, what="clusters")
    require_columns(table, CLUSTER_COLUMNS, what="clusters")
    return table.with_columns(pl.col("doc_id").cast(pl.String))


def _copies(docs: pl.DataFrame, clusters: Any) -> pl.DataFrame:
    """``doc_id`` -> ``is_copy`` for every document of ``docs`` (a non-first cluster member).

    What counts as a copy is decided in one place, :func:`analysis.copies._dedup.duplicate_copies`
    (here with the clusters only: exact copies are in the clusters too).
    """
    ids = pl.DataFrame({"doc_id": docs["doc_id"].cast(pl.String)})
    copies = cast("pl.DataFrame", duplicate_copies(ids, clusters=_clusters(clusters)))
    return ids.with_columns(is_copy=pl.col("doc_id").is_in(copies["doc_id"].implode()))


@tidy
def drop_copies(docs: pl.DataFrame, clusters: Any) -> pl.DataFrame:
    """The documents with every copy removed: each cluster counts once (its first document).

    Parameters
    ----------
    docs
        Documents with ``doc_id``.
    clusters
        :func:`analysis.near_duplicates` output (``cluster_id``, ``doc_id``, ``is_first``).

    Returns
    -------
    DataFrame
        ``docs`` without the rows whose ``doc_id`` is a non-first member of a cluster; columns
        and row order unchanged.

    Examples
    --------
    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c"], "text": ["x", "x", "y"]})
    >>> clusters = pl.DataFrame({"cluster_id": [1, 1], "doc_id": ["a", "b"],
    ...                          "is_first": [True, False]})
    >>> drop_copies(docs, clusters)["doc_id"].to_list()
    ['a', 'c']
    """
    require_columns(docs, ["doc_id"], what="docs")
    keep = ~_copies(docs, clusters)["is_copy"]
    return docs.filter(keep)


@tidy
def syndication(docs: pl.DataFrame, clusters: Any) -> pl.DataFrame:
    """Who copies whom: one row per (outlet of the original, outlet of the copy).

    Parameters
    ----------
    docs
        Documents: ``doc_id``, ``outlet`` (missing: ``"(none)"``), ``published`` (optional).
    clusters
        :func:`analysis.near_duplicates` output.

    Returns
    -------
    DataFrame
        - ``source_outlet``: outlet of the clusters' first documents.
        - ``copier_outlet``: outlet of the copies (can equal ``source_outlet``: an outlet
          re-publishing its own story).
        - ``n_copies``: copies of ``source_outlet`` originals published by ``copier_outlet``.
        - ``median_lag_days``, ``min_lag_days``, ``max_lag_days``: days from the original's
          publication to the copy's, over the copies where both are dated (null when none is).
        - ``n_undated``: copies whose lag is unknown (the copy or the original is undated).
        - ``share_of_copier``: ``n_copies`` / documents of ``copier_outlet`` in ``docs``.
        - ``cluster_ids``: the clusters behind the row (sorted list).

        Sorted by ``n_copies`` descending, then the outlets.

    Examples
    --------
    >>> from datetime import date
    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c", "d"],
    ...                      "outlet": ["EFE", "Digest", "Digest", "EFE"],
    ...                      "published": [date(2024, 5, 15), date(2024, 5, 16),
    ...                                    date(2024, 5, 18), date(2024, 5, 15)]})
    >>> clusters = pl.DataFrame({"cluster_id": [1, 1, 2, 2], "doc_id": ["a", "b", "d", "c"],
    ...                          "is_first": [True, False, True, False]})
    >>> syndication(docs, clusters).select("source_outlet", "copier_outlet", "n_copies",
    ...                                    "median_lag_days", "cluster_ids")
    shape: (1, 5)
    ┌───────────────┬───────────────┬──────────┬─────────────────┬─────────────┐
    │ source_outlet ┆ copier_outlet ┆ n_copies ┆ median_lag_days ┆ cluster_ids │
    │ ---           ┆ ---           ┆ ---      ┆ ---             ┆ ---         │
    │ str           ┆ str           ┆ u32      ┆ f64             ┆ list[i64]   │
    ╞═══════════════╪═══════════════╪══════════╪═════════════════╪═════════════╡
    │ EFE           ┆ Digest        ┆ 2        ┆ 2.0             ┆ [1, 2]      │
    └───────────────┴───────────────┴──────────┴─────────────────┴─────────────┘
    """
    require_columns(docs, ["doc_id", "outlet"], what="docs")
    published = (pl.col("published").cast(pl.Date) if "published" in docs.columns
                 else pl.lit(None, dtype=pl.Date))
    meta = docs.select(pl.col("doc_id").cast(pl.String),
                       pl.col("outlet").cast(pl.String).fill_null(MISSING),
                       published.alias("published"))
    table = _clusters(clusters).select("cluster_id", "doc_id", "is_first").join(
        meta, on="doc_id", how="left")
    if table["outlet"].null_count():
        missing = table.filter(pl.col("outlet").is_null())["doc_id"].head(3).to_list()
        raise ValueError(f"clusters name documents that are not in docs, e.g. {missing}")
    firsts = table.filter("is_first").select(
        "cluster_id", source_outlet="outlet", source_published="published")
    sizes = meta.group_by("outlet").agg(n_docs=pl.len())
    lag = (pl.col("published") - pl.col("source_published")).dt.total_days()
    return (
        table.filter(~pl.col("is_first")).join(firsts, on="cluster_id")
        .with_columns(lag=lag)
        .group_by("source_outlet", pl.col("outlet").alias("copier_outlet"))
        .agg(n_copies=pl.len(), median_lag_days=pl.col("lag").median(),
             min_lag_days=pl.col("lag").min(), max_lag_days=pl.col("lag").max(),
             n_undated=pl.col("lag").null_count(),
             cluster_ids=pl.col("cluster_id").unique().sort())
        .join(sizes, left_on="copier_outlet", right_on="outlet")
        .with_columns(share_of_copier=pl.col("n_copies") / pl.col("n_docs"))
        .drop("n_docs")
        .sort(["n_copies", "source_outlet", "copier_outlet"], descending=[True, False, False])
    )


@tidy
def copy_share(docs: pl.DataFrame, clusters: Any, *, by: str = "outlet") -> pl.DataFrame:
    """How much of each group's output is copies.

    Parameters
    ----------
    docs
        Documents: ``doc_id`` and the ``by`` column (missing values: ``"(none)"``).
    clusters
        :func:`analysis.near_duplicates` output.
    by
        The document column to group by (``"outlet"``; ``"published"`` for days).

    Returns
    -------
    DataFrame
        One row per group: the ``by`` column, ``n_docs``, ``n_originals`` (first documents of
        a cluster), ``n_copies`` (other cluster members), ``share_copies``
        (``n_copies / n_docs``). Sorted by ``share_copies`` descending, then the group.

    Examples
    --------
    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "Y", "Y"]})
    >>> clusters = pl.DataFrame({"cluster_id": [1, 1], "doc_id": ["a", "b"],
    ...                          "is_first": [True, False]})
    >>> copy_share(docs, clusters)
    shape: (2, 5)
    ┌────────┬────────┬─────────────┬──────────┬──────────────┐
    │ outlet ┆ n_docs ┆ n_originals ┆ n_copies ┆ share_copies │
    │ ---    ┆ ---    ┆ ---         ┆ ---      ┆ ---          │
    │ str    ┆ u32    ┆ u32         ┆ u32      ┆ f64          │
    ╞════════╪════════╪═════════════╪══════════╪══════════════╡
    │ Y      ┆ 2      ┆ 0           ┆ 1        ┆ 0.5          │
    │ X      ┆ 1      ┆ 1           ┆ 0        ┆ 0.0          │
    └────────┴────────┴─────────────┴──────────┴──────────────┘
    """
    require_columns(docs, ["doc_id", by], what="docs")
    firsts = _clusters(clusters).filter("is_first")["doc_id"].implode()
    flags = _copies(docs, clusters)
    group = pl.col(by) if by == "published" else pl.col(by).cast(pl.String).fill_null(MISSING)
    return (
        docs.select(pl.col("doc_id").cast(pl.String), group)
        .join(flags, on="doc_id", how="left")
        .group_by(by)
        .agg(n_docs=pl.len(), n_originals=pl.col("doc_id").is_in(firsts).sum().cast(pl.UInt32),
             n_copies=pl.col("is_copy").sum().cast(pl.UInt32))
        .with_columns(share_copies=pl.col("n_copies") / pl.col("n_docs"))
        .sort(["share_copies", by], descending=[True, False], nulls_last=True)
    )


@tidy
def copy_coverage(docs: pl.DataFrame, clusters: Any, *, every: str = "1mo") -> pl.DataFrame:
    """Documents per period counted twice: all of them, and each cluster once.

    Parameters
    ----------
    docs
        Documents with ``doc_id`` and ``published`` (undated documents are left out, as in
        :func:`analysis.timeline`).
    clusters
        :func:`analysis.near_duplicates` output.
    every
        Period length (``"1d"``, ``"1w"``, ``"1mo"``, ...), as in :func:`analysis.timeline`.

    Returns
    -------
    DataFrame
        ``period``, ``counted`` (``"all documents"`` or ``"copies counted once"``), ``n_docs``;
        empty periods as zeros. Sorted by ``counted``, ``period``.

    Examples
    --------
    >>> from datetime import date
    >>> docs = pl.DataFrame({"doc_id": ["a", "b"], "text": ["x", "x"],
    ...                      "published": [date(2024, 5, 15), date(2024, 5, 16)]})
    >>> clusters = pl.DataFrame({"cluster_id": [1, 1], "doc_id": ["a", "b"],
    ...                          "is_first": [True, False]})
    >>> copy_coverage(docs, clusters, every="1mo")["n_docs"].to_list()
    [2, 1]
    """
    require_columns(docs, ["doc_id", "published"], what="docs")
    no_tokens = pl.DataFrame(schema={"doc_id": pl.String, "term": pl.String,
                                     "is_punct": pl.Boolean, "token_id": pl.Int64})
    meta = docs.select(pl.col("doc_id").cast(pl.String), "published")
    dated = meta["published"].drop_nulls()
    # one grid for both lines: the first to the last publication date of all documents
    start: Any = dated.cast(pl.Date).min() if len(dated) else None
    end: Any = dated.cast(pl.Date).max() if len(dated) else None
    frames = []
    for label, table in (("all documents", meta), ("copies counted once",
                                                  drop_copies(meta, clusters))):
        # an empty token table: timeline() counts documents only, without tokenizing
        per = timeline(no_tokens, docs=table, every=every, start=start, end=end)
        frames.append(per.select("period", "n_docs").with_columns(counted=pl.lit(label)))
    return pl.concat(frames).select("period", "counted", pl.col("n_docs").cast(pl.UInt32)).sort(
        "counted", "period")


@tidy
def largest_clusters(docs: pl.DataFrame, clusters: Any, *, top: int = 10,
                     chars: int = 160) -> pl.DataFrame:
    """The documents of the largest clusters, with the opening words of each.

    Parameters
    ----------
    docs
        Documents: ``doc_id``, ``text`` and optionally ``title``.
    clusters
        :func:`analysis.near_duplicates` output.
    top
        Clusters shown (the largest; ties by ``cluster_id``).
    chars
        Characters of each text shown (white space collapsed).

    Returns
    -------
    DataFrame
        The clusters' rows (all their columns), plus ``title`` (null when ``docs`` has none)
        and ``opening``: the first ``chars`` characters of the text. Sorted by cluster size
        descending, ``cluster_id``, then the cluster's own order.

    Examples
    --------
    >>> docs = pl.DataFrame({"doc_id": ["a", "b"], "text": ["Beijing,  May 15 (EFE).- Putin",
    ...                                                     "Putin"]})
    >>> clusters = pl.DataFrame({"cluster_id": [1, 1], "doc_id": ["a", "b"],
    ...                          "is_first": [True, False]})
    >>> largest_clusters(docs, clusters, chars=12)["opening"].to_list()
    ['Beijing, May', 'Putin']
    """
    require_columns(docs, ["doc_id", "text"], what="docs")
    if top < 1 or chars < 1:
        raise ValueError("top and chars must be positive")
    table = _clusters(clusters).with_row_index("_row")
    sizes = table.group_by("cluster_id").agg(_size=pl.len())
    chosen = sizes.sort(["_size", "cluster_id"], descending=[True, False]).head(top)
    title = pl.col("title").cast(pl.String) if "title" in docs.columns else pl.lit(
        None, dtype=pl.String)
    texts = docs.select(
        pl.col("doc_id").cast(pl.String), title.alias("title"),
        pl.col("text").cast(pl.String).fill_null("").str.replace_all(r"\s+", " ")
        .str.strip_chars().str.slice(0, chars).alias("opening"))
    return (
        table.join(chosen, on="cluster_id").join(texts, on="doc_id", how="left")
        .sort(["_size", "cluster_id", "_row"], descending=[True, False, False])
        .drop("_row", "_size")
    )


def plot_copy_share(
    share: Any, *, title: str = "Each outlet's documents: copies and originals",
) -> alt.Chart:
    """Bar chart of :func:`copy_share` (by outlet): copies and originals stacked per outlet."""
    import altair as alt

    table = to_polars(share, what="share")
    by = table.columns[0]
    long = table.select(by, "n_docs", pl.col("n_copies").alias("copies"),
                        (pl.col("n_docs") - pl.col("n_copies")).alias("not copies")).unpivot(
        ["copies", "not copies"], index=[by, "n_docs"], variable_name="kind", value_name="n")
    return alt.Chart(long.to_pandas(), title=title).mark_bar().encode(
        y=alt.Y(f"{by}:N", sort="-x", title=by),
        x=alt.X("n:Q", title="documents"),
        color=alt.Color("kind:N", title=""),
        tooltip=[by, "kind", "n", "n_docs"],
    )


def plot_copy_coverage(
    coverage: Any, *, title: str = "Documents per period, with and without copies",
) -> alt.Chart:
    """Line chart of :func:`copy_coverage`: one line per way of counting."""
    import altair as alt

    table = to_polars(coverage, what="coverage")
    return alt.Chart(table.to_pandas(), title=title).mark_line(point=True).encode(
        x=alt.X("period:T", title="period"),
        y=alt.Y("n_docs:Q", title="documents"),
        color=alt.Color("counted:N", title=""),
        tooltip=["period:T", "counted", "n_docs"],
    )
