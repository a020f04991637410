"""Co-occurrence counts against brute force over a small messy corpus, and scikit-learn."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.feature_extraction.text import CountVectorizer

import analysis
from analysis.pairs._cooccurrence import cooccurrence, cooccurrence_matrix

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="module")
def tokens() -> pl.DataFrame:
    docs = pl.read_csv(DATA / "cooc_docs.csv").with_columns(pl.col("text").fill_null(""))
    return analysis.tokenize(docs)


def kept(tokens: pl.DataFrame) -> list[tuple[str, int, int, str]]:
    """(doc, sentence, token_id, term) of the tokens counted by default (no stop/punct)."""
    rows = tokens.filter(~pl.col("is_stop") & ~pl.col("is_punct"))
    return list(rows.select("doc_id", "sentence_id", "token_id", "term").iter_rows())


def brute_force(rows, context: str, count: str, window: int, diagonal: bool):
    """Pair counts, marginals and N, by looping over occurrences (the documented rule)."""
    pairs: Counter = Counter()
    marg: Counter = Counter()
    if context == "window":
        by_sentence: dict = {}
        for d, s, t, term in rows:
            by_sentence.setdefault((d, s), []).append((t, term))
        total = len(by_sentence) if count == "documents" else len(rows)
        for occ in by_sentence.values():
            seen = set()
            for (t1, a), (t2, b) in itertools.combinations(occ, 2):
                if abs(t1 - t2) <= window:
                    key = (min(a, b), max(a, b))
                    if count == "frequency":
                        pairs[key] += 1
                    seen.add(key)
            if count == "documents":
                pairs.update(seen)
                marg.update({term for _, term in occ})
            else:
                marg.update(term for _, term in occ)
    else:
        units: dict = {}
        for d, s, _t, term in rows:
            units.setdefault(d if context == "document" else (d, s), []).append(term)
        total = len(units) if count == "documents" else len(rows)
        for terms in units.values():
            freq = Counter(terms)
            marg.update(set(terms) if count == "documents" else terms)
            for a, b in itertools.combinations(sorted(freq), 2):
                pairs[(a, b)] += 1 if count == "documents" else freq[a] * freq[b]
            for a, k in freq.items():
                if k >= 2:
                    pairs[(a, a)] += 1 if count == "documents" else k * (k - 1) // 2
    if not diagonal:
        pairs = Counter({k: v for k, v in pairs.items() if k[0] != k[1]})
    return pairs, marg, total


@pytest.mark.parametrize(
    ("context", "window"), [("sentence", 5), ("document", 5), ("window", 1), ("window", 3)]
)
@pytest.mark.parametrize("count", ["documents", "frequency"])
@pytest.mark.parametrize("diagonal", [False, True])
def test_counts_equal_brute_force(tokens, context, count, window, diagonal):
    out = cooccurrence(tokens, context=context, count=count, window=window, diagonal=diagonal)
    pairs, marg, total = brute_force(kept(tokens), context, count, window, diagonal)
    got = {(a, b): n for a, b, n in out.select("item1", "item2", "n").iter_rows()}
    assert got == dict(pairs)
    for a, b, n, n1, n2, pmi, dice, logdice in out.iter_rows():
        assert (n1, n2) == (marg[a], marg[b])
        assert pmi == pytest.approx(math.log2(n * total / (marg[a] * marg[b])))
        assert dice == pytest.approx(2 * n / (marg[a] + marg[b]))
        assert logdice == pytest.approx(14 + math.log2(2 * n / (marg[a] + marg[b])))


def test_hand_counted_values(tokens):
    sent = cooccurrence(tokens, context="sentence")
    pair = sent.filter((pl.col("item1") == "peace") & (pl.col("item2") == "plan"))
    # sentences with both: d1 "Peace plan talks", d1 "The peace plan, the PEACE plan!",
    # d2 "Joint statement on the peace plan", d3 "“Peace” — plan… alpha.", d3 "Plan plan peace.",
    # d6 (the long sentence); "peace" alone in d1 "Joint statement: peace.", "plan" alone in
    # d3 "omega beta plan."
    assert pair.select("n", "n1", "n2").row(0) == (6, 7, 7)
    freq = cooccurrence(tokens, context="sentence", count="frequency")
    pair = freq.filter((pl.col("item1") == "peace") & (pl.col("item2") == "plan"))
    # 1*1 + 2*2 + 1*1 + 1*1 + 1*2 + 1*1 (same sentences, occurrences multiplied)
    assert pair["n"].item() == 10


def test_sentence_counts_equal_sklearn(tokens):
    sentences = (
        tokens.filter(~pl.col("is_stop") & ~pl.col("is_punct"))
        .group_by("doc_id", "sentence_id", maintain_order=True)
        .agg(pl.col("term"))
    )
    vec = CountVectorizer(analyzer=lambda terms: terms, binary=True)
    x = vec.fit_transform(sentences["term"].to_list())
    expected = (x.T @ x).toarray()
    np.fill_diagonal(expected, 0)
    m = cooccurrence_matrix(tokens)
    assert m.vocabulary == list(vec.get_feature_names_out())
    assert (m.matrix.toarray() == expected).all()
    assert m.total == sentences.height
    assert m.marginals.tolist() == np.asarray(x.sum(axis=0)).ravel().tolist()


@pytest.mark.parametrize("context", ["sentence", "document", "window"])
@pytest.mark.parametrize("count", ["documents", "frequency"])
def test_symmetric_and_unordered(tokens, context, count):
    m = cooccurrence_matrix(tokens, context=context, count=count, diagonal=True)
    assert (m.matrix != m.matrix.T).nnz == 0
    out = cooccurrence(tokens, context=context, count=count)
    assert (out["item1"] < out["item2"]).all()
    assert out.select("item1", "item2").is_unique().all()


@pytest.mark.parametrize("context", ["sentence", "window"])
def test_nothing_crosses_a_sentence(tokens, context):
    # d3 "... plan… alpha." then a line break and "omega beta plan."
    out = cooccurrence(tokens, context=context, window=10)
    assert out.filter((pl.col("item1") == "alpha") & (pl.col("item2") == "omega")).height == 0
    doc = cooccurrence(tokens, context="document")
    assert doc.filter((pl.col("item1") == "alpha") & (pl.col("item2") == "omega")).height == 1


def test_window_counts_distance_in_original_tokens(tokens):
    # d6: "peace" is token 5 and "plan" token 14 of the sentence; stop-words in between count
    far = cooccurrence(tokens, context="window", window=8)
    near = cooccurrence(tokens, context="window", window=9)
    key = (pl.col("item1") == "peace") & (pl.col("item2") == "plan")
    # other sentences have peace and plan close; d6 only adds at window >= 9
    assert near.filter(key)["n"].item() == far.filter(key)["n"].item() + 1


def test_min_n_and_sorting(tokens):
    out = cooccurrence(tokens, min_n=2)
    assert out["n"].min() >= 2
    keys = list(zip((-out["n"]).to_list(), out["item1"].to_list(), out["item2"].to_list(),
                    strict=True))
    assert keys == sorted(keys)


def test_other_item_column_and_pandas():
    table = pd.DataFrame({"doc_id": ["a", "a", "a", "b"], "sentence_id": [1, 1, 2, 1],
                          "actor": ["Russia", "China", "Russia", "China"]})
    out = cooccurrence(table, item="actor")
    assert isinstance(out, pd.DataFrame)
    assert out[["item1", "item2", "n", "n1", "n2"]].values.tolist() == [
        ["China", "Russia", 1, 2, 2]
    ]
    # N = 3 sentences: pmi = log2(1 * 3 / 4)
    assert out["pmi"].item() == pytest.approx(math.log2(3 / 4))


def test_skip_options(tokens):
    with_stop = cooccurrence(tokens, include_stop=True)
    assert with_stop.filter(pl.col("item1") == "the").height > 0
    assert cooccurrence(tokens).filter(pl.col("item1") == "the").height == 0
    with_punct = cooccurrence(tokens, include_punct=True)
    assert with_punct.filter(pl.col("item1") == ".").height > 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"context": "paragraph"}, "context must be one of"),
        ({"count": "tokens"}, "count must be one of"),
        ({"window": 0}, "window must be a positive number"),
        ({"min_n": 0}, "min_n must be a positive integer"),
        ({"item": "lemma"}, r"missing column\(s\) \['lemma'\]"),
    ],
)
def test_invalid_options(tokens, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cooccurrence(tokens, **kwargs)


def test_window_needs_token_ids():
    table = pl.DataFrame({"doc_id": ["a"], "sentence_id": [1], "term": ["x"]})
    with pytest.raises(ValueError, match=r"missing column\(s\) \['token_id'\]"):
        cooccurrence(table, context="window")


# --- focus_pairs -------------------------------------------------------------------------------

FOCUS_PAIRS = pl.DataFrame({
    "item1": ["china", "peace", "plan", "china", "talks"],
    "item2": ["russia", "plan", "russia", "xi", "zelensky"],
    "n": [5, 4, 3, 2, 1],
})


@pytest.mark.parametrize(
    ("focus", "expected_n"),
    [
        (["russia"], [5, 3]),  # as item2 only
        (["china", "plan"], [5, 4, 3, 2]),  # as item1 and as item2
        ("talks", [1]),  # one string
        (["Russia"], []),  # case-sensitive, like the items
        (["nowhere"], []),
        ([], [5, 4, 3, 2, 1]),  # empty: all pairs
        ((), [5, 4, 3, 2, 1]),
    ],
)
def test_focus_pairs_hand_picked(focus, expected_n):
    got = analysis.focus_pairs(FOCUS_PAIRS, focus=focus)
    assert got["n"].to_list() == expected_n
    assert got.columns == FOCUS_PAIRS.columns


def test_focus_pairs_brute_force(tokens):
    pairs = cooccurrence(tokens)
    focus = ["peace", "statement"]
    expected = [r for r in pairs.iter_rows() if r[0] in focus or r[1] in focus]
    assert analysis.focus_pairs(pairs, focus=focus).rows() == expected
    assert 0 < len(expected) < pairs.height


def test_focus_pairs_pandas_and_invalid():
    got = analysis.focus_pairs(FOCUS_PAIRS.to_pandas(), focus=["xi"])
    assert isinstance(got, pd.DataFrame) and got["n"].tolist() == [2]
    with pytest.raises(ValueError, match="item2"):
        analysis.focus_pairs(FOCUS_PAIRS.drop("item2"), focus=["xi"])
    with pytest.raises(ValueError, match="focus"):
        analysis.focus_pairs(FOCUS_PAIRS, focus=[1, 2])
