"""Sentence bounds of a token table, counted a batch of rows at a time.

:func:`sentence_bounds` gives one row per sentence (``doc_id, sentence_id, start, end``) of a
token table of tens of millions of rows without a group-by over every row at once: each slice
of :data:`~analysis.engine._batches.BATCH_ROWS` rows (zero-copy) is grouped on its own, and the
small
per-slice tables are combined by the minimum of ``start`` and the maximum of ``end`` per
sentence. Minimum and maximum are associative, so the result does not depend on the row order
or on where the slices cut (a sentence cut by a slice boundary is put back together).
Used by :func:`analysis.extract_dates` and :func:`analysis.quotes`.
"""

from __future__ import annotations

import polars as pl

from analysis.engine._batches import BATCH_ROWS
from analysis.engine._frames import require_columns


def sentence_bounds(tokens: pl.DataFrame, *, rows: int | None = None) -> pl.DataFrame:
    """One row per sentence: ``doc_id, sentence_id, start`` (its first token's start), ``end``
    (its last token's end), sorted by ``doc_id`` and ``sentence_id``.

    Parameters
    ----------
    tokens
        A token table (``doc_id``, ``sentence_id``, ``start``, ``end``), in any row order.
    rows
        Rows grouped at a time (at least 1); default :data:`~analysis.engine._batches.BATCH_ROWS`.

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["b", "a", "b", "b"], "sentence_id": [1, 1, 1, 2],
    ...                   "start": [0, 0, 3, 6], "end": [2, 4, 5, 9]})
    >>> sentence_bounds(t, rows=1).rows()
    [('a', 1, 0, 4), ('b', 1, 0, 5), ('b', 2, 6, 9)]
    >>> sentence_bounds(t).equals(sentence_bounds(t, rows=3))
    True
    """
    rows = BATCH_ROWS if rows is None else rows
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    require_columns(tokens, ["doc_id", "sentence_id", "start", "end"], what="tokens")
    table = tokens.select("doc_id", "sentence_id", "start", "end")
    keys = ["doc_id", "sentence_id"]
    bounds = [pl.col("start").min(), pl.col("end").max()]
    parts = [table.slice(i, rows).group_by(keys).agg(bounds)
             for i in range(0, table.height, rows)]
    if len(parts) > 1:  # a sentence cut by a slice boundary: its parts combined
        combined = pl.concat(parts).group_by(keys).agg(bounds)
    else:
        combined = parts[0] if parts else table.group_by(keys).agg(bounds)
    return combined.sort(keys)
