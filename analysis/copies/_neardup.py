"""Near-duplicate documents: MinHash + LSH candidates, verified by exact Jaccard on word shingles.

How it works (see ``docs/syndication.md``):

1. **Normalise and shingle.** Each text is NFKC-normalised and lower-cased; its words are the
   runs of letters and digits (``[^\\W_]+``), so punctuation, quotes, dashes, case and
   whitespace do not matter. A document's shingles are its runs of ``shingle`` consecutive
   words (a document with fewer words has one shingle: all of them), each hashed to 64 bits.
2. **MinHash signatures** with datasketch's ``affine64`` permutation scheme (MurmurHash3
   finaliser, then ``a * h + b`` modulo 2**64, with datasketch's seeded ``a, b``), computed for
   the whole corpus at once with numpy (bit-identical to ``datasketch.MinHash``).
3. **Candidates** from datasketch's ``MinHashLSH`` index (banding tuned to a threshold
   :data:`LSH_SLACK` below ``threshold``, so pairs at the threshold are found with high
   probability).
4. **Verification**: the exact Jaccard similarity (and containment) of each candidate pair's
   shingle sets. A pair is linked when its Jaccard is >= ``threshold``, or when the smaller
   text is (almost) contained in the larger one (containment >= ``containment``) and its
   Jaccard is >= ``threshold - CONTAINMENT_TOLERANCE`` (a copy with a long paragraph dropped
   or added). Clusters are the connected components of the linked pairs.

Only the verification decides whether a pair is linked, so every reported pair has exact
Jaccard >= ``threshold - CONTAINMENT_TOLERANCE`` (>= ``threshold`` with ``containment=None``).
The measures are exact on 64-bit shingle hashes (two different shingles share a hash with
probability about 2**-64). MinHash only decides which pairs get verified; its randomness can
only miss pairs (recall), never invent them.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from analysis.copies._minhash import (
    jaccard,
    minhash_signatures,
    overlap,
    shingle_hashes,
    shingle_sets,
)
from analysis.engine._frames import require_columns, tidy

LSH_SLACK = 0.2
"""The LSH index is tuned for ``threshold - LSH_SLACK`` (at least 0.3): recall over precision.

With 128 permutations and threshold 0.8 the index is built for 0.6 (21 bands of 6 rows): a pair
with Jaccard 0.8 is proposed with probability 0.998, one at 0.7 with 0.93, one at 0.5 with 0.28."""
CONTAINMENT_TOLERANCE = 0.2
"""How far below ``threshold`` the Jaccard of a pair linked by containment may be.

A pair is linked when its Jaccard is >= ``threshold``, or when one text's shingles are (almost)
all in the other (containment >= ``containment``) and its Jaccard is >= ``threshold -
CONTAINMENT_TOLERANCE``: a copy with a long paragraph dropped or added. The floor keeps a short
text quoted inside a long one (a shared statement, a short brief) from counting as a copy."""
LSH_WEIGHTS = (0.3, 0.7)
"""datasketch's weights of (false positives, false negatives) when it picks the banding."""
BATCH_DOCS = 2_000
"""Documents shingled at once (bounds memory)."""


def _check(docs: pl.DataFrame, threshold: float, shingle: int, num_perm: int,
           containment: float | None) -> None:
    require_columns(docs, ["doc_id", "text"], what="docs")
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if containment is not None and not 0 < containment <= 1:
        raise ValueError(f"containment must be in (0, 1] or None, got {containment}")
    if shingle < 1:
        raise ValueError(f"shingle must be a positive number of words, got {shingle}")
    if num_perm < 2:
        raise ValueError(f"num_perm must be at least 2, got {num_perm}")
    if docs["doc_id"].null_count():
        raise ValueError("docs has documents without a doc_id")
    if docs["doc_id"].n_unique() != docs.height:
        dup = docs["doc_id"].filter(docs["doc_id"].is_duplicated()).unique().sort().head(3)
        raise ValueError(f"docs must have one row per doc_id; repeated: {dup.to_list()}")


def _candidates(docs: pl.DataFrame, *, threshold: float, shingle: int, num_perm: int,
                seed: int) -> list[tuple[int, int]]:
    """Candidate pairs ``(i, j)``, ``i < j`` (row positions), from the LSH index."""
    import numpy as np
    from datasketch import LeanMinHash, MinHashLSH

    lsh = MinHashLSH(threshold=max(threshold - LSH_SLACK, 0.3), num_perm=num_perm,
                     weights=LSH_WEIGHTS)
    texts = docs["text"]
    pairs: set[tuple[int, int]] = set()
    for lo in range(0, docs.height, BATCH_DOCS):
        offsets, hashes = shingle_hashes(texts.slice(lo, BATCH_DOCS), shingle=shingle)
        sig = minhash_signatures(offsets, hashes, num_perm=num_perm, seed=seed)
        has = np.diff(offsets) > 0
        for k in range(sig.shape[0]):
            if not has[k]:
                continue
            m = LeanMinHash(seed=seed, hashvalues=sig[k], scheme="affine64")
            i = lo + k
            for j in lsh.query(m):
                pairs.add((j, i))  # j was inserted earlier, so j < i
            lsh.insert(i, m, check_duplication=False)
    return sorted(pairs)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = self.parent.setdefault(x, x)
        while root != self.parent[root]:
            root = self.parent[root]
        while x != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


def _verify(docs: pl.DataFrame, candidates: list[tuple[int, int]], *, threshold: float,
            containment: float | None, shingle: int, skip_connected: bool,
            ) -> tuple[list[tuple[int, int, float, float]], dict[int, Any], _UnionFind]:
    rows = sorted({i for pair in candidates for i in pair})
    sets: dict[int, Any] = {}
    for lo in range(0, len(rows), BATCH_DOCS):  # shingled in batches (bounds memory)
        chunk = rows[lo:lo + BATCH_DOCS]
        sets.update(zip(chunk, shingle_sets(docs["text"].gather(chunk), shingle=shingle),
                        strict=True))
    uf = _UnionFind()
    kept: list[tuple[int, int, float, float]] = []
    floor = threshold - CONTAINMENT_TOLERANCE
    for i, j in candidates:
        if skip_connected and uf.find(i) == uf.find(j):
            continue
        jac, con = overlap(sets[i], sets[j])
        if jac >= threshold or (containment is not None and con >= containment and jac >= floor):
            kept.append((i, j, jac, con))
            uf.union(i, j)
    return kept, sets, uf


def _order(docs: pl.DataFrame) -> pl.DataFrame:
    """Row positions with the sort key of "first": earliest published (undated last), doc_id."""
    published = docs["published"] if "published" in docs.columns else pl.repeat(
        None, docs.height, dtype=pl.Date, eager=True)
    if isinstance(published.dtype, pl.Datetime):
        published = published.dt.date()
    elif published.dtype != pl.Date and published.null_count() < docs.height:
        raise ValueError(f"docs' published column must hold dates, got {published.dtype}")
    return pl.DataFrame({"row": pl.int_range(docs.height, eager=True, dtype=pl.Int64),
                         "published": published.cast(pl.Date),
                         "doc_id": docs["doc_id"].cast(pl.String)})


@tidy
def near_duplicate_pairs(
    docs: pl.DataFrame, *, threshold: float = 0.8, containment: float | None = 0.9,
    shingle: int = 5, num_perm: int = 128, seed: int = 1,
) -> pl.DataFrame:
    """Pairs of near-identical documents, each verified by exact Jaccard similarity.

    Parameters
    ----------
    docs
        Documents: ``doc_id`` (unique) and ``text``.
    threshold, containment, shingle, num_perm, seed
        As in :func:`near_duplicates`.

    Returns
    -------
    DataFrame
        One row per linked pair of documents (see :func:`near_duplicates`) that the LSH index
        proposed (every pair with Jaccard >= ``threshold``, with high probability):

        - ``doc_id_1``, ``doc_id_2``: the two documents (``doc_id_1`` first in ``docs``).
        - ``jaccard``: exact Jaccard similarity of their distinct word shingles.
        - ``containment``: share of the smaller shingle set found in the other.

        Sorted by the row positions of ``doc_id_1``, ``doc_id_2``.

    Notes
    -----
    Within a cluster of ``n`` copies every pair is verified (``n * (n - 1) / 2`` comparisons);
    :func:`near_duplicates` skips pairs already connected.

    Examples
    --------
    >>> story = "Moscow and Beijing promised on Thursday to deepen their ties, officials said. " * 3
    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c"],
    ...                      "text": [story, story.upper() + " Source link", "Something else."]})
    >>> near_duplicate_pairs(docs)
    shape: (1, 4)
    ┌──────────┬──────────┬──────────┬─────────────┐
    │ doc_id_1 ┆ doc_id_2 ┆ jaccard  ┆ containment │
    │ ---      ┆ ---      ┆ ---      ┆ ---         │
    │ str      ┆ str      ┆ f64      ┆ f64         │
    ╞══════════╪══════════╪══════════╪═════════════╡
    │ a        ┆ b        ┆ 0.857143 ┆ 1.0         │
    └──────────┴──────────┴──────────┴─────────────┘
    """
    _check(docs, threshold, shingle, num_perm, containment)
    cands = _candidates(docs, threshold=threshold, shingle=shingle, num_perm=num_perm, seed=seed)
    kept, _, _ = _verify(docs, cands, threshold=threshold, containment=containment,
                         shingle=shingle, skip_connected=False)
    ids = docs["doc_id"].cast(pl.String).to_list()
    return pl.DataFrame(
        [(ids[i], ids[j], jac, con) for i, j, jac, con in kept], orient="row",
        schema={"doc_id_1": pl.String, "doc_id_2": pl.String, "jaccard": pl.Float64,
                "containment": pl.Float64},
    )


CLUSTER_SCHEMA = {"cluster_id": pl.Int64, "doc_id": pl.String, "outlet": pl.String,
                  "published": pl.Date, "similarity": pl.Float64, "is_first": pl.Boolean,
                  "cluster_size": pl.Int64}


@tidy
def near_duplicates(
    docs: pl.DataFrame, *, threshold: float = 0.8, containment: float | None = 0.9,
    shingle: int = 5, num_perm: int = 128, seed: int = 1,
) -> pl.DataFrame:
    """Clusters of near-identical documents (copies, reposts, syndicated wire stories).

    Parameters
    ----------
    docs
        Documents: ``doc_id`` (unique), ``text``; ``outlet`` and ``published`` (a date) are
        used when present (``Corpus.docs`` has them).
    threshold
        Minimum exact Jaccard similarity of two documents' word-shingle sets for them to be
        linked. 0.8 links copies that share at least 80% of their distinct shingles: a changed
        headline, punctuation or whitespace, added boilerplate, or a dropped or added
        paragraph of up to about a sixth of the text.
    containment
        Also link two documents when at least this share of the smaller one's shingles is in
        the larger one and their Jaccard is at least ``threshold - 0.2``
        (:data:`CONTAINMENT_TOLERANCE`): a copy with a longer paragraph dropped or added.
        ``None``: Jaccard alone.
    shingle
        Words per shingle.
    num_perm
        MinHash permutations (more: better candidate recall, slower).
    seed
        Seed of the MinHash permutations (the result depends on it only through which pairs
        the LSH index proposes).

    Returns
    -------
    DataFrame
        One row per document that has at least one near-duplicate:

        - ``cluster_id``: 1, 2, ... in the order of the clusters' first documents
          (earliest published first, undated last, then ``doc_id``).
        - ``doc_id``, ``outlet``, ``published``: the document (null outlet/date when absent).
        - ``similarity``: exact Jaccard similarity to the cluster's first document (1.0 for the
          first; can be below ``threshold`` when the document is linked through another copy).
        - ``is_first``: the cluster's earliest published document (ties by ``doc_id``;
          undated documents come after dated ones).
        - ``cluster_size``: documents in the cluster.

        Sorted by ``cluster_id``, then publication date and ``doc_id``.

    Notes
    -----
    Clusters are the connected components of the verified pairs, so they are the same whatever
    the row order and on every run and process. Documents with no words are never clustered.

    Examples
    --------
    >>> story = "Moscow and Beijing promised on Thursday to deepen their ties, officials said. " * 3
    >>> docs = pl.DataFrame({
    ...     "doc_id": ["a", "b", "c", "d"], "outlet": ["EFE", "Digest", "EFE", "Blog"],
    ...     "published": ["2024-05-15", "2024-05-16", "2024-05-15", None],
    ...     "text": [story, "NEW HEADLINE\\n" + story, "Something else entirely.", story],
    ... }).with_columns(pl.col("published").str.to_date())
    >>> near_duplicates(docs).select("cluster_id", "doc_id", "similarity", "is_first")
    shape: (3, 4)
    ┌────────────┬────────┬────────────┬──────────┐
    │ cluster_id ┆ doc_id ┆ similarity ┆ is_first │
    │ ---        ┆ ---    ┆ ---        ┆ ---      │
    │ i64        ┆ str    ┆ f64        ┆ bool     │
    ╞════════════╪════════╪════════════╪══════════╡
    │ 1          ┆ a      ┆ 1.0        ┆ true     │
    │ 1          ┆ b      ┆ 0.857143   ┆ false    │
    │ 1          ┆ d      ┆ 1.0        ┆ false    │
    └────────────┴────────┴────────────┴──────────┘
    """
    _check(docs, threshold, shingle, num_perm, containment)
    cands = _candidates(docs, threshold=threshold, shingle=shingle, num_perm=num_perm, seed=seed)
    kept, sets, uf = _verify(docs, cands, threshold=threshold, containment=containment,
                             shingle=shingle, skip_connected=True)
    members = sorted({i for i, *_ in kept} | {j for _, j, *_ in kept})
    if not members:
        return pl.DataFrame(schema=CLUSTER_SCHEMA)
    order = _order(docs)
    table = (
        order.filter(pl.col("row").is_in(members))
        .with_columns(root=pl.col("row").map_elements(uf.find, return_dtype=pl.Int64))
        .sort(["published", "doc_id"], nulls_last=True)
        .with_columns(first_row=pl.col("row").first().over("root"),
                      cluster_size=pl.len().over("root").cast(pl.Int64))
        .with_columns(is_first=pl.col("row") == pl.col("first_row"))
    )
    firsts = table.filter("is_first").with_row_index("cluster_id", offset=1)
    table = table.join(firsts.select("root", pl.col("cluster_id").cast(pl.Int64)), on="root")
    sims = [1.0 if r == f else jaccard(sets[r], sets[f])
            for r, f in zip(table["row"].to_list(), table["first_row"].to_list(), strict=True)]
    outlet = docs["outlet"].cast(pl.String) if "outlet" in docs.columns else pl.repeat(
        None, docs.height, dtype=pl.String, eager=True)
    return (
        table.with_columns(similarity=pl.Series(sims, dtype=pl.Float64),
                           outlet=outlet.gather(table["row"]))
        .sort(["cluster_id", "published", "doc_id"], nulls_last=True)
        .select(list(CLUSTER_SCHEMA))
        .cast(CLUSTER_SCHEMA)  # type: ignore[arg-type]
    )
