"""compare_groups and add_group (analysis.comparison): groups, sides, fallbacks, sizes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import analysis
from analysis.terms._comparison import compare_groups
from analysis.terms._keyness import keyness

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="module")
def docs() -> pl.DataFrame:
    table = pl.read_json(DATA / "terms_docs.json")
    table = table.with_columns(n_chars=pl.col("text").str.len_chars())
    return table.with_columns(pl.col("published").str.to_date())


@pytest.fixture(scope="module")
def tokens(docs: pl.DataFrame) -> pl.DataFrame:
    return analysis.tokenize(docs)


def counted(tokens: pl.DataFrame):
    """Brute force: the tokens term_frequency counts (no stop-words, no punctuation)."""
    return [r for r in tokens.iter_rows(named=True) if not r["is_stop"] and not r["is_punct"]]


# ------------------------------------------------------------------ compare_groups

# hand-read from tests/data/terms_docs.json
YEAR_OF = {"d1": "2024", "d2": "2024", "d3": "2023", "d4": "2023", "d5": "(none)"}
MONTH_OF = {"d3": "2023-02", "d4": "2023-03"}
OUTLET_OF = {"d1": "Wire", "d2": "Wire", "d3": "Daily", "d4": "Daily", "d5": "Daily"}


def brute_sizes(tokens, group_of):
    """Counted tokens and distinct terms per group, straight from the token rows."""
    n: Counter[str] = Counter()
    terms: dict[str, set[str]] = {}
    for r in counted(tokens):
        g = group_of[r["doc_id"]]
        n[g] += 1
        terms.setdefault(g, set()).add(r["term"])
    return dict(n), {g: len(t) for g, t in terms.items()}


@pytest.fixture
def no_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_compare_groups_by_year(tokens, docs, no_warnings):
    cmp = compare_groups(tokens, docs, every="1y", target="2024")
    assert (cmp.by, cmp.group_column, cmp.target) == ("published:year", "published_year", "2024")
    assert cmp.reference == ("2023",)  # undated documents never form a group
    assert cmp.reference_label == "2023"
    n, distinct = brute_sizes(tokens, YEAR_OF)
    per_group = cmp.counts.group_by("published_year").agg(pl.col("n").sum(), pl.len())
    assert dict(zip(per_group["published_year"], per_group["n"], strict=True)) == n
    assert dict(zip(per_group["published_year"], per_group["len"], strict=True)) == distinct
    assert cmp.sizes.to_dicts() == [
        {"published_year": g, "documents": docs_n, "tokens": n[g], "distinct_terms": distinct[g],
         "role": role}
        for g, docs_n, role in [("(none)", 1, "not compared"), ("2023", 2, "reference"),
                                ("2024", 2, "target")]
    ]
    k = keyness(cmp.counts, target=cmp.target, reference=list(cmp.reference))
    assert set(k["total_target"]) == {n["2024"]}
    assert set(k["total_reference"]) == {n["2023"]}


def test_compare_groups_by_outlet(tokens, docs, no_warnings):
    cmp = compare_groups(tokens, docs, by="outlet", target="Daily")
    assert (cmp.group_column, cmp.target, cmp.reference) == ("outlet", "Daily", ("Wire",))
    n, _ = brute_sizes(tokens, OUTLET_OF)
    assert cmp.sizes.select("outlet", "documents", "tokens").rows() == [
        ("Daily", 3, n["Daily"]), ("Wire", 2, n["Wire"])]


@pytest.mark.parametrize("target", [None, ""])
def test_compare_groups_no_target_is_last_group(tokens, docs, target, no_warnings):
    cmp = compare_groups(tokens, docs, target=target)
    assert cmp.target == "2024" and cmp.reference == ("2023",)


@pytest.mark.parametrize("target", ["2025", "Wire", "2024-05"])
def test_compare_groups_target_not_found_falls_back_with_warning(tokens, docs, target):
    with pytest.warns(UserWarning, match=rf"target '{target}' is not a published_year group.*"
                                         r"comparing '2024', the last group"):
        cmp = compare_groups(tokens, docs, target=target)
    assert cmp.target == "2024" and cmp.reference == ("2023",)
    assert cmp.sizes.filter(pl.col("role") == "target")["published_year"].to_list() == ["2024"]


@pytest.mark.parametrize(("reference", "expected"), [
    ("2023", ("2023",)),
    (["2023"], ("2023",)),
    (None, ("2023",)),
    ("", ("2023",)),
    ([], ("2023",)),
])
def test_compare_groups_reference(tokens, docs, reference, expected, no_warnings):
    cmp = compare_groups(tokens, docs, target="2024", reference=reference)
    assert cmp.reference == expected
    roles = dict(cmp.sizes.select("published_year", "role").rows())
    assert roles == {g: ("target" if g == "2024" else "reference" if g in expected
                         else "not compared") for g in ["(none)", "2023", "2024"]}


@pytest.mark.parametrize(("reference", "expected"), [
    ("1999", ("2023",)),  # not a group: all others
    ("2024", ("2023",)),  # the target itself: all others
    (["2023", "(none)"], ("2023",)),  # undated documents are never a group
    (["2023", "1999"], ("2023",)),  # the unusable one dropped
])
def test_compare_groups_unusable_reference_warns(tokens, docs, reference, expected):
    with pytest.warns(UserWarning, match=r"reference \[.*\] not usable.*comparing against"):
        cmp = compare_groups(tokens, docs, target="2024", reference=reference)
    assert cmp.reference == expected


def one_year(tokens, docs, ids):
    return tokens.filter(pl.col("doc_id").is_in(ids)), docs.filter(pl.col("doc_id").is_in(ids))


def test_compare_groups_single_group_falls_back_to_month(tokens, docs):
    toks, few = one_year(tokens, docs, ["d3", "d4"])  # both 2023: one year, two months
    with pytest.warns(UserWarning, match=r"one published_year group \('2023'\); grouping by "
                                         r"'published:month' instead"):
        cmp = compare_groups(toks, few, every="1y", target="")
    assert (cmp.by, cmp.group_column) == ("published:month", "published_month")
    assert (cmp.target, cmp.reference) == ("2023-03", ("2023-02",))
    n, _ = brute_sizes(toks, MONTH_OF)
    assert cmp.sizes.select("published_month", "documents", "tokens").rows() == [
        ("2023-02", 1, n["2023-02"]), ("2023-03", 1, n["2023-03"])]


def test_compare_groups_single_group_other_fallback(tokens, docs):
    toks, few = one_year(tokens, docs, ["d3", "d4"])
    with pytest.warns(UserWarning, match="grouping by 'published:day'"):
        cmp = compare_groups(toks, few, fallback="1d", target="2023-02-22")
    assert (cmp.target, cmp.reference) == ("2023-02-22", ("2023-03-22",))


def test_compare_groups_single_group_without_fallback_fails(tokens, docs):
    toks, few = one_year(tokens, docs, ["d3", "d4"])
    with pytest.raises(ValueError, match=r"at least two groups.*'published:year' gives \['2023'\]"):
        compare_groups(toks, few, fallback=None)


def test_compare_groups_one_group_even_after_fallback_fails(tokens, docs):
    toks, few = one_year(tokens, docs, ["d1", "d2"])  # both May 2024
    with pytest.raises(ValueError, match=r"'published:year' then 'published:month' gives "
                                         r"\['2024-05'\]"), pytest.warns(UserWarning):
        compare_groups(toks, few)


def test_compare_groups_pandas_in_pandas_out(tokens, docs, no_warnings):
    cmp = compare_groups(tokens.to_pandas(), docs.to_pandas(), target="2024")
    assert isinstance(cmp.counts, pd.DataFrame) and isinstance(cmp.sizes, pd.DataFrame)
    assert cmp.sizes["documents"].tolist() == [1, 2, 2]


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"by": 2024}, TypeError, "by must be a column"),
    ({"by": ""}, TypeError, "by must be a column"),
    ({"fallback": ["1mo"]}, TypeError, "fallback must be a period"),
    ({"target": 2024}, TypeError, "target must be a group name"),
    ({"reference": 2023}, TypeError, "reference must be a group name"),
    ({"reference": ["2023", 2022]}, TypeError, "reference must be a group name"),
    ({"by": "nowhere"}, ValueError, r"docs is missing column\(s\) \['nowhere'\]"),
    ({"every": "10y"}, ValueError, "period unit"),
    ({"every": "1y", "date_column": "outlet"}, ValueError, "not a date"),
])
def test_compare_groups_invalid(tokens, docs, kwargs, error, match):
    with pytest.raises(error, match=match):
        compare_groups(tokens, docs, **kwargs)


def test_compare_groups_invalid_tables(tokens, docs):
    with pytest.raises(ValueError, match=r"tokens is missing column\(s\) \['is_stop'\]"):
        compare_groups(tokens.drop("is_stop"), docs)
    with pytest.raises(TypeError, match="docs must be a polars or pandas DataFrame"):
        compare_groups(tokens, "docs.csv")
    with pytest.raises(ValueError, match=r"at least two groups.*gives \[\]"):
        compare_groups(tokens.filter(pl.col("is_stop")), docs)  # nothing counted


def test_compare_groups_on_the_bundled_corpus(bundled, bundled_tokens, no_warnings):
    cmp = analysis.compare_groups(bundled_tokens, bundled, target="2024")
    assert (cmp.target, cmp.reference) == ("2024", ("2023",))
    assert cmp.sizes["documents"].sum() == bundled.docs.height
