"""Term counts per batch of whole documents: ``n`` and ``docfreq`` per group and term, added up.

:func:`analysis.terms._frequency.term_frequency` (for groupings without ``doc_id``),
:func:`analysis.terms._comparison.compare_groups` and
:func:`analysis.report.choose.distinctive_terms` count
token tables of tens of millions of rows. Counting such a table whole makes copies of the
counted columns over every row (a filtered copy, integer codes, a group label joined onto each
token); here each batch of whole documents (:func:`analysis.engine._batches.document_slices`,
zero-copy
slices) is counted on its own by :func:`term_counts_part`, and the small per-batch tables are
added by :func:`combine_term_counts`: ``n`` adds up, and so does ``docfreq``, since a document
never spans two batches. A table whose documents are not contiguous is counted as one batch
(:func:`analysis.engine._batches.document_batches`), which is the same computation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl

from analysis.engine._batches import document_batches
from analysis.engine._codes import sort_codes
from analysis.engine._frames import is_count_table

Prepare = Callable[[pl.DataFrame], pl.DataFrame]
"""A step run on each batch's counted rows before counting (e.g. joining a group column)."""


def term_counts_part(batch: pl.DataFrame, groups: Sequence[str], *, term_column: str = "term",
                     include_stop: bool = False, include_punct: bool = False,
                     prepare: Prepare | None = None) -> pl.DataFrame:
    """Counts of one batch of whole documents: the ``groups``, ``term_column``, ``n``
    (occurrences, or the sum of a count table's ``n``) and ``docfreq`` (documents; 1 when
    ``doc_id`` is a group), both Int64, one row per group and term, in no particular order.

    Only the counted columns are selected, then the stop-word / punctuation rows (unless
    included) and rows with ``n = 0`` dropped; ``prepare`` then runs on those rows (it may add
    a group column), and the grouping is done on integer codes in lexical order.

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["a", "a", "b"], "term": ["x", "x", "x"],
    ...                   "is_stop": [False, False, False], "is_punct": [False] * 3})
    >>> term_counts_part(t, []).rows()
    [('x', 3, 2)]
    """
    groups = list(groups)
    keys = [*groups, term_column]
    flags = [f for f, keep in (("is_stop", include_stop), ("is_punct", include_punct))
             if not keep]
    weighted = is_count_table(batch)
    made = groups if prepare is not None else []  # columns prepare adds: not taken from batch
    kept = batch.select(c for c in dict.fromkeys(["doc_id", *keys, *flags,
                                                  *(["n"] if weighted else [])])
                        if c not in made)
    if flags:
        kept = kept.filter(*(~pl.col(f) for f in flags)).drop(
            f for f in flags if f not in ("doc_id", *keys))
    if weighted:
        kept = kept.filter(pl.col("n") > 0)
    if prepare is not None:
        kept = prepare(kept)
    decode: dict[str, pl.Series] = {}
    for col in dict.fromkeys(["doc_id", *keys]):
        if kept.schema[col] == pl.String:
            codes, decode[col] = sort_codes(kept[col], runs=False)
            kept = kept.with_columns(codes.alias(col))
    count = pl.col("n").sum() if weighted else pl.len()
    docfreq = pl.lit(1) if "doc_id" in groups else pl.col("doc_id").n_unique()
    counts = kept.group_by(keys).agg(n=count.cast(pl.Int64), docfreq=docfreq.cast(pl.Int64))
    return counts.with_columns(decode[c].gather(counts[c]).alias(c) for c in keys
                               if c in decode)


def combine_term_counts(parts: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """Add the :func:`term_counts_part` tables (or the ``table`` of
    :func:`analysis.terms._frequency.document_frequency_part`) of batches of whole documents
    (associative
    and commutative: ``n`` and ``docfreq`` summed per group and term).

    Examples
    --------
    >>> a = pl.DataFrame({"term": ["x", "y"], "n": [2, 1], "docfreq": [1, 1]})
    >>> combine_term_counts([a, a.head(1)]).sort("term").rows()
    [('x', 4, 2), ('y', 1, 1)]
    """
    if len(parts) == 1:
        return parts[0]
    sums = [c for c in parts[0].columns if c in ("n", "docfreq")]  # in the parts' order
    keys = [c for c in parts[0].columns if c not in sums]
    return pl.concat(parts).group_by(keys).agg(pl.col(sums).sum())


def term_counts(tokens: pl.DataFrame, groups: Sequence[str], *, term_column: str = "term",
                include_stop: bool = False, include_punct: bool = False,
                prepare: Prepare | None = None) -> pl.DataFrame:
    """:func:`term_counts_part` of each batch of whole documents (:func:`document_batches`),
    combined by :func:`combine_term_counts`: the counts of the whole table.

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["a", "a", "b"], "term": ["x", "y", "x"]})
    >>> term_counts(t, [], include_stop=True, include_punct=True).sort("term").rows()
    [('x', 2, 2), ('y', 1, 1)]
    """
    options = {"term_column": term_column, "include_stop": include_stop,
               "include_punct": include_punct, "prepare": prepare}
    parts = [term_counts_part(b, groups, **options)  # type: ignore[arg-type]
             for b in document_batches(tokens)]
    if not parts:  # an empty table: its (empty) counts, with their column types
        parts = [term_counts_part(tokens, groups, **options)]  # type: ignore[arg-type]
    return combine_term_counts(parts)
