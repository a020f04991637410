"""Values to integer codes: the one coder of the engine.

Every verb that groups, packs or counts strings codes them here, with one hash pass over the
strings (polars ``Categorical``: :func:`hash_codes`). From those physical codes:

- :func:`sort_codes`: codes in sort order of the values (nulls first) and the sorted distinct
  values, so grouping or sorting on the codes is grouping or sorting on the values (term
  counts, n-grams, the token store, unit numbering); :func:`lexical_physical` is the same
  step for a caller that keeps the physical codes (collocation pairs);
- :func:`code_items`: codes in order of first appearance as a numpy array (co-occurrence,
  whose item totals and incidence only need *a* code per distinct item);
- :func:`codes_in`: the codes of values in an already sorted set of distinct values (the
  terms of every batch coded against one vocabulary).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import polars as pl

if TYPE_CHECKING:
    import numpy as np

CODED_DTYPES: tuple[type[pl.DataType], ...] = (
    pl.String, pl.Boolean, pl.Date, pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8,
    pl.UInt16, pl.UInt32, pl.UInt64,
)
"""Column types whose values :func:`sort_codes` codes (their sort order is a total order)."""


def hash_codes(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    """One hash pass over strings: each row's physical code (UInt32, null for null) and, for
    each distinct value, the first row holding it (in order of first appearance).

    Examples
    --------
    >>> phys, first = hash_codes(pl.Series(["b", "a", "b", None]))
    >>> first.to_list(), phys.gather(first).n_unique()
    ([0, 1, 3], 3)
    """
    phys = values.cast(pl.Categorical).to_physical()
    return phys, phys.arg_unique()


def lexical_physical(values: pl.Series) -> tuple[pl.Series, pl.Series, pl.Series]:
    """``(physical, distinct, known)`` of a String column: each row's physical code
    (:func:`hash_codes`), the distinct values sorted (nulls first) and the physical code of
    each of them, so ``known[i]`` is the physical code of ``distinct[i]``.

    Examples
    --------
    >>> phys, distinct, known = lexical_physical(pl.Series(["b", "a", "b"]))
    >>> distinct.to_list(), [distinct[known.to_list().index(p)] for p in phys.to_list()]
    (['a', 'b'], ['b', 'a', 'b'])
    """
    phys, first = hash_codes(values)
    distinct = values.gather(first)
    order = distinct.arg_sort(nulls_last=False)
    return phys, distinct.gather(order), phys.gather(first).gather(order)


def sort_codes(values: pl.Series, *, runs: bool = True) -> tuple[pl.Series, pl.Series]:
    """Integer codes (UInt32) in sort order of the values (nulls first), and the sorted distinct
    values: ``distinct.gather(codes)`` gives the values back.

    A column in long runs of equal values (``doc_id`` of a token table) is coded per run
    (``runs=False`` skips looking for runs).

    Examples
    --------
    >>> codes, distinct = sort_codes(pl.Series(["b", "b", "a", None, "b"]))
    >>> codes.to_list(), distinct.to_list()
    ([2, 2, 1, 0, 2], [None, 'a', 'b'])
    >>> sort_codes(pl.Series([3, 1, 3]), runs=False)[0].to_list()
    [1, 0, 1]
    """
    if not runs:
        return _codes(values)
    run = values.rle_id()
    n_runs = int(run[-1]) + 1 if values.len() else 0
    if n_runs * 2 <= values.len():
        heads = pl.DataFrame({"run": run, "v": values}).filter(
            pl.col("run") != pl.col("run").shift(1).fill_null(n_runs))["v"]
        head_codes, distinct = _codes(heads)
        return head_codes.gather(run), distinct
    return _codes(values)


def _codes(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    if values.dtype == pl.String:  # one hash pass (Categorical), then a lookup by code
        phys, distinct, physical = lexical_physical(values)
        slots = int(phys.max() or 0) + 2  # type: ignore[arg-type]  # the last slot for null (code 0: nulls sort first)
        known = physical.is_not_null()
        lookup = pl.zeros(slots, dtype=pl.UInt32, eager=True).scatter(
            physical.filter(known),
            pl.int_range(distinct.len(), dtype=pl.UInt32, eager=True).filter(known))
        return lookup.gather(phys.fill_null(slots - 1)), distinct
    distinct = values.unique().sort()
    codes = values.replace_strict(distinct, pl.int_range(distinct.len(), dtype=pl.UInt32,
                                                         eager=True), return_dtype=pl.UInt32)
    return codes.cast(pl.UInt32), distinct


def codes_in(values: pl.Series, distinct: pl.Series) -> pl.Series:
    """The codes (UInt32) of ``values`` in ``distinct``, sorted distinct values that hold every
    one of them (nulls first, as :func:`sort_codes` returns them): the codes ``sort_codes``
    would give over ``distinct``, without coding the values anew.

    Examples
    --------
    >>> codes_in(pl.Series(["b", None, "a"]), pl.Series([None, "a", "b", "c"])).to_list()
    [2, 0, 1]
    """
    nulls = int(distinct.null_count())
    codes = values.cast(pl.Enum(distinct.drop_nulls())).to_physical().cast(pl.UInt32)
    return (codes + nulls).fill_null(0) if nulls else codes


class ItemCodes(NamedTuple):
    """Each row's item as an integer: ``names[codes[r]]`` is the item of row ``r``.

    Attributes
    ----------
    codes
        An unsigned integer array, one code per row, in ``range(len(names))``.
    names
        The distinct items (String, a null item included when there is one), in order of
        first appearance.
    """

    codes: np.ndarray
    names: pl.Series


def code_items(items: pl.Series) -> ItemCodes:
    """Code the items of a column once (:func:`hash_codes`), in order of first appearance
    (no sort: co-occurrence only needs a code per distinct item).

    Examples
    --------
    >>> coded = code_items(pl.Series(["b", "a", None, "b"]))
    >>> coded.codes.tolist(), coded.names.to_list()
    ([0, 1, 2, 0], ['b', 'a', None])
    """
    import numpy as np

    items = items.cast(pl.String)
    phys, first = hash_codes(items)
    names = items.gather(first)
    at = phys.gather(first)
    if items.null_count():  # the null item gets the code after the largest
        slot = int(at.max() or 0) + 1 if at.len() > 1 else 0  # type: ignore[arg-type]
        phys, at = phys.fill_null(slot), at.fill_null(slot)
    codes = phys.to_numpy()  # UInt32, no copy
    seen = at.to_numpy().astype(np.int64, copy=False)
    if not np.array_equal(seen, np.arange(len(seen))):  # renumber in order of first appearance
        lookup = np.zeros(int(seen.max()) + 1 if len(seen) else 0, dtype=np.int64)
        lookup[seen] = np.arange(len(seen))
        codes = lookup[codes]
    return ItemCodes(codes, names)
