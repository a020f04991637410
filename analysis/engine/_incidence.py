"""The unit-by-item incidence of co-occurrence, coded once, and its gram matrix ``X.T @ X``.

The integer side of :mod:`analysis.pairs._cooccurrence_counts`:

- the items are coded once (:func:`analysis.engine._codes.code_items`, one hash pass); the
  item totals, the vocabulary positions and the incidence are all derived from these codes;
- :func:`item_positions`: each code's position in a vocabulary;
- :func:`unit_rows`: one dense unit index per row, from runs when the units are already
  grouped (a count table, a token table), else from a sort of :func:`unit_codes`;
- :func:`gram`: ``X.T @ X`` exactly, from coordinates of summed cells, and
  :func:`grouped_gram`, the same straight from grouped rows when no (unit, item) cell repeats;
- :func:`take` and :func:`sum_by_code`: gathers and sums by code a chunk at a time.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

if TYPE_CHECKING:
    import numpy as np

from analysis.engine._codes import sort_codes

DENSE_MAX = 4_096
"""Largest vocabulary whose gram matrix is a dense array; above it, a scipy sparse array."""

BLOCK = 8_192
"""Rows of the dense incidence multiplied at a time."""

CHUNK = 1 << 20
"""Rows converted at a time by :func:`take` and :func:`sum_by_code`: small temporaries, reused
(a whole-column temporary costs its page faults again in every new process)."""

BLAS_THREADS: int | None = 1
"""BLAS threads for the dense product (None: BLAS's default). Measured on the shared 2-core
machine (load 5-15): at 10k documents the product takes 0.10 s CPU and 0.11 s wall with one
thread against 0.32 s CPU and 0.75 s wall with two (OpenBLAS threads wait for each other
around the small per-block products); at 100k the whole document verb takes 2.9-3.1 s CPU
with one thread against 4.1-5.2 s with two, and less wall time too. On an idle machine two
threads may shorten the product's wall time (not measured). The results are the same
(exact integers)."""


def item_positions(names: pl.Series, vocab: list[str]) -> np.ndarray:
    """The position (int64) of each name in ``vocab`` (distinct items); ``len(vocab)`` for a
    name outside it.

    Examples
    --------
    >>> item_positions(pl.Series(["y", "z", "x", None]), ["x", "y"]).tolist()
    [1, 2, 0, 2]
    """
    import numpy as np

    k = len(vocab)
    index = pl.DataFrame({"item": vocab, "__col": np.arange(k, dtype=np.int64)},
                         schema={"item": pl.String, "__col": pl.Int64})
    found = (pl.DataFrame({"item": names.cast(pl.String)})
             .join(index, on="item", how="left", maintain_order="left")["__col"])
    return found.fill_null(k).to_numpy().astype(np.int64, copy=False)


def unit_codes(tab: pl.DataFrame) -> tuple[pl.Series, int]:
    """An integer (UInt64) naming each row's unit (``doc_id``, and ``sentence_id`` when the
    table has it), distinct units getting distinct codes, and the bits the codes need.

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["b", "b", "a"], "sentence_id": [0, 1, 0]})
    >>> codes, bits = unit_codes(t)
    >>> codes.to_list(), bits
    ([2, 3, 0], 2)
    """
    docs, distinct = sort_codes(tab["doc_id"].cast(pl.String))
    codes = docs.cast(pl.UInt64)
    bits = max(1, (distinct.len() - 1).bit_length())
    if "sentence_id" in tab.columns:
        sentence = tab["sentence_id"].cast(pl.UInt64)
        s_bits = max(1, int(sentence.max() or 0).bit_length())  # type: ignore[arg-type]
        if bits + s_bits > 64:  # code the sentence ids densely instead
            sentence, ids = sort_codes(sentence, runs=False)
            sentence = sentence.cast(pl.UInt64)
            s_bits = max(1, (ids.len() - 1).bit_length())
        codes = codes * (1 << s_bits) + sentence
        bits += s_bits
    return codes, bits


def unit_rows(tab: pl.DataFrame) -> tuple[np.ndarray | None, np.ndarray, int]:
    """``(order, rows, n_units)``: rows of ``tab`` taken in ``order`` (None: as they are) have
    the unit index ``rows`` (uint32, non-decreasing, ``0 .. n_units - 1``).

    A unit is a ``doc_id`` (and ``sentence_id`` when the table has it), or, when the table
    has a ``unit`` column (UInt64: the windows of
    :func:`analysis.pairs._cooccurrence_counts.window_units`), its value. When each unit's rows
    are together (runs of equal units, each unit in one run) the runs are the units, with no
    hashing or sorting of the rows; otherwise the rows are sorted by :func:`unit_codes` (or
    ``unit``).

    Examples
    --------
    >>> order, rows, n = unit_rows(pl.DataFrame({"doc_id": ["b", "b", "a"]}))
    >>> order, rows.tolist(), n
    (None, [0, 0, 1], 2)
    >>> order, rows, n = unit_rows(pl.DataFrame({"doc_id": ["b", "a", "b"]}))
    >>> order.tolist(), rows.tolist(), n
    ([1, 0, 2], [0, 1, 1], 2)
    """
    import numpy as np

    if tab.height == 0:
        return None, np.zeros(0, dtype=np.int64), 0
    if "unit" in tab.columns:
        key = tab["unit"].cast(pl.UInt64)
    else:
        key = unit_codes(tab)[0] if "sentence_id" in tab.columns else tab["doc_id"]
    runs = key.rle().struct.unnest()  # one row per run: its length and unit
    if runs["value"].n_unique() == runs.height:
        lengths = runs["len"].to_numpy()
        return None, np.repeat(np.arange(runs.height, dtype=np.uint32), lengths), runs.height
    codes = key if key.dtype == pl.UInt64 else unit_codes(tab.select("doc_id"))[0]
    order = codes.arg_sort()
    grouped = codes.gather(order).rle_id()  # UInt32
    return (order.to_numpy().astype(np.int64, copy=False), grouped.to_numpy(),
            int(grouped[-1]) + 1)


def dense_exact(nnz: int, largest: float, n_rows: int, k: int, block: int = BLOCK) -> bool:
    """Whether ``nnz`` integer cells of at most ``largest`` (absolute) in ``n_rows x k`` are
    multiplied as dense float32 blocks: a vocabulary of at most :data:`DENSE_MAX`, more than
    2% of the cells filled, and every block's sums exact in float32
    (``largest**2 * block < 2**24``).

    Examples
    --------
    >>> dense_exact(500, 1, 100, 10), dense_exact(5, 1, 100, 10), dense_exact(500, 500, 100, 10)
    (True, False, False)
    """
    if k > DENSE_MAX or n_rows == 0 or k == 0 or nnz == 0:
        return False
    block = max(1, min(block, n_rows))
    return nnz / (n_rows * k) > 0.02 and float(largest) ** 2 * block < 2**24


def grouped_gram(rows: np.ndarray, cols: np.ndarray, values: np.ndarray | None, n_rows: int,
                 k: int, *, keep: np.ndarray | None = None,
                 block: int = BLOCK) -> np.ndarray | None:
    """``X.T @ X`` (int64, ``k x k``) for cells given row by row (``rows`` non-decreasing,
    ``values`` nonzero integers; None: all 1; only where ``keep`` when given), or None when a
    (row, column) cell is given twice (then sum the cells and use :func:`gram`).

    Dense float32 blocks of rows, multiplied by BLAS (``part.T @ part``, a symmetric rank-k
    update), exact when :func:`dense_exact` holds. A repeated cell keeps one value, so the
    block's trace falls short of the sum of the squared values: that is the check.

    Examples
    --------
    >>> import numpy as np
    >>> grouped_gram(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([1, 2, 1]), 2, 2).tolist()
    [[1, 2], [2, 5]]
    >>> grouped_gram(np.array([0, 0]), np.array([1, 1]), None, 1, 2) is None
    True
    """
    import numpy as np

    block = max(1, min(block, n_rows))
    bounds = np.searchsorted(rows, np.arange(0, n_rows + block, block).astype(rows.dtype))
    dense = np.zeros((block, k), dtype=np.float32)
    total = np.zeros((k, k), dtype=np.float64)  # exact: integers below 2**53
    with blas_threads(BLAS_THREADS):
        for i in range(len(bounds) - 1):
            lo, hi = bounds[i], bounds[i + 1]
            if lo == hi:
                continue
            part = dense[:min(block, n_rows - i * block)]
            part[:] = 0
            at, col = rows[lo:hi].astype(np.int64) - i * block, cols[lo:hi]
            value = None if values is None else values[lo:hi].astype(np.float64)
            if keep is not None:
                chosen = keep[lo:hi]
                at, col = at[chosen], col[chosen]
                value = None if value is None else value[chosen]
            part[at, col] = 1 if value is None else value
            product = part.T @ part  # exact in float32 (every sum < 2**24)
            squares = len(at) if value is None else float(np.dot(value, value))
            if float(np.trace(product, dtype=np.float64)) != squares:  # a repeated cell
                return None
            total += product
    return np.rint(total).astype(np.int64)


def take(values: np.ndarray, index: np.ndarray, *, chunk: int = CHUNK) -> np.ndarray:
    """``values[index]`` a chunk of ``index`` at a time (no index-sized int64 temporary).

    Examples
    --------
    >>> import numpy as np
    >>> take(np.array([5, 6, 7]), np.array([2, 0, 2], dtype=np.uint32), chunk=2).tolist()
    [7, 5, 7]
    """
    import numpy as np

    out = np.empty(len(index), dtype=values.dtype)
    for start in range(0, len(index), chunk):
        np.take(values, index[start:start + chunk], out=out[start:start + chunk])
    return out


def sum_by_code(codes: np.ndarray, weights: np.ndarray | None, size: int, *,
                chunk: int = CHUNK) -> np.ndarray:
    """``np.bincount(codes, weights, minlength=size)`` as int64, a chunk at a time (exact while
    the sums stay below ``2**53``).

    Examples
    --------
    >>> import numpy as np
    >>> sum_by_code(np.array([1, 0, 1], dtype=np.uint16), np.array([2, 3, 4]), 3, chunk=2)
    array([3, 6, 0])
    """
    import numpy as np

    total = np.zeros(size, dtype=np.float64 if weights is not None else np.int64)
    for start in range(0, len(codes), chunk):
        part = codes[start:start + chunk]
        total += np.bincount(part, minlength=size) if weights is None else np.bincount(
            part, weights=weights[start:start + chunk], minlength=size)
    return total.astype(np.int64)


def blas_threads(n: int | None) -> AbstractContextManager[Any]:
    """A context in which BLAS uses at most ``n`` threads (``threadpoolctl``); no limit when
    ``n`` is None."""
    if n is None:
        return nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=n, user_api="blas")


def gram(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n_rows: int, k: int, *,
         block: int = BLOCK, method: Literal["auto", "dense", "sparse"] = "auto") -> Any:
    """``X.T @ X`` for the sparse ``X`` given by coordinates (one per cell), exactly, as int64.

    A dense ``k x k`` array when ``k <= DENSE_MAX``, else a ``scipy.sparse.csr_array``.
    Dense BLAS (:func:`grouped_gram`) when :func:`dense_exact` holds (documents over a
    top-1000 vocabulary usually), scipy's sparse product otherwise (sentences, large
    vocabularies).

    Examples
    --------
    >>> import numpy as np
    >>> gram(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([1, 2, 1]), 2, 2).tolist()
    [[1, 2], [2, 5]]
    """
    import numpy as np

    if k > DENSE_MAX:
        from scipy import sparse

        x = sparse.csr_array((values.astype(np.int64), (rows, cols)), shape=(n_rows, k))
        out = sparse.csr_array(x.T @ x, dtype=np.int64)
        out.sort_indices()
        return out
    if n_rows == 0 or k == 0:
        return np.zeros((k, k), dtype=np.int64)
    integral = values.dtype.kind in "biu" or bool(np.all(values == np.round(values)))
    largest = float(np.abs(values).max()) if values.size else 0.0
    if method == "dense" or (method == "auto" and integral
                             and dense_exact(values.size, largest, n_rows, k, block)):
        keep = values != 0
        rows, cols, values = rows[keep], cols[keep], values[keep]
        if rows.size and not bool(np.all(rows[1:] >= rows[:-1])):  # group the rows
            order = np.argsort(rows, kind="stable")
            rows, cols, values = rows[order], cols[order], values[order]
        out = grouped_gram(rows, cols, values, n_rows, k, block=block)
        if out is not None:
            return out
    from scipy import sparse

    x = sparse.csr_array((values, (rows, cols)), shape=(n_rows, k))
    if integral:
        x = x.astype(np.int64)
    return np.asarray((x.T @ x).todense()).astype(np.int64)
