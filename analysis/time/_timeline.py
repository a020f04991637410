"""Coverage over time: documents, tokens and traced terms per calendar period (the news cycle).

:func:`timeline` counts documents and tokens per period of publication (and per group, e.g.
outlet), optionally with the occurrences of given terms or actors, on a complete period grid:
a period in which nothing was published is a row of zeros, never a missing row, so charts show
the gaps in coverage. :func:`plot_documents` draws documents per period stacked by group;
:func:`plot_trends` draws term or actor trends as small multiples
(:mod:`analysis.time._charts`). The periods, their per-batch counts and the date limits are
:mod:`analysis.time._periods`.

The chronology the articles *talk about* (dates mentioned in the text) is
:mod:`analysis.time._dates`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from analysis.engine._batches import BATCH_ROWS, document_slices, in_document_order
from analysis.engine._frames import is_count_table, require_columns, tidy, to_polars
from analysis.engine._term_counts import term_counts_part
from analysis.terms._counting import count_terms
from analysis.time._periods import (
    DateSpec,
    as_date,
    check_every,
    period_counts,
    period_grid,
    period_table,
)
from analysis.tokens._tokenize import tokenize

TermSpec = Sequence[str] | Mapping[str, Sequence[str]] | None
"""Terms to trace: a list of terms or phrases, or ``{label: [alias, ...]}`` (e.g. actors)."""


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


def _term_hits(tokens: pl.DataFrame, groups: dict[str, list[list[str]]], *,
               keep: pl.Series | None = None, rows: int | None = None) -> pl.DataFrame:
    """Occurrences of the traced terms: ``doc_id, term, n`` (``n`` = 1 per occurrence for a
    token table; for a count table, the summed counts of single-word aliases), in no particular
    order; only in the documents ``keep`` (all when ``None``).

    A phrase matches consecutive tokens (punctuation included in the sequence, so a phrase never
    spans a comma). Overlapping aliases of one label count once per starting token. A token
    table is matched a batch of about ``rows`` (default :data:`BATCH_ROWS`) rows of whole
    documents at a time (:func:`analysis.engine._batches.document_slices`, zero-copy) when its
    documents are contiguous and in ``token_id`` order, else as one batch sorted by document
    and ``token_id``; the occurrences of the batches are concatenated (a phrase never spans
    two documents).
    """
    if keep is not None:
        in_keep = pl.col("doc_id").is_in(keep.implode())
    if is_count_table(tokens):  # single words only (checked): the counts of the aliases
        counted = tokens.filter(in_keep) if keep is not None else tokens
        words = counted.select("doc_id", pl.col("term").str.to_lowercase(), pl.col("n"))
        parts = [pl.DataFrame(schema={"doc_id": pl.String, "term": pl.String, "n": pl.Int64})]
        for label, phrases in groups.items():
            alts = sorted({p[0] for p in phrases})
            parts.append(words.filter(pl.col("term").is_in(alts)).select(
                "doc_id", pl.lit(label).alias("term"), pl.col("n").cast(pl.Int64)))
        return pl.concat(parts)
    aliases = pl.DataFrame(
        [(label, list(phrase)) for label, phrases in groups.items() for phrase in phrases],
        schema={"__label": pl.String, "__words": pl.List(pl.String)}, orient="row")
    aliases = aliases.with_columns(__first=pl.col("__words").list.first(),
                                   __len=pl.col("__words").list.len())
    table = tokens.select("doc_id", "token_id", "term")
    in_order = in_document_order(table, order=["token_id"])
    size = BATCH_ROWS if rows is None else rows
    batches = document_slices(table, rows=size) if in_order else [table]
    parts = [pl.DataFrame(schema={"doc_id": table.schema["doc_id"], "term": pl.String,
                                  "token_id": table.schema["token_id"]})]
    for batch in batches:
        if keep is not None:
            batch = batch.filter(in_keep)
        words = batch.with_columns(pl.col("term").str.to_lowercase())
        if not in_order:
            words = words.sort("doc_id", "token_id")
        parts.append(_batch_hits(words, aliases))
    return (pl.concat(parts).unique(["doc_id", "term", "token_id"])
            .select("doc_id", "term", n=pl.lit(1, dtype=pl.Int64)))


def _batch_hits(words: pl.DataFrame, aliases: pl.DataFrame) -> pl.DataFrame:
    """``doc_id, term`` (the label), ``token_id`` where an alias starts, in ``words`` (``doc_id,
    token_id, term`` lower-cased, each document's rows contiguous and in text order): one join
    on every alias's first word finds the candidates; the following words are looked up by row
    position (not a window pass over the tokens per alias word)."""
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
    return cand.select("doc_id", pl.col("__label").alias("term"), "token_id")


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
    start = as_date(start, "start")
    end = as_date(end, "end")
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

    hits = _term_hits(tokens, groups, keep=meta["doc_id"])
    hits = hits.join(meta.select(["doc_id", *keys]), on="doc_id", how="inner")
    # occurrences and documents per period (group) and label: the engine's one n / docfreq count
    counted = term_counts_part(hits, keys, include_stop=True, include_punct=True)
    counts = counted.select(*keys, "term", count=pl.col("n").cast(pl.UInt32),
                            docs_with_term=pl.col("docfreq").cast(pl.UInt32))
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
