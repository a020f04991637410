"""Co-occurrence in sentences, documents and windows, counted once: per batch, combined, finished.

The one kernel behind :func:`analysis.pairs._cooccurrence.cooccurrence` (every context, with or
without ``top=``), :func:`analysis.pairs._cooccurrence.cooccurrence_matrix`,
:func:`cooccurrence_counts` and ``analysis.scale._dask.cooccurrence_counts``:

1. :func:`cooccurrence_table`: the counted rows of a token or count table (filters, ``n``);
2. :func:`cooccurrence_parts` (per batch of whole documents): with :math:`X` the unit-by-item
   matrix over a vocabulary (binary for ``"documents"``, counts for ``"frequency"``), the
   gram matrix :math:`X^T X`, the margins, the diagonal counts and ``N``. The units are the
   documents or sentences; for windows, :func:`window_parts` builds the units
   (:func:`window_units`: each window is one pair of occurrences close enough) and hands them
   to :func:`cooccurrence_parts`, with the margins and ``N`` of the sentences;
3. :func:`combine_cooccurrence_parts`: adds two batches' parts (associative, commutative);
4. :func:`cooccurrence_pairs` / :func:`cooccurrence_sparse`: the tidy pairs or the sparse
   matrix from the (summed) parts.

The vocabulary is every item (:func:`all_items`) or the ``top`` most frequent
(:func:`item_totals` per batch, summed with :func:`combine_item_totals`, then
:func:`top_items`). In one process the items are coded once
(:func:`analysis.engine._codes.code_items`) for both the totals and the incidence; the integer
side (unit rows, item codes, the product) is :mod:`analysis.engine._incidence`. The counting rule is
the one of :mod:`analysis.pairs._cooccurrence`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import polars as pl

if TYPE_CHECKING:
    import numpy as np

from analysis.engine import _measures as measures
from analysis.engine._codes import ItemCodes, code_items
from analysis.engine._frames import as_kind, is_pandas, require_columns, to_polars, with_counts
from analysis.engine._incidence import (
    dense_exact,
    gram,
    grouped_gram,
    item_positions,
    sum_by_code,
    take,
    unit_rows,
)
from analysis.engine._runs import sum_by_key

UnitContext = Literal["document", "sentence"]
TableContext = Literal["document", "sentence", "window"]
CountRule = Literal["documents", "frequency"]

UNITS: dict[str, list[str]] = {"document": ["doc_id"], "sentence": ["doc_id", "sentence_id"]}
"""The columns naming a unit of each context."""

POSITION = ["doc_id", "sentence_id", "token_id"]
"""The columns placing a token, kept (and sorted on) by ``cooccurrence_table(context="window")``:
windows are formed from them by :func:`window_units`."""

class CooccurrenceParts(NamedTuple):
    """The additive counts of one or more batches (over one vocabulary).

    Attributes
    ----------
    gram
        :math:`X^T X`: a ``k x k`` int64 array, or a ``scipy.sparse.csr_array`` when the
        vocabulary has more than :data:`DENSE_MAX` items. Off the diagonal, ``n`` of each pair.
    margins
        ``n1`` of each item: units holding it (``"documents"``) or its occurrences.
    repeats
        The diagonal of the counting rule (an item with itself): units holding it at least
        twice (``"documents"``), or :math:`\\sum_c \\binom{n_{c,i}}{2}` (``"frequency"``).
    total
        ``N``: units holding any counted item (``"documents"``) or counted occurrences.
    """

    gram: Any
    margins: np.ndarray
    repeats: np.ndarray
    total: int


def cooccurrence_table(
    table: pl.DataFrame,
    *,
    context: TableContext,
    item: str = "term",
    include_stop: bool = False,
    include_punct: bool = False,
) -> pl.DataFrame:
    """The rows that are counted: the unit columns, ``item`` (String) and ``n`` (Int64).

    A token table counts 1 per row, a count table its ``n``; rows without an item, with
    ``n = 0``, and (unless included) ``is_stop`` / ``is_punct`` rows are dropped. For
    ``context="window"`` the unit columns are :data:`POSITION` and the rows are sorted on them
    (the order :func:`window_units` needs).

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["a", "a"], "term": ["x", "the"], "is_stop": [False, True]})
    >>> cooccurrence_table(t, context="document").rows()
    [('a', 'x', 1)]
    """
    unit = POSITION if context == "window" else UNITS[context]
    require_columns(table, [*unit, item], what="tokens")
    keep = pl.col(item).is_not_null()
    if not include_stop and "is_stop" in table.columns:
        keep = keep & ~pl.col("is_stop").fill_null(False)
    if not include_punct and "is_punct" in table.columns:
        keep = keep & ~pl.col("is_punct").fill_null(False)
    flags = [f for f, used in (("is_stop", not include_stop), ("is_punct", not include_punct))
             if used and f in table.columns]
    counted = table.select(  # the columns used only: no filtered copy of the whole table
        *dict.fromkeys([*unit, item, *flags, *(["n"] if "n" in table.columns else [])]))
    out = (with_counts(counted).filter(keep & (pl.col("n") > 0))
           .select(*unit, pl.col(item).cast(pl.String).alias("item"), "n"))
    return out.sort(POSITION) if context == "window" else out


def item_totals(tab: pl.DataFrame, *, coded: ItemCodes | None = None) -> pl.DataFrame:
    """Occurrences of each item in a :func:`cooccurrence_table` (``item``, ``n``): per batch.

    The items are coded once (:func:`analysis.engine._codes.code_items`; pass ``coded`` to reuse
    codes already made) and the counts summed by code.

    Examples
    --------
    >>> t = pl.DataFrame({"item": ["x", "y", "x"], "n": [2, 1, 5]})
    >>> item_totals(t).sort("item").rows()
    [('x', 7), ('y', 1)]
    """

    items, n = tab["item"].cast(pl.String), tab["n"]
    largest = max(abs(int(n.min() or 0)), abs(int(n.max() or 0)))  # type: ignore[arg-type]
    if items.null_count() or n.null_count() or largest * n.len() >= 2**53:
        return tab.group_by("item").agg(pl.col("n").sum().cast(pl.Int64))
    coded = code_items(items) if coded is None else coded
    sums = sum_by_code(coded.codes, n.to_numpy(), coded.names.len())  # exact below 2**53
    return pl.DataFrame({"item": coded.names, "n": sums}, schema={"item": pl.String,
                                                                  "n": pl.Int64})


def combine_item_totals(a: pl.DataFrame, b: pl.DataFrame) -> pl.DataFrame:
    """Add two batches' :func:`item_totals` (associative, commutative)."""
    return pl.concat([a, b]).group_by("item").agg(pl.col("n").sum())


def top_items(totals: pl.DataFrame, k: int | None) -> list[str]:
    """The ``k`` items with the most occurrences (ties broken by item), sorted; all for None.

    Only the items with at least the ``k``-th largest total are sorted.

    Examples
    --------
    >>> top_items(pl.DataFrame({"item": ["b", "a", "c"], "n": [2, 2, 1]}), 2)
    ['a', 'b']
    """
    if k is not None and totals.height > k and not totals["n"].null_count():
        floor = totals["n"].top_k(k).min()
        totals = totals.filter(pl.col("n") >= floor)
    ranked = totals.sort(["n", "item"], descending=[True, False])
    chosen = ranked if k is None else ranked.head(k)
    return chosen["item"].sort().to_list()


def all_items(tab: pl.DataFrame, *, coded: ItemCodes | None = None) -> list[str]:
    """Every item of a :func:`cooccurrence_table`, sorted."""
    names = tab["item"].unique() if coded is None else coded.names
    return names.drop_nulls().sort().to_list()


def vocab_codes(items: pl.Series, vocab: Sequence[str]) -> pl.Series:
    """The position (UInt32) of each item in ``vocab``; ``len(vocab)`` for items outside it.

    Examples
    --------
    >>> vocab_codes(pl.Series(["y", "z", "x", None]), ["x", "y"]).to_list()
    [1, 2, 0, 2]
    """
    coded = code_items(items)
    return pl.Series(item_positions(coded.names, list(vocab))[coded.codes], dtype=pl.UInt32)


def cooccurrence_parts(tab: pl.DataFrame, vocab: Sequence[str], *, count: CountRule,
                       coded: ItemCodes | None = None,
                       distinct_cells: bool = False) -> CooccurrenceParts:
    """The counts of one batch of whole documents (:func:`cooccurrence_table` rows) over
    ``vocab`` (sorted items); batches split by document add up
    (:func:`combine_cooccurrence_parts`).

    The items are coded once (``coded``: the codes already made for :func:`item_totals`) and
    the units numbered from their runs (:func:`analysis.engine._incidence.unit_rows`), so the rows,
    grouped by unit, are the cells of :math:`X`. When no (unit, item) cell has two rows (a
    count table) they go to the product as they are
    (:func:`analysis.engine._incidence.grouped_gram`); otherwise (a token table, a sparse product)
    each (unit, vocabulary position) pair is packed into one integer and one sort with sums
    over runs of equal keys gives the cells first, unless ``distinct_cells`` says that no cell
    has two rows (the windows of :func:`window_units`).

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["a", "a", "b"], "item": ["x", "y", "x"], "n": [2, 1, 1]})
    >>> p = cooccurrence_parts(t, ["x", "y"], count="frequency")
    >>> p.gram.tolist(), p.margins.tolist(), p.repeats.tolist(), p.total
    ([[5, 2], [2, 1]], [3, 1], [1, 0], 4)
    """
    import numpy as np

    k = len(vocab)
    coded = code_items(tab["item"]) if coded is None else coded
    order, rows, n_units = unit_rows(tab)
    positions = item_positions(coded.names, list(vocab))
    cols = take(positions.astype(np.uint16 if k < 2**16 else np.int64), coded.codes)
    n = tab["n"].cast(pl.Int64)
    binary = count == "documents"  # X is 0/1
    total = n_units if binary else int(n.sum() or 0)
    counts = (n >= 2).to_numpy() if binary else n.to_numpy()  # "documents": n >= 2
    if order is not None:
        cols, counts = cols[order], counts[order]
    inside = cols < k
    largest = 1 if binary or not counts.size else int(np.abs(counts).max())
    product = (grouped_gram(rows, cols, None if binary else counts, n_units, k, keep=inside)
               if dense_exact(int(inside.sum()), largest, n_units, k) else None)
    rows, cols = rows[inside], cols[inside]
    if product is None and distinct_cells:  # the rows are the cells
        counts = counts[inside]
        product = gram(rows, cols, np.ones(len(cols), dtype=np.int64) if binary else counts,
                       n_units, k)
    elif product is None:  # sum the rows of each (unit, item) cell
        col_bits = max(1, (k - 1).bit_length())
        u64 = np.uint64
        key = rows.astype(u64) << u64(col_bits) | cols.astype(u64)
        weight = n.to_numpy() if order is None else n.to_numpy()[order]
        keys, sums = sum_by_key(pl.Series(key, dtype=pl.UInt64), pl.Series(weight[inside]))
        packed = keys.to_numpy()
        rows = (packed >> u64(col_bits)).astype(np.int64)
        cols = (packed & u64((1 << col_bits) - 1)).astype(np.int64)
        counts = sums.to_numpy()
        product = gram(rows, cols, np.ones(len(cols), dtype=np.int64) if binary else counts,
                       n_units, k)
        counts = counts >= 2 if binary else counts
    else:
        counts = counts[inside]
    if binary:  # each cell is 1, so the diagonal holds the margins
        margins = np.asarray(product.diagonal(), dtype=np.int64)
        repeats = sum_by_code(cols[counts], None, k)
    else:
        margins = sum_by_code(cols, counts, k)
        repeats = sum_by_code(cols, counts * (counts - 1) // 2, k)
    return CooccurrenceParts(product, margins.astype(np.int64), repeats.astype(np.int64), total)


def window_units(tab: pl.DataFrame, vocab: Sequence[str], *, window: int, distinct: bool,
                 coded: ItemCodes | None = None) -> tuple[pl.DataFrame, ItemCodes]:
    """The windows of ``cooccurrence_table(context="window")`` rows as the units of
    :func:`cooccurrence_parts`: one unit per pair of occurrences of ``vocab`` items in one
    sentence at most ``window`` apart (``token_id`` difference; skipped tokens keep their
    place), or with ``distinct`` one per sentence and pair of items (``count="documents"``).

    The rows must be in position order (as :func:`cooccurrence_table` gives them); the pairs
    are each row with the ``1 .. window`` rows after it. A unit holds its two items (two rows
    of ``n = 1``) or, for a pair of one item, one row of ``n = 2``, so :math:`X^T X` off the
    diagonal counts the pairs and the repeats (:math:`\\binom{2}{2} = 1`, or ``n >= 2``)
    count the pairs of one item.

    Returns
    -------
    tuple
        The unit rows (``unit`` UInt64 in runs, ``n`` Int64) and their items, coded as
        positions in ``vocab`` (``names`` is ``vocab``).

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["a"] * 3, "sentence_id": [1] * 3, "token_id": [1, 2, 4],
    ...                   "item": ["x", "y", "x"], "n": [1, 1, 1]})
    >>> units, coded = window_units(t, ["x", "y"], window=2, distinct=False)
    >>> units["unit"].to_list(), coded.codes.tolist(), units["n"].to_list()
    ([0, 0, 1, 1], [0, 1, 0, 1], [1, 1, 1, 1])
    >>> window_units(t, ["x", "y"], window=3, distinct=False)[0]["n"].to_list()[-1]  # x..x
    2
    """
    sentences, _, cols = _placed(tab, vocab, coded)
    return _windows(sentences, cols, tab["token_id"], vocab, window, distinct)


def _placed(tab: pl.DataFrame, vocab: Sequence[str], coded: ItemCodes | None,
            ) -> tuple[np.ndarray, int, np.ndarray]:
    """``(sentence index per row, number of sentences, vocabulary position per row)`` of
    window rows in position order (``len(vocab)``: outside the vocabulary)."""
    coded = code_items(tab["item"]) if coded is None else coded
    order, sentences, n_sentences = unit_rows(tab.select("doc_id", "sentence_id"))
    if order is not None:
        raise ValueError("window rows must be in position order, as "
                         "cooccurrence_table(context='window') gives them")
    return sentences, n_sentences, take(item_positions(coded.names, list(vocab)), coded.codes)


def _windows(sentences: np.ndarray, cols: np.ndarray, token_id: pl.Series,
             vocab: Sequence[str], window: int, distinct: bool,
             ) -> tuple[pl.DataFrame, ItemCodes]:
    """The work of :func:`window_units` from :func:`_placed`."""
    import numpy as np

    k = len(vocab)
    token = token_id.cast(pl.Int64).to_numpy()  # float with NaN where null: in no window
    lows, highs, where = [], [], []
    for d in range(1, window + 1):  # each row with the row d places after it
        ok = (sentences[:-d] == sentences[d:]) & (token[d:] - token[:-d] <= window)
        a, b = cols[:-d][ok], cols[d:][ok]
        both = (a < k) & (b < k)
        lows.append(np.minimum(a, b)[both])
        highs.append(np.maximum(a, b)[both])
        if distinct:
            where.append(sentences[:-d][ok][both])
    lo, hi = np.concatenate(lows), np.concatenate(highs)
    if distinct:  # one unit per sentence and pair of items
        at = np.concatenate(where).astype(np.int64)
        if (int(sentences[-1]) + 1) * k * k < 2**63:  # (sentence, lo, hi) packed in one int64
            packed = pl.Series((at * k + lo) * k + hi).unique().to_numpy()
            lo, hi = packed // k % k, packed % k
        else:
            pairs = pl.DataFrame({"s": at, "lo": lo, "hi": hi}).unique()
            lo, hi = pairs["lo"].to_numpy(), pairs["hi"].to_numpy()
    same = lo == hi
    listed = np.column_stack([np.ones(len(lo), dtype=bool), ~same]).ravel()
    codes = np.column_stack([lo, hi]).ravel()[listed]
    n = np.column_stack([np.where(same, 2, 1), np.ones(len(lo), dtype=np.int64)]).ravel()
    units = pl.DataFrame({"unit": np.repeat(np.arange(len(lo), dtype=np.uint64), 2)[listed],
                          "n": n[listed]}, schema={"unit": pl.UInt64, "n": pl.Int64})
    return units, ItemCodes(codes, pl.Series(list(vocab), dtype=pl.String))


def window_parts(tab: pl.DataFrame, vocab: Sequence[str], *, count: CountRule, window: int,
                 coded: ItemCodes | None = None) -> CooccurrenceParts:
    """The counts of ``context="window"`` for one batch of whole documents
    (``cooccurrence_table(context="window")`` rows) over ``vocab``: :func:`cooccurrence_parts`
    of the windows (:func:`window_units`) for the pairs and repeats, with the margins and
    ``N`` of the sentences holding them (the counting rule of
    :mod:`analysis.pairs._cooccurrence`: ``n1`` counts the sentences, or occurrences, holding
    an item, not its windows). Batches split by document add up
    (:func:`combine_cooccurrence_parts`).

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["a"] * 3, "sentence_id": [1] * 3, "token_id": [1, 2, 4],
    ...                   "item": ["x", "y", "x"], "n": [1, 1, 1]})
    >>> p = window_parts(t, ["x", "y"], count="frequency", window=2)
    >>> int(p.gram[0, 1]), p.margins.tolist(), p.repeats.tolist(), p.total
    (2, [2, 1], [0, 0], 3)
    >>> p = window_parts(t, ["x", "y"], count="documents", window=3)
    >>> int(p.gram[0, 1]), p.margins.tolist(), p.repeats.tolist(), p.total
    (1, [1, 1], [1, 0], 1)
    """
    import numpy as np

    k = len(vocab)
    sentences, n_sentences, cols = _placed(tab, vocab, coded)
    units, unit_items = _windows(sentences, cols, tab["token_id"], vocab, window,
                                 count == "documents")
    in_windows = cooccurrence_parts(units, vocab, count=count, coded=unit_items,
                                    distinct_cells=True)
    # the margins and N of the sentences (each window lies in one sentence)
    inside = cols < k
    if count == "documents":  # sentences holding each item: distinct (sentence, item) cells
        cells = pl.Series(sentences[inside].astype(np.int64) * k + cols[inside]).unique()
        margins, total = sum_by_code((cells % k).to_numpy(), None, k), n_sentences
    else:
        n = tab["n"].cast(pl.Int64).to_numpy()
        margins, total = sum_by_code(cols[inside], n[inside], k), int(n.sum())
    return in_windows._replace(margins=margins.astype(np.int64), total=total)


def combine_cooccurrence_parts(a: CooccurrenceParts, b: CooccurrenceParts) -> CooccurrenceParts:
    """Add the parts of two batches over the same vocabulary (associative, commutative)."""
    return CooccurrenceParts(a.gram + b.gram, a.margins + b.margins, a.repeats + b.repeats,
                             a.total + b.total)


def _upper(parts: CooccurrenceParts, diagonal: bool) -> tuple[np.ndarray, ...]:
    """``(i, j, n)`` of every nonzero pair ``i < j`` (and ``i == j`` with ``diagonal``)."""
    import numpy as np

    g = parts.gram
    if not isinstance(g, np.ndarray):  # a scipy sparse array
        from scipy import sparse

        upper = sparse.triu(g, k=1, format="coo")
        i, j, v = upper.row.astype(np.int64), upper.col.astype(np.int64), upper.data
    else:
        i, j = np.triu_indices(g.shape[0], k=1)
        v = g[i, j]
    if diagonal:
        d = np.arange(len(parts.repeats))
        i, j, v = np.concatenate([i, d]), np.concatenate([j, d]), np.concatenate(
            [v, parts.repeats])
    keep = v > 0
    return i[keep], j[keep], v[keep].astype(np.int64)


def cooccurrence_pairs(vocab: Sequence[str], parts: CooccurrenceParts, *, min_n: int = 1,
                       diagonal: bool = False) -> pl.DataFrame:
    """The tidy pairs of :func:`analysis.pairs._cooccurrence.cooccurrence` from the (summed) parts.

    One row per pair with ``n >= min_n``: ``item1, item2, n, n1, n2, pmi, dice, logdice``,
    sorted by ``n`` (descending), ``item1``, ``item2``.

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["a", "a", "b"], "item": ["x", "y", "x"], "n": [2, 1, 1]})
    >>> p = cooccurrence_parts(t, ["x", "y"], count="documents")
    >>> cooccurrence_pairs(["x", "y"], p).select("item1", "item2", "n", "n1", "n2").rows()
    [('x', 'y', 1, 2, 1)]
    """
    import numpy as np

    i, j, v = _upper(parts, diagonal)
    keep = v >= min_n
    i, j, v = i[keep], j[keep], v[keep]
    # vocab is sorted, so sorting on indices sorts on the items
    order = np.lexsort((j, i, -v))
    i, j, v = i[order], j[order], v[order]
    names = pl.Series(list(vocab), dtype=pl.String)
    margins = pl.Series(parts.margins, dtype=pl.Int64)
    out = pl.DataFrame({"item1": names.gather(i), "item2": names.gather(j),
                        "n": pl.Series(v, dtype=pl.Int64), "n1": margins.gather(i),
                        "n2": margins.gather(j)},
                       schema={"item1": pl.String, "item2": pl.String, "n": pl.Int64,
                               "n1": pl.Int64, "n2": pl.Int64})
    n, n1, n2 = (pl.col(c).cast(pl.Float64) for c in ("n", "n1", "n2"))
    return out.with_columns(
        pmi=measures.pmi(n, n1, n2, float(parts.total)),
        dice=measures.dice(n, n1, n2),
        logdice=measures.log_dice(n, n1, n2),
    )


def cooccurrence_sparse(parts: CooccurrenceParts, *, diagonal: bool = False) -> Any:
    """The symmetric ``scipy.sparse.csr_array`` of ``n`` (diagonal: ``repeats`` or zero)."""
    import numpy as np
    from scipy import sparse

    mat = sparse.csr_array(parts.gram, dtype=np.int64)
    mat.setdiag(parts.repeats if diagonal else 0)
    mat.eliminate_zeros()
    mat.sort_indices()
    return mat


def cooccurrence_counts(
    table: Any,
    *,
    context: UnitContext = "document",
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
        Per-document counts (``doc_id, term, n``, e.g. :func:`analysis.count_terms`) for
        ``context="document"``, or a token table with ``sentence_id``
        (:func:`analysis.tokenize`) for either context.
    context
        ``"document"`` or ``"sentence"``: the unit both terms must share.
    top
        Use the ``top`` most frequent terms (after the stop-word and punctuation filters; ties
        broken by term); ``None`` for all of them.
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
        :func:`analysis.pairs._cooccurrence.cooccurrence`'s columns (``item1, item2, n, n1, n2, pmi,
        dice, logdice``) and rows for the pairs of the chosen terms, sorted by ``n``
        (descending), ``item1``, ``item2``.

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
    check_counts_options(context, count, top, min_n)
    pandas = is_pandas(table)
    tab = cooccurrence_table(to_polars(table, what="cooccurrence_counts()'s table"),
                             context=context, include_stop=include_stop,
                             include_punct=include_punct)
    coded = code_items(tab["item"])  # once, for the totals and the incidence
    vocab = (sorted(set(terms)) if terms is not None
             else top_items(item_totals(tab, coded=coded), top))
    parts = cooccurrence_parts(tab, vocab, count=count, coded=coded)
    return as_kind(cooccurrence_pairs(vocab, parts, min_n=min_n), pandas)


def check_counts_options(context: str, count: str, top: int | None, min_n: int) -> None:
    """The checks of :func:`cooccurrence_counts` (also run by the Dask verb before any work)."""
    if context not in UNITS:
        raise ValueError(f"context must be 'document' or 'sentence', got {context!r}")
    if count not in ("documents", "frequency"):
        raise ValueError(f"count must be 'documents' or 'frequency', got {count!r}")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ValueError(f"top must be a positive integer or None, got {top!r}")
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        raise ValueError(f"min_n must be a positive integer, got {min_n!r}")
