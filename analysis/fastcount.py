"""Counting without a token table: term counts and co-occurrence counts for millions of documents.

This is not a second engine: the tokens are those of :func:`analysis.tokenize` (the same
tokenizer, :func:`analysis.tokenize.scan_terms`, without offsets or sentences), collocations
are counted in :mod:`analysis.collocations`, and the measures come from
:mod:`analysis.measures`. What lives here:

- ``count_terms``, ``count_terms_to_parquet``, ``sentence_terms``: kept as aliases of
  :mod:`analysis.counting` (where term counting lives) for one release.
- :func:`cooccurrence_counts`: pairs of the most frequent terms sharing a document or sentence,
  as ``X.T @ X`` of the unit-by-term incidence matrix (per-part :func:`cooccurrence_partial`,
  summed by :mod:`analysis.distributed`, finished by :func:`cooccurrence_result`);
  :func:`analysis.cooccurrence.cooccurrence` with ``top=`` runs the same kernel.
- ``collocations``, ``collocation_counts``, ``collocation_table``, ``collocation_join``: kept
  as aliases of :mod:`analysis.collocations` for one release.

Every function shows a tqdm progress bar over its batches when there are more than 2,000
documents (``progress=False`` switches it off, ``True`` forces it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

if TYPE_CHECKING:
    import numpy as np

import analysis.collocations as _collocations
from analysis import counting, measures
from analysis.frames import as_kind, is_pandas, require_columns, require_tokens, to_polars

# ----------------------------------------------------------------------------------------------
# term counts: moved to analysis.counting (one implementation); names kept as aliases

COUNT_SCHEMA = counting.COUNT_SCHEMA
SENTENCE_SCHEMA = counting.SENTENCE_SCHEMA
count_terms = counting.count_terms
count_terms_to_parquet = counting.count_terms_to_parquet
sentence_terms = counting.sentence_terms


# ----------------------------------------------------------------------------------------------
# co-occurrence counts

Context = Literal["document", "sentence"]
CountRule = Literal["documents", "frequency"]


def top_terms(counts: Any, k: int) -> list[str]:
    """The ``k`` most frequent terms of a count or token table (ties broken by term).

    >>> top_terms(pl.DataFrame({"term": ["b", "a", "c", "a"], "n": [2, 1, 1, 1]}), 2)
    ['a', 'b']
    """
    table = to_polars(counts, what="counts")
    weight = pl.col("n").sum() if "n" in table.columns else pl.len()
    return (
        table.group_by("term")
        .agg(__n=weight)
        .sort(["__n", "term"], descending=[True, False])
        .head(k)["term"]
        .to_list()
    )


def _unit_codes(table: pl.DataFrame, unit: list[str]) -> pl.Expr:
    """An integer (UInt64) naming each unit: the document's hash code, and its sentence id."""
    doc = pl.col("doc_id").cast(pl.String).cast(pl.Categorical).to_physical().cast(pl.UInt64)
    if len(unit) == 1:
        return doc
    return doc * (2**32) + pl.col("sentence_id").cast(pl.UInt64)


def _incidence(table: pl.DataFrame, unit: list[str], vocab: list[str],
               count: CountRule) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(row, column, value) of the unit-by-term matrix over ``vocab``; number of rows."""
    import numpy as np

    index = pl.DataFrame({"term": vocab, "__col": np.arange(len(vocab), dtype=np.uint32)},
                         schema={"term": pl.String, "__col": pl.UInt32})
    cells = (
        table.lazy()
        .filter(pl.col("term").is_in(vocab))
        .join(index.lazy(), on="term", how="inner")
        .group_by(__unit=pl.col("__unit") if "__unit" in table.columns
                  else _unit_codes(table, unit), __col="__col")
        .agg(__v=pl.col("n").sum())
        .collect()
    )
    units, rows = np.unique(cells["__unit"].to_numpy(), return_inverse=True)
    values = np.ones(cells.height) if count == "documents" else cells["__v"].to_numpy()
    return rows.astype(np.int64), cells["__col"].to_numpy(), values, len(units)


def _gram(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n_rows: int, k: int,
          block: int = 8_192, method: Literal["auto", "dense", "sparse"] = "auto") -> np.ndarray:
    """``X.T @ X`` for the sparse ``X`` given by coordinates, exactly, as int64.

    Dense BLAS (``ssyrk``, the symmetric product, half the work of a general one) on row
    blocks when rows are dense enough (documents over a top-1000 vocabulary usually are),
    scipy's sparse product otherwise (sentences).
    """
    import numpy as np

    out = np.zeros((k, k), dtype=np.int64)
    if n_rows == 0 or k == 0:
        return out
    density = rows.size / (n_rows * k)
    integral = bool(np.all(values == np.round(values)))
    block = max(1, min(block, n_rows))
    exact_dense = integral and float(values.max()) ** 2 * block < 2**24
    if method == "dense" or (method == "auto" and density > 0.02 and exact_dense):
        from scipy.linalg.blas import ssyrk

        order = np.argsort(rows, kind="stable")
        rows, cols, values = rows[order], cols[order], values[order]
        bounds = np.searchsorted(rows, np.arange(0, n_rows + block, block))
        dense = np.zeros((block, k), dtype=np.float32, order="F")
        upper = np.zeros((k, k), dtype=np.float64)
        for i in range(len(bounds) - 1):
            lo, hi = bounds[i], bounds[i + 1]
            if lo == hi:
                continue
            height = min(block, n_rows - i * block)
            part = dense[:height]
            part[:] = 0
            part[rows[lo:hi] - i * block, cols[lo:hi]] = values[lo:hi]
            # upper triangle of part.T @ part; exact in float32 (every sum < 2**24)
            upper += np.rint(ssyrk(1.0, part, trans=1, lower=0))
        upper = np.triu(upper)
        out = (upper + np.triu(upper, 1).T).astype(np.int64)
        return out
    from scipy import sparse

    x = sparse.csr_matrix((values, (rows, cols)), shape=(n_rows, k))
    if integral:
        x = x.astype(np.int64)
    return np.asarray((x.T @ x).todense()).astype(np.int64)



def cooccurrence_table(table: pl.DataFrame, context: Context, skip_stopwords: bool,
                       skip_punct: bool) -> tuple[pl.DataFrame, list[str]]:
    """The rows :func:`cooccurrence_counts` counts (with an ``n`` column) and the unit columns."""
    unit = ["doc_id"] if context == "document" else ["doc_id", "sentence_id"]
    require_columns(table, [*unit, "term"], what="table")
    tab = table
    if skip_stopwords and "is_stop" in tab.columns:
        tab = tab.filter(~pl.col("is_stop").fill_null(False))
    if skip_punct and "is_punct" in tab.columns:
        tab = tab.filter(~pl.col("is_punct").fill_null(False))
    tab = tab.filter(pl.col("term").is_not_null())
    if "n" not in tab.columns:  # a token table: each row is one occurrence
        tab = tab.with_columns(n=pl.lit(1, dtype=pl.Int64))
    return tab.select(*unit, "term", pl.col("n").cast(pl.Int64)), unit


def cooccurrence_partial(tab: pl.DataFrame, unit: list[str], vocab: list[str],
                         count: CountRule) -> tuple[np.ndarray, np.ndarray, int]:
    """``(X.T @ X, margins over vocab, N)`` of one part; parts split by document add up."""
    import numpy as np

    tab = tab.with_columns(__unit=_unit_codes(tab, unit))
    rows, cols, values, n_rows = _incidence(tab, unit, vocab, count)
    gram = _gram(rows, cols, values, n_rows, len(vocab))
    if count == "documents":
        big_n = tab["__unit"].n_unique() if tab.height else 0
        marg = np.diag(gram).copy()  # units holding the term
    else:
        big_n = int(tab["n"].sum() or 0)
        marg = np.bincount(cols, weights=values, minlength=len(vocab)).astype(np.int64)
    return gram, marg, int(big_n)


def cooccurrence_result(vocab: list[str], gram: np.ndarray, marg: np.ndarray, big_n: int,
                        min_n: int = 1) -> pl.DataFrame:
    """The tidy table of :func:`cooccurrence_counts` from the (summed) partial counts."""
    import numpy as np

    i, j = np.triu_indices(len(vocab), k=1)
    keep = gram[i, j] >= min_n
    i, j = i[keep], j[keep]
    # sorted by n (descending), item1, item2 on integers: vocab is sorted, so indices are too
    order = np.lexsort((j, i, -gram[i, j]))
    i, j = i[order], j[order]
    names = pl.Series(vocab, dtype=pl.String)
    margins = pl.Series(marg, dtype=pl.Int64)
    out = pl.DataFrame({"item1": names.gather(i), "item2": names.gather(j),
                        "n": pl.Series(gram[i, j], dtype=pl.Int64), "n1": margins.gather(i),
                        "n2": margins.gather(j)})
    n, n1, n2 = (pl.col(c).cast(pl.Float64) for c in ("n", "n1", "n2"))
    return out.with_columns(
        pmi=measures.pmi(n, n1, n2, float(big_n)),
        dice=measures.dice(n, n1, n2),
        logdice=measures.log_dice(n, n1, n2),
    )


def cooccurrence_counts(
    table: Any,
    *,
    context: Context = "document",
    top: int | None = 1_000,
    terms: Sequence[str] | None = None,
    count: CountRule = "documents",
    min_n: int = 1,
    include_stop: bool = False,
    include_punct: bool = False,
) -> Any:
    """Count how often pairs of frequent terms occur in the same document or sentence.

    Parameters
    ----------
    table
        Per-document counts from :func:`count_terms` (``doc_id, term, n``) for
        ``context="document"``, or a token table with ``sentence_id`` (:func:`sentence_terms`
        or :func:`analysis.tokenize`) for either context.
    context
        ``"document"`` or ``"sentence"``: the unit both terms must share.
    top
        Use the ``top`` most frequent terms (after the stop-word and punctuation filters; ties
        broken by term); ``None`` for all of them (mind the size: ``top**2`` cells).
    terms
        Use these terms instead of the most frequent ones.
    count
        ``"documents"``: the number of units containing both terms. ``"frequency"``: the sum
        over units of ``n_i * n_j`` (quanteda's ``fcm`` count).
    min_n
        Keep pairs with ``n`` at least this.
    include_stop, include_punct
        Count stop-words / punctuation terms too; by default (False) they are left out
        (``is_stop`` / ``is_punct``, when the table has them) before anything is counted.

    Returns
    -------
    DataFrame
        One row per unordered pair that co-occurs at least once, ``item1 < item2``, sorted by
        ``n`` (descending), ``item1``, ``item2``:

        - ``item1``, ``item2``: the terms.
        - ``n``: the count defined by ``count``.
        - ``n1``, ``n2``: units holding each term (``"documents"``) or its occurrences
          (``"frequency"``).
        - ``pmi``: :math:`\\log_2 (n N / (n_1 n_2))`, with ``N`` the units holding any counted
          term (``"documents"``) or the counted occurrences (``"frequency"``).
        - ``dice``: :math:`2 n / (n_1 + n_2)`; ``logdice``: :math:`14 + \\log_2` ``dice``.

        These are the columns and the counting rule of
        :func:`analysis.cooccurrence.cooccurrence` for sentence and document contexts, for the
        pairs of the chosen terms.

    Notes
    -----
    With :math:`X` the unit-by-term matrix (binary for ``"documents"``, counts otherwise),
    the counts are :math:`C = X^T X`; polars builds the coordinates of :math:`X`, the product
    is a dense BLAS product on blocks of rows when :math:`X` is dense enough (documents) and
    scipy's sparse product otherwise (sentences). Results are exact integers.

    Examples
    --------
    >>> counts = pl.DataFrame({"doc_id": ["a", "a", "b", "b", "c"],
    ...                        "term": ["putin", "xi", "putin", "xi", "xi"], "n": [2, 1, 1, 1, 4]})
    >>> cooccurrence_counts(counts).select("item1", "item2", "n", "n1", "n2", "dice")
    shape: (1, 6)
    ┌───────┬───────┬─────┬─────┬─────┬──────┐
    │ item1 ┆ item2 ┆ n   ┆ n1  ┆ n2  ┆ dice │
    │ ---   ┆ ---   ┆ --- ┆ --- ┆ --- ┆ ---  │
    │ str   ┆ str   ┆ i64 ┆ i64 ┆ i64 ┆ f64  │
    ╞═══════╪═══════╪═════╪═════╪═════╪══════╡
    │ putin ┆ xi    ┆ 2   ┆ 2   ┆ 3   ┆ 0.8  │
    └───────┴───────┴─────┴─────┴─────┴──────┘
    >>> cooccurrence_counts(counts, count="frequency").select("n", "n1", "n2").row(0)
    (3, 3, 6)
    """
    if context not in ("document", "sentence"):
        raise ValueError(f"context must be 'document' or 'sentence', got {context!r}")
    if count not in ("documents", "frequency"):
        raise ValueError(f"count must be 'documents' or 'frequency', got {count!r}")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ValueError(f"top must be a positive integer or None, got {top!r}")
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        raise ValueError(f"min_n must be a positive integer, got {min_n!r}")
    pandas = is_pandas(table)
    tab, unit = cooccurrence_table(to_polars(table, what="cooccurrence_counts()'s table"),
                                   context, not include_stop, not include_punct)
    if terms is not None:
        vocab = sorted(set(terms))
    else:
        vocab = sorted(top_terms(tab, top if top is not None else tab.height))
    gram, marg, big_n = cooccurrence_partial(tab, unit, vocab, count)
    out = cooccurrence_result(vocab, gram, marg, big_n, min_n)
    return as_kind(out, pandas)


# ----------------------------------------------------------------------------------------------
# collocations: counted in analysis.collocations (one implementation); names kept for a release

SkipHow = _collocations.SkipHow
collocation_table = _collocations.collocation_table
collocation_join = _collocations.collocation_join
collocations = _collocations.collocations


def collocation_counts(
    tokens: Any,
    *,
    span: int = 2,
    min_n: int = 1,
    include_stop: bool = True,
    include_punct: bool = False,
    skip_how: SkipHow = "filter",
) -> tuple[pl.DataFrame, int]:
    """Pair and word counts behind collocation measures (the counting of
    :func:`analysis.collocations.collocations`, same options).

    Returns
    -------
    (DataFrame, int)
        The table ``term1, term2, n, n1, n2`` (unsorted) and ``N``, the number of tokens
        counted in ``n1``/``n2``.
    """
    _collocations.check_options(span, ["ll"], min_n, skip_how)
    table = to_polars(tokens, what="tokens")
    require_tokens(table, verb="collocation_counts()")
    tab = collocation_table(table, include_stop=include_stop, include_punct=include_punct,
                            skip_how=skip_how)
    pairs, words, big_n = _collocations.collocation_parts(tab, span, skip_how)
    return collocation_join(pairs.filter(pl.col("n") >= min_n), words), big_n


__all__ = [
    "COUNT_SCHEMA",
    "SENTENCE_SCHEMA",
    "collocation_counts",
    "collocation_join",
    "collocation_table",
    "collocations",
    "cooccurrence_counts",
    "cooccurrence_partial",
    "cooccurrence_result",
    "cooccurrence_table",
    "count_terms",
    "count_terms_to_parquet",
    "sentence_terms",
    "top_terms",
]
