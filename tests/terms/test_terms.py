"""Tests for analysis.terms: counts, tf-idf and keyness against hand-worked tables, scipy and
scikit-learn."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2 as chi2_dist
from scipy.stats import chi2_contingency
from sklearn.feature_extraction.text import TfidfVectorizer

import analysis
from analysis.terms._comparison import add_group, group_column
from analysis.terms._frequency import term_frequency, tf_idf
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


def counted(tokens: pl.DataFrame, include_stop: bool = False, include_punct: bool = False):
    """Brute force: the tokens term_frequency should count, as dict rows."""
    return [r for r in tokens.iter_rows(named=True)
            if (include_stop or not r["is_stop"]) and (include_punct or not r["is_punct"])]


# ------------------------------------------------------------------ term_frequency


@pytest.mark.parametrize("include_stop", [False, True])
@pytest.mark.parametrize("include_punct", [False, True])
def test_sum_of_n_equals_counted_tokens(tokens, include_stop, include_punct):
    rows = counted(tokens, include_stop, include_punct)
    for by in [None, "doc_id"]:
        tf = term_frequency(tokens, by=by, include_stop=include_stop, include_punct=include_punct)
        assert tf["n"].sum() == len(rows)
    whole = term_frequency(tokens, by=None, include_stop=include_stop,
                           include_punct=include_punct)
    assert dict(zip(whole["term"], whole["n"], strict=True)) == Counter(r["term"] for r in rows)


def test_stop_and_punct_excluded_by_default(tokens):
    terms = set(term_frequency(tokens, by=None)["term"])
    assert "the" not in terms and "." not in terms and "putin" in terms
    assert "the" in set(term_frequency(tokens, by=None, include_stop=True)["term"])
    assert "." in set(term_frequency(tokens, by=None, include_punct=True)["term"])


def test_per_group_counts_add_up_to_corpus(tokens, docs):
    grouped = add_group(tokens, docs, by="outlet")
    by_outlet = term_frequency(grouped, by="outlet")
    summed = by_outlet.group_by("term").agg(pl.col("n").sum()).sort("term")
    whole = term_frequency(tokens, by=None).select("term", "n").sort("term")
    assert summed.equals(whole)
    by_doc = term_frequency(tokens).group_by("term").agg(pl.col("n").sum()).sort("term")
    assert by_doc.equals(whole)


def test_docfreq_total_per_million_rank_brute_force(tokens):
    rows = counted(tokens)
    docs_with: dict[str, set[str]] = {}
    for r in rows:
        docs_with.setdefault(r["term"], set()).add(r["doc_id"])
    whole = term_frequency(tokens, by=None)
    assert dict(zip(whole["term"], whole["docfreq"], strict=True)) == {
        t: len(d) for t, d in docs_with.items()}
    assert set(whole["total"]) == {len(rows)}
    for n, pm, rank in whole.select("n", "per_million", "rank").iter_rows():
        assert pm == pytest.approx(n / len(rows) * 1e6, rel=1e-12)
        assert rank == 1 + sum(1 for m in whole["n"] if m > n)  # competition ranking
    per_doc = term_frequency(tokens)
    assert set(per_doc["docfreq"]) == {1}
    d1 = Counter(r["term"] for r in rows if r["doc_id"] == "d1")
    got = per_doc.filter(pl.col("doc_id") == "d1")
    assert dict(zip(got["term"], got["n"], strict=True)) == d1
    assert set(got["total"]) == {sum(d1.values())}


def test_sorted_and_deterministic(tokens):
    a = term_frequency(tokens)
    assert a.equals(term_frequency(tokens.reverse()))
    assert a.equals(a.sort("doc_id", "rank", "term"))


def _reference_frequency(rows: list[tuple], by: list[str]) -> list[tuple]:
    """Plain Python: counts per (group, term), totals, competition ranks, the documented order
    (group, rank, term; None first, as polars sorts)."""
    counts: Counter = Counter()
    for row in rows:
        counts[row[:-1]] += row[-1]
    totals: Counter = Counter()
    for (*group, _term), n in counts.items():
        totals[tuple(group)] += n
    out = []
    for (*group, term), n in counts.items():
        group = tuple(group)
        rank = 1 + sum(1 for (*g, _), m in counts.items() if tuple(g) == group and m > n)
        out.append((*group, term, n, totals[group], n / totals[group] * 1_000_000, 1, rank))

    def key(value):
        return (value is not None, value if value is not None else "")

    return sorted(out, key=lambda r: (*map(key, r[:len(by)]), r[-1], key(r[len(by)])))


_names = st.sampled_from(["a", "b", "B", "é", "ab", "z", "İ", "ß", None])


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(_names, st.integers(0, 3), _names, st.integers(1, 4)),
                     max_size=40),
       weighted=st.booleans(), second=st.booleans())
def test_per_document_counts_equal_plain_python(rows, weighted, second):
    """The per-document path (one packed integer key, grouped by sorting) against Counter:
    token tables (each row 1) and count tables (``n`` summed), one or two group columns."""
    table = pl.DataFrame(
        {"doc_id": [r[0] for r in rows], "part": [r[1] for r in rows],
         "term": [r[2] for r in rows], "n": [r[3] if weighted else 1 for r in rows]},
        schema={"doc_id": pl.String, "part": pl.Int64, "term": pl.String, "n": pl.Int64})
    if not weighted:
        table = table.drop("n")
    by = ["doc_id", "part"] if second else ["doc_id"]
    got = term_frequency(table, by=by, include_stop=True, include_punct=True)
    plain = [(*(r[0], r[1])[:len(by)], r[2], r[3] if weighted else 1) for r in rows]
    expected = _reference_frequency(plain, by)
    assert got.rows() == expected
    assert got.schema["n"] == got.schema["rank"] == pl.Int64


def test_pandas_in_pandas_out(tokens):
    out = term_frequency(tokens.to_pandas(), by=None)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["term", "n", "total", "per_million", "docfreq", "rank"]


def test_missing_columns_explained(tokens):
    with pytest.raises(ValueError, match=r"missing column\(s\) \['published:year'\].*add_group"):
        term_frequency(tokens, by="published:year")
    with pytest.raises(ValueError, match="is_stop"):
        term_frequency(tokens.drop("is_stop"))
    assert term_frequency(tokens.drop("is_stop"), include_stop=True).height > 0
    with pytest.raises(TypeError):
        term_frequency("not a table")


# ------------------------------------------------------------------ add_group


@pytest.mark.parametrize(("by", "expected"), [
    ({"every": "1y"}, ["2024", "2024", "2023", "2023", "(none)"]),
    ({"every": "1q"}, ["2024-Q2", "2024-Q2", "2023-Q1", "2023-Q1", "(none)"]),
    ({"every": "1mo"}, ["2024-05", "2024-05", "2023-02", "2023-03", "(none)"]),
    ({"every": "1w"}, ["2024-W20", "2024-W20", "2023-W08", "2023-W12", "(none)"]),
    ({"every": "1d"}, ["2024-05-16", "2024-05-15", "2023-02-22", "2023-03-22", "(none)"]),
    ({"by": "outlet"}, ["Wire", "Wire", "Daily", "Daily", "Daily"]),
])
def test_add_group(tokens, docs, by, expected):
    out = add_group(tokens, docs, **by)
    units = {"1y": "year", "1q": "quarter", "1mo": "month", "1w": "week", "1d": "day"}
    col = group_column(by.get("by") or f"published:{units[by['every']]}")
    per_doc = out.group_by("doc_id").agg(pl.col(col).first()).sort("doc_id")[col].to_list()
    assert per_doc == expected
    assert out.height == tokens.height
    assert out.drop(col).equals(tokens)


def test_add_group_accepts_string_dates_and_corpus(tokens, docs):
    as_text = docs.with_columns(pl.col("published").cast(pl.String))
    assert add_group(tokens, as_text).equals(add_group(tokens, docs))
    corpus = analysis.load_corpus(analysis.config.RAW_DIR)
    toks = analysis.tokenize(corpus)
    years = add_group(toks, corpus, every="1y")["published_year"].unique().sort()
    assert years.to_list() == ["2023", "2024"]


@pytest.mark.parametrize(("by", "match"), [
    ({"every": "10y"}, "period unit"),
    ({"every": "1y", "date_column": "outlet"}, "not a date"),
    ({"every": "1y", "date_column": "n_chars"}, "not a date"),
    ({"by": "nowhere"}, "missing column"),
])
def test_add_group_invalid(tokens, docs, by, match):
    with pytest.raises(ValueError, match=match):
        add_group(tokens, docs, **by)


# ------------------------------------------------------------------ tf_idf

LN_3_2 = 0.4054651081081644  # ln(3/2)
LN_3 = 1.0986122886681098  # ln(3)
LOG10_3_2 = 0.17609125905568124  # log10(3/2)
LOG10_3 = 0.47712125471966244  # log10(3)

HAND_COUNTS = pl.DataFrame({
    "doc_id": ["a", "a", "a", "b", "b", "c", "c"],
    "term": ["putin", "xi", "war", "xi", "peace", "putin", "peace"],
    "n": [2, 1, 1, 2, 2, 1, 1],
})
# documents a (4 tokens), b (4), c (2); N = 3; df: putin 2, xi 2, peace 2, war 1
HAND_TIDYTEXT = {  # (doc, term): (tf, idf, tf_idf), worked by hand
    ("a", "putin"): (2 / 4, LN_3_2, 0.5 * LN_3_2),
    ("a", "xi"): (1 / 4, LN_3_2, 0.25 * LN_3_2),
    ("a", "war"): (1 / 4, LN_3, 0.25 * LN_3),
    ("b", "xi"): (2 / 4, LN_3_2, 0.5 * LN_3_2),
    ("b", "peace"): (2 / 4, LN_3_2, 0.5 * LN_3_2),
    ("c", "putin"): (1 / 2, LN_3_2, 0.5 * LN_3_2),
    ("c", "peace"): (1 / 2, LN_3_2, 0.5 * LN_3_2),
}


def _as_dict(table: pl.DataFrame, doc: str = "doc_id") -> dict:
    return {(d, t): (tf, idf, v) for d, t, tf, idf, v in
            table.select(doc, "term", "tf", "idf", "tf_idf").iter_rows()}


def test_tidytext_hand_worked_table():
    got = _as_dict(tf_idf(HAND_COUNTS))
    assert got.keys() == HAND_TIDYTEXT.keys()
    for key, values in HAND_TIDYTEXT.items():
        assert got[key] == pytest.approx(values, rel=1e-15, abs=0), key
    # sorted by document, then tf_idf descending: war is a's most distinctive term
    assert tf_idf(HAND_COUNTS)["term"].to_list()[0] == "war"


def test_quanteda_hand_worked_table():
    got = _as_dict(tf_idf(HAND_COUNTS, scheme="quanteda"))
    assert got[("a", "war")] == pytest.approx((1, LOG10_3, LOG10_3), rel=1e-15)
    assert got[("a", "putin")] == pytest.approx((2, LOG10_3_2, 2 * LOG10_3_2), rel=1e-15)
    assert got[("c", "peace")] == pytest.approx((1, LOG10_3_2, LOG10_3_2), rel=1e-15)


def test_idf_zero_for_terms_in_every_document():
    counts = pl.DataFrame({"doc_id": ["a", "b"], "term": ["x", "x"], "n": [1, 5]})
    assert tf_idf(counts)["tf_idf"].to_list() == [0.0, 0.0]


@pytest.mark.parametrize("normalize", [True, False])
@pytest.mark.parametrize("include_stop", [False, True])
def test_sklearn_scheme_equals_tfidfvectorizer(tokens, normalize, include_stop):
    counts = term_frequency(tokens, include_stop=include_stop)
    ours = tf_idf(counts, scheme="sklearn", normalize=normalize)
    doc_ids = sorted(set(counts["doc_id"]))
    per_doc = {d: [r["term"] for r in counted(tokens, include_stop) if r["doc_id"] == d]
               for d in doc_ids}
    vec = TfidfVectorizer(analyzer=lambda d: per_doc[d], norm="l2" if normalize else None)
    matrix = vec.fit_transform(doc_ids).tocoo()
    vocab = vec.get_feature_names_out()
    theirs = {(doc_ids[i], vocab[j]): v for i, j, v in
              zip(matrix.row, matrix.col, matrix.data, strict=True)}
    mine = {(d, t): v for d, t, v in ours.select("doc_id", "term", "tf_idf").iter_rows()}
    assert mine.keys() == theirs.keys()
    for key, value in theirs.items():
        if normalize:  # the l2 norm sums squares in another order: at most ~1 ulp apart
            assert mine[key] == pytest.approx(value, rel=4e-16, abs=0), key
        else:  # raw tf x idf: bit for bit
            assert mine[key] == value, key
    idf = dict(zip(vocab, vec.idf_, strict=True))
    for t, v in ours.select("term", "idf").iter_rows():
        assert v == idf[t]  # the idf is computed identically, to the last bit


def test_sklearn_normalizes_by_default():
    out = tf_idf(HAND_COUNTS, scheme="sklearn")
    norms = out.group_by("doc_id").agg((pl.col("tf_idf") ** 2).sum())["tf_idf"]
    assert norms.to_list() == pytest.approx([1.0, 1.0, 1.0], rel=1e-15)


def test_duplicate_doc_term_rows_warn_and_sum():
    dup = pl.concat([HAND_COUNTS, HAND_COUNTS.head(1)])
    with pytest.warns(UserWarning, match="one row per document-term pair"):
        out = tf_idf(dup)
    assert out.filter((pl.col("doc_id") == "a") & (pl.col("term") == "putin"))["n"].item() == 4


def test_tf_idf_group_column_inferred(tokens, docs):
    counts = term_frequency(add_group(tokens, docs, by="outlet"), by="outlet")
    out = tf_idf(counts)
    assert out.columns == ["outlet", "term", "n", "tf", "idf", "tf_idf"]
    assert isinstance(tf_idf(counts.to_pandas()), pd.DataFrame)


@pytest.mark.parametrize("scheme", ["bm25", "TIDYTEXT", ""])
def test_tf_idf_invalid_scheme(scheme):
    with pytest.raises(ValueError, match="scheme must be"):
        tf_idf(HAND_COUNTS, scheme=scheme)


def test_tf_idf_without_n_counts_each_row_once():
    # the table contract: no ``n`` means a token table, one occurrence per row
    rows = HAND_COUNTS.drop("n")
    assert tf_idf(rows).equals(tf_idf(rows.with_columns(n=pl.lit(1, dtype=pl.Int64))))
    with pytest.raises(ValueError, match=r"missing column\(s\) \['term'\]"):
        tf_idf(rows.drop("term"))


# ------------------------------------------------------------------ keyness


def two_groups(a: int, b: int, total_a: int, total_b: int) -> pl.DataFrame:
    """Counts for one term x with counts a / b and a filler term making up the totals."""
    return pl.DataFrame({
        "group": ["T", "T", "R", "R"],
        "term": ["x", "filler", "x", "filler"],
        "n": [a, total_a - a, b, total_b - b],
    }).filter(pl.col("n") > 0)


def row(table: pl.DataFrame, term: str = "x") -> dict:
    return table.filter(pl.col("term") == term).row(0, named=True)


TABLES = [(10, 5, 1000, 2000), (3, 0, 500, 800), (0, 7, 400, 900), (120, 80, 5000, 5200),
          (1, 1, 30, 40), (40, 3, 60, 100), (2, 9, 2000, 100)]


@pytest.mark.parametrize(("a", "b", "ta", "tb"), TABLES)
def test_g2_and_chi2_against_scipy(a, b, ta, tb):
    obs = [[a, b], [ta - a, tb - b]]
    k = row(keyness(two_groups(a, b, ta, tb), target="T", correction="none"))
    g2 = chi2_contingency(obs, correction=False, lambda_="log-likelihood")
    pearson = chi2_contingency(obs, correction=False)
    assert abs(k["g2"]) == pytest.approx(g2.statistic, rel=1e-10)
    assert abs(k["chi2"]) == pytest.approx(pearson.statistic, rel=1e-10)
    assert k["p"] == pytest.approx(g2.pvalue, rel=1e-9)
    assert row(keyness(two_groups(a, b, ta, tb), target="T", measure="chi2"))["p"] == \
        pytest.approx(chi2_dist.sf(abs(row(keyness(two_groups(a, b, ta, tb), target="T",
                                                   measure="chi2"))["chi2"]), 1), rel=1e-12)


@pytest.mark.parametrize(("a", "b", "ta", "tb"), TABLES)
def test_chi2_conditional_yates_against_scipy(a, b, ta, tb):
    """correction='default' (quanteda): Yates only when an expected count is below 5 and
    |ad - bc| >= N/2; scipy's correction=True applies Yates to every 2x2 table."""
    obs = [[a, b], [ta - a, tb - b]]
    c, d, n = ta - a, tb - b, ta + tb
    small = chi2_contingency(obs).expected_freq.min() < 5
    big_enough = abs(a * d - b * c) >= n / 2
    k = row(keyness(two_groups(a, b, ta, tb), target="T"))
    yates = row(keyness(two_groups(a, b, ta, tb), target="T", correction="yates"))
    corrected = chi2_contingency(obs, correction=True).statistic
    uncorrected = chi2_contingency(obs, correction=False).statistic
    assert abs(k["chi2"]) == pytest.approx(corrected if small and big_enough else uncorrected,
                                           rel=1e-10)
    if big_enough:
        assert abs(yates["chi2"]) == pytest.approx(corrected, rel=1e-10)
    # G2 is never continuity-corrected
    assert k["g2"] == yates["g2"]


def test_tables_exercise_both_yates_branches():
    branches = {chi2_contingency([[a, b], [ta - a, tb - b]]).expected_freq.min() < 5
                for a, b, ta, tb in TABLES}
    assert branches == {True, False}


def test_two_cell_g2_hand_worked():
    # a = 10 of 1000, b = 5 of 2000: E1 = 1000 * 15 / 3000 = 5, E2 = 2000 * 15 / 3000 = 10
    # G2 = 2 (10 ln(10/5) + 5 ln(5/10)) = 2 (10 - 5) ln 2 = 10 ln 2
    k = row(keyness(two_groups(10, 5, 1000, 2000), target="T", g2="2-cell"))
    assert k["g2"] == pytest.approx(6.931471805599453, rel=1e-14)
    assert k["log_ratio"] == pytest.approx(2.0, rel=1e-14)  # log2((10/1000) / (5/2000))
    assert k["pct_diff"] == pytest.approx(300.0, rel=1e-14)  # (0.01 - 0.0025) / 0.0025
    assert (k["n_target"], k["n_reference"], k["other_target"], k["other_reference"],
            k["total_target"], k["total_reference"]) == (10, 5, 990, 1995, 1000, 2000)
    assert k["p"] == pytest.approx(math.erfc(math.sqrt(6.931471805599453 / 2)), rel=1e-12)


def test_two_cell_differs_from_four_cell():
    four = row(keyness(two_groups(10, 5, 1000, 2000), target="T"))
    two = row(keyness(two_groups(10, 5, 1000, 2000), target="T", g2="2-cell"))
    assert four["g2"] > two["g2"] > 0


@pytest.mark.parametrize("g2", ["4-cell", "2-cell"])
@pytest.mark.parametrize("correction", ["default", "yates", "none"])
def test_signs_flip_with_target(g2, correction):
    counts = two_groups(40, 3, 600, 1000)
    fwd = row(keyness(counts, target="T", g2=g2, correction=correction))
    rev = row(keyness(counts, target="R", g2=g2, correction=correction))
    assert fwd["g2"] > 0 and fwd["chi2"] > 0 and fwd["log_ratio"] > 0 and fwd["pct_diff"] > 0
    assert rev["g2"] == pytest.approx(-fwd["g2"], rel=1e-12)
    assert rev["chi2"] == pytest.approx(-fwd["chi2"], rel=1e-12)
    assert rev["log_ratio"] == pytest.approx(-fwd["log_ratio"], rel=1e-12)
    assert rev["p"] == pytest.approx(fwd["p"], rel=1e-12)
    assert rev["pct_diff"] < 0


def test_zero_in_reference():
    k = row(keyness(two_groups(3, 0, 500, 800), target="T"))
    assert k["g2"] > 0 and k["chi2"] > 0
    assert k["pct_diff"] == math.inf
    assert k["log_ratio"] == pytest.approx(math.log2((3 / 500) / (0.5 / 800)), rel=1e-14)


def test_zero_in_target():
    k = row(keyness(two_groups(0, 7, 400, 900), target="T"))
    assert k["g2"] < 0 and k["chi2"] < 0
    assert k["pct_diff"] == -100.0
    assert k["log_ratio"] == pytest.approx(math.log2((0.5 / 400) / (7 / 900)), rel=1e-14)
    assert math.isfinite(k["g2"])


def test_totals_are_sums_of_n_and_reference_choices(tokens, docs):
    grouped = add_group(tokens, docs, every="1y")
    counts = term_frequency(grouped, by="published_year")
    k = keyness(counts, target=2024)  # an int is matched against the string column
    n = dict(counts.group_by("published_year").agg(pl.col("n").sum()).iter_rows())
    assert set(k["total_target"]) == {n["2024"]}
    assert set(k["total_reference"]) == {n["2023"] + n["(none)"]}
    only_2023 = keyness(counts, target="2024", reference="2023")
    assert set(only_2023["total_reference"]) == {n["2023"]}
    both = keyness(counts, target=["2024", "(none)"], reference=["2023"])
    assert set(both["total_target"]) == {n["2024"] + n["(none)"]}
    assert (k["n_target"] + k["other_target"] == k["total_target"]).all()
    assert k["n_target"].sum() == n["2024"]


def test_keyness_on_document_counts_infers_group(tokens):
    k = keyness(term_frequency(tokens), target="d2")
    assert row(k, "peace")["n_target"] == 5
    assert k["g2"].to_list() == sorted(k["g2"].to_list(), reverse=True)
    assert k.row(0, named=True)["term"] == "peace"


@pytest.mark.parametrize("measure", ["g2", "chi2", "log_ratio", "pct_diff"])
def test_sorted_by_measure(tokens, measure):
    k = keyness(term_frequency(tokens), target="d1", measure=measure)
    values = k[measure].to_list()
    assert values == sorted(values, reverse=True)
    assert k.equals(keyness(term_frequency(tokens.reverse()), target="d1", measure=measure))


def test_min_n_filter(tokens):
    counts = term_frequency(tokens)
    k = keyness(counts, target="d1", min_n=3)
    assert (k["n_target"] + k["n_reference"] >= 3).all()
    full = keyness(counts, target="d1")
    assert k.height == full.filter(pl.col("n_target") + pl.col("n_reference") >= 3).height
    assert set(k["total_target"]) == set(full["total_target"])  # totals before filtering


@pytest.mark.parametrize("adjust", ["bonferroni", "holm"])
def test_multiple_testing_adjustment_brute_force(tokens, adjust):
    k = keyness(term_frequency(tokens), target="d1", min_n=2, adjust=adjust)
    p = k["p"].to_list()
    m = len(p)
    if adjust == "bonferroni":
        expected = [min(1.0, x * m) for x in p]
    else:  # Holm: the largest (m - k) p_(k) over the sorted p_(k) <= p (k from 0), capped at 1
        srt = sorted(p)
        expected = [min(1.0, max((m - k) * srt[k] for k in range(m) if srt[k] <= x)) for x in p]
    assert k["p_adjusted"].to_list() == pytest.approx(expected, rel=1e-12)
    assert "p_adjusted" not in keyness(term_frequency(tokens), target="d1").columns


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"target": "d9"}, r"target \['d9'\] not found"),
    ({"target": "d1", "reference": "nope"}, "reference"),
    ({"target": "d1", "reference": "d1"}, "both target and reference"),
    ({"target": ["d1", "d2", "d3", "d4", "d5"]}, "no reference"),
    ({"target": "d1", "measure": "pmi"}, "measure must be"),
    ({"target": "d1", "g2": "3-cell"}, "g2 must be"),
    ({"target": "d1", "correction": "williams"}, "correction must be"),
    ({"target": "d1", "adjust": "fdr"}, "adjust must be"),
    ({"target": "d1", "min_n": 0}, "min_n"),
])
def test_keyness_invalid(tokens, kwargs, match):
    with pytest.raises(ValueError, match=match):
        keyness(term_frequency(tokens), **kwargs)


def test_keyness_needs_a_group_column(tokens):
    with pytest.raises(ValueError, match="no group column"):
        keyness(term_frequency(tokens, by=None), target="x")
    two = term_frequency(tokens, by=["doc_id", "sentence_id"])
    with pytest.raises(ValueError, match="several group columns"):
        keyness(two, target="d1")


def test_bundled_corpus_2024_vs_2023_is_sensible():
    corpus = analysis.load_corpus(analysis.config.RAW_DIR)
    grouped = add_group(analysis.tokenize(corpus), corpus, every="1y")
    k = keyness(term_frequency(grouped, by="published_year"), target="2024")
    top = k.head(10)
    assert (top["g2"] > 3.84).all()  # all significant at p < 0.05
    assert "ukraine" in top["term"].to_list()  # 2024 coverage of the war's third year
    bottom = k.tail(10)["term"].to_list()
    assert "wang" in bottom  # 2023: Wang Yi's Moscow visit


# ------------------------------------------------------------------ charts


def test_plot_top_terms(tokens, docs):
    import altair as alt

    from analysis.terms._charts import plot_top_terms

    counts = term_frequency(add_group(tokens, docs, by="outlet"), by="outlet")
    chart = plot_top_terms(counts, top=3, measure="per_million")
    spec = chart.to_dict()
    assert isinstance(chart, alt.FacetChart)
    assert {t["field"] for t in spec["spec"]["encoding"]["tooltip"]} >= {"n", "per_million"}
    assert isinstance(plot_top_terms(term_frequency(tokens, by=None)), alt.Chart)
    with pytest.raises(ValueError, match="several group columns"):
        plot_top_terms(term_frequency(tokens, by=["doc_id", "sentence_id"]))


def test_plot_top_terms_keeps_top_n_per_group(tokens, docs):
    from analysis.terms._charts import _top_per_group

    counts = term_frequency(add_group(tokens, docs, by="outlet"), by="outlet")
    top = _top_per_group(counts, "outlet", "n", 3)
    assert top.group_by("outlet").len()["len"].to_list() == [3, 3]
    for outlet, group in counts.group_by("outlet"):
        best = group.sort(["n", "term"], descending=[True, False]).head(3)["term"].to_list()
        assert top.filter(pl.col("outlet") == outlet[0])["term"].to_list() == best


def test_plot_tf_idf(tokens):
    import altair as alt

    from analysis.terms._charts import plot_tf_idf

    chart = plot_tf_idf(tf_idf(term_frequency(tokens)), top=4)
    assert isinstance(chart, alt.FacetChart)
    assert len(chart.data) <= 5 * 4
    assert "tooltip" in chart.to_dict()["spec"]["encoding"]


def test_plot_tf_idf_leaves_out_terms_every_group_uses():
    from analysis.terms._charts import plot_tf_idf

    one_group = pl.DataFrame({"group": ["g", "g"], "term": ["x", "y"], "n": [3, 1]})
    chart = plot_tf_idf(tf_idf(one_group), document="group")
    assert len(chart.data) == 0 and "needs at least two groups" in chart.to_dict()["title"]
    two = pl.DataFrame({"doc_id": ["a", "a", "b"], "term": ["x", "y", "y"], "n": [2, 1, 1]})
    assert plot_tf_idf(tf_idf(two)).data["term"].to_list() == ["x"]


@pytest.mark.parametrize("measure", ["g2", "chi2", "log_ratio", "pct_diff"])
def test_plot_keyness_diverging(tokens, measure):
    import altair as alt

    from analysis.terms._keyness import plot_keyness

    k = keyness(term_frequency(tokens), target="d2")
    chart = plot_keyness(k, top=5, measure=measure, target_label="d2",
                         reference_label="others")
    assert isinstance(chart, alt.Chart)
    data = pl.DataFrame(chart.data)
    assert data.height <= 10
    assert (data.filter(pl.col(measure) > 0)["key_for"] == "d2").all()
    assert (data.filter(pl.col(measure) < 0)["key_for"] == "others").all()
    assert set(data["key_for"]) == {"d2", "others"}
    spec = chart.to_dict()
    assert spec["encoding"]["color"]["field"] == "key_for"
    assert "tooltip" in spec["encoding"]


def test_keyness_of_one_bundled_document(bundled_tokens):
    counts = term_frequency(bundled_tokens)
    k = keyness(counts, target="004_d9b8ad50303839cf")
    counted_in_doc = bundled_tokens.filter(
        (pl.col("doc_id") == "004_d9b8ad50303839cf") & ~pl.col("is_stop") & ~pl.col("is_punct")
    ).height
    assert set(k["total_target"]) == {counted_in_doc}
    assert set(k["total_reference"]) == {counts["n"].sum() - counted_in_doc}
    assert k["n_target"].sum() == counted_in_doc
    assert k["n_reference"].sum() == counts["n"].sum() - counted_in_doc
