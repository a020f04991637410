"""Collocations against NLTK's BigramCollocationFinder / BigramAssocMeasures."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from nltk.collocations import BigramCollocationFinder
from nltk.metrics import BigramAssocMeasures as M

import analysis
from analysis.pairs._collocations import MEASURES, collocations, plot_collocations

DATA = Path(__file__).parents[1] / "data"

NLTK_MEASURES = {"pmi": M.pmi, "ll": M.likelihood_ratio, "t": M.student_t, "chi2": M.chi_sq,
                 "dice": M.dice}


@pytest.fixture(scope="module")
def messy_tokens() -> pl.DataFrame:
    docs = pl.read_csv(DATA / "cooc_docs.csv").with_columns(pl.col("text").fill_null(""))
    return analysis.tokenize(docs)


@pytest.fixture(scope="module")
def bundled_tokens() -> pl.DataFrame:
    return analysis.tokenize(analysis.load_corpus(analysis.config.RAW_DIR))


def nltk_finder(tokens: pl.DataFrame, window: int, drop: set[str] | None = None):
    """NLTK on the token sequence, ``window - 1`` empty slots between sentences.

    ``drop``: terms deleted from the sequence before NLTK sees it (the "remove" mode).
    """
    words: list[str | None] = []
    ordered = tokens.sort("doc_id", "sentence_id", "token_id")
    for _, sent in ordered.group_by(["doc_id", "sentence_id"], maintain_order=True):
        terms = [t for t in sent["term"].to_list() if not drop or t not in drop]
        if terms:
            words.extend(terms)
            words.extend([None] * (window - 1))
    return BigramCollocationFinder.from_words(words, window_size=window)


def as_dict(table: pl.DataFrame, column: str) -> dict[tuple[str, str], float]:
    return {(a, b): v for a, b, v in table.select("term1", "term2", column).iter_rows()}


def assert_same_scores(ours: dict, theirs: dict) -> None:
    assert set(ours) == set(theirs)
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key


@pytest.mark.parametrize("window", [2, 5])
@pytest.mark.parametrize("fixture", ["messy_tokens", "bundled_tokens"])
def test_measures_equal_nltk(window, fixture, request):
    tokens = request.getfixturevalue(fixture)
    ours = collocations(tokens, window=window - 1, include_punct=True)
    finder = nltk_finder(tokens, window)
    for name, fn in NLTK_MEASURES.items():
        assert_same_scores(as_dict(ours, name), dict(finder.score_ngrams(fn)))
    # raw counts, unigram counts and N as NLTK's FreqDists
    for a, b, n, n1, n2 in ours.select("term1", "term2", "n", "n1", "n2").iter_rows():
        assert (n, n1, n2) == (finder.ngram_fd[(a, b)], finder.word_fd[a], finder.word_fd[b])
    assert tokens.height == finder.N


@pytest.mark.parametrize("window", [2, 5])
def test_filter_mode_is_nltk_word_filter(bundled_tokens, window):
    ours = collocations(bundled_tokens, window=window - 1, include_stop=False, include_punct=False,
                        min_n=2)
    skipped = set(bundled_tokens.filter(pl.col("is_stop") | pl.col("is_punct"))["term"])
    finder = nltk_finder(bundled_tokens, window)
    finder.apply_word_filter(lambda w: w in skipped)
    finder.apply_freq_filter(2)
    for name, fn in NLTK_MEASURES.items():
        assert_same_scores(as_dict(ours, name), dict(finder.score_ngrams(fn)))


@pytest.mark.parametrize("window", [2, 5])
def test_remove_mode_deletes_tokens_first(bundled_tokens, window):
    ours = collocations(bundled_tokens, window=window - 1, include_stop=False, skip_how="remove")
    skipped = set(bundled_tokens.filter(pl.col("is_stop") | pl.col("is_punct"))["term"])
    finder = nltk_finder(bundled_tokens, window, drop=skipped)
    for name, fn in NLTK_MEASURES.items():
        assert_same_scores(as_dict(ours, name), dict(finder.score_ngrams(fn)))
    assert bundled_tokens.filter(~pl.col("term").is_in(list(skipped))).height == finder.N


def test_logdice_is_14_plus_log2_dice(messy_tokens):
    out = collocations(messy_tokens, window=2)
    for dice, logdice in out.select("dice", "logdice").iter_rows():
        assert logdice == pytest.approx(14 + math.log2(dice))


def test_hand_worked_pair(messy_tokens):
    # d2 sentence 1 "joint statement on the peace plan ." ; "joint statement" occurs in d1 s3
    # and d2 s1; "joint" 3 times, "statement" 3 times in the messy corpus
    out = collocations(messy_tokens, measures=["pmi", "dice"])
    row = out.filter((pl.col("term1") == "joint") & (pl.col("term2") == "statement")).row(0)
    n_tokens = messy_tokens.height
    assert row[2:5] == (2, 3, 3)
    assert row[5] == pytest.approx(math.log2(2 * n_tokens / 9))
    assert row[6] == pytest.approx(4 / 6)


def test_no_pair_crosses_a_sentence(messy_tokens):
    # d3: "... alpha ." then a line break and "omega"; d5 "alpha" alone
    out = collocations(messy_tokens, window=4, include_punct=True)
    assert out.filter((pl.col("term1") == "alpha") & (pl.col("term2") == "omega")).height == 0
    assert out.filter((pl.col("term1") == ".") & (pl.col("term2") == "omega")).height == 0


def test_sorted_by_first_measure_then_terms(bundled_tokens):
    out = collocations(bundled_tokens, measures=["t", "pmi"])
    assert out.columns == ["term1", "term2", "n", "n1", "n2", "t", "pmi"]
    keys = list(zip((-out["t"]).to_list(), out["term1"].to_list(), out["term2"].to_list(),
                    strict=True))
    assert keys == sorted(keys)
    assert collocations(bundled_tokens, measures=["t", "pmi"]).equals(out)  # deterministic


@pytest.mark.parametrize("min_count", [1, 2, 3])
def test_min_count(bundled_tokens, min_count):
    out = collocations(bundled_tokens, min_n=min_count)
    assert out["n"].min() >= min_count
    punct = set(bundled_tokens.filter("is_punct")["term"])
    finder = nltk_finder(bundled_tokens, 2)
    expected = {ng for ng, f in finder.ngram_fd.items() if f >= min_count and not set(ng) & punct}
    assert set(out.select("term1", "term2").iter_rows()) == expected


def test_pandas_in_pandas_out(messy_tokens):
    out = collocations(messy_tokens.to_pandas(), measures=["pmi"])
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["term1", "term2", "n", "n1", "n2", "pmi"]
    assert set(MEASURES) == {"pmi", "ll", "t", "chi2", "dice", "logdice"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"window": 0}, "window must be an integer of at least 1"),
        ({"window": 1.5}, "window must be an integer"),
        ({"min_n": 0}, "min_n must be a positive integer"),
        ({"measures": ["pmi", "mi3"]}, "measures must be a non-empty list"),
        ({"measures": []}, "measures must be a non-empty list"),
        ({"skip_how": "drop"}, "skip_how must be one of"),
    ],
)
def test_invalid_options(messy_tokens, kwargs, message):
    with pytest.raises(ValueError, match=message):
        collocations(messy_tokens, **kwargs)


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"tokens is missing column\(s\) \['sentence_id'"):
        collocations(pl.DataFrame({"doc_id": ["a"], "token_id": [1], "term": ["x"]}))
    with pytest.raises(TypeError, match="must be a polars or pandas DataFrame"):
        collocations(["peace", "plan"])


def test_plot_collocations(bundled_tokens):
    table = collocations(bundled_tokens, min_n=2)
    chart = plot_collocations(table.to_pandas(), measure="pmi", top=5)
    spec = chart.to_dict()
    rows = next(iter(spec["datasets"].values()))
    expected = table.sort(["pmi", "term1", "term2"], descending=[True, False, False]).head(5)
    assert [r["pair"] for r in rows] == [f"{a} {b}" for a, b in
                                         expected.select("term1", "term2").iter_rows()]
    assert spec["encoding"]["x"]["field"] == "pmi"
    with pytest.raises(ValueError, match="measure must be one of"):
        plot_collocations(table, measure="mi")
    with pytest.raises(ValueError, match="top must be a positive integer"):
        plot_collocations(table, top=0)


# --- top_collocations: the side-by-side table of the notebook -----------------------------------

SCORES = pl.DataFrame({
    # hand-made scores with ties (pmi 3.0 twice, dice 0.5 three times) and a null chi2
    "term1": ["peace", "joint", "alpha", "beta", "peace"],
    "term2": ["plan", "statement", "plan", "gamma", "talks"],
    "n": [3, 2, 1, 1, 1], "n1": [4, 2, 1, 1, 4], "n2": [3, 2, 3, 1, 1],
    "pmi": [1.0, 3.0, 3.0, 0.5, 2.0],
    "ll": [9.0, 7.0, 1.0, 1.0, 2.0],
    "chi2": [4.0, None, 1.0, 8.0, 2.0],
    "dice": [0.5, 0.5, 0.5, 0.25, 0.75],
})


def test_top_collocations_hand_ranked():
    got = analysis.top_collocations(SCORES, measures=["ll", "pmi", "chi2", "dice"], top=4)
    # ranked by hand: descending score, ties by term1 then term2, null last
    assert got.to_dict(as_series=False) == {
        "rank": [1, 2, 3, 4],
        "ll": ["peace plan", "joint statement", "peace talks", "alpha plan"],
        "pmi": ["alpha plan", "joint statement", "peace talks", "peace plan"],
        "chi2": ["beta gamma", "peace plan", "peace talks", "alpha plan"],
        "dice": ["peace talks", "alpha plan", "joint statement", "peace plan"],
    }
    assert got.schema["rank"] == pl.Int64


def test_top_collocations_default_measures_fewer_rows_and_null_last():
    got = analysis.top_collocations(SCORES, top=50)
    assert got.columns == ["rank", "pmi", "ll", "chi2", "dice"]  # MEASURES order
    assert got.height == SCORES.height
    assert got["chi2"].to_list()[-1] == "joint statement"  # the null score ranks last


def test_top_collocations_matches_brute_force_on_real_scores(messy_tokens):
    colloc = collocations(messy_tokens, window=2)
    got = analysis.top_collocations(colloc, top=5)
    for m in MEASURES:
        rows = [(r["term1"], r["term2"], r[m]) for r in colloc.iter_rows(named=True)]
        rows.sort(key=lambda r: (r[2] is None, -(r[2] or 0.0), r[0], r[1]))
        assert got[m].to_list() == [f"{a} {b}" for a, b, _ in rows[:5]]


def test_top_collocations_pandas_in_pandas_out_and_empty():
    got = analysis.top_collocations(SCORES.to_pandas(), measures=["ll"], top=2)
    assert isinstance(got, pd.DataFrame)
    assert got["ll"].tolist() == ["peace plan", "joint statement"]
    empty = analysis.top_collocations(SCORES.head(0), measures=["ll"])
    assert empty.height == 0 and empty.columns == ["rank", "ll"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"top": 0}, "top"),
        ({"top": True}, "top"),
        ({"top": 2.5}, "top"),
        ({"measures": []}, "measures"),
        ({"measures": ["mi"]}, "measures"),
        ({"measures": ["logdice"]}, "logdice"),  # not a column of the table
    ],
)
def test_top_collocations_invalid(kwargs, message):
    with pytest.raises(ValueError, match=message):
        analysis.top_collocations(SCORES, **kwargs)


def test_top_collocations_needs_terms_and_a_measure():
    with pytest.raises(ValueError, match="term2"):
        analysis.top_collocations(SCORES.drop("term2"), measures=["ll"])
    with pytest.raises(ValueError, match="measure"):
        analysis.top_collocations(SCORES.select("term1", "term2", "n"))
