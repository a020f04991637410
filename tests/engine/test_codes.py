"""The one coder (analysis.engine._codes) against Python's own sorting and first appearance."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.engine._codes import code_items, codes_in, lexical_physical, sort_codes

WORDS = st.lists(st.one_of(st.none(), st.sampled_from(["b", "a", "ab", "B", "é", "", "zz"])),
                 max_size=40)


def _sorted_distinct(values: list[str | None]) -> list[str | None]:
    """Distinct values, nulls first, then in code-point (UTF-8 byte) order."""
    distinct = set(values)
    return [None] * (None in distinct) + sorted(v for v in distinct if v is not None)


@settings(max_examples=60, deadline=None)
@given(WORDS, st.booleans())
def test_sort_codes_are_positions_in_sorted_values(values: list[str | None],
                                                   runs: bool) -> None:
    series = pl.Series(values, dtype=pl.String)
    codes, distinct = sort_codes(series, runs=runs)
    want = _sorted_distinct(values)
    assert distinct.to_list() == want
    assert codes.dtype == pl.UInt32
    assert codes.to_list() == [want.index(v) for v in values]
    assert codes_in(series, distinct).to_list() == codes.to_list()
    assert sort_codes(pl.Series(sorted(values, key=str)), runs=True)[1].len() == len(want)


@settings(max_examples=60, deadline=None)
@given(WORDS)
def test_code_items_in_order_of_first_appearance(values: list[str | None]) -> None:
    coded = code_items(pl.Series(values, dtype=pl.String))
    first = list(dict.fromkeys(values))
    assert coded.names.to_list() == first
    assert coded.codes.tolist() == [first.index(v) for v in values]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["b", "a", "ab", "é", "zz"]), max_size=40))
def test_lexical_physical_maps_sorted_values_to_row_codes(values: list[str]) -> None:
    phys, distinct, known = lexical_physical(pl.Series(values, dtype=pl.String))
    assert distinct.to_list() == sorted(set(values))
    back = dict(zip(known.to_list(), distinct.to_list(), strict=True))
    assert [back[p] for p in phys.to_list()] == values


def test_sort_codes_of_integers_and_dates() -> None:
    from datetime import date

    codes, distinct = sort_codes(pl.Series([3, None, 1, 3]), runs=False)
    assert codes.to_list() == [2, 0, 1, 2] and distinct.to_list() == [None, 1, 3]
    days = pl.Series([date(2023, 2, 1), date(2023, 1, 1)])
    assert sort_codes(days)[0].to_list() == [1, 0]


def test_frequency_table_equals_the_per_batch_count() -> None:
    """term_frequency by document (frequency_table, one packed-key sort) equals the per-batch
    count and its finish (term_counts + frequency_columns), and plain group-by counts."""
    import analysis
    from analysis.engine._runs import frequency_table
    from analysis.engine._term_counts import term_counts
    from analysis.terms._frequency import frequency_columns

    docs = analysis.load_corpus(analysis.config.RAW_DIR).docs
    tokens = analysis.tokenize(docs)
    kept = tokens.filter(~pl.col("is_stop") & ~pl.col("is_punct")).select("doc_id", "term")
    fast = frequency_table(kept, ["doc_id"], "term", False)
    assert fast is not None
    batched = frequency_columns(term_counts(tokens, ["doc_id"]), ["doc_id"])
    assert fast.equals(batched)
    plain = kept.group_by("doc_id", "term").agg(n=pl.len().cast(pl.Int64))
    assert fast.select("doc_id", "term", "n").sort("doc_id", "term").equals(
        plain.sort("doc_id", "term"))
