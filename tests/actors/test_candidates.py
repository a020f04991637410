"""actor_candidates: names the dictionary misses, counted by hand."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

import analysis
from analysis.actors._candidates import actor_candidates

TEXTS = [
    # d0: Kallas twice (once sentence-initial), Bank of England once, Putin (known) once
    "Kaja Kallas met Putin in Tallinn. Kaja Kallas said the Bank of England would act.",
    # d1: Tallinn sentence-initial (never lower case: a name), Bank of England, "Talks" is
    # sentence-initial but "talks" occurs in lower case: an ordinary word
    "Tallinn was calm. The Bank of England and Kaja Kallas held talks. Talks went on.",
    # d2: "West Germany" is not the West (context rule): Germany is known, so no candidate;
    # "Mr" is a title; "Hunter Biden": Biden is vetoed by its rule, so the run is a name
    "Mr Kallas visited West Germany. Hunter Biden stayed home.",
]


def docs() -> pl.DataFrame:
    return pl.DataFrame({"doc_id": [f"d{i}" for i in range(3)], "text": TEXTS})


def test_hand_counted_candidates():
    out = actor_candidates(docs(), min_n=1, top=None)
    got = {c: (n, d) for c, n, d in out.select("candidate", "n", "documents").iter_rows()}
    assert got == {
        "Kaja Kallas": (3, 2),
        "Tallinn": (2, 2),
        "Bank of England": (2, 2),
        "Kallas": (1, 1),
        "West": (1, 1),
        "Hunter Biden": (1, 1),
    }
    assert "Talks" not in got and "Mr" not in got and "Putin" not in got
    assert "Germany" not in got and "The" not in got


def test_sorting_min_n_top_n_and_examples():
    out = actor_candidates(docs(), min_n=2)
    assert out["candidate"].to_list() == ["Kaja Kallas", "Bank of England", "Tallinn"]
    assert out.row(0) == ("Kaja Kallas", 2, 3, 2, "d0", 1,
                          "Kaja Kallas met Putin in Tallinn.")
    assert actor_candidates(docs(), min_n=2, top=1).height == 1
    with pytest.raises(ValueError, match="min_n"):
        actor_candidates(docs(), min_n=0)
    with pytest.raises(ValueError, match="top must"):
        actor_candidates(docs(), top=0)


def test_mentions_or_dictionary_as_known_actors():
    tokens = analysis.tokenize(docs())
    mentions = analysis.actors(tokens)
    assert actor_candidates(tokens, actors=mentions, min_n=1).equals(
        actor_candidates(tokens, min_n=1))
    own = {"Kaja Kallas": {"type": "person", "aliases": ["Kaja Kallas", "Kallas"]}}
    out = actor_candidates(tokens, actors=own, min_n=1, top=None)
    assert "Kaja Kallas" not in out["candidate"].to_list()
    assert "Putin" in out["candidate"].to_list()  # not in this dictionary


def test_pandas_in_pandas_out_and_empty():
    out = actor_candidates(docs().to_pandas(), min_n=2)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == [
        "candidate", "n_words", "n", "documents", "doc_id", "sentence_id", "example"]
    empty = actor_candidates(pl.DataFrame({"doc_id": ["a"], "text": ["all lower case."]}))
    assert empty.height == 0
