"""Token tables in batches of whole documents, so a verb's working memory stays bounded.

A verb that only needs one document at a time (actor matching, candidate names) runs its
per-batch function on each slice from :func:`document_slices` and combines the results; the
slices are zero-copy views of the input table, so no second copy of a large token table is made.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import polars as pl

from analysis.engine._runs import compare_previous

if TYPE_CHECKING:
    import numpy as np

BATCH_ROWS = 2_000_000
"""Default rows (tokens) per batch: a few hundred MB of working memory for the matching verbs,
a handful of batches for 10,000 news articles."""


DOCS_PER_BATCH = 2_000
"""Default documents per batch where documents are tokenised a batch at a time (about
1M tokens of news articles)."""


def in_document_order(tokens: pl.DataFrame,
                      order: Sequence[str] = ("sentence_id", "token_id")) -> bool:
    """Whether each document's rows are contiguous and strictly increasing in ``order``.

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["b", "b", "a"], "sentence_id": [1, 1, 1],
    ...                   "token_id": [1, 2, 1]})
    >>> in_document_order(t), in_document_order(t.reverse())
    (True, False)
    >>> in_document_order(pl.concat([t, t.head(1)]))  # "b" is not contiguous
    False
    >>> in_document_order(t, order=["token_id"])
    True
    """
    if tokens.height == 0:
        return True
    new = _new_document(tokens)
    later = pl.repeat(False, tokens.height - 1, eager=True)  # "row > the row before", from the end
    for name in reversed(order):
        # chunk by chunk: comparing misaligned slices would copy a whole column
        col = tokens[name]
        later = (compare_previous(col, lambda row, before: row > before)
                 | (compare_previous(col, lambda row, before: row == before) & later))
    return bool((new | later).fill_null(True).all()) and _contiguous_starts(tokens, new) is not None


def in_text_order(table: pl.DataFrame) -> bool:
    """Whether ``table`` is sorted by ``doc_id`` then ``token_id`` (each row compared with the
    one before chunk by chunk, :func:`analysis.engine._runs.compare_previous`: no copy of the
    ``doc_id`` strings).

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["a", "a", "b"], "token_id": [1, 2, 1]})
    >>> in_text_order(t), in_text_order(t.reverse())
    (True, False)
    """
    n = table.height
    if n < 2:
        return True
    doc, tok = table["doc_id"], table["token_id"]
    backwards = compare_previous(doc, lambda row, before: row < before) | (
        compare_previous(doc, lambda row, before: row == before)
        & compare_previous(tok, lambda row, before: row < before))
    return not backwards.fill_null(False).any()


def document_starts(tokens: pl.DataFrame) -> pl.Series:
    """For each row, whether it is the first of its document (documents contiguous).

    Examples
    --------
    >>> document_starts(pl.DataFrame({"doc_id": ["b", "b", "a"]})).to_list()
    [True, False, True]
    """
    if tokens.height == 0:
        return pl.Series("start", [], dtype=pl.Boolean)
    return pl.concat([pl.Series("start", [True]), _new_document(tokens).alias("start")])


def _new_document(tokens: pl.DataFrame) -> pl.Series:
    """For rows 1.., whether the row starts another document than the row before: compared
    chunk by chunk (:func:`analysis.engine._runs.compare_previous`), so no copy of the ``doc_id``
    strings is made."""
    return compare_previous(tokens["doc_id"], lambda row, before: row != before).fill_null(True)


def document_slices(tokens: pl.DataFrame, *, rows: int = BATCH_ROWS) -> Iterator[pl.DataFrame]:
    """Consecutive slices of ``tokens`` (each document's rows contiguous), about ``rows`` rows
    each, never cutting a document: a document longer than ``rows`` is a slice of its own.

    Parameters
    ----------
    tokens
        A table with a ``doc_id`` column whose documents are contiguous (see
        :func:`in_document_order`).
    rows
        Target rows per slice (at least 1).

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["a", "a", "b", "c", "c", "c"], "x": range(6)})
    >>> [s["doc_id"].to_list() for s in document_slices(t, rows=2)]
    [['a', 'a'], ['b', 'c', 'c', 'c']]
    >>> [s.height for s in document_slices(t, rows=100)], list(document_slices(t.head(0)))
    ([6], [])
    """
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    height = tokens.height
    if height <= rows:
        if height:
            yield tokens
        return
    starts = _new_document(tokens).arg_true().to_numpy() + 1  # the first row is not needed
    yield from _cut(tokens, starts, rows)


def _cut(tokens: pl.DataFrame, starts: np.ndarray, rows: int) -> Iterator[pl.DataFrame]:
    """The slices of :func:`document_slices`, given the rows where a document starts (sorted,
    without row 0)."""
    height = tokens.height
    begin = 0
    while begin < height:
        # the first document start at or after begin + rows; the slice ends there
        i = int(starts.searchsorted(begin + rows, side="left"))
        end = int(starts[i]) if i < len(starts) else height
        yield tokens.slice(begin, end - begin)
        begin = end


def documents_contiguous(tokens: pl.DataFrame) -> bool:
    """Whether each document's rows are contiguous: as many runs of ``doc_id`` as documents.

    The documents are told apart at run starts only (no copy of the ``doc_id`` column).

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["b", "b", "a"]})
    >>> documents_contiguous(t), documents_contiguous(pl.concat([t, t.head(1)]))
    (True, False)
    """
    return _contiguous_starts(tokens) is not None


def _contiguous_starts(tokens: pl.DataFrame, new: pl.Series | None = None) -> np.ndarray | None:
    """The rows (after row 0) where a document starts, or None when the documents are not
    contiguous: one pass over ``doc_id`` (chunk by chunk; ``new``: :func:`_new_document`, when
    the caller has it), distinct ids counted at the starts."""
    import numpy as np

    if tokens.height < 2:
        return np.zeros(0, dtype=np.int64)
    if new is None:
        new = _new_document(tokens)
    starts = new.arg_true().to_numpy().astype(np.int64) + 1
    heads = tokens["doc_id"].gather(np.concatenate(([0], starts)))
    return starts if heads.len() == heads.n_unique() else None


def document_batches(tokens: pl.DataFrame, *, rows: int | None = None,
                     ) -> Iterator[pl.DataFrame]:
    """Zero-copy slices of whole documents of about ``rows`` rows (default
    :data:`BATCH_ROWS`), or the whole table when its documents are not
    contiguous; nothing for an empty table.

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["a", "a", "b", "c"]})
    >>> [s.height for s in document_batches(t, rows=1)]
    [2, 1, 1]
    >>> [s.height for s in document_batches(pl.concat([t, t.head(1)]), rows=1)]  # "a" twice
    [5]
    """
    size = BATCH_ROWS if rows is None else rows
    if size < 1:
        raise ValueError(f"rows must be at least 1, got {size}")
    starts = None if tokens.height <= size else _contiguous_starts(tokens)
    if starts is None:
        if tokens.height:
            yield tokens
        return
    yield from _cut(tokens, starts, size)
