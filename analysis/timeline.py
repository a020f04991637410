"""Coverage over time: documents, tokens and traced terms per calendar period (the news cycle).

:func:`timeline` counts documents and tokens per period of publication (and per group, e.g.
outlet), optionally with the occurrences of given terms or actors, on a complete period grid:
a period in which nothing was published is a row of zeros, never a missing row, so charts show
the gaps in coverage. :func:`plot_documents` draws documents per period stacked by group;
:func:`plot_trends` draws term or actor trends as small multiples.

The chronology the articles *talk about* (dates mentioned in the text) is
:mod:`analysis.dates`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

import polars as pl

if TYPE_CHECKING:
    import altair as alt

from analysis.fastcount import count_terms
from analysis.frames import (
    MISSING_GROUP,
    is_count_table,
    require_columns,
    tidy,
    to_polars,
    with_counts,
)
from analysis.tokenize import tokenize

TermSpec = Sequence[str] | Mapping[str, Sequence[str]] | None
"""Terms to trace: a list of terms or phrases, or ``{label: [alias, ...]}`` (e.g. actors)."""

_EVERY_PATTERN = re.compile(r"^[1-9]\d*(d|w|mo|q|y)$")


def check_every(every: str) -> None:
    if not isinstance(every, str) or not _EVERY_PATTERN.match(every):
        raise ValueError(
            f"every must be a polars calendar duration such as '1d', '1w', '1mo', '1q' or '1y'; "
            f"got {every!r}"
        )


def _term_groups(terms: TermSpec) -> dict[str, list[list[str]]]:
    """``{label: [phrase as lower-cased words, ...]}`` from a list or a mapping of terms."""
    if terms is None:
        return {}
    if isinstance(terms, str):
        raise TypeError("terms must be a list of strings or a mapping label -> aliases, not a str")
    items = terms.items() if isinstance(terms, Mapping) else ((t, [t]) for t in terms)
    groups: dict[str, list[list[str]]] = {}
    for label, aliases in items:
        if isinstance(aliases, str):
            aliases = [aliases]
        phrases = [a.lower().replace("’", "'").split() for a in aliases]
        phrases = [p for p in phrases if p]
        if not str(label).strip() or not phrases:
            raise ValueError(f"terms: empty term or alias list for {label!r}")
        groups[str(label)] = phrases
    return groups


DateSpec = date | str | None
"""A day: a ``datetime.date``, an ISO string (``"2023-01-31"``), or ``None`` / ``""`` (no limit)."""


def _as_date(value: DateSpec, what: str) -> date | None:
    """``None`` for no limit, else the day ``value`` names (ISO strings are parsed)."""
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
    lo = _as_date(start, "start")
    hi = _as_date(end, "end")
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


def _term_hits(tokens: pl.DataFrame, groups: dict[str, list[list[str]]]) -> pl.DataFrame:
    """Occurrences of the traced terms: ``doc_id, term, n`` (``n`` = 1 per occurrence for a
    token table; for a count table, the summed counts of single-word aliases).

    A phrase matches consecutive tokens (punctuation included in the sequence, so a phrase never
    spans a comma). Overlapping aliases of one label count once per starting token. One join
    of the tokens on every alias's first word finds the candidates; the following words are
    looked up by row position (not a window pass over the tokens per alias word).
    """
    if is_count_table(tokens):  # single words only (checked): the counts of the aliases
        words = tokens.select("doc_id", pl.col("term").str.to_lowercase(), pl.col("n"))
        parts = [pl.DataFrame(schema={"doc_id": pl.String, "term": pl.String, "n": pl.Int64})]
        for label, phrases in groups.items():
            alts = sorted({p[0] for p in phrases})
            parts.append(words.filter(pl.col("term").is_in(alts)).select(
                "doc_id", pl.lit(label).alias("term"), pl.col("n").cast(pl.Int64)))
        return pl.concat(parts)
    # one join on each alias's first word, then the following words checked by position
    aliases = pl.DataFrame(
        [(label, list(phrase)) for label, phrases in groups.items() for phrase in phrases],
        schema={"__label": pl.String, "__words": pl.List(pl.String)}, orient="row")
    aliases = aliases.with_columns(__first=pl.col("__words").list.first(),
                                   __len=pl.col("__words").list.len())
    words = tokens.select("doc_id", "token_id", pl.col("term").str.to_lowercase()).sort(
        "doc_id", "token_id")
    starts = words.with_row_index("__row").filter(
        pl.col("term").is_in(aliases["__first"].unique().implode()))
    cand = starts.join(aliases, left_on="term", right_on="__first", how="inner")
    longest = int(aliases["__len"].max())  # type: ignore[arg-type]
    if longest > 1 and cand.height:
        term, doc = words["term"], words["doc_id"]
        last = words.height - 1
        ok = pl.lit(True)
        for k in range(1, longest):
            at = (cand["__row"].cast(pl.Int64) + k).clip(upper_bound=last)
            cand = cand.with_columns(term.gather(at).alias(f"__t{k}"),
                                     doc.gather(at).alias(f"__d{k}"),
                                     (cand["__row"].cast(pl.Int64) + k <= last).alias(f"__in{k}"))
            follows = (pl.col(f"__in{k}") & (pl.col(f"__d{k}") == pl.col("doc_id"))
                       & (pl.col(f"__t{k}") == pl.col("__words").list.get(k, null_on_oob=True)))
            ok = ok & ((pl.col("__len") <= k) | follows.fill_null(False))
        cand = cand.filter(ok)
    return (cand.select("doc_id", pl.col("__label").alias("term"), "token_id")
            .unique(["doc_id", "term", "token_id"])
            .select("doc_id", "term", n=pl.lit(1, dtype=pl.Int64)))


@tidy
def timeline(
    data: pl.DataFrame,
    *,
    every: str = "1mo",
    by: str | None = None,
    terms: TermSpec = None,
    aliases: Mapping[str, Sequence[str]] | None = None,
    docs: Any = None,
    start: DateSpec = None,
    end: DateSpec = None,
    date_column: str = "published",
) -> pl.DataFrame:
    """Documents, tokens and traced terms per period of publication, empty periods as zeros.

    Parameters
    ----------
    data
        Documents (``Corpus.docs``: ``doc_id``, ``text``, the date column and the ``by``
        column), or the token table of :func:`analysis.tokenize` (``doc_id``, ``term``,
        ``is_punct``, ``token_id``) or a count table of :func:`analysis.count_terms`
        (``doc_id``, ``term``, ``n``, ``is_punct``; single-word terms only) together with
        ``docs=`` for the dates and groups. From documents, terms are counted with
        :func:`analysis.count_terms` (no token table) unless a phrase is traced.
    every
        Period length as a polars calendar duration: ``"1d"``, ``"1w"`` (weeks start on
        Monday), ``"1mo"``, ``"1q"``, ``"1y"`` (or multiples, ``"2w"``).
    by
        A document column to split each period by (e.g. ``"outlet"``); every group gets every
        period. Missing values become the group ``"(none)"``.
    terms
        Terms to trace: a list (``["putin", "xi jinping"]``; phrases match consecutive tokens,
        case-insensitively) or a mapping ``{label: [alias, ...]}`` (e.g. an actor and its
        names); the counts of all aliases of a label are added.
    aliases
        More labels to trace, ``{label: [alias, ...]}`` (e.g. actors), added to ``terms``; a
        label in both is traced with these aliases.
    docs
        The documents, when ``data`` is a token table (ignored otherwise).
    start, end
        Limit the grid and the counts to periods overlapping ``[start, end]`` (inclusive): a
        date or an ISO string; ``None`` or ``""`` (default): from the first / to the last
        publication date.
    date_column
        The publication date column (``pl.Date`` or datetime).

    Returns
    -------
    DataFrame
        Without ``terms``, one row per period (and group); with ``terms``, one row per period,
        (group) and term:

        - ``period``: first day of the period (``pl.Date``; weeks start on Monday).
        - the ``by`` column, when given.
        - ``n_docs``: documents published in the period.
        - ``n_tokens``: word tokens of those documents (tokens that are not punctuation).
        - ``term``: the traced term or label (with ``terms``).
        - ``count``: its occurrences in the period's documents.
        - ``per_1k``: ``1000 * count / n_tokens`` (0 when ``n_tokens`` is 0).
        - ``docs_with_term``: documents of the period containing it at least once.
        - ``share_docs``: ``docs_with_term / n_docs`` (0 when ``n_docs`` is 0).

        Sorted by period, group, term.

    Notes
    -----
    Documents without a publication date cannot be placed and are left out (so the counts add
    up to the totals of the dated documents). The period of a date is
    ``date.dt.truncate(every)``; the grid is ``pl.date_range(first, last, every)``.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c"],
    ...     "published": [date(2023, 1, 5), date(2023, 1, 20), date(2023, 3, 2)],
    ...     "text": ["Putin met Xi.", "Xi spoke.", "Putin, again Putin."]})
    >>> timeline(docs, every="1mo")
    shape: (3, 3)
    ┌────────────┬────────┬──────────┐
    │ period     ┆ n_docs ┆ n_tokens │
    │ ---        ┆ ---    ┆ ---      │
    │ date       ┆ u32    ┆ u32      │
    ╞════════════╪════════╪══════════╡
    │ 2023-01-01 ┆ 2      ┆ 5        │
    │ 2023-02-01 ┆ 0      ┆ 0        │
    │ 2023-03-01 ┆ 1      ┆ 3        │
    └────────────┴────────┴──────────┘
    >>> timeline(docs, every="1mo", terms=["putin"]).select("period", "count", "per_1k")
    shape: (3, 3)
    ┌────────────┬───────┬────────────┐
    │ period     ┆ count ┆ per_1k     │
    │ ---        ┆ ---   ┆ ---        │
    │ date       ┆ u32   ┆ f64        │
    ╞════════════╪═══════╪════════════╡
    │ 2023-01-01 ┆ 1     ┆ 200.0      │
    │ 2023-02-01 ┆ 0     ┆ 0.0        │
    │ 2023-03-01 ┆ 2     ┆ 666.666667 │
    └────────────┴───────┴────────────┘
    """
    check_every(every)
    start = _as_date(start, "start")
    end = _as_date(end, "end")
    groups = _term_groups(terms)
    if aliases is not None:
        if isinstance(aliases, str) or not isinstance(aliases, Mapping):
            raise TypeError("aliases must be a mapping label -> [alias, ...]")
        groups = groups | _term_groups(aliases)
    phrases = any(len(p) > 1 for alts in groups.values() for p in alts)
    if "term" in data.columns and "text" not in data.columns:
        position = [] if is_count_table(data) else ["token_id"]
        require_columns(data, ["doc_id", "term", "is_punct", *position], what="tokens")
        if docs is None:
            raise ValueError("timeline() got a token table: pass docs= (the documents) too")
        if phrases and is_count_table(data):
            raise ValueError("phrases in terms need a token table (tokenize()), not a count "
                             "table: consecutive tokens cannot be found in counts")
        tokens = data
        doc_table = to_polars(docs, what="docs")
    else:
        require_columns(data, ["doc_id", "text"], what="docs")
        doc_table = data
        # counts are enough unless a phrase has to be matched on consecutive tokens
        tokens = (tokenize(doc_table, stopwords="none") if phrases
                  else count_terms(doc_table, stopwords="none", progress=False))
    if by is not None and by == "period":
        raise ValueError("by cannot be 'period' (that is the output's period column)")
    meta = period_table(doc_table, every=every, by=by, date_column=date_column, start=start,
                        end=end)
    keys = ["period"] + ([by] if by else [])
    counts = period_counts(meta, tokens, by=by)
    out = period_grid(counts, every=every, by=by, start=start, end=end)

    if not groups:
        return out.sort(keys)

    hits = _term_hits(tokens.filter(pl.col("doc_id").is_in(meta["doc_id"].implode())), groups)
    hits = hits.join(meta.select(["doc_id", *keys]), on="doc_id", how="inner")
    counts = hits.group_by([*keys, "term"]).agg(
        count=pl.col("n").sum().cast(pl.UInt32),
        docs_with_term=pl.col("doc_id").n_unique().cast(pl.UInt32),
    )
    labels = pl.DataFrame({"term": list(groups)}, schema={"term": pl.String})
    full = out.join(labels, how="cross").join(counts, on=[*keys, "term"], how="left")
    full = full.with_columns(pl.col("count").fill_null(0), pl.col("docs_with_term").fill_null(0))
    full = full.with_columns(
        per_1k=pl.when(pl.col("n_tokens") > 0)
        .then(1000.0 * pl.col("count") / pl.col("n_tokens"))
        .otherwise(0.0),
        share_docs=pl.when(pl.col("n_docs") > 0)
        .then(pl.col("docs_with_term") / pl.col("n_docs"))
        .otherwise(0.0),
    )
    return full.select(
        [*keys, "n_docs", "n_tokens", "term", "count", "per_1k", "docs_with_term", "share_docs"]
    ).sort([*keys, "term"])


# --------------------------------------------------------------------------------------------
# documents and tokens per period: per batch (period_counts), combined, finished (period_grid);
# timeline() and analysis.distributed.timeline_counts call these


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
    n_tok = (with_counts(tokens).filter(~pl.col("is_punct")).group_by("doc_id")
             .agg(pl.col("n").sum().alias("__ntok")))
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


def plot_documents(
    table: Any, *, by: str | None = None, title: str = "Documents per period"
) -> alt.Chart:
    """Bars of documents per period, stacked by group (e.g. outlet).

    Parameters
    ----------
    table
        The output of :func:`timeline` (without ``terms``, or with: one row per term is
        reduced to one per period and group).
    by
        The group column to stack and colour by; default: the column :func:`timeline` was
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
        The output of :func:`timeline` with ``terms`` (and optionally ``by``: one line per group).
    measure
        ``"per_1k"`` (per thousand tokens), ``"count"`` or ``"share_docs"``.
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

    if measure not in {"per_1k", "count", "share_docs"}:
        raise ValueError(f"measure must be 'per_1k', 'count' or 'share_docs'; got {measure!r}")
    t = to_polars(table, what="plot_trends()'s table")
    require_columns(t, ["period", "term", "count", "per_1k", "docs_with_term", "share_docs"],
                    what="timeline table with terms")
    extra = [c for c in t.columns if c not in {
        "period", "n_docs", "n_tokens", "term", "count", "per_1k", "docs_with_term",
        "share_docs"}]
    by = extra[0] if extra else None
    labels = {"per_1k": "per 1,000 tokens", "count": "occurrences", "share_docs": "share of docs"}
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
