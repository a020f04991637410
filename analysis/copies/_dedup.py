"""Copies out of the counts: each text counted once, exact copies and near-duplicate clusters.

The loader flags exact copies (``docs.duplicate_of``: the first document with the same text).
Near-duplicate detection (``near_duplicates()``, the syndication work) gives clusters as a table
``cluster_id, doc_id, is_first``. :func:`duplicate_copies` lists the documents that are copies
by either; :func:`deduplicate` leaves them out, so a story copied eight times counts once (its
first document). Reports call it before counting, with the report parameter
``duplicates: "exclude" | "include"``, and say how many copies were left out.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from analysis.engine._frames import as_kind, is_pandas, require_columns, to_polars

if TYPE_CHECKING:
    from analysis.engine._frames import Frame

DuplicatesChoice = Literal["exclude", "include"]

COPIES_SCHEMA = {"doc_id": pl.String, "copy_of": pl.String, "how": pl.String}


def duplicate_copies(docs: Any, *, clusters: Any = None) -> Frame:
    """The documents that are copies of an earlier one, and of which.

    Parameters
    ----------
    docs
        A :class:`~analysis.corpus._load.Corpus` or its ``docs`` table (``doc_id``; ``duplicate_of``
        when present).
    clusters
        Optional near-duplicate clusters: a table ``cluster_id, doc_id, is_first``. Every
        document of a cluster that is not its first is a copy of the first.

    Returns
    -------
    DataFrame
        One row per copy, sorted by ``doc_id``: ``doc_id``, ``copy_of`` (the document that
        counts), ``how`` (``"exact"``: the loader's ``duplicate_of``; ``"near"``: a cluster).
        A document that is both keeps ``"exact"``. Copies of copies point to the first document.
        Pandas when ``docs`` is a pandas table.

    Examples
    --------
    >>> import polars as pl
    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c", "d"],
    ...                      "duplicate_of": [None, "a", None, None]})
    >>> clusters = pl.DataFrame({"cluster_id": [0, 0], "doc_id": ["c", "d"],
    ...                          "is_first": [True, False]})
    >>> duplicate_copies(docs, clusters=clusters).rows()
    [('b', 'a', 'exact'), ('d', 'c', 'near')]
    """
    source = getattr(docs, "docs", docs)
    pandas = is_pandas(source)
    table = to_polars(source, what="duplicate_copies()'s docs")
    require_columns(table, ["doc_id"], what="docs")
    exact = (
        table.filter(pl.col("duplicate_of").is_not_null())
        .select("doc_id", copy_of=pl.col("duplicate_of").cast(pl.String), how=pl.lit("exact"))
        if "duplicate_of" in table.columns else pl.DataFrame(schema=COPIES_SCHEMA)
    )
    near = pl.DataFrame(schema=COPIES_SCHEMA)
    if clusters is not None:
        cl = to_polars(clusters, what="clusters")
        require_columns(cl, ["cluster_id", "doc_id", "is_first"], what="clusters")
        firsts = cl.filter(pl.col("is_first")).select("cluster_id", copy_of=pl.col("doc_id"))
        several = firsts.group_by("cluster_id").len().filter(pl.col("len") > 1)
        if several.height or firsts["cluster_id"].n_unique() < cl["cluster_id"].n_unique():
            raise ValueError(
                "clusters must have exactly one row with is_first=True per cluster_id "
                "(near_duplicates() output)"
            )
        near = (
            cl.filter(~pl.col("is_first")).join(firsts, on="cluster_id")
            .select(pl.col("doc_id").cast(pl.String), pl.col("copy_of").cast(pl.String),
                    how=pl.lit("near"))
        )
    out = pl.concat([exact, near.filter(~pl.col("doc_id").is_in(exact["doc_id"].implode()))])
    # a first document that is itself an exact copy: point at the document that counts
    first_of = dict(out.select("doc_id", "copy_of").iter_rows())
    resolved = [_root(d, first_of) for d in out["copy_of"].to_list()]
    out = out.with_columns(copy_of=pl.Series(resolved, dtype=pl.String)).sort("doc_id")
    return as_kind(out, pandas)


def _root(doc: str, first_of: dict[str, str]) -> str:
    seen = {doc}
    while doc in first_of and first_of[doc] not in seen:
        doc = first_of[doc]
        seen.add(doc)
    return doc


def deduplicate(data: Any, *, duplicates: DuplicatesChoice = "exclude", clusters: Any = None,
                docs: Any = None) -> Any:
    """Leave copies out (``duplicates="exclude"``) or keep everything (``"include"``).

    Parameters
    ----------
    data
        A :class:`~analysis.corpus._load.Corpus` (returns a Corpus whose ``docs`` hold one document
        per text, so its ``fingerprint`` is that of the documents counted, and with one note
        per copy left out added to ``notes``), a ``docs`` table, or any table with ``doc_id``
        (tokens, counts, mentions: their rows of copies are dropped).
    duplicates
        ``"exclude"`` (the default: each text counts once) or ``"include"`` (``data``
        returned unchanged).
    clusters
        Optional near-duplicate clusters (``cluster_id, doc_id, is_first``): each cluster
        counts once, as its first document.
    docs
        Where the ``duplicate_of`` column is when ``data`` is not a docs table (a Corpus or
        docs table); default ``data`` itself.

    Returns
    -------
    Corpus or DataFrame
        The same kind as ``data``, rows of copies removed, row order kept.

    Examples
    --------
    >>> import polars as pl
    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c"], "duplicate_of": [None, "a", None]})
    >>> deduplicate(docs)["doc_id"].to_list()
    ['a', 'c']
    >>> deduplicate(docs, duplicates="include")["doc_id"].to_list()
    ['a', 'b', 'c']
    >>> tokens = pl.DataFrame({"doc_id": ["a", "b", "b", "c"], "term": ["x", "x", "y", "z"]})
    >>> deduplicate(tokens, docs=docs)["term"].to_list()
    ['x', 'z']
    """
    if duplicates not in ("exclude", "include"):
        raise ValueError(f"duplicates must be 'exclude' or 'include'; got {duplicates!r}")
    if duplicates == "include":
        return data
    copies = duplicate_copies(docs if docs is not None else data, clusters=clusters)
    ids = to_polars(copies)["doc_id"]
    if hasattr(data, "docs") and hasattr(data, "notes"):  # a Corpus
        kept = data.docs.filter(~pl.col("doc_id").is_in(ids.implode()))
        by_id = dict(data.docs.select("doc_id", "source").iter_rows())
        notes = pl.DataFrame(
            {"doc_id": ids,
             "source": [by_id.get(d) for d in ids.to_list()],
             "note": [f"left out of the counts (duplicates='exclude'): {h} copy of {c}"
                      for h, c in to_polars(copies).select("how", "copy_of").iter_rows()]},
            schema={"doc_id": pl.String, "source": pl.String, "note": pl.String},
        ) if ids.len() else data.notes.clear()
        # an empty notes table may have Null columns: relax them to the notes' strings
        return dataclasses.replace(data, docs=kept, notes=pl.concat(
            [data.notes, notes], how="diagonal_relaxed"))
    pandas = is_pandas(data)
    table = to_polars(data, what="deduplicate()'s data")
    require_columns(table, ["doc_id"], what="data")
    return as_kind(table.filter(~pl.col("doc_id").is_in(ids.implode())), pandas)


def copies_left_out(corpus: Any) -> int:
    """How many documents :func:`deduplicate` left out of a Corpus (from its notes).

    Examples
    --------
    >>> import polars as pl
    >>> from analysis.corpus._load import Corpus
    >>> docs = pl.DataFrame({"doc_id": ["a", "b"], "source": ["x", "y"], "text": ["t", "t"],
    ...                      "published": None, "outlet": None, "title": None,
    ...                      "duplicate_of": [None, "a"]})
    >>> corpus = Corpus(docs=docs, skipped=pl.DataFrame())
    >>> kept = deduplicate(corpus)
    >>> copies_left_out(kept), kept.docs.height, kept.fingerprint == corpus.fingerprint
    (1, 1, False)
    """
    notes = corpus.notes
    if notes.is_empty():
        return 0
    return int(notes["note"].str.starts_with("left out of the counts (duplicates=").sum())
