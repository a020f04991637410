"""Term counts and tf-idf: which words dominate, and which mark a document.

Tidy verbs on the token table of :func:`analysis.tokenize` (or a count table):

- :func:`term_frequency` counts terms per group (document, outlet, year, whole corpus);
- :func:`tf_idf` weights per-document counts by how rare a term is across documents, under three
  named conventions (tidytext, quanteda, scikit-learn);
- :func:`document_frequency_part` / :func:`combine_document_frequency`: document frequency
  per batch and its combine (used by :func:`tf_idf` and the Dask path).

:func:`analysis.terms._keyness.keyness` (in its own module) compares a target group against a
reference with the statistics corpus linguists use (log-likelihood G², chi-squared, Log Ratio,
%DIFF).

:func:`add_group` derives a group column (an outlet, or a period such as ``published:year``)
from the documents table and joins it onto the tokens, so any of these can run "by year";
:func:`compare_groups` does that, counts, and settles the target and reference of a keyness
comparison (with documented fallbacks), returning a :class:`GroupComparison`.
The ``plot_*`` functions (in :mod:`analysis.terms._charts`, re-exported here) turn the results
into Altair charts.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal, NamedTuple, cast

import polars as pl

from analysis.engine._frames import (
    Frame,
    is_count_table,
    require_columns,
    tidy,
)
from analysis.engine._runs import frequency_table
from analysis.engine._term_counts import combine_term_counts, term_counts, term_counts_part

PeriodUnit = Literal["year", "quarter", "month", "week", "day"]

STAT_COLUMNS: frozenset[str] = frozenset(
    {"n", "total", "per_million", "docfreq", "rank", "tf", "idf", "tf_idf"}
)
"""Columns that :func:`term_frequency` and :func:`tf_idf` add; any other column of a counts
table (besides ``term``) is a group column."""


def _as_by(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


# --------------------------------------------------------------------------------------------
# term frequency


@tidy
def term_frequency(
    tokens: Frame,
    *,
    by: str | Sequence[str] | None = ("doc_id",),
    include_stop: bool = False,
    include_punct: bool = False,
    term_column: str = "term",
) -> Frame:
    """Count terms per group: one row per group and term.

    Parameters
    ----------
    tokens
        The token table of :func:`analysis.tokenize` (or of :func:`analysis.terms._ngrams.ngrams` /
        :func:`analysis.tokens._phrases.compound`): ``doc_id``, ``term``, ``is_stop``, ``is_punct``,
        plus the grouping columns; or a count table (``count_terms``, any table with ``n``),
        whose ``n`` are summed.
    by
        Grouping column(s): ``"doc_id"`` (default), ``"outlet"``, a column made by
        :func:`add_group` such as ``"published_year"``, several columns, or ``None`` for the
        whole corpus.
    include_stop, include_punct
        Count stop-words / punctuation tokens too (both excluded by default; excluded tokens
        count in neither ``n`` nor ``total``).
    term_column
        The column holding the term (``"token"`` counts case-sensitive surface forms).

    Returns
    -------
    DataFrame
        Sorted by group, ``rank`` and ``term``; columns:

        - the ``by`` columns (none for ``by=None``);
        - ``term``;
        - ``n``: occurrences of the term in the group;
        - ``total``: counted tokens in the group (the sum of ``n`` over its terms);
        - ``per_million``: ``n / total * 1_000_000``;
        - ``docfreq``: documents of the group that contain the term (1 when grouping by
          document);
        - ``rank``: 1 for the most frequent term of the group; ties share the lowest rank
          ("competition" ranking: 1, 2, 2, 4).

    Notes
    -----
    The sum of ``n`` is the number of counted tokens, so per-group counts add up to the
    counts of ``by=None``.

    Examples
    --------
    >>> import polars as pl
    >>> toks = pl.DataFrame({"doc_id": ["a", "a", "a", "b", "b"],
    ...                      "term": ["putin", "xi", "putin", "xi", "the"],
    ...                      "is_stop": [False, False, False, False, True],
    ...                      "is_punct": [False] * 5})
    >>> term_frequency(toks, by=None)
    shape: (2, 6)
    ┌───────┬─────┬───────┬─────────────┬─────────┬──────┐
    │ term  ┆ n   ┆ total ┆ per_million ┆ docfreq ┆ rank │
    │ ---   ┆ --- ┆ ---   ┆ ---         ┆ ---     ┆ ---  │
    │ str   ┆ i64 ┆ i64   ┆ f64         ┆ i64     ┆ i64  │
    ╞═══════╪═════╪═══════╪═════════════╪═════════╪══════╡
    │ putin ┆ 2   ┆ 4     ┆ 500000.0    ┆ 1       ┆ 1    │
    │ xi    ┆ 2   ┆ 4     ┆ 500000.0    ┆ 2       ┆ 1    │
    └───────┴─────┴───────┴─────────────┴─────────┴──────┘
    >>> term_frequency(toks)["n"].to_list()
    [2, 1, 1]
    """
    tokens = cast("pl.DataFrame", tokens)  # @tidy hands the body a polars DataFrame
    groups = _as_by(by)
    need = ["doc_id", term_column, *groups]
    if not include_stop:
        need.append("is_stop")
    if not include_punct:
        need.append("is_punct")
    try:
        require_columns(tokens, list(dict.fromkeys(need)), what="tokens")
    except ValueError as err:
        hint = ""
        if any(":" in g for g in groups):
            hint = " (a period such as 'published:year' is added first with add_group())"
        raise ValueError(f"{err}{hint}") from None
    keys = [*groups, term_column]
    out = None
    if "doc_id" in groups:  # one packed integer key, grouped by sorting (analysis.runs)
        flags = [f for f, keep in (("is_stop", include_stop), ("is_punct", include_punct))
                 if not keep]
        # only the columns counted (a selection copies nothing), then one filter
        kept = tokens.select(*dict.fromkeys(["doc_id", *keys, *flags]),
                             *(["n"] if is_count_table(tokens) else []))
        if flags:
            kept = kept.filter(*(~pl.col(f) for f in flags)).drop(
                f for f in flags if f not in ("doc_id", *keys))
        if is_count_table(kept):
            kept = kept.filter(pl.col("n") > 0)
        out = frequency_table(kept, groups, term_column, is_count_table(kept))
        if out is not None:  # sorted by the groups: keep polars' sorted flag
            out = out.with_columns(pl.col(groups[0]).set_sorted())
    if out is None:  # per batch of whole documents, added up (analysis.term_counts); also
        # document keys wider than 64 bits
        counts = term_counts(tokens, groups, term_column=term_column,
                             include_stop=include_stop, include_punct=include_punct)
        out = frequency_columns(counts, groups, term_column)  # sorted by the groups
    return out.rename({term_column: "term"}) if term_column != "term" else out


def frequency_columns(counts: pl.DataFrame, groups: Sequence[str] = (),
                      term: str = "term") -> pl.DataFrame:
    """The columns of :func:`term_frequency` from counts per group and term (``groups``,
    ``term``, ``n``, ``docfreq``): ``total``, ``per_million`` and ``rank`` added, sorted by
    group, rank and term. Shared by :func:`term_frequency` and
    :func:`analysis.terms._ngrams.ngram_frequency`.

    Examples
    --------
    >>> counts = pl.DataFrame({"term": ["xi", "putin", "un"], "n": [1, 3, 1],
    ...                        "docfreq": [1, 2, 1]})
    >>> frequency_columns(counts).select("term", "total", "rank").rows()
    [('putin', 5, 1), ('un', 5, 2), ('xi', 5, 2)]
    """
    groups = list(groups)
    total = pl.col("n").sum()
    rank = pl.col("n").rank("min", descending=True)
    if groups:
        total = total.over(groups)
        rank = rank.over(groups)
    counts = counts.with_columns(total=total.cast(pl.Int64), rank=rank.cast(pl.Int64))
    counts = counts.with_columns(per_million=pl.col("n") / pl.col("total") * 1_000_000)
    out = counts.select(*groups, term, "n", "total", "per_million", "docfreq", "rank")
    return out.sort([*groups, "rank", term])  # polars flags the first group column sorted


# --------------------------------------------------------------------------------------------
# tf-idf


def group_columns(table: pl.DataFrame) -> list[str]:
    return [c for c in table.columns if c != "term" and c not in STAT_COLUMNS]


def infer_group(table: pl.DataFrame, given: str | None, *, what: str,
                 prefer: str | None = None) -> str:
    if given is not None:
        require_columns(table, [given], what=what)
        return given
    candidates = group_columns(table)
    if prefer is not None and prefer in candidates:
        return prefer
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValueError(
            f"{what} has no group column (only {table.columns}); count with "
            "term_frequency(tokens, by=...) grouped by document, outlet or period"
        )
    raise ValueError(f"{what} has several group columns {candidates}; say which with by=...")


TfIdfScheme = Literal["tidytext", "quanteda", "sklearn"]


@tidy
def tf_idf(
    counts: Frame,
    *,
    scheme: TfIdfScheme = "tidytext",
    normalize: bool | None = None,
    document: str | None = None,
) -> Frame:
    """Add term frequency, inverse document frequency and their product to per-document counts.

    Parameters
    ----------
    counts
        One row per document and term with a count ``n``, as ``term_frequency(tokens)`` or
        ``count_terms(docs)`` return (extra statistic columns are ignored); a token table
        (no ``n``) is counted first, every row as one occurrence.
    scheme
        The convention (``N`` = documents in ``counts``, ``df`` = documents containing the
        term, ``n`` = count of the term in the document):

        - ``"tidytext"`` (``bind_tf_idf``): ``tf = n / sum(n of the document)``,
          ``idf = ln(N / df)``;
        - ``"quanteda"`` (``dfm_tfidf`` defaults): ``tf = n``, ``idf = log10(N / df)``;
        - ``"sklearn"`` (``TfidfVectorizer`` defaults, ``smooth_idf=True``): ``tf = n``,
          ``idf = ln((1 + N) / (1 + df)) + 1``.

        In every scheme ``tf_idf = tf * idf``.
    normalize
        Divide each document's ``tf_idf`` by its Euclidean (l2) norm. ``None`` means the
        scheme's default: on for ``"sklearn"`` (``norm="l2"``), off for the others.
    document
        The document column; default ``doc_id``, or the only group column (so counts per
        outlet treat each outlet as one document).

    Returns
    -------
    DataFrame
        One row per document and term, sorted by document, ``tf_idf`` (descending) and
        ``term``: the document column, ``term``, ``n``, ``tf``, ``idf``, ``tf_idf``.

    Warns
    -----
    UserWarning
        When ``counts`` has more than one row for a document-term pair (as tidytext warns);
        their ``n`` are summed.

    Examples
    --------
    >>> import polars as pl
    >>> counts = pl.DataFrame({"doc_id": ["a", "a", "b"], "term": ["putin", "xi", "xi"],
    ...                        "n": [3, 1, 2]})
    >>> tf_idf(counts).select("doc_id", "term", "tf", pl.col("tf_idf").round(4))
    shape: (3, 4)
    ┌────────┬───────┬──────┬────────┐
    │ doc_id ┆ term  ┆ tf   ┆ tf_idf │
    │ ---    ┆ ---   ┆ ---  ┆ ---    │
    │ str    ┆ str   ┆ f64  ┆ f64    │
    ╞════════╪═══════╪══════╪════════╡
    │ a      ┆ putin ┆ 0.75 ┆ 0.5199 │
    │ a      ┆ xi    ┆ 0.25 ┆ 0.0    │
    │ b      ┆ xi    ┆ 1.0  ┆ 0.0    │
    └────────┴───────┴──────┴────────┘
    """
    if scheme not in ("tidytext", "quanteda", "sklearn"):
        raise ValueError(f"scheme must be 'tidytext', 'quanteda' or 'sklearn', got {scheme!r}")
    counts = cast("pl.DataFrame", counts)  # @tidy hands the body a polars DataFrame
    if not is_count_table(counts):  # a token table: one occurrence per row
        require_columns(counts, [document or "doc_id", "term"], what="tokens")
        counts = counts.group_by(document or "doc_id", "term").agg(n=pl.len())
    doc = infer_group(counts, document, what="counts", prefer="doc_id")
    require_columns(counts, [doc, "term", "n"], what="counts")
    table = counts.select(doc, "term", pl.col("n").cast(pl.Float64))
    dup = table.height - table.select(doc, "term").n_unique()
    if dup:
        warnings.warn(
            f"counts has {dup} repeated {doc}-term row(s); tf-idf expects exactly one row per "
            f"document-term pair (term_frequency(tokens, by={doc!r}) gives that). "
            "Their n were summed.",
            UserWarning,
            stacklevel=3,
        )
        table = table.group_by(doc, "term", maintain_order=True).agg(pl.col("n").sum())
    table = table.filter(pl.col("n") > 0)
    freq = document_frequency_part(table, document=doc)
    n_docs = freq.n_docs
    table = table.join(freq.table.select("term", "docfreq"), on="term", how="left")
    df = pl.col("docfreq").cast(pl.Float64)
    if scheme == "tidytext":
        tf = pl.col("n") / pl.col("n").sum().over(doc)
        idf = (pl.lit(n_docs, pl.Float64) / df).log()
    elif scheme == "quanteda":
        tf = pl.col("n")
        idf = (pl.lit(n_docs, pl.Float64) / df).log10()
    else:
        tf = pl.col("n")
        idf = ((pl.lit(n_docs, pl.Float64) + 1.0) / (df + 1.0)).log() + 1.0
    out = table.with_columns(tf=tf, idf=idf).with_columns(tf_idf=pl.col("tf") * pl.col("idf"))
    if normalize is None:
        normalize = scheme == "sklearn"
    if normalize:
        norm = (pl.col("tf_idf") ** 2).sum().over(doc).sqrt()
        out = out.with_columns(
            tf_idf=pl.when(norm > 0).then(pl.col("tf_idf") / norm).otherwise(pl.col("tf_idf"))
        )
    out = out.select(doc, "term", pl.col("n").cast(pl.Int64), "tf", "idf", "tf_idf")
    return out.sort([doc, "tf_idf", "term"], descending=[False, True, False])


class DocumentFrequency(NamedTuple):
    """The inputs of idf for one or more batches of documents.

    Attributes
    ----------
    table
        The ``by`` columns, ``term``, ``docfreq`` (documents containing the term) and ``n``
        (its occurrences), both Int64.
    n_docs
        Documents with at least one counted term (``N`` of idf).
    """

    table: pl.DataFrame
    n_docs: int


def document_frequency_part(counts: pl.DataFrame, *, document: str = "doc_id",
                            by: Sequence[str] = ()) -> DocumentFrequency:
    """Document frequency of one batch of per-document counts (one row per document and
    term with ``n > 0``; whole documents): batches split by document add up
    (:func:`combine_document_frequency`). Used by :func:`tf_idf` and the Dask verbs.

    The count is :func:`analysis.engine._term_counts.term_counts_part` (the engine's one
    per-batch ``n`` / ``docfreq`` count); this adds ``N``, the documents of the batch.

    Examples
    --------
    >>> counts = pl.DataFrame({"doc_id": ["a", "a", "b"], "term": ["putin", "xi", "xi"],
    ...                        "n": [3, 1, 2]})
    >>> part = document_frequency_part(counts)
    >>> part.table.sort("term").rows(), part.n_docs
    ([('putin', 1, 3), ('xi', 2, 3)], 2)
    """
    rows = counts.select(pl.col(document).alias("doc_id"), *by, "term", "n")
    table = term_counts_part(rows, list(by), include_stop=True, include_punct=True)
    return DocumentFrequency(table.select(*by, "term", "docfreq", "n"),
                             counts[document].n_unique())


def combine_document_frequency(a: DocumentFrequency, b: DocumentFrequency,
                               ) -> DocumentFrequency:
    """Add two batches' :func:`document_frequency_part` (associative, commutative)."""
    return DocumentFrequency(combine_term_counts([a.table, b.table]), a.n_docs + b.n_docs)
