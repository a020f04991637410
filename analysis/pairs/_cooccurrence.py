"""Co-occurrence: which items (terms, actors, ...) occur in the same sentence, document or window.

:func:`cooccurrence` returns tidy unordered pairs (``item1 < item2``), the shape of widyr's
``pairwise_count``; :func:`cooccurrence_matrix` returns the same counts as a symmetric
``scipy.sparse`` matrix and its vocabulary, for vocabularies too large for a table of pairs.

Counting rule
-------------
A *context* is a sentence (``doc_id`` + ``sentence_id``), a document (``doc_id``), or, for
``context="window"``, a pair of occurrences at most ``window`` tokens apart (``token_id``
difference) in the same sentence.

- ``count="documents"``: ``n`` is the number of contexts holding both items; for
  ``context="window"`` the number of sentences in which the two occur within ``window`` tokens
  of each other. ``n1``/``n2`` are the numbers of contexts (sentences for ``"window"``) holding
  each item, ``N`` the number of contexts holding any counted item.
- ``count="frequency"``: ``n`` is the number of pairs of occurrences. For sentence and document
  contexts that is :math:`\\sum_c n_{c,i} \\, n_{c,j}` over contexts :math:`c` (quanteda's
  ``fcm(context = "document")`` rule: an item twice and another three times in one sentence
  make 6); for windows, the number of occurrence pairs at most ``window`` tokens apart.
  ``n1``/``n2`` are the numbers of occurrences of each item, ``N`` the number of counted
  occurrences.
- The diagonal (an item with itself, only with ``diagonal=True``) counts pairs of two
  *different* occurrences of the item: contexts where it occurs at least twice
  (``"documents"``) or :math:`\\sum_c \\binom{n_{c,i}}{2}` occurrence pairs (``"frequency"``).

Skipped tokens (stop-words, punctuation) are removed before counting but keep their place:
window distances are measured in the original ``token_id``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast, get_args

import polars as pl

if TYPE_CHECKING:
    import numpy as np
    import scipy.sparse as sp

from analysis.engine._batches import document_batches
from analysis.engine._codes import ItemCodes, code_items
from analysis.engine._frames import require_columns, require_tokens, tidy, to_polars
from analysis.pairs._cooccurrence_counts import (
    CooccurrenceParts,
    CountRule,
    TableContext,
    all_items,
    combine_cooccurrence_parts,
    combine_item_totals,
    cooccurrence_pairs,
    cooccurrence_parts,
    cooccurrence_sparse,
    cooccurrence_table,
    item_totals,
    top_items,
    window_parts,
)

Context = Literal["sentence", "document", "window"]
Count = Literal["documents", "frequency"]


class CooccurrenceMatrix(NamedTuple):
    """The co-occurrence counts of :func:`cooccurrence_matrix`.

    Attributes
    ----------
    matrix
        Symmetric ``scipy.sparse.csr_array`` (vocabulary x vocabulary, int64) of ``n``.
    vocabulary
        The items, sorted; ``vocabulary[i]`` labels row and column ``i``.
    marginals
        ``n1`` of each item (contexts or occurrences holding it, see the counting rule).
    total
        ``N``: the number of contexts (``"documents"``) or counted occurrences (``"frequency"``).
    """

    matrix: sp.csr_array
    vocabulary: list[str]
    marginals: np.ndarray
    total: int


def _check_options(context: str, count: str, window: int, item: str) -> None:
    if context not in get_args(Context):
        raise ValueError(f"context must be one of {list(get_args(Context))}, got {context!r}")
    if count not in get_args(Count):
        raise ValueError(f"count must be one of {list(get_args(Count))}, got {count!r}")
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ValueError(f"window must be a positive number of tokens, got {window!r}")
    if not isinstance(item, str) or not item:
        raise ValueError(f"item must name a column of the table, got {item!r}")


def _counted(tokens: Any, context: str, window: int, item: str, count: str,
             include_stop: bool, include_punct: bool, top: int | None,
             ) -> tuple[list[str], CooccurrenceParts]:
    """The vocabulary and the summed counts: the kernel of
    :mod:`analysis.pairs._cooccurrence_counts` for every context (sentences and documents:
    :func:`~analysis.pairs._cooccurrence_counts.cooccurrence_parts`; windows:
    :func:`~analysis.pairs._cooccurrence_counts.window_parts`, the same parts with the windows
    as units), per batch of whole documents (one batch: the table)."""
    table = to_polars(tokens, what="tokens")
    if context == "window":
        require_tokens(table, verb='cooccurrence(context="window")')
        require_columns(table, ["doc_id", "sentence_id", "token_id", item], what="tokens")
    rule = cast("CountRule", count)

    def counted(batch: pl.DataFrame) -> pl.DataFrame:
        return cooccurrence_table(batch, context=cast("TableContext", context), item=item,
                                  include_stop=include_stop, include_punct=include_punct)

    def parts(tab: pl.DataFrame, vocab: list[str],
              coded: ItemCodes | None = None) -> CooccurrenceParts:
        if context == "window":
            return window_parts(tab, vocab, count=rule, window=window, coded=coded)
        return cooccurrence_parts(tab, vocab, count=rule, coded=coded)

    # zero-copy slices of whole documents (one batch: the table)
    batches = (list(document_batches(table)) if "doc_id" in table.columns else []) or [table]
    if len(batches) == 1:  # one batch: the items coded once, for the totals and the incidence
        tab = counted(table)
        coded = code_items(tab["item"])
        vocab = (all_items(tab, coded=coded) if top is None
                 else top_items(item_totals(tab, coded=coded), top))
        return vocab, parts(tab, vocab, coded)
    # per batch: the vocabulary from the summed totals, then the summed parts over it
    if top is None:
        vocab = sorted(set().union(*(all_items(counted(b)) for b in batches)))
    else:
        vocab = top_items(reduce(combine_item_totals,
                                 (item_totals(counted(b)) for b in batches)), top)
    return vocab, reduce(combine_cooccurrence_parts, (parts(counted(b), vocab) for b in batches))


def cooccurrence_matrix(
    tokens: Any,
    *,
    context: Context = "sentence",
    window: int = 5,
    item: str = "term",
    count: Count = "documents",
    diagonal: bool = False,
    include_stop: bool = False,
    include_punct: bool = False,
) -> CooccurrenceMatrix:
    """Co-occurrence counts as a symmetric ``scipy.sparse`` matrix with its vocabulary.

    Same options and counting rule as :func:`cooccurrence` (see the module notes); use this
    for large vocabularies, where the table of pairs would be too big.

    Returns
    -------
    CooccurrenceMatrix
        ``(matrix, vocabulary, marginals, total)``; the diagonal is zero unless ``diagonal``.

    Examples
    --------
    >>> import polars as pl
    >>> toks = pl.DataFrame({"doc_id": ["a"] * 3, "sentence_id": [1, 1, 1], "term": list("xyx")})
    >>> m = cooccurrence_matrix(toks, count="frequency")
    >>> m.vocabulary, m.matrix.toarray().tolist(), m.marginals.tolist(), m.total
    (['x', 'y'], [[0, 2], [2, 0]], [2, 1], 3)
    """
    _check_options(context, count, window, item)
    vocab, parts = _counted(tokens, context, window, item, count, include_stop, include_punct,
                            None)
    return CooccurrenceMatrix(cooccurrence_sparse(parts, diagonal=diagonal), vocab,
                              parts.margins, parts.total)


@tidy
def cooccurrence(
    tokens: Any,
    *,
    context: Context = "sentence",
    window: int = 5,
    item: str = "term",
    count: Count = "documents",
    diagonal: bool = False,
    min_n: int = 1,
    top: int | None = None,
    include_stop: bool = False,
    include_punct: bool = False,
) -> Any:
    """Count how often two items occur together: one row per unordered pair.

    Parameters
    ----------
    tokens
        A token table (:func:`analysis.tokenize`) or any table with ``doc_id``, the ``item``
        column and, per context, ``sentence_id`` / ``token_id`` (e.g. :func:`analysis.actors`
        output with ``item="actor"``).
    context
        ``"sentence"``, ``"document"`` or ``"window"`` (within ``window`` tokens, same sentence).
    window
        Largest ``token_id`` distance for ``context="window"``.
    item
        The column whose values are paired (``"term"``, ``"token"``, ``"actor"``, ...).
    count
        ``"documents"``: contexts holding both; ``"frequency"``: pairs of occurrences.
    diagonal
        Also return each item paired with itself (``item1 == item2``).
    min_n
        Keep pairs with ``n`` at least this.
    top
        Only pairs of the ``top`` most frequent items (occurrences after the stop-word and
        punctuation filters; ties broken by item); ``None`` for all. The counts, margins and
        ``N`` are those of the whole table, so the rows equal the full result's rows for those
        items. Only the chosen items are counted (one ``X.T @ X`` over them, not the
        vocabulary; for windows, only the windows of two chosen items are formed).
    include_stop, include_punct
        Count ``is_stop`` / ``is_punct`` tokens too; by default (False) they are dropped
        before counting when the table has the column.

    Returns
    -------
    DataFrame
        Sorted by ``n`` (descending), ``item1``, ``item2``:

        - ``item1``, ``item2``: the pair, ``item1 < item2`` (``item1 == item2`` on the diagonal).
        - ``n``: the co-occurrence count (module notes: the counting rule).
        - ``n1``, ``n2``: contexts (``"documents"``) or occurrences (``"frequency"``) of each.
        - ``pmi``: :math:`\\log_2 (n N / (n_1 n_2))`, ``N`` as in the counting rule.
        - ``dice``: :math:`2 n / (n_1 + n_2)` (between 0 and 1 for ``"documents"``).
        - ``logdice``: :math:`14 + \\log_2` ``dice`` (Rychlý 2008; at most 14).

    Examples
    --------
    >>> import polars as pl
    >>> from analysis import tokenize
    >>> docs = pl.DataFrame({"doc_id": ["a", "b"],
    ...                      "text": ["Putin met Xi. Xi left.", "Putin spoke. Xi and Putin met."]})
    >>> cooccurrence(tokenize(docs)).select("item1", "item2", "n", "n1", "n2", "dice")
    shape: (5, 6)
    ┌───────┬───────┬─────┬─────┬─────┬──────────┐
    │ item1 ┆ item2 ┆ n   ┆ n1  ┆ n2  ┆ dice     │
    │ ---   ┆ ---   ┆ --- ┆ --- ┆ --- ┆ ---      │
    │ str   ┆ str   ┆ i64 ┆ i64 ┆ i64 ┆ f64      │
    ╞═══════╪═══════╪═════╪═════╪═════╪══════════╡
    │ met   ┆ putin ┆ 2   ┆ 2   ┆ 3   ┆ 0.8      │
    │ met   ┆ xi    ┆ 2   ┆ 2   ┆ 3   ┆ 0.8      │
    │ putin ┆ xi    ┆ 2   ┆ 3   ┆ 3   ┆ 0.666667 │
    │ left  ┆ xi    ┆ 1   ┆ 1   ┆ 3   ┆ 0.5      │
    │ putin ┆ spoke ┆ 1   ┆ 3   ┆ 1   ┆ 0.5      │
    └───────┴───────┴─────┴─────┴─────┴──────────┘
    """
    _check_options(context, count, window, item)
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        raise ValueError(f"min_n must be a positive integer, got {min_n!r}")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ValueError(f"top must be a positive integer or None, got {top!r}")
    vocab, parts = _counted(tokens, context, window, item, count, include_stop, include_punct,
                            top)
    return cooccurrence_pairs(vocab, parts, min_n=min_n, diagonal=diagonal)


@tidy
def focus_pairs(pairs: Any, *, focus: str | Iterable[str] = ()) -> Any:
    """The pairs of :func:`cooccurrence` that involve one of the focus items.

    Parameters
    ----------
    pairs
        A pair table with ``item1`` and ``item2`` (:func:`cooccurrence` output).
    focus
        The items to keep pairs of (one string or a list, matched exactly, case-sensitive);
        empty (default): every pair is kept.

    Returns
    -------
    DataFrame
        The rows of ``pairs`` whose ``item1`` or ``item2`` is a focus item, same columns, in
        the same order.

    Examples
    --------
    >>> import polars as pl
    >>> pairs = pl.DataFrame({"item1": ["china", "peace", "plan"],
    ...                       "item2": ["russia", "plan", "russia"], "n": [3, 2, 1]})
    >>> focus_pairs(pairs, focus=["russia"])["n"].to_list()
    [3, 1]
    >>> focus_pairs(pairs)["n"].to_list()
    [3, 2, 1]
    """
    require_columns(pairs, ["item1", "item2"], what="pairs")
    if isinstance(focus, str):
        focus = [focus]
    chosen = list(focus)
    if not all(isinstance(f, str) for f in chosen):
        raise ValueError(f"focus must be a string or a list of strings, got {focus!r}")
    if not chosen:
        return pairs.clone()
    wanted = pl.Series(chosen, dtype=pl.String).implode()
    return pairs.filter(
        pl.col("item1").cast(pl.String).is_in(wanted)
        | pl.col("item2").cast(pl.String).is_in(wanted)
    )
