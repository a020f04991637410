"""Old names of the counting functions, kept as aliases for one release (no code of its own).

Term counts live in :mod:`analysis.terms._counting`, co-occurrence in
:mod:`analysis.pairs._cooccurrence_counts` and collocations in :mod:`analysis.pairs._collocations`:

- ``count_terms``, ``count_terms_to_parquet``, ``sentence_terms``: kept as aliases of
  :mod:`analysis.terms._counting` (where term counting lives) for one release.
- ``cooccurrence_counts``, ``top_terms``, ``cooccurrence_table``, ``cooccurrence_partial``,
  ``cooccurrence_result``: kept as aliases of :mod:`analysis.pairs._cooccurrence_counts` (the one
  co-occurrence kernel) for one release.
- ``collocations``, ``collocation_counts``, ``collocation_table``, ``collocation_join``: kept
  as aliases of :mod:`analysis.pairs._collocations` for one release.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    import numpy as np

from analysis.engine._frames import require_tokens, to_polars
from analysis.pairs import _collocations as _collocations
from analysis.pairs import _cooccurrence_counts as _cooc
from analysis.terms import _counting as counting

# ----------------------------------------------------------------------------------------------
# term counts: moved to analysis.counting (one implementation); names kept as aliases

COUNT_SCHEMA = counting.COUNT_SCHEMA
SENTENCE_SCHEMA = counting.SENTENCE_SCHEMA
count_terms = counting.count_terms
count_terms_to_parquet = counting.count_terms_to_parquet
sentence_terms = counting.sentence_terms


# ----------------------------------------------------------------------------------------------
# co-occurrence counts

# co-occurrence: counted in analysis.cooccurrence_counts (one kernel); names kept for a release

Context = _cooc.UnitContext
CountRule = _cooc.CountRule
cooccurrence_counts = _cooc.cooccurrence_counts


def top_terms(counts: Any, k: int) -> list[str]:
    """The ``k`` most frequent terms of a count or token table (ties broken by term), in that
    order (alias: :func:`analysis.pairs._cooccurrence_counts.top_items` on ``item_totals``).

    >>> top_terms(pl.DataFrame({"term": ["b", "a", "c", "a"], "n": [2, 1, 1, 1]}), 2)
    ['a', 'b']
    """
    table = to_polars(counts, what="counts")
    weight = pl.col("n").sum() if "n" in table.columns else pl.len()
    totals = table.group_by(item="term").agg(n=weight)
    return totals.sort(["n", "item"], descending=[True, False]).head(k)["item"].to_list()


def cooccurrence_table(table: pl.DataFrame, context: Context, skip_stopwords: bool,
                       skip_punct: bool) -> tuple[pl.DataFrame, list[str]]:
    """Alias (old signature) of :func:`analysis.pairs._cooccurrence_counts.cooccurrence_table`:
    the counted rows (``item`` as ``term``) and the unit columns."""
    tab = _cooc.cooccurrence_table(table, context=context, include_stop=not skip_stopwords,
                                   include_punct=not skip_punct)
    return tab.rename({"item": "term"}), _cooc.UNITS[context]


def cooccurrence_partial(tab: pl.DataFrame, unit: list[str], vocab: list[str],
                         count: CountRule) -> tuple[np.ndarray, np.ndarray, int]:
    """Alias (old signature) of :func:`analysis.pairs._cooccurrence_counts.cooccurrence_parts`:
    ``(X.T @ X, margins, N)``."""
    parts = _cooc.cooccurrence_parts(tab.select(*unit, item="term", n="n"), vocab, count=count)
    return parts.gram, parts.margins, parts.total


def cooccurrence_result(vocab: list[str], gram: np.ndarray, marg: np.ndarray, big_n: int,
                        min_n: int = 1) -> pl.DataFrame:
    """Alias (old signature) of :func:`analysis.pairs._cooccurrence_counts.cooccurrence_pairs`."""
    import numpy as np

    parts = _cooc.CooccurrenceParts(gram, marg, np.zeros(len(vocab), dtype=np.int64), big_n)
    return _cooc.cooccurrence_pairs(vocab, parts, min_n=min_n)


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
    :func:`analysis.pairs._collocations.collocations`, same options).

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
