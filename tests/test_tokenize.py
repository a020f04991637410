"""The token table: offsets, sentences, the word pattern in both regex engines, options."""

from __future__ import annotations

import re

import pandas as pd
import polars as pl
import pytest

import analysis
from analysis.tokenize import TOKEN_PATTERN, sentence_spans, word_spans


def test_offsets_point_at_the_token(bundled, bundled_tokens):
    texts = dict(bundled.docs.select("doc_id", "text").iter_rows())
    rows = bundled_tokens.select("doc_id", "start", "end", "token").iter_rows()
    assert all(texts[d][a:b] == tok for d, a, b, tok in rows)


def test_columns_and_types(bundled_tokens):
    assert bundled_tokens.schema == pl.Schema({
        "doc_id": pl.String, "sentence_id": pl.UInt32, "token_id": pl.UInt32,
        "token": pl.String, "term": pl.String, "start": pl.UInt32, "end": pl.UInt32,
        "is_stop": pl.Boolean, "is_punct": pl.Boolean,
    })


def test_ids_are_consecutive(bundled_tokens):
    per_doc = bundled_tokens.group_by("doc_id").agg(
        pl.col("token_id").diff().drop_nulls().eq(1).all().alias("consecutive"),
        pl.col("token_id").min().alias("first"),
        pl.col("sentence_id").diff().drop_nulls().is_in([0, 1]).all().alias("monotone"),
    )
    assert per_doc["consecutive"].all() and per_doc["monotone"].all()
    assert per_doc["first"].to_list() == [1] * 5


def test_hand_tokenised_sentence():
    text = "Mr. Putin’s U.S. visit didn't cost $15.6 billion (or 1,000 “no-limits” deals)."
    tokens = [text[a:b] for a, b in word_spans(text)]
    assert tokens == ["Mr", ".", "Putin", "’s", "U.S.", "visit", "didn", "'t", "cost", "$",
                      "15.6", "billion", "(", "or", "1,000", "“", "no-limits", "”", "deals",
                      ")", "."]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("The U.S. Secretary met Mr. Xi. Then Dr. Smith spoke.",
         ["The U.S. Secretary met Mr. Xi.", "Then Dr. Smith spoke."]),
        ("Mrs. May left. The U.N. Security Council met.",
         ["Mrs. May left.", "The U.N. Security Council met."]),
        ("A headline without a period\nThe body starts here. It goes on.",
         ["A headline without a period", "The body starts here.", "It goes on."]),
        ("“We are open,” he said. “Are you?”",
         ["“We are open,” he said.", "“Are you?”"]),
    ],
)
def test_sentences(text, sentences):
    assert [text[a:b] for a, b in sentence_spans(text)] == sentences


def test_no_sentence_crosses_a_line(bundled):
    for text in bundled.docs["text"]:
        for a, b in sentence_spans(text):
            assert "\n" not in text[a:b]


def test_multiword_names_stay_adjacent(bundled_tokens):
    pairs = bundled_tokens.with_columns(
        nxt=pl.col("token").shift(-1).over("doc_id"),
        nxt_sent=pl.col("sentence_id").shift(-1).over("doc_id"),
    ).filter((pl.col("token") == "Xi") & (pl.col("nxt") == "Jinping"))
    assert pairs.height == 16
    assert (pairs["sentence_id"] == pairs["nxt_sent"]).all()


def test_curly_and_straight_apostrophes_give_the_same_terms():
    docs = pl.DataFrame({"doc_id": ["curly", "straight"],
                         "text": ["Russia’s “plan”", "Russia's \"plan\""]})
    tokens = analysis.tokenize(docs)
    curly = tokens.filter(pl.col("doc_id") == "curly")["term"].to_list()
    straight = tokens.filter(pl.col("doc_id") == "straight")["term"].to_list()
    assert curly == straight == ["russia", "'s", '"', "plan", '"']


def test_same_tokens_in_python_re_and_polars(bundled):
    # The fast counting path relies on this: Rust regex and Python re must agree.
    texts = bundled.docs["text"].to_list()
    py = [m.group() for t in texts for m in re.finditer(TOKEN_PATTERN, t)]
    rust = bundled.docs["text"].str.extract_all(TOKEN_PATTERN).explode().to_list()
    assert py == rust


def test_pandas_in_pandas_out(bundled):
    frame = pd.DataFrame({"doc_id": ["a"], "text": ["Kyiv said no."]})
    out = analysis.tokenize(frame)
    assert isinstance(out, pd.DataFrame)
    assert out["term"].tolist() == ["kyiv", "said", "no", "."]


def test_corpus_in_polars_out(bundled):
    assert isinstance(analysis.tokenize(bundled), pl.DataFrame)


@pytest.mark.parametrize(
    ("kwargs", "stops"),
    [
        ({}, ["the", "'s"]),
        ({"stopwords": "none"}, []),
        ({"stopwords": ["putin"]}, ["putin"]),
        ({"extra_stopwords": ["Putin"]}, ["the", "'s", "putin"]),
    ],
)
def test_stopword_options(kwargs, stops):
    docs = pl.DataFrame({"doc_id": ["a"], "text": ["The Putin’s"]})
    tokens = analysis.tokenize(docs, **kwargs)
    assert tokens.filter("is_stop")["term"].to_list() == [t for t in ["the", "putin", "'s"]
                                                          if t in stops]


def test_lowercase_off_keeps_case():
    docs = pl.DataFrame({"doc_id": ["a"], "text": ["The US and NATO"]})
    assert analysis.tokenize(docs, lowercase=False)["term"].to_list() == ["The", "US", "and", "NATO"]
    assert analysis.tokenize(docs)["term"].to_list() == ["the", "us", "and", "nato"]


@pytest.mark.parametrize("bad", ["a string", ["a", "list"], 42])
def test_rejects_non_tables(bad):
    with pytest.raises(TypeError, match="must be a polars or pandas DataFrame"):
        analysis.tokenize(bad)


def test_names_missing_columns():
    with pytest.raises(ValueError, match=r"missing column\(s\) \['text'\]"):
        analysis.tokenize(pl.DataFrame({"doc_id": ["a"], "body": ["x"]}))


def test_empty_and_null_texts_give_no_tokens():
    docs = pl.DataFrame({"doc_id": ["a", "b", "c"], "text": ["", None, "Kyiv."]})
    assert analysis.tokenize(docs)["doc_id"].to_list() == ["c", "c"]


def test_invalid_stopwords_option():
    with pytest.raises(ValueError, match="stopwords must be"):
        analysis.tokenize(pl.DataFrame({"doc_id": ["a"], "text": ["x"]}), stopwords="english")
