"""Token tables in batches of whole documents, so a verb's working memory stays bounded.

A verb that only needs one document at a time (actor matching, candidate names) runs its
per-batch function on each slice from :func:`document_slices` and combines the results; the
slices are zero-copy views of the input table, so no second copy of a large token table is made.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import polars as pl

__all__ = ["BATCH_ROWS", "DOCS_PER_BATCH", "WINDOW_ROWS", "document_slices", "document_starts",
           "documents_contiguous", "in_document_order"]

BATCH_ROWS = 2_000_000
"""Default rows (tokens) per batch: a few hundred MB of working memory for the matching verbs,
a handful of batches for 10,000 news articles."""


WINDOW_ROWS = 1 << 20
"""Rows compared with the row before them at a time by the order checks (a bounded copy where
the chunks of a column do not line up)."""

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
    n = tokens.height
    doc = tokens["doc_id"]
    cols = [tokens[name] for name in order]
    for i, m in _windows(n - 1):
        # rows i+1 .. i+m against the rows before them; a window at a time, so that no
        # shifted copy of a whole column is made (misaligned chunks are copied to compare)
        new = (doc.slice(i + 1, m) != doc.slice(i, m)).fill_null(True)
        later = pl.repeat(False, m, eager=True)  # "row > the row before", built from the end
        for col in reversed(cols):
            now, before = col.slice(i + 1, m), col.slice(i, m)
            later = (now > before) | ((now == before) & later)
        if not (new | later).fill_null(True).all():
            return False
    return documents_contiguous(tokens)


def documents_contiguous(tokens: pl.DataFrame) -> bool:
    """Whether each document's rows are contiguous (whatever their order within it).

    Counted on the first row of each run of equal ``doc_id`` values: as many runs as distinct
    documents (no distinct count over every row).

    Examples
    --------
    >>> documents_contiguous(pl.DataFrame({"doc_id": ["b", "b", "a"]}))
    True
    >>> documents_contiguous(pl.DataFrame({"doc_id": ["b", "a", "b"]}))
    False
    """
    if tokens.height == 0:
        return True
    # gathered by index: a Series filter would first copy a many-chunk column whole
    firsts = tokens["doc_id"].gather(document_starts(tokens).arg_true())
    return firsts.len() == firsts.n_unique()


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
    """For rows 1.., whether the row starts another document than the row before: compared on
    zero-copy slices a window at a time, so no shifted copy of the ``doc_id`` strings is made
    (slices whose chunks do not line up are copied to be compared)."""
    doc = tokens["doc_id"]
    parts = [(doc.slice(i + 1, m) != doc.slice(i, m)).fill_null(True)
             for i, m in _windows(tokens.height - 1)]
    return pl.concat(parts) if parts else pl.Series(doc.name, [], dtype=pl.Boolean)


def _windows(n: int) -> list[tuple[int, int]]:
    """``(first, length)`` of consecutive windows of at most :data:`WINDOW_ROWS` of ``n`` rows."""
    return [(i, min(WINDOW_ROWS, n - i)) for i in range(0, n, WINDOW_ROWS)]


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
    begin = 0
    while begin < height:
        # the first document start at or after begin + rows; the slice ends there
        i = int(starts.searchsorted(begin + rows, side="left"))
        end = int(starts[i]) if i < len(starts) else height
        yield tokens.slice(begin, end - begin)
        begin = end
