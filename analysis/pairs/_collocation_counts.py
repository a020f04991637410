"""Collocation counting: the per-batch function and the combine behind
:func:`analysis.pairs._collocations.collocations` (the local verb) and
:func:`analysis.scale._dask.collocations` (the Dask verb).

Terms are coded once per batch in lexical order; each pair (a token and one of the ``span - 1``
tokens after it in its sentence) is packed into one 64-bit integer key, and the keys are
counted by one sort and run lengths (:mod:`analysis.engine._runs`), with no string group-by. Pairs
stay
in codes until the scoring step looks the terms up for the rows it returns.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from analysis.engine._codes import lexical_physical
from analysis.engine._frames import require_columns
from analysis.engine._runs import compare_previous, count_codes, count_keys, sum_by_key

SkipHow = Literal["filter", "remove"]
"""How tokens left out of pairs are left out (see
:func:`analysis.pairs._collocations.collocations`)."""


def collocation_table(tokens: pl.DataFrame, *, include_stop: bool, include_punct: bool,
                      skip_how: SkipHow) -> pl.DataFrame:
    """The tokens collocations are counted on, in text order: ``term``, ``__same`` (the token
    is in the sentence of the row before) and ``__skip`` (pairs with this token are not
    counted).

    Examples
    --------
    >>> tokens = pl.DataFrame({"doc_id": ["a", "b", "a", "a"], "sentence_id": [0, 0, 0, 1],
    ...                        "token_id": [0, 0, 1, 2], "term": ["y", "x", "z", "y"],
    ...                        "is_punct": [False, False, True, False]})
    >>> table = collocation_table(tokens, include_stop=True, include_punct=False,
    ...                           skip_how="filter")  # "a" is split: sorted
    >>> table.rows()
    [('y', False, False), ('z', True, True), ('y', False, False), ('x', False, False)]
    """
    need = ["doc_id", "sentence_id", "token_id", "term"]
    skip = pl.lit(False)
    if not include_stop:
        need.append("is_stop")
        skip = skip | pl.col("is_stop").fill_null(False)
    if not include_punct:
        need.append("is_punct")
        skip = skip | pl.col("is_punct").fill_null(False)
    require_columns(tokens, need, what="tokens")
    tab = tokens.select(*need[:4], __skip=skip)
    if tab["term"].null_count():
        tab = tab.filter(pl.col("term").is_not_null())
    if skip_how == "remove":
        tab = tab.filter(~pl.col("__skip"))
    same = _same_sentence(tab, check=True)
    if same is None:
        tab = tab.sort("doc_id", "sentence_id", "token_id")
        same = _same_sentence(tab, check=False)
        assert same is not None
    return pl.DataFrame([tab["term"], same, tab["__skip"]])


def _same_sentence(tab: pl.DataFrame, *, check: bool) -> pl.Series | None:
    """``__same``: each row is in the sentence of the row before. With ``check``, None unless
    the rows run document by document with sentence and token ids increasing."""
    rows = tab.height
    if rows < 2:
        return pl.Series("__same", [False] * rows, dtype=pl.Boolean)
    same_doc = compare_previous(tab["doc_id"], lambda a, b: a == b).fill_null(False).rechunk()
    same_sent = compare_previous(tab["sentence_id"], lambda a, b: a == b).rechunk()
    same = pl.concat([pl.Series([False]), same_doc & same_sent.fill_null(False)]).alias("__same")
    if not check:
        return same
    ahead = (compare_previous(tab["sentence_id"], lambda a, b: a >= b).rechunk()
             & compare_previous(tab["token_id"], lambda a, b: a > b).rechunk()).fill_null(True)
    if not (ahead | ~same_doc).all():
        return None
    heads = pl.concat([pl.Series([0], dtype=pl.UInt32), (~same_doc).arg_true() + 1])
    if heads.len() != tab["doc_id"].gather(heads).n_unique():
        return None
    return same


CollocationParts = tuple[pl.DataFrame, pl.DataFrame, int]
"""The counts of a batch: pairs ``(code1, code2, n)`` sorted by the codes; the vocabulary
``(term, nt)`` sorted by term, with ``nt`` the term's count (a term's code is its row, so
code order is lexical order); and ``N``."""

_U64 = pl.UInt64


def collocation_parts(tab: pl.DataFrame, span: int, skip_how: SkipHow) -> CollocationParts:
    """The counts of one batch of documents (:func:`collocation_table` output): terms coded once
    in lexical order, pairs packed into one integer key each and counted by one sort and run
    lengths. Batches split by document add up (:func:`combine_collocation_parts`).

    Examples
    --------
    >>> tab = pl.DataFrame({"term": ["b", "a", "b", "b", "a"],
    ...                     "__same": [False, True, True, False, True], "__skip": [False] * 5})
    >>> pairs, words, big_n = collocation_parts(tab, 2, "filter")
    >>> pairs.rows(), words.rows(), big_n
    ([(0, 1, 1), (1, 0, 2)], [('a', 2), ('b', 3)], 5)
    """
    import numpy as np

    # one hash pass: physical codes (Categorical); lexical codes only for the counted pairs
    physical, distinct, known_codes = lexical_physical(tab["term"])
    known = known_codes.to_numpy()  # the physical code of each term, in lexical order
    size = int(known.max()) + 1 if known.size else 1  # physical codes are below size
    c, same = physical.to_numpy(), tab["__same"].to_numpy()
    skip = tab["__skip"].to_numpy() if skip_how == "filter" and tab["__skip"].any() else None
    rows = c.size
    # every pair (token, the token d places ahead) packed as code1 * size + code2 (below
    # size**2 <= 2**64 - 1, the mark of a pair not counted: other sentence, skipped token)
    keys = np.empty(sum(max(0, rows - d) for d in range(1, span)), dtype=np.uint64)
    together = same
    start = dropped = 0
    for d in range(1, min(span, rows)):
        part = keys[start:start + rows - d]
        np.multiply(c[:-d], np.uint64(size), out=part)
        part += c[d:]
        together = together[:-1] & same[d:] if d > 1 else same[1:]
        drop = ~together
        if skip is not None:
            np.logical_or(drop, skip[:-d], out=drop)
            np.logical_or(drop, skip[d:], out=drop)
        part[drop] = np.iinfo(np.uint64).max
        dropped += int(drop.sum())
        start += rows - d
    keys.sort()
    key, n = count_keys(pl.Series("key", keys[:keys.size - dropped]).set_sorted())
    del keys
    lexical = np.zeros(size, dtype=np.uint64)
    lexical[known] = np.arange(known.size, dtype=np.uint64)
    vocab_size = np.uint64(max(1, known.size))
    pair = lexical[key.to_numpy() // np.uint64(size)] * vocab_size
    pair += lexical[key.to_numpy() % np.uint64(size)]
    counts = n.to_numpy().astype(np.uint64)
    n_bits = max(1, int(counts.max()).bit_length()) if counts.size else 1
    if (int(vocab_size) ** 2 - 1).bit_length() + n_bits <= 64:  # sort (pair, n) packed
        pair <<= np.uint64(n_bits)
        pair |= counts
        pair.sort()
        counts = pair & np.uint64((1 << n_bits) - 1)
        pair >>= np.uint64(n_bits)
    else:
        lexical_order = np.argsort(pair, kind="stable")
        pair, counts = pair[lexical_order], counts[lexical_order]
    pairs = pl.DataFrame({"code1": (pair // vocab_size).astype(np.uint32),
                          "code2": (pair % vocab_size).astype(np.uint32),
                          "n": counts.astype(np.uint32)})
    nt = count_codes(physical, size).gather(pl.Series(known))
    words = pl.DataFrame([distinct.alias("term"), nt.alias("nt")])
    return pairs, words, rows


def combine_collocation_parts(*parts: CollocationParts) -> CollocationParts:
    """Add the counts of batches (associative, commutative: the result is in one canonical
    order whatever the grouping; one batch's counts are returned as they are).

    Examples
    --------
    >>> a = (pl.DataFrame({"code1": [0], "code2": [1], "n": [1]}),
    ...      pl.DataFrame({"term": ["a", "c"], "nt": [1, 1]}), 2)
    >>> b = (pl.DataFrame({"code1": [0, 1], "code2": [1, 0], "n": [1, 2]}),
    ...      pl.DataFrame({"term": ["a", "b"], "nt": [2, 2]}), 4)
    >>> pairs, words, big_n = combine_collocation_parts(a, b)
    >>> pairs.rows(), words.rows(), big_n
    ([(0, 1, 1), (0, 2, 1), (1, 0, 2)], [('a', 3), ('b', 2), ('c', 1)], 6)
    >>> combine_collocation_parts(a, b, a)[2]
    8
    """
    if len(parts) == 1:
        return parts[0]
    vocab = pl.concat([part[1]["term"] for part in parts]).unique().sort()
    size = vocab.len()
    recode = [vocab.search_sorted(part[1]["term"]) for part in parts]
    codes, totals = sum_by_key(pl.concat(recode), pl.concat([part[1]["nt"] for part in parts]))
    words = pl.DataFrame([vocab.alias("term"), totals.cast(pl.UInt32).alias("nt")])
    assert codes.len() == size
    packed = pl.concat([new.gather(part[0]["code1"]).cast(_U64) * size
                        + new.gather(part[0]["code2"]).cast(_U64)
                        for new, part in zip(recode, parts, strict=True)])
    keys, n = sum_by_key(packed, pl.concat([part[0]["n"].cast(pl.Int64) for part in parts]))
    pairs = pl.DataFrame({"code1": (keys // size).cast(pl.UInt32),
                          "code2": (keys % size).cast(pl.UInt32), "n": n.cast(pl.UInt32)})
    return pairs, words, sum(part[2] for part in parts)


def collocation_join(pairs: pl.DataFrame, words: pl.DataFrame) -> pl.DataFrame:
    """``term1, term2, n, n1, n2`` from the pair counts and the vocabulary of
    :data:`CollocationParts` (in the order of ``pairs``).

    Examples
    --------
    >>> pairs = pl.DataFrame({"code1": [1], "code2": [0], "n": [2]})
    >>> collocation_join(pairs, pl.DataFrame({"term": ["a", "b"], "nt": [2, 3]})).rows()
    [('b', 'a', 2, 3, 2)]
    """
    vocab, nt = words["term"], words["nt"]
    code1, code2 = pairs["code1"], pairs["code2"]
    return pl.DataFrame([vocab.gather(code1).alias("term1"), vocab.gather(code2).alias("term2"),
                         pairs["n"], nt.gather(code1).alias("n1"), nt.gather(code2).alias("n2")])
