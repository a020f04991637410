"""The packed-key kernel of :func:`analysis.cooccurrence_counts.cooccurrence_parts` against
plain-Python counting (Counter) and numpy's integer ``X.T @ X``."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict

import numpy as np
import polars as pl
import pytest

from analysis.cooccurrence_counts import (
    cooccurrence_parts,
    gram,
    item_totals,
    unit_codes,
    vocab_codes,
)
from analysis.runs import sum_by_key


def messy_rows(seed: int, huge_sentence: int = 300) -> pl.DataFrame:
    """Rows in random order (units not contiguous), repeated (unit, item) rows, items outside
    any vocabulary, integer doc ids, sentence ids with gaps (up to ``huge_sentence``)."""
    rng = random.Random(seed)
    sentences = [0, 1, 7, huge_sentence]
    rows = [(rng.choice([3, 10, 42, 7_000_000]), rng.choice(sentences),
             rng.choice("abcdefghij"), rng.randint(1, 3)) for _ in range(400)]
    return pl.DataFrame(rows, schema={"doc_id": pl.Int64, "sentence_id": pl.UInt64,
                                      "item": pl.String, "n": pl.Int64}, orient="row")


def brute_parts(tab: pl.DataFrame, vocab: list[str], count: str):
    unit = [c for c in ("doc_id", "sentence_id") if c in tab.columns]
    cell: Counter = Counter()
    all_units: set = set()
    for row in tab.iter_rows(named=True):
        u = tuple(row[c] for c in unit)
        all_units.add(u)
        cell[u, row["item"]] += row["n"]
    per_unit: dict = defaultdict(dict)
    for (u, item), n in cell.items():
        if item in vocab:
            per_unit[u][item] = 1 if count == "documents" else n
    k = len(vocab)
    g = np.zeros((k, k), dtype=np.int64)
    for items in per_unit.values():
        for a, x in items.items():
            for b, y in items.items():
                g[vocab.index(a), vocab.index(b)] += x * y
    margins = [sum(items.get(v, 0) for items in per_unit.values()) for v in vocab]
    if count == "documents":
        repeats = [sum(1 for (u, i), n in cell.items() if i == v and n >= 2) for v in vocab]
        total = len(all_units)
    else:
        repeats = [sum(math.comb(n, 2) for (u, i), n in cell.items() if i == v) for v in vocab]
        total = sum(tab["n"])
    return g, margins, repeats, total


@pytest.mark.parametrize("count", ["documents", "frequency"])
@pytest.mark.parametrize("context", ["document", "sentence"])
@pytest.mark.parametrize("huge", [300, 2**61, 2**62])  # packed, units ranked, ids coded
def test_parts_equal_counter(count, context, huge):
    tab = messy_rows(1, huge_sentence=huge)
    if context == "document":
        tab = tab.drop("sentence_id")
    vocab = ["b", "c", "e", "f", "j", "zz"]  # "zz" never occurs
    parts = cooccurrence_parts(tab, vocab, count=count)
    g, margins, repeats, total = brute_parts(tab, vocab, count)
    assert parts.gram.tolist() == g.tolist()
    assert parts.margins.tolist() == margins
    assert parts.repeats.tolist() == repeats
    assert parts.total == total


def test_parts_of_empty_vocabulary_and_rows():
    tab = messy_rows(2).drop("sentence_id")
    parts = cooccurrence_parts(tab, ["zz"], count="documents")
    assert parts.gram.tolist() == [[0]] and parts.margins.tolist() == [0]
    assert parts.total == tab["doc_id"].n_unique()
    empty = cooccurrence_parts(tab.head(0), ["a", "b"], count="frequency")
    assert empty.gram.tolist() == [[0, 0], [0, 0]] and empty.total == 0


@pytest.mark.parametrize("method", ["dense", "sparse"])
@pytest.mark.parametrize("block", [1, 3, 8_192])
@pytest.mark.parametrize("shuffled", [False, True])
def test_gram_equals_integer_matmul(method, block, shuffled):
    rng = np.random.default_rng(5)
    x = rng.integers(0, 4, size=(23, 9)) * (rng.random((23, 9)) < 0.4)
    rows, cols = np.nonzero(x)
    if shuffled:  # coordinates not grouped by row
        order = rng.permutation(rows.size)
        rows, cols = rows[order], cols[order]
    got = gram(rows, cols, x[rows, cols], 23, 9, block=block, method=method)
    assert np.asarray(got).tolist() == (x.T @ x).tolist()


def test_sum_by_key_equals_counter():
    rng = random.Random(3)
    keys = [rng.choice([0, 5, 2**40, 2**63 + 1, 17]) for _ in range(300)]
    weights = [rng.randint(-3, 9) for _ in range(300)]
    expected: Counter = Counter()
    for key, w in zip(keys, weights, strict=True):
        expected[key] += w
    got_keys, got_sums = sum_by_key(pl.Series(keys, dtype=pl.UInt64), pl.Series(weights))
    assert got_keys.to_list() == sorted(expected)
    assert got_sums.to_list() == [expected[key] for key in sorted(expected)]


def test_vocab_and_unit_codes():
    items = pl.Series(["q", "a", None, "c", "a", "b"])
    assert vocab_codes(items, ["a", "b", "c"]).to_list() == [3, 0, 3, 2, 0, 1]
    tab = messy_rows(4)
    codes, bits = unit_codes(tab)
    assert codes.max() < 2**bits
    pairs = list(zip(tab["doc_id"], tab["sentence_id"], strict=True))
    # the same unit gets the same code, different units different codes
    assert len(set(zip(pairs, codes, strict=True))) == len(set(pairs)) == codes.n_unique()


@pytest.mark.parametrize("seed", [0, 1])
def test_item_totals_equal_counter(seed):
    tab = messy_rows(seed)
    expected: Counter = Counter()
    for item, n in tab.select("item", "n").iter_rows():
        expected[item] += n
    got = item_totals(tab)
    assert got.schema == {"item": pl.String, "n": pl.Int64}
    assert sorted(got.rows()) == sorted(expected.items())
    assert item_totals(tab.head(0)).height == 0
