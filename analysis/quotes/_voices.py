"""Voices: who is quoted, by outlet and over time, as shares of the quotations.

Summaries of :func:`analysis.quotes` for the ``voices`` report: :func:`quote_shares` (share of
the quotations per speaker, actor, actor type or kind, within each outlet and/or period),
:func:`quote_sentences` (the quotations of one speaker or actor with their sentences),
:func:`plot_quote_shares` and :func:`plot_quote_matrix` (who quotes whom).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from analysis.engine._frames import as_kind, is_pandas, require_columns, to_polars
from analysis.engine._options import renamed, warn_renamed
from analysis.quotes._speakers import actor_types
from analysis.tokens._tokenize import tokenize

if TYPE_CHECKING:
    import altair as alt

    from analysis.actors._dictionary import DictionarySpec

ShareItem = Literal["speaker", "actor", "actor_type", "kind"]
"""What a share is counted for (``item=``): the speaker as resolved, the dictionary actor, its
type, or the kind of quotation (direct, indirect, mixed)."""

ShareBy = ShareItem
"""Old name of :data:`ShareItem` (``by=`` named the counted item before ``item=``)."""

_ITEMS = ("speaker", "actor", "actor_type", "kind")

NOT_IN_DICTIONARY = "(not in dictionary)"
UNATTRIBUTED = "(unattributed)"
UNDATED = "(undated)"


def _old_names(func: Callable[..., Any]) -> Callable[..., Any]:
    """quote_shares' old spellings: ``by`` was the counted item, ``group`` the split column.

    ``by`` names grouping columns now, so an old ``by`` cannot simply be renamed: for one
    release a ``by`` that is one of the items and comes without ``item=`` is read as the item,
    and ``group=`` as ``by=``, each with a DeprecationWarning saying so.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kw: Any) -> Any:
        by = kw.get("by")
        if kw.get("item") is None and isinstance(by, str) and by in _ITEMS:
            warn_renamed("quote_shares", "by", "item", f"by= now names grouping columns; "
                         f"by={by!r} is read as item={by!r} this release")
            kw["item"] = kw.pop("by")
        if "group" in kw:
            if "by" in kw:
                raise TypeError("quote_shares(): pass by= only (group= is its deprecated name)")
            warn_renamed("quote_shares", "group", "by")
            kw["by"] = kw.pop("group")
        return func(*args, **kw)

    wrapper.__renamed__ = {"by": "item", "group": "by"}  # type: ignore[attr-defined]
    return wrapper


def _labelled(quotes: pl.DataFrame, by: ShareItem, actors: DictionarySpec) -> pl.DataFrame:
    q = quotes.filter(pl.col("kind") != "term")
    if by == "actor_type":
        q = q.join(actor_types(actors), on="actor", how="left")
        return q.with_columns(pl.col("actor_type").fill_null(NOT_IN_DICTIONARY).alias("label"))
    if by == "actor":
        return q.with_columns(pl.col("actor").fill_null(NOT_IN_DICTIONARY).alias("label"))
    if by == "speaker":  # one label per person whatever the spelling: the actor when known
        return q.with_columns(
            pl.coalesce("actor", "speaker").fill_null(UNATTRIBUTED).alias("label"))
    return q.with_columns(pl.col("kind").alias("label"))


@_old_names
def quote_shares(
    quotes: Any,
    docs: Any = None,
    *,
    item: ShareItem | None = None,
    by: str | None = None,
    every: str | None = None,
    top: int | None = None,
    actors: DictionarySpec = None,
) -> Any:
    """Share of the quotations per speaker, actor, actor type or kind, per group and period.

    Parameters
    ----------
    quotes
        :func:`analysis.quotes` output (rows of ``kind="term"`` are not quotations and are
        left out).
    docs
        The documents (a Corpus or a table with ``doc_id`` and the ``by`` column and/or
        ``published``); needed for ``by`` and ``every``.
    item
        What is counted: ``"speaker"`` (the dictionary actor when the speaker has one, so
        "Zelenskiy" and "Zelensky" are one label; else the speaker as resolved), ``"actor"``
        (speakers not in the dictionary count as ``"(not in dictionary)"``), ``"actor_type"``
        or ``"kind"``. ``None``: ``"actor"``.
    by
        A document column to split by (e.g. ``"outlet"``); ``None``: the whole corpus. (Before
        ``item=``, ``by=`` named the counted item: for one release ``by="actor"``, ``"speaker"``,
        ``"actor_type"`` or ``"kind"`` without ``item=`` is still read so, with a
        DeprecationWarning; ``group=`` is the deprecated name of this ``by``.)
    every
        A calendar period (``"1d"``, ``"1w"``, ``"1mo"``, ``"1q"``, ``"1y"``) to split by
        publication date; undated documents form the period ``"(undated)"``.
    top
        Keep the ``top`` labels with the most quotations overall (the others are dropped after
        the shares are computed, so shares do not change); ``None`` keeps all.
    actors
        The actor dictionary for ``item="actor_type"`` (``None`` = the shipped one).

    Returns
    -------
    DataFrame
        The kind of ``quotes``; ``[by], [period], label, n_quotes, share`` where ``share`` is
        ``n_quotes`` over all quotations of that group and period (0-1), sorted by group,
        period, then ``n_quotes`` descending and ``label``.

    Examples
    --------
    >>> q = pl.DataFrame({"doc_id": ["a", "a", "b", "b"], "kind": ["direct"] * 3 + ["term"],
    ...                   "speaker": ["Putin", "Xi", "Xi", None],
    ...                   "actor": ["Vladimir Putin", "Xi Jinping", "Xi Jinping", None]})
    >>> docs = pl.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"]})
    >>> quote_shares(q, docs, item="actor", by="outlet").rows()
    [('X', 'Vladimir Putin', 1, 0.5), ('X', 'Xi Jinping', 1, 0.5), ('Y', 'Xi Jinping', 1, 1.0)]
    >>> quote_shares(q, item="actor_type").rows()
    [('person', 3, 1.0)]
    """
    pandas = is_pandas(quotes)
    q = to_polars(quotes, what="quotes")
    require_columns(q, ["doc_id", "kind", "speaker", "actor"], what="quotes")
    if item is None:
        item = "actor"
    if item not in _ITEMS:
        raise ValueError(f"item must be 'speaker', 'actor', 'actor_type' or 'kind'; got {item!r}")
    group = by
    if top is not None and top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    q = _labelled(q, item, actors)
    keys: list[str] = []
    if group is not None or every is not None:
        if docs is None:
            raise ValueError("quote_shares(): pass docs to split by a column or period")
        d = to_polars(docs, what="docs")
        need = ["doc_id"] + ([group] if group else []) + (["published"] if every else [])
        require_columns(d, need, what="docs")
        q = q.join(d.select(need).unique("doc_id"), on="doc_id", how="left")
        if group:
            q = q.with_columns(pl.col(group).cast(pl.String).fill_null("(none)"))
            keys.append(group)
        if every:
            if not re.fullmatch(r"[1-9]\d*(?:d|w|mo|q|y)", str(every)):
                raise ValueError(f"every must be a calendar period such as '1d', '1w', '1mo', "
                                 f"'1q' or '1y'; got {every!r}")
            period = pl.col("published").cast(pl.Date).dt.truncate(every).cast(pl.String)
            q = q.with_columns(period.fill_null(UNDATED).alias("period"))
            keys.append("period")
    counts = q.group_by([*keys, "label"]).agg(pl.len().cast(pl.UInt32).alias("n_quotes"))
    totals = counts.group_by(keys).agg(pl.col("n_quotes").sum().alias("_total")) if keys else None
    if totals is not None:
        counts = counts.join(totals, on=keys)
    else:
        counts = counts.with_columns(pl.col("n_quotes").sum().alias("_total"))
    share = (pl.col("n_quotes").cast(pl.Float64) / pl.col("_total").cast(pl.Float64))
    out = counts.with_columns(share.round(12).alias("share")).drop("_total")
    if top is not None:
        keep = (out.group_by("label").agg(pl.col("n_quotes").sum())
                .sort(["n_quotes", "label"], descending=[True, False]).head(top)["label"])
        out = out.filter(pl.col("label").is_in(keep.implode()))
    out = out.sort([*keys, "n_quotes", "label"], descending=[False] * len(keys) + [True, False])
    return as_kind(out.select([*keys, "label", "n_quotes", "share"]), pandas)


@renamed(by="item")
def most_quoted(quotes: Any, *, item: Literal["speaker", "actor"] | None = None) -> str | None:
    """The most quoted actor (or speaker); ties: alphabetical first; None when there is none.

    ``item`` is what is counted, ``"actor"`` (``None``) or ``"speaker"``. (``by=`` was its
    name; ``by="speaker"`` still works for one release, with a DeprecationWarning.)

    Examples
    --------
    >>> q = pl.DataFrame({"kind": ["direct", "indirect", "term"], "speaker": ["B", "A", None],
    ...                   "actor": [None, "A", None]})
    >>> most_quoted(q), most_quoted(q, item="speaker")
    ('A', 'A')
    """
    by = item or "actor"
    q = to_polars(quotes, what="quotes").filter(
        (pl.col("kind") != "term") & pl.col(by).is_not_null())
    if not q.height:
        return None
    counts = q.group_by(by).agg(pl.len()).sort(["len", by], descending=[True, False])
    return str(counts[by][0])


@renamed(limit="top")
def quote_sentences(
    quotes: Any,
    docs: Any,
    *,
    actor: str | None = None,
    speaker: str | None = None,
    top: int = 50,
) -> Any:
    """The quotations of one actor (or speaker) with the sentence each starts in.

    Parameters
    ----------
    quotes
        :func:`analysis.quotes` output.
    docs
        The documents (``doc_id``, ``text``; ``outlet`` and ``published`` when present).
    actor, speaker
        Whose quotations; give one. Both ``None``: the most quoted actor (:func:`most_quoted`),
        or the most quoted speaker when no speaker is in the dictionary.
    top
        At most this many rows (earliest published first, then by document and position);
        ``limit=`` is its deprecated name.

    Returns
    -------
    DataFrame
        ``doc_id``, [``outlet``], [``published``], ``speaker``, ``actor``, ``kind``, ``quote``,
        ``sentence`` (the full sentence the quotation starts in).

    Examples
    --------
    >>> docs = pl.DataFrame({"doc_id": ["a"], "text": ["Intro. “We are open,” Putin said."]})
    >>> from analysis.quotes._quotes import quotes
    >>> quote_sentences(quotes(docs), docs).select("actor", "quote", "sentence").row(0)
    ('Vladimir Putin', 'We are open', '“We are open,” Putin said.')
    """
    pandas = is_pandas(quotes)
    q = to_polars(quotes, what="quotes").filter(pl.col("kind") != "term")
    d = to_polars(docs, what="docs")
    require_columns(d, ["doc_id", "text"], what="docs")
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    if actor and speaker:
        raise ValueError("quote_sentences(): give actor or speaker, not both")
    if actor:
        q = q.filter(pl.col("actor") == actor)
    elif speaker:
        q = q.filter(pl.col("speaker") == speaker)
    else:
        who = most_quoted(q, item="actor")
        col = "actor"
        if who is None:
            who, col = most_quoted(q, item="speaker"), "speaker"
        q = q.filter(pl.col(col) == who) if who is not None else q.head(0)
    meta = [c for c in ("outlet", "published") if c in d.columns]
    q = q.join(d.select("doc_id", *meta), on="doc_id", how="left")
    order = (["published"] if "published" in meta else []) + ["doc_id", "start"]
    q = q.sort(order, nulls_last=True).head(top)
    texts = dict(d.filter(pl.col("doc_id").is_in(q["doc_id"].unique().implode()))
                 .select("doc_id", "text").iter_rows())
    if texts:
        sub = pl.DataFrame({"doc_id": list(texts), "text": list(texts.values())})
        spans = (tokenize(sub, stopwords="none", lowercase=False)
                 .group_by("doc_id", "sentence_id").agg(pl.col("start").min().alias("s0"),
                                                        pl.col("end").max().alias("s1")))
        q = q.join(spans, on=["doc_id", "sentence_id"], how="left")
        sentences = [texts[doc][a:b] if a is not None else None
                     for doc, a, b in q.select("doc_id", "s0", "s1").iter_rows()]
    else:
        sentences = []
    out = q.with_columns(pl.Series("sentence", sentences, dtype=pl.String)).select(
        "doc_id", *meta, "speaker", "actor", "kind", "quote", "sentence")
    return as_kind(out, pandas)


def plot_quote_shares(table: Any, *, title: str = "Share of quotations") -> alt.Chart:
    """Bars of :func:`quote_shares` (one panel row per group), or lines over periods.

    Examples
    --------
    >>> t = pl.DataFrame({"label": ["A", "B"], "n_quotes": [3, 1], "share": [0.75, 0.25]})
    >>> plot_quote_shares(t).to_dict()["mark"]["type"]
    'bar'
    """
    import altair as alt

    t = to_polars(table, what="plot_quote_shares()'s table")
    require_columns(t, ["label", "n_quotes", "share"], what="quote_shares table")
    extra = [c for c in t.columns if c not in ("label", "n_quotes", "share", "period")]
    tooltip = [*extra, *(["period"] if "period" in t.columns else []), "label", "n_quotes",
               alt.Tooltip("share:Q", format=".1%")]
    if "period" in t.columns:
        t = t.filter(pl.col("period") != UNDATED)
        return alt.Chart(t.to_pandas(), title=title).mark_line(point=True).encode(
            x=alt.X("period:T", title="Period"),
            y=alt.Y("share:Q", title="Share of quotations", axis=alt.Axis(format="%")),
            color=alt.Color("label:N", title=None), tooltip=tooltip,
            **({"row": alt.Row(f"{extra[0]}:N", title=None)} if extra else {}),
        ).properties(width=560, height=160)
    chart = alt.Chart(t.to_pandas(), title=title).mark_bar().encode(
        x=alt.X("share:Q", title="Share of quotations", axis=alt.Axis(format="%")),
        y=alt.Y("label:N", title=None, sort="-x"), tooltip=tooltip,
        **({"row": alt.Row(f"{extra[0]}:N", title=None)} if extra else {}),
    )
    return chart.properties(width=420)


def plot_quote_matrix(table: Any, *, title: str = "Who quotes whom") -> alt.Chart:
    """A heat map of :func:`quote_shares` split by a group: group (rows) x label (columns).

    Examples
    --------
    >>> t = pl.DataFrame({"outlet": ["X", "Y"], "label": ["A", "A"], "n_quotes": [3, 1],
    ...                   "share": [0.75, 0.25]})
    >>> plot_quote_matrix(t).to_dict()["mark"]["type"]
    'rect'
    """
    import altair as alt

    t = to_polars(table, what="plot_quote_matrix()'s table")
    require_columns(t, ["label", "n_quotes", "share"], what="quote_shares table")
    extra = [c for c in t.columns if c not in ("label", "n_quotes", "share", "period")]
    if not extra:
        raise ValueError("plot_quote_matrix(): the table needs a group column, e.g. "
                         "quote_shares(..., by='outlet')")
    g = extra[0]
    return alt.Chart(t.to_pandas(), title=title).mark_rect().encode(
        x=alt.X("label:N", title=None, sort="-color"), y=alt.Y(f"{g}:N", title=None),
        color=alt.Color("share:Q", title="share", scale=alt.Scale(scheme="blues")),
        tooltip=[g, "label", "n_quotes", alt.Tooltip("share:Q", format=".1%")],
    )
