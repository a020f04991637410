"""Chronologies from date mentions: the sentences behind them, referred dates, the chart.

:func:`date_sentences` adds each mention's sentence, :func:`events` gives one row per referred
date with the documents and sentences behind it, and :func:`plot_events` draws referred dates
against publication dates. The mentions come from :func:`analysis.time._dates.extract_dates`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

import polars as pl

from analysis.engine._batches import DOCS_PER_BATCH
from analysis.engine._frames import require_columns, tidy, to_polars
from analysis.tokens._bounds import sentence_bounds
from analysis.tokens._tokenize import tokenize

if TYPE_CHECKING:
    import altair as alt

GRANULARITY_ORDER = {"year": 0, "season": 1, "month": 2, "week": 3, "day": 4}
"""Granularities from coarsest to finest: the order of :func:`events` rows on the same date."""


def _sentences(docs: pl.DataFrame, text_column: str = "text",
               wanted: pl.DataFrame | None = None) -> pl.DataFrame:
    """``doc_id, sentence_id, sentence`` for every sentence (as :func:`analysis.tokenize`), or
    for the ``wanted`` ones only (a table of ``doc_id, sentence_id``).

    The sentences come from :func:`analysis.tokenize` passes over :data:`DOCS_PER_BATCH`
    documents at a time (a sentence runs from its first token's start to its last token's end),
    not from splitting each document in Python; only the bounds of the wanted sentences of a
    batch are kept, never the token table of every document.
    """
    schema = pl.Schema({"doc_id": pl.String, "sentence_id": pl.UInt32, "sentence": pl.String})
    texts = docs.select("doc_id", text=pl.col(text_column)).filter(
        pl.col("text").is_not_null() & (pl.col("text") != "")).unique("doc_id", keep="first")
    if texts.height == 0:
        return pl.DataFrame(schema=schema)
    keys = ["doc_id", "sentence_id"]
    parts = []
    for first in range(0, texts.height, DOCS_PER_BATCH):
        tokens = tokenize(texts.slice(first, DOCS_PER_BATCH), stopwords="none").select(
            "doc_id", "sentence_id", "start", "end")
        if wanted is not None:
            tokens = tokens.join(wanted, on=keys, how="semi")
        parts.append(sentence_bounds(tokens))
    return (
        pl.concat(parts).join(texts, on="doc_id", how="left")
        .select("doc_id", "sentence_id",
                sentence=pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")))
        .sort("doc_id", "sentence_id")
        .cast(schema)
    )


@tidy
def date_sentences(dates: pl.DataFrame, docs: Any, *, text_column: str = "text"
                      ) -> pl.DataFrame:
    """The mentions of :func:`analysis.extract_dates` with their sentence and document metadata.

    Parameters
    ----------
    dates
        The output of :func:`analysis.extract_dates`.
    docs
        The documents the dates were extracted from (``doc_id``, text; ``title`` and
        ``outlet`` are carried along when present).
    text_column
        The column holding the text.

    Returns
    -------
    DataFrame
        The columns of ``dates`` plus ``sentence`` (the sentence's text) and, when ``docs`` has
        them, ``title`` and ``outlet``; same row order.
    """
    doc_table = to_polars(docs, what="docs")
    require_columns(dates, ["doc_id", "sentence_id"], what="dates")
    require_columns(doc_table, ["doc_id", text_column], what="docs")
    wanted = doc_table.filter(pl.col("doc_id").is_in(dates["doc_id"].unique().implode()))
    keys = dates.select("doc_id", pl.col("sentence_id").cast(pl.UInt32, strict=False)).unique()
    sents = _sentences(wanted, text_column, wanted=keys)
    out = dates.join(sents, on=["doc_id", "sentence_id"], how="left", maintain_order="left")
    extra = [c for c in ("title", "outlet") if c in doc_table.columns and c not in out.columns]
    if extra:
        meta = doc_table.select("doc_id", *extra).unique("doc_id", keep="first")
        out = out.join(meta, on="doc_id", how="left", maintain_order="left")
    return out


@tidy
def events(dates: pl.DataFrame, docs: Any, *, text_column: str = "text",
           min_docs: int = 1) -> pl.DataFrame:
    """One row per distinct referred date: the sentences that mention it and the citing docs.

    Parameters
    ----------
    dates
        The output of :func:`analysis.extract_dates` (rows with a null ``date`` are left out).
    docs
        The documents (``doc_id`` and text).
    text_column
        The column holding the text.
    min_docs
        Keep only dates cited by at least this many documents.

    Returns
    -------
    DataFrame
        Sorted chronologically (by ``date``, then coarser granularity first):

        - ``date``, ``granularity``: the referred period.
        - ``n_mentions``: mentions of it.
        - ``n_docs``: documents citing it.
        - ``first_cited``, ``last_cited``: earliest and latest publication date (``anchor``)
          of the citing documents.
        - ``doc_ids``: the citing documents (sorted list).
        - ``mentions``: the distinct mention texts (sorted list).
        - ``sentences``: the distinct sentences mentioning it, in document and text order.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> docs = pl.DataFrame({"doc_id": ["a", "b"],
    ...     "published": [date(2024, 5, 16), date(2023, 3, 1)],
    ...     "text": ["The invasion began in February 2022. Talks on Thursday.",
    ...              "Since February 2022, war."]})
    >>> from analysis.time._dates import extract_dates
    >>> ev = events(extract_dates(docs), docs)
    >>> ev.select("date", "granularity", "n_docs", "doc_ids")
    shape: (2, 4)
    ┌────────────┬─────────────┬────────┬────────────┐
    │ date       ┆ granularity ┆ n_docs ┆ doc_ids    │
    │ ---        ┆ ---         ┆ ---    ┆ ---        │
    │ date       ┆ str         ┆ u32    ┆ list[str]  │
    ╞════════════╪═════════════╪════════╪════════════╡
    │ 2022-02-01 ┆ month       ┆ 2      ┆ ["a", "b"] │
    │ 2024-05-16 ┆ day         ┆ 1      ┆ ["a"]      │
    └────────────┴─────────────┴────────┴────────────┘
    """
    require_columns(dates, ["doc_id", "sentence_id", "start", "text", "date", "granularity",
                            "anchor"], what="dates")
    if min_docs < 1:
        raise ValueError(f"min_docs must be at least 1, got {min_docs}")
    m = date_sentences(dates.filter(pl.col("date").is_not_null()), to_polars(docs),
                          text_column=text_column).sort("doc_id", "start")
    out = m.group_by("date", "granularity").agg(
        n_mentions=pl.len().cast(pl.UInt32),
        n_docs=pl.col("doc_id").n_unique().cast(pl.UInt32),
        first_cited=pl.col("anchor").min(),
        last_cited=pl.col("anchor").max(),
        doc_ids=pl.col("doc_id").unique().sort(),
        mentions=pl.col("text").unique().sort(),
        sentences=pl.col("sentence").unique(maintain_order=True),
    )
    out = out.filter(pl.col("n_docs") >= min_docs)
    order = pl.col("granularity").replace_strict(GRANULARITY_ORDER, return_dtype=pl.Int8)
    return out.sort(pl.col("date"), order).select(
        "date", "granularity", "n_mentions", "n_docs", "first_cited", "last_cited", "doc_ids",
        "mentions", "sentences")


def plot_events(
    dates: Any,
    docs: Any,
    *,
    start: date | None = None,
    end: date | None = None,
    years_before: float | None = 2,
    years_after: float | None = 1,
    max_points: int = 5000,
    title: str = "Referred dates against publication dates",
) -> alt.LayerChart:
    """Event timeline: each mention as a point, referred date on x, publication date on y.

    Points on the diagonal are news of the day; points far left of it are the past events the
    articles look back to; vertical stripes are events many articles cite.

    Parameters
    ----------
    dates
        The output of :func:`analysis.extract_dates` (unresolved and undated rows are left out).
    docs
        The documents (for the sentences shown in the tooltips).
    start, end
        Limit the referred dates shown (x-axis).
    years_before, years_after
        When ``start`` (``end``) is not given, show referred dates from this many years before
        the first publication date (up to this many after the last); ``None``: no limit. A
        corpus that mentions 1941 and 2030 would otherwise squeeze its news into a sliver; the
        subtitle says how many mentions fall outside.
    max_points
        At most this many mentions are drawn (the chronologically first, by document).
    title
        Chart title.

    Returns
    -------
    alt.LayerChart
        Points coloured by granularity over a dashed diagonal (referred date =
        publication date); tooltip with referred date, granularity, mention, publication date,
        document and the sentence (cut at 300 characters).
    """
    import altair as alt

    d = to_polars(dates, what="plot_events()'s dates")
    d = d.filter(pl.col("date").is_not_null() & pl.col("anchor").is_not_null())
    n_all = d.height
    if start is None and years_before is not None and n_all:
        start = cast("date", d["anchor"].min()) - timedelta(days=round(365.25 * years_before))
    if end is None and years_after is not None and n_all:
        end = cast("date", d["anchor"].max()) + timedelta(days=round(365.25 * years_after))
    if start is not None:
        d = d.filter(pl.col("date") >= start)
    if end is not None:
        d = d.filter(pl.col("date") <= end)
    d = d.sort("date", "doc_id", "start").head(max_points)
    m = date_sentences(d, docs).with_columns(
        sentence=pl.when(pl.col("sentence").str.len_chars() > 300)
        .then(pl.col("sentence").str.slice(0, 300) + "…").otherwise(pl.col("sentence"))
    )
    cols = ["doc_id", "text", "date", "granularity", "anchor", "sentence"]
    cols += [c for c in ("outlet", "note") if c in m.columns]
    points = (
        alt.Chart(m.select(cols).to_pandas())
        .mark_point(filled=True, opacity=0.6, size=60)
        .encode(
            x=alt.X("date:T", title="Referred date", axis=alt.Axis(format="%b %Y", labelAngle=-40)),
            y=alt.Y("anchor:T", title="Publication date", axis=alt.Axis(format="%b %Y")),
            color=alt.Color("granularity:N", sort=list(GRANULARITY_ORDER)),
            tooltip=[alt.Tooltip("date:T", title="referred date", format="%Y-%m-%d"),
                     alt.Tooltip("granularity:N"),
                     alt.Tooltip("text:N", title="mention"),
                     alt.Tooltip("anchor:T", title="published", format="%Y-%m-%d"),
                     alt.Tooltip("doc_id:N", title="document"),
                     *([alt.Tooltip("outlet:N")] if "outlet" in cols else []),
                     alt.Tooltip("sentence:N")],
        )
    )
    # the diagonal spans the publication dates; with none (an undated corpus) there is none,
    # never one drawn at the day the page is built (the page must not change with the day)
    lo, hi = m["anchor"].min(), m["anchor"].max()
    span = [lo, hi] if lo is not None and hi is not None else []
    diagonal = (
        alt.Chart(pl.DataFrame({"date": span, "anchor": span},
                               schema={"date": pl.Date, "anchor": pl.Date}).to_pandas())
        .mark_line(color="lightgray", strokeDash=[4, 4])
        .encode(x="date:T", y="anchor:T")
    )
    subtitle = f"{m.height} of {n_all} resolved mentions"
    if start is not None or end is not None:
        subtitle += (f" (referred dates {start.isoformat() if start else '…'} to "
                     f"{end.isoformat() if end else '…'})")
    # alt.layer() is typed LayerChart | FacetChart; it only facets layers that share facet
    # encodings, and these have none
    return cast("alt.LayerChart", alt.layer(diagonal, points).properties(
        width=600, height=320, title=alt.TitleParams(title, subtitle=subtitle)))
