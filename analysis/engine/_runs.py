"""Grouping by sorting: term counts per group on one packed integer key.

:func:`analysis.terms._frequency.term_frequency` counts millions of token rows per group and term.
Hashing
several string columns and sorting the result on several columns is most of that time, so here
each key column becomes integer codes in sort order
(:func:`analysis.engine._codes.sort_codes`), the codes are packed
into one ``UInt64`` (group columns in the high bits, the term in the low bits), and one sort of
that integer puts equal keys next to each other: counts, totals and ranks are then differences
of cumulative sums over runs, with no hash table.
:func:`frequency_table` returns None when the codes do not fit in 64 bits (the caller then
groups as before).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from analysis.engine._codes import CODED_DTYPES, sort_codes


def _run_sums(key: str, value: str) -> tuple[pl.Expr, pl.Expr]:
    """Per run of equal ``key`` (sorted): the sum of ``value`` on every row, and the run's start."""
    k, v = pl.col(key), pl.col(value)
    start = (k != k.shift(1)).fill_null(True)
    end = (k != k.shift(-1)).fill_null(True)
    cum = v.cum_sum()
    before = pl.when(start).then(cum - v).forward_fill()
    after = pl.when(end).then(cum).backward_fill()
    return after - before, start


def _collapse(frame: pl.DataFrame, key: str, weight: str) -> pl.DataFrame:
    """One row per distinct ``key`` (``frame`` sorted by it), ``weight`` summed."""
    k = pl.col(key)
    total, _ = _run_sums(key, weight)
    return (frame.with_columns(__sum=total).filter((k != k.shift(-1)).fill_null(True))
            .select(key, pl.col("__sum").alias(weight)))


def sum_by_key(key: pl.Series, weight: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The distinct values of an integer ``key`` (sorted) and the sum of ``weight`` (Int64) over
    the rows of each: one sort, then differences of cumulative sums over runs (no hash table).

    Examples
    --------
    >>> keys, sums = sum_by_key(pl.Series([5, 2, 5, 9]), pl.Series([1, 2, 3, 4]))
    >>> keys.to_list(), sums.to_list()
    ([2, 5, 9], [2, 4, 4])
    """
    frame = pl.DataFrame({"k": key, "w": weight.cast(pl.Int64)}).sort("k")
    out = _collapse(frame, "k", "w")
    return out["k"], out["w"]


def compare_previous(values: pl.Series,
                     compare: Callable[[pl.Series, pl.Series], pl.Series]) -> pl.Series:
    """``compare(row, row before)`` for every row but the first (``len - 1`` booleans), chunk
    by chunk on zero-copy slices: comparing ``values.slice(1)`` with ``values.slice(0, -1)``
    copies one side whole to align the chunks (1 GB for the 70M document ids of a 100k-article
    token table read from Parquet), and ``shift`` copies too.

    Examples
    --------
    >>> values = pl.concat([pl.Series([1, 1, 2]), pl.Series([2, 3])], rechunk=False)
    >>> compare_previous(values, lambda row, before: row == before).to_list()
    [True, False, True, False]
    """
    parts = []
    last = None
    for chunk in values.get_chunks():
        size = chunk.len()
        if size == 0:
            continue
        if last is not None:
            parts.append(compare(chunk.slice(0, 1), last))
        if size > 1:
            parts.append(compare(chunk.slice(1), chunk.slice(0, size - 1)))
        last = chunk.slice(size - 1, 1)
    return pl.concat(parts) if parts else pl.Series(values.name, [], dtype=pl.Boolean)


def count_keys(keys: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The distinct values of an unsigned integer ``keys`` (sorted) and how often each occurs
    (UInt32): one sort (skipped when ``keys`` is flagged sorted; faster than a hash group-by
    on millions of keys), then run lengths. With :func:`sum_by_key` (the same with weights),
    the one integer count of the engine: term counts per document
    (:func:`analysis.terms._counting.count_batch`), :func:`frequency_table`, collocation
    pairs.

    Examples
    --------
    >>> keys, counts = count_keys(pl.Series([5, 2, 5, 9, 5], dtype=pl.UInt64))
    >>> keys.to_list(), counts.to_list()
    ([2, 5, 9], [1, 3, 1])
    """
    import numpy as np

    values = (keys if keys.flags["SORTED_ASC"] else keys.sort()).to_numpy()
    starts = np.flatnonzero(values[1:] != values[:-1])
    starts += 1
    starts = np.concatenate(([0], starts)) if values.size else starts
    counts = np.diff(np.append(starts, values.size)).astype(np.uint32)
    return pl.Series(keys.name, values[starts]), pl.Series("n", counts)


def count_codes(codes: pl.Series, size: int) -> pl.Series:
    """How often each code ``0 .. size - 1`` occurs in ``codes`` (non-negative integers below
    ``size``), one UInt32 count per code; counted a block of rows at a time (numpy's
    ``bincount`` copies its input to 64-bit integers: the blocks keep that copy small).

    Examples
    --------
    >>> count_codes(pl.Series([2, 0, 2], dtype=pl.UInt32), 4).to_list()
    [1, 0, 2, 0]
    """
    import numpy as np

    values = codes.to_numpy()
    counts = np.zeros(size, dtype=np.int64)
    for start in range(0, values.size, 1 << 22):
        counts += np.bincount(values[start:start + (1 << 22)], minlength=size)
    return pl.Series("n", counts.astype(np.uint32))

def frequency_table(kept: pl.DataFrame, groups: list[str], term: str,
                    weighted: bool) -> pl.DataFrame | None:
    """The table of :func:`analysis.terms._frequency.term_frequency` (``groups``, ``term``, ``n``,
    ``total``, ``per_million``, ``docfreq``, ``rank``; sorted by groups, rank, term) from the
    rows ``kept`` (the groups, ``term`` and, when ``weighted``, an integer ``n`` above 0),
    for groups that include ``doc_id`` (so ``docfreq`` is 1); None for other groups (hashing
    is as fast there), when a column cannot be coded or the codes need more than 64 bits.

    Why this is not :func:`analysis.engine._term_counts.term_counts_part` + ``frequency_columns``
    (which it equals, tested): with ``doc_id`` among the groups every row lies in one group
    of one document, so ``docfreq`` is 1, no batch needs combining, and one sort of the
    packed key (:func:`count_keys` / :func:`sum_by_key`, the engine's integer count) gives the
    counts in output order, from which ``total`` and ``rank`` are differences of cumulative
    sums: no string sort and no window over millions of groups.

    Examples
    --------
    >>> kept = pl.DataFrame({"doc_id": ["a", "a", "b", "b", "b"],
    ...                      "term": ["x", "y", "y", "x", "y"]})
    >>> table = frequency_table(kept, ["doc_id"], "term", False)
    >>> table.select("doc_id", "term", "n", "rank").rows()
    [('a', 'x', 1, 1), ('a', 'y', 1, 1), ('b', 'y', 2, 1), ('b', 'x', 1, 2)]
    >>> frequency_table(kept, [], "term", False) is None
    True
    """
    if kept.height == 0 or "doc_id" not in groups:
        return None
    keys = columns = [*groups, term]
    if weighted and not kept.schema["n"].is_integer():
        return None
    if any(not isinstance(kept.schema[c], CODED_DTYPES) for c in columns):
        return None
    coded = {c: sort_codes(kept[c]) for c in columns}
    bits = {c: max(1, coded[c][1].len().bit_length()) for c in columns}
    if sum(bits.values()) > 64:
        return None
    shift: dict[str, int] = {}
    at = 0
    for c in reversed(columns):  # the last column in the low bits
        shift[c] = at
        at += bits[c]

    u64 = pl.UInt64
    codes = pl.DataFrame({c: coded[c][0] for c in columns})
    key = pl.sum_horizontal(pl.col(c).cast(u64) * pl.lit(1 << shift[c], dtype=u64)
                            for c in columns)
    packed = codes.select(k=key)["k"]
    if weighted:
        distinct, sums = sum_by_key(packed, kept["n"])
    else:  # a token table: each row counts 1
        distinct, sums = count_keys(packed)
    rows = pl.DataFrame({"k": distinct, "n": sums.cast(pl.Int64)})
    term_bits = bits[term]
    prefix = pl.col("k") // (1 << term_bits)
    rows = rows.with_columns(__p=prefix)
    total, _ = _run_sums("__p", "n")
    rows = rows.with_columns(total=total)
    n_bits = int(rows["n"].max()).bit_length()  # type: ignore[arg-type]
    p_bits = sum(bits[g] for g in groups)
    if p_bits + n_bits + term_bits <= 64:
        order = (pl.col("__p") * pl.lit(1 << (n_bits + term_bits), dtype=u64)
                 + (pl.lit((1 << n_bits) - 1, dtype=u64) - pl.col("n").cast(u64))
                 * pl.lit(1 << term_bits, dtype=u64)
                 + pl.col("k") % (1 << term_bits))
        rows = rows.sort(order)
    else:
        rows = rows.sort(["__p", "n", "k"], descending=[False, True, False])
    idx = pl.int_range(pl.len(), dtype=pl.Int64)
    p, n = pl.col("__p"), pl.col("n")
    p_start = (p != p.shift(1)).fill_null(True)
    pn_start = p_start | (n != n.shift(1)).fill_null(True)
    rank = (pl.when(pn_start).then(idx).forward_fill()
            - pl.when(p_start).then(idx).forward_fill() + 1)
    rows = rows.with_columns(rank=rank)
    decoded = {c: coded[c][1].gather((rows["k"] // (1 << shift[c]) % (1 << bits[c]))
                                     .cast(pl.UInt32)) for c in keys}
    out = pl.DataFrame([decoded[c].alias(c) for c in keys]).with_columns(
        rows["n"], rows["total"],
        per_million=rows["n"] / rows["total"] * 1_000_000,
        docfreq=pl.lit(1, dtype=pl.Int64), rank=rows["rank"])
    return out
