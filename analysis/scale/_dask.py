"""The counting verbs on a Dask cluster: the same tables as the local run, for corpora beyond one
machine.

Each function takes a corpus as a Parquet dataset (a file, a folder or a glob, local or on any
filesystem Dask reads, e.g. ``s3://bucket/news/*.parquet``) or as a ``dask.dataframe`` with
``doc_id`` and ``text`` columns (and ``published`` / a group column for
:func:`timeline_counts`), and runs in two steps, *map* and *sum-reduce*:

1. every partition (a row group or file of documents) is counted on a worker by the verb's
   own per-batch function, the one the local verb runs (``count_terms``,
   :func:`analysis.terms._frequency.document_frequency_part`,
   :func:`analysis.pairs._cooccurrence_counts.cooccurrence_parts`,
   :func:`analysis.pairs._collocations.collocation_parts`,
   :func:`analysis.terms._ngrams.ngram_counts_part`,
   :func:`analysis.time._timeline.period_counts`), giving partial counts;
2. partial counts are added up in a tree (``split_every`` at a time) with that capability's
   combine, and the small final table is built on the client by the local finish step.

This module only distributes: it has no counting formula of its own. Documents are never split
across partitions, so per-document counts need no merging and every sum is exact: the results
are *identical* to the local functions (tested on a two-worker ``distributed.LocalCluster``).

Which scheduler runs it
-----------------------
Whatever Dask would use: pass ``client=`` or create a ``distributed.Client`` first (it becomes
the default); without one, Dask's local threaded scheduler runs the tasks. To use a real
cluster, start a scheduler and workers with this package installed in the same versions
(``pip install analysis`` or the project's ``requirements.lock`` on every machine), then::

    from distributed import Client
    from analysis.scale import _dask as ad

    client = Client("tcp://scheduler.example.org:8786")   # the scheduler's address
    totals = ad.term_totals("s3://newsroom-archive/articles/*.parquet", client=client)

For a machine of your own, ``Client(LocalCluster(n_workers=4, threads_per_worker=1))``.
Workers must be able to read the Parquet paths (a shared filesystem or object store).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import reduce
from pathlib import Path
from typing import Any

import polars as pl

from analysis.engine._options import renamed
from analysis.pairs._collocation_counts import (
    CollocationParts,
    SkipHow,
    collocation_join,
    collocation_parts,
    collocation_table,
    combine_collocation_parts,
)
from analysis.pairs._collocations import (
    MEASURES,
    OLD_SPAN,
    check_options,
    collocation_scores,
    window_span,
)
from analysis.pairs._cooccurrence_counts import (
    CooccurrenceParts,
    CountRule,
    UnitContext,
    check_counts_options,
    combine_cooccurrence_parts,
    combine_item_totals,
    cooccurrence_pairs,
    cooccurrence_parts,
    cooccurrence_table,
    item_totals,
    top_items,
)
from analysis.terms import _counting as counting
from analysis.terms._frequency import (
    DocumentFrequency,
    combine_document_frequency,
    document_frequency_part,
)
from analysis.terms._ngrams import PunctHandling, check_ngram_options, ngram_counts_part
from analysis.time._periods import (
    check_every,
    combine_period_counts,
    period_counts,
    period_grid,
    period_table,
)
from analysis.tokens._stopwords import StopwordSpec
from analysis.tokens._tokenize import tokenize

DocSource = Any
"""A Parquet path (str/Path, folder or glob) or a ``dask.dataframe.DataFrame``."""


# ----------------------------------------------------------------------------------------------
# plumbing: partitions, map, tree reduce


def partitions(docs: DocSource, columns: Sequence[str]) -> list[Any]:
    """One ``dask.delayed`` pandas DataFrame per partition of ``docs`` (``columns`` only)."""
    import dask.dataframe as dd

    if isinstance(docs, str | Path):
        ddf = dd.read_parquet(str(docs), columns=list(columns), split_row_groups=True)
    elif isinstance(docs, dd.DataFrame):
        missing = [c for c in columns if c not in docs.columns]
        if missing:
            raise ValueError(
                f"docs is missing column(s) {missing}; found {list(docs.columns)}"
            )
        ddf = docs[list(columns)]
    else:
        raise TypeError(
            "docs must be a Parquet path or a dask.dataframe.DataFrame, "
            f"got {type(docs).__name__}"
        )
    return list(ddf.to_delayed())


def _polars(part: Any) -> pl.DataFrame:
    frame = pl.from_pandas(part) if not isinstance(part, pl.DataFrame) else part
    return frame.with_columns(pl.col(pl.Categorical).cast(pl.String))


def map_reduce(
    docs: DocSource,
    columns: Sequence[str],
    mapper: Callable[[pl.DataFrame], Any],
    combine: Callable[[Any, Any], Any],
    *,
    client: Any = None,
    split_every: int = 8,
) -> Any:
    """Apply ``mapper`` to every partition (as polars), then add the results up in a tree.

    ``combine(a, b)`` must be associative and commutative (a sum). Runs on ``client`` when
    given, else on Dask's default scheduler.
    """
    import dask

    def run(part: Any) -> Any:
        return mapper(_polars(part))

    def combine_many(*items: Any) -> Any:
        return reduce(combine, items)

    tasks = [dask.delayed(run)(p) for p in partitions(docs, columns)]
    if not tasks:
        raise ValueError("docs has no partitions")
    while len(tasks) > 1:
        tasks = [dask.delayed(combine_many)(*tasks[i:i + split_every])
                 for i in range(0, len(tasks), split_every)]
    if client is not None:
        return client.compute(tasks[0]).result()
    return dask.compute(tasks[0])[0]


# ----------------------------------------------------------------------------------------------
# term counts


def count_terms(
    docs: DocSource,
    *,
    lowercase: bool = True,
    stopwords: StopwordSpec = "default",
    extra_stopwords: Iterable[str] = (),
    include_stop: bool = True,
    include_punct: bool = True,
    client: Any = None,
) -> pl.DataFrame:
    """Per-document term counts: :func:`analysis.terms._counting.count_terms` on the cluster.

    Returns the same table (``doc_id, term, n, is_stop, is_punct``), sorted by ``doc_id`` and
    ``term``. The result has one row per document and term, so it is as large as the corpus
    is long: for corpora that do not fit on the client, aggregate (:func:`term_totals`,
    :func:`document_frequency`) or write per-partition results where the workers run.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> docs = dd.from_dict({"doc_id": ["a", "b"], "text": ["Xi met Putin.", "Putin"]},
    ...                     npartitions=2)
    >>> count_terms(docs, include_punct=False)["n"].to_list()
    [1, 1, 1, 1]
    """
    opts = dict(lowercase=lowercase, stopwords=stopwords, extra_stopwords=extra_stopwords,
                include_stop=include_stop, include_punct=include_punct, progress=False)

    def mapper(part: pl.DataFrame) -> pl.DataFrame:
        return counting.count_terms(part, **opts)  # type: ignore[arg-type]

    def combine(a: pl.DataFrame, b: pl.DataFrame) -> pl.DataFrame:
        return pl.concat([a, b])

    out = map_reduce(docs, ["doc_id", "text"], mapper, combine, client=client)
    return out.sort("doc_id", "term")


def term_totals(
    docs: DocSource,
    *,
    by: str | None = None,
    lowercase: bool = True,
    stopwords: StopwordSpec = "default",
    extra_stopwords: Iterable[str] = (),
    include_stop: bool = False,
    include_punct: bool = False,
    client: Any = None,
) -> pl.DataFrame:
    """Corpus-wide (or per-group) term counts and document frequencies.

    Parameters
    ----------
    docs
        Parquet path or ``dask.dataframe`` with ``doc_id``, ``text`` (and ``by``).
    by
        A document column to count within (e.g. ``"outlet"``), or ``None`` for the corpus.
    lowercase, stopwords, extra_stopwords, include_stop, include_punct
        As in :func:`analysis.terms._counting.count_terms`; stop-words and punctuation are left out
        by default, as in :func:`analysis.terms._frequency.term_frequency`.

    Returns
    -------
    polars.DataFrame
        Sorted by group, ``n`` (descending) and ``term``: the ``by`` column, ``term``, ``n``
        (occurrences), ``docfreq`` (documents containing the term), both Int64. These equal
        the ``n`` and ``docfreq`` of ``term_frequency(tokens, by=by)``.
    """
    keys = ([by] if by else []) + ["term"]
    cols = ["doc_id", "text", *([by] if by else [])]
    opts = dict(lowercase=lowercase, stopwords=stopwords, extra_stopwords=extra_stopwords,
                include_stop=include_stop, include_punct=include_punct, progress=False)

    def mapper(part: pl.DataFrame) -> DocumentFrequency:
        counts = counting.count_terms(part, **opts)  # type: ignore[arg-type]
        if by:
            counts = counts.join(part.select("doc_id", by), on="doc_id", how="left")
        return document_frequency_part(counts, by=keys[:-1])

    out = map_reduce(docs, cols, mapper, combine_document_frequency, client=client).table
    return out.select(*keys, "n", "docfreq").sort(
        [*keys[:-1], "n", "term"], descending=[False] * (len(keys) - 1) + [True, False])


def document_frequency(
    docs: DocSource,
    *,
    lowercase: bool = True,
    stopwords: StopwordSpec = "default",
    extra_stopwords: Iterable[str] = (),
    include_stop: bool = False,
    include_punct: bool = False,
    client: Any = None,
) -> tuple[pl.DataFrame, int]:
    """The inputs of idf: ``(table of term, docfreq, n, number of documents N)``.

    ``N`` counts the documents with at least one counted term (the documents
    :func:`analysis.terms._frequency.tf_idf` sees in per-document counts). With these, any tf-idf
    scheme
    can be applied partition by partition (``idf = ln(N / docfreq)`` for ``"tidytext"``).
    """
    opts = dict(lowercase=lowercase, stopwords=stopwords, extra_stopwords=extra_stopwords,
                include_stop=include_stop, include_punct=include_punct, progress=False)

    def mapper(part: pl.DataFrame) -> DocumentFrequency:
        return document_frequency_part(counting.count_terms(part, **opts))  # type: ignore[arg-type]

    table, n_docs = map_reduce(docs, ["doc_id", "text"], mapper, combine_document_frequency,
                               client=client)
    return table.select("term", "docfreq", "n").sort(["docfreq", "term"],
                                                     descending=[True, False]), n_docs


# ----------------------------------------------------------------------------------------------
# collocations and co-occurrence


@renamed(span=OLD_SPAN)
def collocation_counts(
    docs: DocSource,
    *,
    window: int = 1,
    min_n: int = 1,
    include_stop: bool = True,
    include_punct: bool = False,
    skip_how: SkipHow = "filter",
    client: Any = None,
) -> tuple[pl.DataFrame, int]:
    """:func:`analysis.pairs._collocations.collocations` counting over the cluster: ``(term1,
    term2, n, n1,
    n2)`` and ``N``, identical to the local counts (``min_n`` applies to the totals)."""
    span = window_span(window)
    check_options(span, ["ll"], min_n, skip_how)  # before anything runs
    pairs, words, big_n = _collocation_totals(
        docs, span=span, include_stop=include_stop, include_punct=include_punct,
        skip_how=skip_how, client=client,
    )
    counts = collocation_join(pairs.filter(pl.col("n") >= min_n), words)
    return counts.sort("term1", "term2"), big_n


def _collocation_totals(docs: DocSource, *, span: int, include_stop: bool,
                        include_punct: bool, skip_how: SkipHow, client: Any,
                        ) -> CollocationParts:
    """Summed pair counts, word counts and ``N`` over all partitions: the per-batch function
    and the combine of :mod:`analysis.pairs._collocations`."""

    def mapper(part: pl.DataFrame) -> CollocationParts:
        tokens = counting.sentence_terms(part, progress=False)
        tab = collocation_table(tokens, include_stop=include_stop,
                                include_punct=include_punct, skip_how=skip_how)
        return collocation_parts(tab, span, skip_how)

    return map_reduce(docs, ["doc_id", "text"], mapper, combine_collocation_parts,
                      client=client)


@renamed(span=OLD_SPAN)
def collocations(
    docs: DocSource,
    *,
    window: int = 1,
    measures: Sequence[str] | None = None,
    min_n: int = 1,
    include_stop: bool = True,
    include_punct: bool = False,
    skip_how: SkipHow = "filter",
    client: Any = None,
) -> pl.DataFrame:
    """:func:`analysis.pairs._collocations.collocations` of the corpus, counted on the cluster.

    Same columns, values and order as the local verb on ``analysis.tokenize(docs)``.
    """
    span = window_span(window)
    chosen = check_options(span, MEASURES if measures is None else measures, min_n, skip_how)
    pairs, words, big_n = _collocation_totals(
        docs, span=span, include_stop=include_stop, include_punct=include_punct,
        skip_how=skip_how, client=client,
    )
    return collocation_scores(pairs, words, big_n, span=span, measures=chosen, min_n=min_n)


def cooccurrence_counts(
    docs: DocSource,
    *,
    context: UnitContext = "document",
    top: int | None = 1_000,
    terms: Sequence[str] | None = None,
    count: CountRule = "documents",
    min_n: int = 1,
    include_stop: bool = False,
    include_punct: bool = False,
    client: Any = None,
) -> pl.DataFrame:
    """:func:`analysis.pairs._cooccurrence_counts.cooccurrence_counts` over the cluster (same
    table).

    Two passes when ``terms`` is not given: summed item totals pick the ``top`` terms, then
    each partition's parts (:func:`analysis.pairs._cooccurrence_counts.cooccurrence_parts`) are
    added up and finished as the local verb does.
    """
    check_counts_options(context, count, top, min_n)

    def table(part: pl.DataFrame, unit: UnitContext) -> pl.DataFrame:
        base = (counting.count_terms(part, progress=False) if unit == "document"
                else counting.sentence_terms(part, progress=False))
        return cooccurrence_table(base, context=unit, include_stop=include_stop,
                                  include_punct=include_punct)

    if terms is not None:
        vocab = sorted(set(terms))
    else:
        # occurrences per term: the same totals for sentence and document contexts
        totals = map_reduce(docs, ["doc_id", "text"],
                            lambda part: item_totals(table(part, "document")),
                            combine_item_totals, client=client)
        vocab = top_items(totals, top)

    def mapper(part: pl.DataFrame) -> CooccurrenceParts:
        return cooccurrence_parts(table(part, context), vocab, count=count)

    parts = map_reduce(docs, ["doc_id", "text"], mapper, combine_cooccurrence_parts,
                       client=client)
    return cooccurrence_pairs(vocab, parts, min_n=min_n)


# ----------------------------------------------------------------------------------------------
# n-grams


def ngram_counts(
    docs: DocSource,
    *,
    n: int = 2,
    punct: PunctHandling = "break",
    sep: str = " ",
    include_stop: bool = False,
    include_punct: bool = False,
    client: Any = None,
) -> pl.DataFrame:
    """Corpus-wide n-gram counts: ``term``, ``n``, ``docfreq`` (Int64), sorted by ``n``
    (descending) and ``term``; equal to those columns of
    ``term_frequency(ngrams(tokenize(docs), n=n, punct=punct, sep=sep), by=None,
    include_stop=include_stop, include_punct=include_punct)``.
    """
    check_ngram_options(n, punct)
    def mapper(part: pl.DataFrame) -> DocumentFrequency:
        return ngram_counts_part(tokenize(part), n=n, punct=punct, sep=sep,
                                 include_stop=include_stop, include_punct=include_punct)

    out = map_reduce(docs, ["doc_id", "text"], mapper, combine_document_frequency,
                     client=client).table
    return out.select("term", "n", "docfreq").sort(["n", "term"], descending=[True, False])


# ----------------------------------------------------------------------------------------------
# timeline


def timeline_counts(
    docs: DocSource,
    *,
    every: str = "1mo",
    by: str | None = None,
    date_column: str = "published",
    client: Any = None,
) -> pl.DataFrame:
    """Documents and word tokens per publication period: ``analysis.time._timeline.timeline(docs,
    every=every, by=by)`` without traced terms, on the cluster.

    Returns
    -------
    polars.DataFrame
        ``period`` (first day, ``pl.Date``), the ``by`` column when given (missing values as
        ``"(none)"``), ``n_docs`` and ``n_tokens`` (tokens that are not punctuation), UInt32;
        every period from the first to the last publication date, empty ones as zeros; sorted
        by period and group. Undated documents are left out.
    """
    check_every(every)
    cols = ["doc_id", "text", date_column, *([by] if by else [])]

    def mapper(part: pl.DataFrame) -> pl.DataFrame:
        periods = period_table(part, every=every, by=by, date_column=date_column)
        dated = part.filter(pl.col("doc_id").is_in(periods["doc_id"].implode()))
        tokens = counting.count_terms(dated, stopwords="none", progress=False)
        return period_counts(periods, tokens, by=by)

    counts = map_reduce(docs, cols, mapper, combine_period_counts, client=client)
    return period_grid(counts, every=every, by=by)
