"""Collocation counting (integer term codes, packed pair keys, sort + run lengths) against plain
Python: ``Counter`` over the windows of each sentence, NLTK's association measures, and
``sorted`` for the order. Also the per-batch parts and their combine, multi-chunk input (a
Parquet file with several row groups) and the :mod:`analysis.engine._runs` helpers it uses."""

from __future__ import annotations

import math
from collections import Counter
from itertools import pairwise

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nltk.metrics import BigramAssocMeasures as M

from analysis.engine._runs import compare_previous, count_codes, count_keys
from analysis.pairs._collocation_counts import (
    collocation_parts,
    collocation_table,
    combine_collocation_parts,
)
from analysis.pairs._collocations import collocations

TERMS = ["a", "b", "c", "Ä", "ab", "peace", "plan", "ς"]


def token_table(sentences: list[tuple[str, int, list[tuple[str, bool]]]]) -> pl.DataFrame:
    """Rows in text order from ``(doc_id, sentence_id, [(term, is_stop), ...])``."""
    rows = []
    position: Counter[str] = Counter()
    for doc, sentence, words in sentences:
        for term, stop in words:
            position[doc] += 1
            rows.append({"doc_id": doc, "sentence_id": sentence, "token_id": position[doc],
                         "term": term, "is_stop": stop, "is_punct": term == "c"})
    schema = {"doc_id": pl.String, "sentence_id": pl.UInt32, "token_id": pl.UInt32,
              "term": pl.String, "is_stop": pl.Boolean, "is_punct": pl.Boolean}
    return pl.DataFrame(rows, schema=schema)


def reference(tokens: pl.DataFrame, *, span: int, skip_how: str, include_stop: bool,
              include_punct: bool, min_n: int) -> list[tuple]:
    """``(term1, term2, n, n1, n2, ll)`` sorted by term1, term2: pairs counted with ``Counter``
    over each sentence's windows, ll by NLTK's ``likelihood_ratio``."""
    sentences: dict[tuple[str, int], list[tuple[int, str, bool]]] = {}
    for row in tokens.iter_rows(named=True):
        skip = (not include_stop and row["is_stop"]) or (not include_punct and row["is_punct"])
        if skip_how == "remove" and skip:
            continue
        sentences.setdefault((row["doc_id"], row["sentence_id"]), []).append(
            (row["token_id"], row["term"], bool(skip)))
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for key in sorted(sentences):
        sentence = [(term, skip) for _, term, skip in sorted(sentences[key])]
        words.update(term for term, _ in sentence)
        for i, (first, skip1) in enumerate(sentence):
            for second, skip2 in sentence[i + 1:i + span]:
                if not (skip1 or skip2):
                    pairs[first, second] += 1
    big_n = sum(words.values())
    rows = []
    for (first, second), n in pairs.items():
        if n < min_n:
            continue
        n1, n2 = words[first], words[second]
        try:
            ll = M.likelihood_ratio(n / (span - 1), (n1, n2), big_n)
        except ValueError:  # log of a negative cell (a term repeated within the span)
            ll = math.nan
        rows.append((first, second, n, n1, n2, ll))
    return sorted(rows)


def ranked(rows: list[tuple]) -> list[tuple]:
    """Python's ``sorted`` by ll descending (NaN, which polars ranks above every number,
    first), then term1, term2."""
    return sorted(rows, key=lambda r: (not math.isnan(r[5]),
                                       -r[5] if not math.isnan(r[5]) else 0, r[0], r[1]))


def assert_equal_table(got: pl.DataFrame, want: list[tuple]) -> None:
    """Same rows as the reference (scores within 1e-9), in the order ``ranked`` gives our
    scores (the reference's own scores may differ in the last bit, which can swap ties)."""
    assert got.columns == ["term1", "term2", "n", "n1", "n2", "ll"]
    rows = got.rows()
    assert rows == ranked(rows)
    assert [r[:5] for r in sorted(rows)] == [w[:5] for w in want]
    for (*_, ours), (*_, theirs) in zip(sorted(rows), want, strict=True):
        if math.isnan(theirs):
            assert math.isnan(ours)
        else:
            assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-9)


sentence_lists = st.lists(
    st.tuples(st.sampled_from(["d1", "d2", "d3"]), st.integers(0, 2),
              st.lists(st.tuples(st.sampled_from(TERMS), st.booleans()), min_size=0,
                       max_size=7)),
    min_size=0, max_size=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sentences=sentence_lists, span=st.integers(2, 4),
       skip_how=st.sampled_from(["filter", "remove"]), include_stop=st.booleans(),
       include_punct=st.booleans(), min_n=st.integers(1, 2), shuffle=st.integers(0, 3))
def test_counts_scores_and_order_equal_plain_python(sentences, span, skip_how, include_stop,
                                                    include_punct, min_n, shuffle):
    """Any token table (documents split into several runs, rows shuffled or in several chunks)
    gives the rows of the plain-Python reference, in its order."""
    tokens = token_table(sentences)
    if shuffle == 1:
        tokens = tokens.sample(fraction=1.0, shuffle=True, seed=len(sentences))
    elif shuffle == 2 and tokens.height > 2:  # several chunks, in text order
        cut = tokens.height // 2
        tokens = pl.concat([tokens.head(cut), tokens.tail(tokens.height - cut)], rechunk=False)
    options = {"skip_how": skip_how, "include_stop": include_stop,
               "include_punct": include_punct, "min_n": min_n}
    got = collocations(tokens, measures=["ll"], window=span - 1, **options)
    assert_equal_table(got, reference(tokens, span=span, **options))


def test_split_document_runs_are_sorted_back():
    """A document whose rows come in two runs is put back in text order first (its two
    halves pair across the gap only when the ids say they are neighbours)."""
    tokens = token_table([("d1", 0, [("a", False), ("b", False)]),
                          ("d2", 0, [("a", False), ("b", False)])])
    split = pl.concat([tokens.slice(0, 1), tokens.slice(2, 2), tokens.slice(1, 1)])
    got = collocations(split, measures=["ll"])
    assert got.select("term1", "term2", "n").rows() == [("a", "b", 2)]


def parts_of(tokens: pl.DataFrame, span: int):
    table = collocation_table(tokens, include_stop=False, include_punct=False,
                              skip_how="filter")
    return collocation_parts(table, span, "filter")


@pytest.mark.parametrize("span", [2, 3])
def test_batches_add_up_in_any_grouping(span):
    """Parts of batches split by document, combined in two groupings, equal the parts of the
    whole table exactly (pairs by code, vocabulary, N)."""
    docs = [(f"d{i}", s, [(TERMS[(i * 3 + s + k) % len(TERMS)], k % 3 == 0)
                          for k in range(5 + i)]) for i in range(6) for s in range(2)]
    tokens = token_table(docs)
    batches = [tokens.filter(pl.col("doc_id").is_in(ids))
               for ids in (["d0", "d1"], ["d2"], ["d3", "d4", "d5"])]
    a, b, c = (parts_of(batch, span) for batch in batches)
    whole = parts_of(tokens, span)
    for combined in (combine_collocation_parts(combine_collocation_parts(a, b), c),
                     combine_collocation_parts(a, combine_collocation_parts(c, b))):
        assert combined[0].equals(whole[0])
        assert combined[1].equals(whole[1])
        assert combined[2] == whole[2]


def test_parquet_with_several_row_groups(tmp_path):
    """A token table read from a Parquet file with several row groups (many chunks) gives
    the table of the same rows in one chunk."""
    docs = [(f"d{i:02d}", s, [(TERMS[(i + s * k) % len(TERMS)], k % 4 == 0) for k in range(9)])
            for i in range(40) for s in range(3)]
    tokens = token_table(docs)
    path = tmp_path / "tokens.parquet"
    tokens.write_parquet(path, row_group_size=37)
    read = pl.read_parquet(path)
    assert read["term"].n_chunks() > 1 or read["doc_id"].n_chunks() > 1
    for span in (2, 5):
        assert collocations(read, window=span - 1).equals(
            collocations(tokens.rechunk(), window=span - 1))


# ----------------------------------------------------------------------------------------------
# analysis.runs helpers


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 5), max_size=60))
def test_count_keys_equals_counter(values):
    keys, counts = count_keys(pl.Series(values, dtype=pl.UInt64))
    assert dict(zip(keys.to_list(), counts.to_list(), strict=True)) == Counter(values)
    assert keys.to_list() == sorted(set(values))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 9), max_size=60), st.integers(0, 5))
def test_count_codes_equals_counter(values, extra):
    size = max(values, default=-1) + 1 + extra
    counted = Counter(values)
    assert count_codes(pl.Series(values, dtype=pl.UInt32), size).to_list() == [
        counted[code] for code in range(size)]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["x", "y", None]), max_size=5), max_size=6))
def test_compare_previous_across_chunks(chunks):
    """Each row against the row before, over chunk boundaries: Python's ``pairwise``."""
    series = [pl.Series("v", chunk, dtype=pl.String) for chunk in chunks]
    values = pl.concat(series, rechunk=False) if series else pl.Series("v", [], pl.String)
    flat = [v for chunk in chunks for v in chunk]
    want = [None if a is None or b is None else b == a for a, b in pairwise(flat)]
    assert compare_previous(values, lambda row, before: row == before).to_list() == want
