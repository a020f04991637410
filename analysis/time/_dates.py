"""Dates the articles talk about: temporal expressions, resolved against the publication date.

:func:`extract_dates` finds temporal expressions ("Thursday, May 16", "February 2022", "on
Tuesday", "last month", "by the fall") with a regular-expression grammar and resolves each to a
calendar date with an explicit granularity, using the document's publication date as the anchor
for partial and relative expressions. :func:`events` turns the mentions into a chronology (one
row per referred date with the sentences and documents behind it); :func:`plot_events` draws
the news cycle against the chronology.

Why a grammar and not ``dateparser``: ``dateparser.search.search_dates`` (and
``dateutil.parser.parse(fuzzy=True)``) turn numbers that are not dates into dates ("12-point
plan", "31 Abrams tanks", "$15.6 billion", "100 years") and resolve "on Tuesday" or "May 15"
without the rules news needs (most recent past weekday, previous year for dates far in the
future, a weekday contradicting the date; it even reads "we" as Wednesday). On the 166
hand-labelled mentions in ``tests/data/`` the grammar has precision 0.976 and recall 0.970,
``search_dates`` 0.491 and 0.657 (``bench/date_parsers.py``). Calendar arithmetic uses
the standard library.

Granularities are day, week, month, season and year: "this week" and "last week" need a week.

The grammar is :mod:`analysis.time._grammar`, the resolution rules (how "on Tuesday", "May 15"
or "by the fall" become dates) are the table in :mod:`analysis.time._resolution`, and the
chronology verbs (:func:`date_sentences`, :func:`events`, :func:`plot_events`) in
:mod:`analysis.time._events`. This module finds the mentions.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date
from typing import Any

import polars as pl

from analysis.engine._frames import require_columns, tidy, to_polars
from analysis.time._grammar import (
    DATE_PATTERN,
)
from analysis.time._resolution import (
    resolve_mention,
)
from analysis.tokens._bounds import sentence_bounds
from analysis.tokens._tokenize import tokenize

DATE_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String(),
    "sentence_id": pl.UInt32(),
    "start": pl.UInt32(),
    "end": pl.UInt32(),
    "text": pl.String(),
    "date": pl.Date(),
    "granularity": pl.String(),
    "kind": pl.String(),
    "anchor": pl.Date(),
    "note": pl.String(),
}
"""The columns of :func:`extract_dates`, in order."""


ANCHOR_PATTERN = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter|[Yy]esterday|[Tt]omorrow|ago"
    r"|(?:last|this|next|Last|This|Next)\s+(?:coming\s+)?(?:week|month|year)"
    r"|(?:1[89]|20)\d\d"
)
"""Words every mention contains (a month, weekday, season, year, "ago", "last week", ...).

Found for all documents at once by polars (Rust ``regex``); the grammar
(:data:`DATE_PATTERN`, Python ``re``) then runs only in a window around each of them, so no
Python regular expression scans the whole text.
"""
LOOK_BEFORE = 32
"""Characters before an anchor word where a mention may start ("in the beginning of early
February": 25)."""
LOOK_AFTER = 48
"""Characters after an anchor word's start searched for the rest of the mention."""


def anchor_offsets(texts: pl.Series) -> pl.Series:
    """Character offsets (list per text) where :data:`ANCHOR_PATTERN` matches, in text order.

    Examples
    --------
    >>> anchor_offsets(pl.Series(["Talks on Monday, May 16.", "no dates", None])).to_list()
    [[9, 17], [], []]
    """
    pieces = texts.fill_null("").str.extract_all(f"(?s).*?(?:{ANCHOR_PATTERN})")
    anchors = texts.fill_null("").str.extract_all(ANCHOR_PATTERN)
    frame = pl.DataFrame({"pieces": pieces, "anchors": anchors})
    ends = pl.col("pieces").list.eval(pl.element().str.len_chars().cum_sum())
    lengths = pl.col("anchors").list.eval(pl.element().str.len_chars())
    return frame.select(
        offsets=pl.concat_list(ends, lengths).list.eval(  # [e1..en, l1..ln] -> e_i - l_i
            pl.element().slice(0, pl.element().len() // 2)
            - pl.element().slice(pl.element().len() // 2)
        )
    )["offsets"].fill_null([]).alias("offsets")


def _matches(text: str, anchors: list[int]) -> list[re.Match[str]]:
    """What ``DATE_PATTERN.finditer(text)`` gives, searching only near the anchors.

    Every match contains an anchor word, starts at most :data:`LOOK_BEFORE` characters before
    it and is complete within :data:`LOOK_AFTER` characters after it (else the search is
    repeated on the rest of the text), so scanning from the last match's end, window by window,
    finds the same leftmost, non-overlapping matches as a scan of every character.
    """
    out: list[re.Match[str]] = []
    pos = 0
    for a in anchors:
        if a < pos:
            continue
        lo = max(pos, a - LOOK_BEFORE)
        hi = a + LOOK_AFTER
        while True:
            m = DATE_PATTERN.search(text, lo, hi)
            if m is not None and m.end() + 16 > hi and hi < len(text):
                m = DATE_PATTERN.search(text, lo)  # near the window's edge: no cut-off
            if m is None or m.start() > a:
                break
            out.append(m)
            pos = lo = m.end()
            if pos > a:
                break
    return out


BATCH_DOCS = 5_000
"""Documents scanned for anchor words at a time (bounds the memory of the polars pass)."""


def _sentence_starts(tokens: Any) -> pl.DataFrame | None:
    """``doc_id, start`` (list: the start offset of sentence 1, 2, ...) per document of a token
    table, or ``None``."""
    if tokens is None:
        return None
    return _sentence_starts_of(tokens)


def _sentence_starts_of(tokens: Any) -> pl.DataFrame:
    """:func:`_sentence_starts` of a token table that is not ``None``, sorted by ``doc_id``.

    The sentences come from :func:`analysis.tokens._bounds.sentence_bounds` (a batch of token
    rows at a time, not one group-by over the whole table).
    """
    table = to_polars(tokens, what="extract_dates()'s tokens")
    require_columns(table, ["doc_id", "sentence_id", "start"], what="tokens")
    spans = sentence_bounds(table.with_columns(end=pl.col("start")) if "end" not in table.columns
                            else table)
    firsts = spans.group_by("doc_id", maintain_order=True).agg(pl.col("start"),
                                                                pl.col("sentence_id"))
    sids = pl.col("sentence_id")
    bad = firsts.filter((sids.list.first() != 1) | (sids.list.last() != sids.list.len()))
    if bad.height:  # the ids of a document, distinct and sorted, are 1, 2, ... n: 1 to n
        raise ValueError(f"tokens: sentence ids of document {bad['doc_id'][0]!r} are not "
                         "1, 2, ...; pass the unfiltered table of analysis.tokenize")
    return firsts.select("doc_id", "start")


def _doc_mentions(doc_id: str, text: str, pub: date | None, anchors: list[int],
                  starts: list[int]) -> list[tuple[Any, ...]]:
    matches = _matches(text, anchors)
    if not matches:
        return []
    rows: list[tuple[Any, ...]] = []
    prev: tuple[int, str | None] = (-1, None)
    for m in matches:
        sid = max(bisect_right(starts, m.start()), 1)
        s_start = starts[sid - 1] if starts else 0
        before = text[max(s_start, m.start() - 80):m.start()]
        got = resolve_mention(m, text, before, pub, prev)
        if got is None:
            continue
        start, d, gran, kind, note = got
        prev = (m.end(), gran)
        sid = max(bisect_right(starts, start), 1)
        rows.append((doc_id, sid, start, m.end(), text[start:m.end()], d, gran, kind, pub, note))
    return rows


@tidy
def extract_dates(
    docs: pl.DataFrame,
    *,
    text_column: str = "text",
    date_column: str = "published",
    tokens: Any = None,
) -> pl.DataFrame:
    """Temporal expressions in the text, one row per mention, resolved to calendar dates.

    Parameters
    ----------
    docs
        Documents: ``doc_id``, the text column and the publication date column (``pl.Date``
        or datetime; null where unknown). ``Corpus.docs`` or any table with these columns.
    text_column
        The column holding the text.
    date_column
        The publication date column, the anchor of relative expressions. If the table has no
        such column, every document is treated as undated.
    tokens
        The token table of :func:`analysis.tokenize` for these documents (``doc_id``,
        ``sentence_id``, ``start``), e.g. a cached one: its sentences are used instead of
        splitting the documents into sentences again. ``None``: the documents that may
        mention a date are tokenised here (:func:`analysis.tokenize`, for the sentences).

    Returns
    -------
    DataFrame
        One row per mention, sorted by ``doc_id`` and ``start``:

        - ``doc_id``: the document.
        - ``sentence_id``: the sentence (from 1), as in :func:`analysis.tokenize`.
        - ``start``, ``end``: character offsets, ``text[start:end]`` is the mention.
        - ``text``: the mention ("Thursday, May 16", "by the fall", "last month").
        - ``date``: the first day of the referred period (``pl.Date``); null when a relative
          expression cannot be resolved (no publication date).
        - ``granularity``: ``"day"``, ``"week"`` (weeks start on Monday), ``"month"``,
          ``"season"`` or ``"year"``.
        - ``kind``: ``"absolute"`` (the text fixes the date) or ``"relative"`` (resolved
          against the publication date).
        - ``anchor``: the document's publication date (null when unknown).
        - ``note``: null, or why the row is special: a weekday that contradicts the date
          ("weekday conflict: ..."), or "unresolved: no publication date".

    Notes
    -----
    The resolution rules are the table :data:`analysis.time._resolution.DATE_RULES`
    (``docs/dates.md``).
    Not handled: times of day, "today", "now", "the weekend", "last night", holidays and named
    days ("Victory Day"), decades ("the 1990s"), date ranges as one mention ("20–22 March" gives
    no mention; "from March to May" gives only "from March"), numeric dates other than ISO
    ("22/02/2023"), and expressions anchored on another event ("the day before", "a day after").

    Speed: the words every mention contains (:data:`ANCHOR_PATTERN`) are found by polars for
    all documents at once; the grammar runs only in a window around each, and sentences are
    split only for documents with an anchor word (or taken from ``tokens``).

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> docs = pl.DataFrame({"doc_id": ["a"], "published": [date(2023, 3, 22)],
    ...     "text": ["Xi arrived on Monday, March 20. He praised the 12-point plan of "
    ...              "February 2023 and will leave by the fall."]})
    >>> extract_dates(docs).select("sentence_id", "text", "date", "granularity", "kind")
    shape: (3, 5)
    ┌─────────────┬──────────────────┬────────────┬─────────────┬──────────┐
    │ sentence_id ┆ text             ┆ date       ┆ granularity ┆ kind     │
    │ ---         ┆ ---              ┆ ---        ┆ ---         ┆ ---      │
    │ u32         ┆ str              ┆ date       ┆ str         ┆ str      │
    ╞═════════════╪══════════════════╪════════════╪═════════════╪══════════╡
    │ 1           ┆ Monday, March 20 ┆ 2023-03-20 ┆ day         ┆ relative │
    │ 2           ┆ February 2023    ┆ 2023-02-01 ┆ month       ┆ absolute │
    │ 2           ┆ by the fall      ┆ 2023-09-01 ┆ season      ┆ relative │
    └─────────────┴──────────────────┴────────────┴─────────────┴──────────┘
    """
    require_columns(docs, ["doc_id", text_column], what="docs")
    if date_column in docs.columns:
        dtype = docs.schema[date_column]
        if not (dtype == pl.Date or isinstance(dtype, pl.Datetime) or dtype == pl.Null):
            raise ValueError(
                f"docs column {date_column!r} must hold dates (pl.Date), found {dtype}; "
                "parse it first or load the corpus with analysis.load_corpus"
            )
        pub = pl.col(date_column).cast(pl.Date)
    else:
        pub = pl.lit(None, dtype=pl.Date)
    if docs["doc_id"].is_duplicated().any():
        dupes = docs.filter(pl.col("doc_id").is_duplicated())["doc_id"].unique().sort()
        raise ValueError(f"docs: doc_id must be unique (sentences are per document); "
                         f"repeated: {dupes.head(5).to_list()}")
    sentence_starts = _sentence_starts(tokens)
    parts = [pl.DataFrame(schema=DATE_SCHEMA)]
    for first in range(0, docs.height, BATCH_DOCS):
        batch = docs.slice(first, BATCH_DOCS).select(
            "doc_id", pl.col(text_column).alias("__text"), pub.alias("__pub"))
        batch = batch.with_columns(__anchors=anchor_offsets(batch["__text"])).filter(
            pl.col("__anchors").list.len() > 0)
        known = sentence_starts
        if known is None:  # sentences of the documents that may mention a date, in one pass
            known = _sentence_starts_of(tokenize(batch.select("doc_id", text=pl.col("__text")),
                                                 stopwords="none"))
        batch = batch.join(known.rename({"start": "__starts"}), on="doc_id", how="left",
                           maintain_order="left")
        rows: list[tuple[Any, ...]] = []
        for doc_id, text, day, anchors, starts in batch.iter_rows():
            if starts is None:
                raise ValueError(f"document {doc_id!r} is not in tokens; pass the token "
                                 "table of these documents")
            rows.extend(_doc_mentions(doc_id, text, day, anchors, starts))
        parts.append(pl.DataFrame(rows, schema=DATE_SCHEMA, orient="row"))
    return pl.concat(parts).sort("doc_id", "start", maintain_order=True)
