"""Word shingles and MinHash signatures, vectorised with numpy (datasketch's ``affine64`` scheme).

The building blocks of :func:`analysis.near_duplicates` (see ``docs/syndication.md``): the
normalised words of a text, the 64-bit hashes of its word shingles, MinHash signatures
bit-identical to ``datasketch.MinHash(num_perm, seed=seed, scheme="affine64")``, and exact
Jaccard similarity and containment of shingle sets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    import numpy as np

from analysis.tokens._tokenize import SHINGLE_WORD_PATTERN

CHUNK_SHINGLES = 2_048
"""Shingles hashed against all permutations at once (bounds memory: chunk x num_perm x 8 B)."""
_MULT = 0x9E3779B97F4A7C15  # odd 64-bit multiplier for the rolling shingle hash
_WORD_SEED = 20_240_515


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser (the pre-mix of datasketch's ``affine64`` scheme)."""
    import numpy as np

    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def normalised_words(texts: pl.Series) -> pl.Series:
    """The words used for shingling: NFKC, lower-cased, letter/digit runs (a list per text).

    A word is :data:`analysis.tokens._tokenize.SHINGLE_WORD_PATTERN`, not a token: its
    docstring says why (copies that differ only in typography must shingle alike).

    Examples
    --------
    >>> normalised_words(pl.Series(["Putin's   visit — BEIJING, May 15.", None])).to_list()
    [['putin', 's', 'visit', 'beijing', 'may', '15'], []]
    """
    return (
        texts.cast(pl.String)
        .fill_null("")
        .str.normalize("NFKC")
        .str.to_lowercase()
        .str.extract_all(SHINGLE_WORD_PATTERN)
        .fill_null([])
    )


def shingle_hashes(texts: pl.Series, *, shingle: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Hash every word shingle of every text: ``(offsets, hashes)``.

    ``hashes[offsets[i]:offsets[i + 1]]`` are the 64-bit hashes of text ``i``'s shingles in text
    order (repeats kept); a text with fewer than ``shingle`` words has one shingle (all its
    words), a text with no words none.

    Examples
    --------
    >>> offsets, hashes = shingle_hashes(pl.Series(["a b c d", "A, b: c!", "", "x"]), shingle=3)
    >>> offsets.tolist()
    [0, 2, 3, 3, 4]
    >>> bool(hashes[0] == hashes[2])  # "a b c" in both texts
    True
    """
    import numpy as np

    words = normalised_words(texts)
    lengths = words.list.len().to_numpy().astype(np.int64)
    flat = words.explode().drop_nulls()
    h = flat.hash(seed=_WORD_SEED).to_numpy().astype(np.uint64) if len(flat) else np.zeros(
        0, dtype=np.uint64)
    n_words = len(h)
    doc_end = np.repeat(np.cumsum(lengths), lengths)  # end (exclusive) of each word's document
    doc_start = doc_end - np.repeat(lengths, lengths)
    pos = np.arange(n_words, dtype=np.int64)
    acc = np.zeros(n_words, dtype=np.uint64)
    mult = np.uint64(_MULT)
    with np.errstate(over="ignore"):
        for t in range(shingle):
            idx = pos + t
            inside = idx < doc_end
            acc = acc * mult + np.where(inside, h[np.minimum(idx, max(n_words - 1, 0))], 0)
        hashes = _fmix64(acc + np.uint64(shingle))
    n_shingles = np.where(lengths > 0, np.maximum(lengths - shingle + 1, 1), 0)
    keep = (pos - doc_start) < np.repeat(n_shingles, lengths)
    offsets = np.concatenate([[0], np.cumsum(n_shingles)]).astype(np.int64)
    return offsets, hashes[keep]


def minhash_signatures(
    offsets: np.ndarray, hashes: np.ndarray, *, num_perm: int = 128, seed: int = 1
) -> np.ndarray:
    """MinHash signatures (``n_docs x num_perm``, uint64) of the shingle sets, datasketch-exact.

    Bit-identical to ``datasketch.MinHash(num_perm, seed=seed, scheme="affine64",
    hashfunc=int)`` updated with the shingle hashes; a document without shingles gets the empty
    value (2**64 - 1) everywhere.

    Examples
    --------
    >>> import numpy as np
    >>> from datasketch import MinHash
    >>> offsets, hashes = shingle_hashes(pl.Series(["one two three four five six"]), shingle=2)
    >>> sig = minhash_signatures(offsets, hashes, num_perm=16, seed=3)
    >>> m = MinHash(16, seed=3, scheme="affine64", hashfunc=int)
    >>> m.update_batch(hashes.tolist())
    >>> bool((m.hashvalues == sig[0]).all())
    True
    """
    import numpy as np
    from datasketch import MinHash

    a, b = MinHash(num_perm, seed=seed, scheme="affine64").permutations
    a = np.asarray(a, dtype=np.uint64)
    b = np.asarray(b, dtype=np.uint64)
    n_docs = len(offsets) - 1
    sig = np.full((n_docs, num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    doc_of = np.repeat(np.arange(n_docs), np.diff(offsets))
    total = len(hashes)
    with np.errstate(over="ignore"):
        for lo in range(0, total, CHUNK_SHINGLES):
            hi = min(lo + CHUNK_SHINGLES, total)
            mixed = _fmix64(hashes[lo:hi])
            phv = mixed[:, None] * a[None, :] + b[None, :]
            docs_here = doc_of[lo:hi]
            starts = np.flatnonzero(np.r_[True, docs_here[1:] != docs_here[:-1]])
            mins = np.minimum.reduceat(phv, starts, axis=0)
            rows = docs_here[starts]
            sig[rows] = np.minimum(sig[rows], mins)
    return sig


def shingle_sets(texts: pl.Series, *, shingle: int = 5) -> list[np.ndarray]:
    """The sorted, distinct shingle hashes of each text (what the exact Jaccard compares)."""
    import numpy as np

    offsets, hashes = shingle_hashes(texts, shingle=shingle)
    return [np.unique(hashes[offsets[i]:offsets[i + 1]]) for i in range(len(offsets) - 1)]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted arrays of distinct values (0 when both are empty).

    >>> import numpy as np
    >>> jaccard(np.array([1, 2, 3]), np.array([2, 3, 4]))
    0.5
    """
    import numpy as np

    union = len(a) + len(b)
    if union == 0:
        return 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (union - inter)


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """``(jaccard, containment)`` of two sorted arrays of distinct values.

    Containment is ``|a & b| / min(|a|, |b|)``: how much of the smaller set is in the larger.

    >>> import numpy as np
    >>> overlap(np.array([1, 2, 3, 4]), np.array([2, 3, 4]))
    (0.75, 1.0)
    """
    import numpy as np

    if not len(a) or not len(b):
        return 0.0, 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))
