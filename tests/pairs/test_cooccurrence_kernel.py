"""The packed-key kernel of :func:`analysis.pairs._cooccurrence_counts.cooccurrence_parts` against
plain-Python counting (Counter) and numpy's integer ``X.T @ X``."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict

import numpy as np
import polars as pl
import pytest

from analysis.engine._codes import code_items
from analysis.engine._incidence import (
    gram,
    grouped_gram,
    item_positions,
    unit_codes,
    unit_rows,
)
from analysis.engine._runs import sum_by_key
from analysis.pairs._cooccurrence_counts import (
    cooccurrence_parts,
    item_totals,
    top_items,
    vocab_codes,
)


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


def assert_parts_equal_brute(parts, tab, vocab, count):
    """``parts`` equal the plain-Python counts of ``brute_parts``."""
    g, margins, repeats, total = brute_parts(tab, vocab, count)
    assert parts.gram.tolist() == g.tolist()
    assert parts.margins.tolist() == margins
    assert parts.repeats.tolist() == repeats
    assert parts.total == total


@pytest.mark.parametrize("count", ["documents", "frequency"])
@pytest.mark.parametrize("context", ["document", "sentence"])
@pytest.mark.parametrize("huge", [300, 2**61, 2**62])  # packed, units ranked, ids coded
def test_parts_equal_counter(count, context, huge):
    tab = messy_rows(1, huge_sentence=huge)
    if context == "document":
        tab = tab.drop("sentence_id")
    vocab = ["b", "c", "e", "f", "j", "zz"]  # "zz" never occurs
    parts = cooccurrence_parts(tab, vocab, count=count)
    assert_parts_equal_brute(parts, tab, vocab, count)


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


# ----------------------------------------------------------------------------------------------
# items coded once, units from runs, the dense product straight from grouped rows


def grouped_rows(seed: int, *, docs: int = 40, repeat_cells: bool = False,
                 split_unit: bool = False, sentences: bool = False) -> pl.DataFrame:
    """A count-table shape: each unit's rows together, one row per (unit, item) unless
    ``repeat_cells`` (a token-table shape); ``split_unit`` puts one unit in two runs."""
    rng = random.Random(seed)
    rows = []
    for d in range(docs):
        doc = f"{rng.randint(0, 999):03d}-{d}"  # distinct, not in sort order
        for s in (range(rng.randint(1, 3)) if sentences else [None]):
            items = rng.sample("abcdefghijklmnop", rng.randint(1, 12))
            if repeat_cells:
                items += rng.sample(items, rng.randint(0, len(items)))
            for item in items:
                rows.append((doc, s, item, rng.randint(1, 4)))
    if split_unit:  # the first unit again at the end, with an item it did not have
        rows.append((rows[0][0], rows[0][1], "q", 2))
    frame = pl.DataFrame(rows, schema={"doc_id": pl.String, "sentence_id": pl.Int64,
                                       "item": pl.String, "n": pl.Int64}, orient="row")
    return frame if sentences else frame.drop("sentence_id")


@pytest.mark.parametrize("count", ["documents", "frequency"])
@pytest.mark.parametrize("shape", ["counts", "repeated cells", "split unit", "sentences"])
@pytest.mark.parametrize("block", [7, 8_192])
def test_grouped_parts_equal_counter(count, shape, block, monkeypatch):
    """Grouped units (the dense path without a sort), repeated cells (found by the block's
    trace, then summed), a unit in two runs (sorted) and sentences: all equal Counter."""
    from analysis.engine import _incidence as incidence
    from analysis.pairs import _cooccurrence_counts as kernel

    tab = grouped_rows(7, repeat_cells=shape == "repeated cells",
                       split_unit=shape == "split unit", sentences=shape == "sentences")
    vocab = ["a", "c", "d", "f", "g", "k", "m", "p", "q", "zz"]
    real = incidence.grouped_gram
    calls = []

    def spy(*args, **kwargs):
        out = real(*args, **{**kwargs, "block": block})
        calls.append(out is not None)
        return out

    monkeypatch.setattr(kernel, "grouped_gram", spy)
    parts = cooccurrence_parts(tab, vocab, count=count)
    assert_parts_equal_brute(parts, tab, vocab, count)
    # the dense path ran, and refused the rows exactly when a cell was given twice
    assert calls == [shape != "repeated cells"]


def test_grouped_gram_refuses_repeated_cells():
    rng = np.random.default_rng(11)
    x = (rng.random((50, 7)) < 0.5) * rng.integers(1, 5, size=(50, 7))
    rows, cols = np.nonzero(x)  # grouped by row
    exact = grouped_gram(rows, cols, x[rows, cols], 50, 7, block=16)
    assert exact is not None and exact.tolist() == (x.T @ x).tolist()
    binary = grouped_gram(rows, cols, None, 50, 7, block=16)
    b = (x > 0).astype(np.int64)
    assert binary is not None and binary.tolist() == (b.T @ b).tolist()
    twice = np.insert(np.arange(rows.size), 5, 5)  # the sixth cell given twice
    assert grouped_gram(rows[twice], cols[twice], x[rows, cols][twice], 50, 7) is None
    assert grouped_gram(rows[twice], cols[twice], None, 50, 7) is None


def test_code_items_and_positions():
    items = pl.Series(["q", "a", None, "c", "a", "b", None])
    coded = code_items(items)
    assert [coded.names[int(c)] for c in coded.codes] == items.to_list()
    assert coded.names.to_list() == ["q", "a", None, "c", "b"]  # first appearance
    assert item_positions(coded.names, ["a", "b", "c"]).tolist() == [3, 0, 3, 2, 1]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_unit_rows_number_units(seed):
    tab = grouped_rows(seed, sentences=seed == 2, split_unit=seed == 1)
    order, rows, n_units = unit_rows(tab)
    taken = tab if order is None else tab[order.tolist()]
    unit = [c for c in ("doc_id", "sentence_id") if c in tab.columns]
    keys = list(taken.select(unit).iter_rows())
    assert (order is None) == (seed != 1)
    assert list(rows) == sorted(rows) and n_units == len(set(keys))
    assert len(set(zip(keys, rows.tolist(), strict=True))) == n_units  # one index per unit


@pytest.mark.parametrize("k", [1, 3, 5, 9])
def test_top_items_ties_at_the_cut(k):
    """The k-th total is shared by several items: the cut keeps the alphabetically first."""
    totals = pl.DataFrame({"item": ["e", "d", "c", "b", "a", "f", "g"],
                           "n": [5, 3, 3, 3, 9, 1, 3]})
    expected = sorted(sorted(totals.rows(), key=lambda r: (-r[1], r[0]))[:k])
    assert top_items(totals, k) == [item for item, _ in expected]


def test_item_totals_reuse_codes():
    tab = grouped_rows(3, repeat_cells=True)
    expected: Counter = Counter()
    for item, n in tab.select("item", "n").iter_rows():
        expected[item] += n
    got = item_totals(tab, coded=code_items(tab["item"]))
    assert sorted(got.rows()) == sorted(expected.items())


@pytest.mark.parametrize("threads", [None, 1, 2])
def test_grouped_gram_same_for_any_blas_threads(threads, monkeypatch):
    from analysis.engine import _incidence as incidence

    monkeypatch.setattr(incidence, "BLAS_THREADS", threads)
    rng = np.random.default_rng(13)
    x = (rng.random((300, 40)) < 0.3).astype(np.int64)
    rows, cols = np.nonzero(x)
    got = grouped_gram(rows, cols, None, 300, 40, block=64)
    assert got is not None and got.tolist() == (x.T @ x).tolist()
