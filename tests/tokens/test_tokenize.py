"""The token table: offsets, sentences, the word pattern in both regex engines, options."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis
from analysis.tokens._store import token_store
from analysis.tokens._tokenize import QUOTE_MAP, TOKEN_PATTERN, sentence_spans, word_spans


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


# --- the vectorised tokenizer: offsets, clitics, sentences, store, multi-chunk input ---------

MESSY = [
    "Russia’s 'sorry' and 'stop' and ’sa “re-elect” 'Re-run' 'twas ’tis",
    "  leading space\ttab\u00a0nbsp, U.S.-made $1,000.50 50% e.g. x_y 4:30 ‐ dash…!?",
    "Ω unicode: Zoë’s café naïve — em dash «quote» „low“ 's 'S 'LL 'd'm",
    "",
    "trailing   \n\n  ",
    "'ſ 'ſorry didn’t won't 'twas",
]


def test_offsets_equal_python_re():
    docs = pl.DataFrame({"doc_id": [str(i) for i in range(len(MESSY))], "text": MESSY})
    got = analysis.tokenize(docs).select("doc_id", "token", "start", "end").rows()
    want = [(str(i), m.group(), m.start(), m.end())
            for i, t in enumerate(MESSY) for m in re.finditer(TOKEN_PATTERN, t)]
    assert got == want


def test_same_tokens_as_nltk_regexp_tokenizer(bundled):
    from nltk.tokenize import RegexpTokenizer

    nltk = RegexpTokenizer(TOKEN_PATTERN)
    texts = [*bundled.docs["text"].to_list(), *MESSY]
    docs = pl.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
    got = analysis.tokenize(docs).select("doc_id", "start", "end").rows()
    want = [(str(i), a, b) for i, t in enumerate(texts) for a, b in nltk.span_tokenize(t)]
    assert got == want


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # hard-wrapped wire text: single breaks inside sentences, a blank line between stories
        ("The talks between the two delegations in Geneva went on for\n"
         "hours on Tuesday and into the night, officials of the United\n"
         "States said after the meeting had ended.\n\nA new story starts here.",
         ["The talks between the two delegations in Geneva went on for\n"
          "hours on Tuesday and into the night, officials of the United\n"
          "States said after the meeting had ended.", "A new story starts here."]),
        # a line that continues in lower case is the same sentence, even in unwrapped text
        ("Officials said the plan would\ncost more than expected.",
         ["Officials said the plan would\ncost more than expected."]),
        # a short headline and a byline are never joined to the body
        ("Putin Meets Xi\nBy Jane Doe\nThe two leaders met.",
         ["Putin Meets Xi", "By Jane Doe", "The two leaders met."]),
        ("He left... then came back. 3 people saw it! (Nobody else.) Then J. F. Kennedy spoke.",
         ["He left... then came back.", "3 people saw it!", "(Nobody else.)",
          "Then J. F. Kennedy spoke."]),
        ("Prices rose 5 p.m. Monday etc. and fell.", ["Prices rose 5 p.m. Monday etc. and fell."]),
        ("“Go.” She went.", ["“Go.”", "She went."]),
    ],
)
def test_sentences_hard_wrapped_and_edge_cases(text, sentences):
    assert [text[a:b] for a, b in sentence_spans(text)] == sentences


def test_token_store_round_trips(bundled):
    store = token_store(bundled)
    assert store.table().equals(analysis.tokenize(bundled))
    assert store.vocab["term"].is_sorted() and store.vocab["term"].is_unique().all()
    assert {c: str(t) for c, t in store.tokens.schema.items()} == dict.fromkeys(
        ["doc", "sentence_id", "token_id", "form_id", "term_id", "start", "end"], "UInt32")


def test_multi_chunk_input_gives_the_same_table(tmp_path, bundled):
    docs = bundled.docs.select("doc_id", "text")
    path = tmp_path / "two_groups.parquet"
    docs.write_parquet(path, row_group_size=2)
    chunked = pl.read_parquet(path)
    chunked = pl.concat([chunked.slice(0, 2), chunked.slice(2)], rechunk=False)
    assert chunked["text"].n_chunks() > 1
    assert analysis.tokenize(chunked).equals(analysis.tokenize(docs))


def test_many_documents_run_in_slices_in_order():
    texts = [f"Doc {i} says hello. Then {i % 7} more." for i in range(2_500)]
    docs = pl.DataFrame({"doc_id": [f"d{i}" for i in range(2_500)], "text": texts})
    got = analysis.tokenize(docs)
    assert got["doc_id"].unique(maintain_order=True).to_list() == docs["doc_id"].to_list()
    assert got.group_by("doc_id").agg(pl.col("sentence_id").max())["sentence_id"].eq(2).all()


ALPHABET = "aAsStTdDmMrReEvVlL ſ'’‘“”\"-‐.,!?…:%$1905 \n\n\tÄéß_Ωж—()«»"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=60), min_size=1, max_size=6))
def test_tokens_and_offsets_equal_python_re_on_random_text(texts):
    docs = pl.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
    got = analysis.tokenize(docs).select("doc_id", "token", "start", "end").rows()
    want = [(str(i), m.group(), m.start(), m.end())
            for i, t in enumerate(texts) for m in re.finditer(TOKEN_PATTERN, t)]
    assert got == want
    counts = analysis.count_terms(docs, progress=False)
    assert int(counts["n"].sum() or 0) == len(want)


TERM_ALPHABET = "aAsStT İıẞßΣσςΟΔKKſ'’‘“”\"«»′″.,!?-%1 \n"


def _python_term(token: str, lowercase: bool) -> str:
    term = token.translate(str.maketrans(QUOTE_MAP))
    return term.lower() if lowercase else term


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.text(alphabet=TERM_ALPHABET, max_size=40), min_size=1, max_size=5),
       st.booleans())
def test_terms_and_flags_equal_plain_python_per_token(texts, lowercase):
    """``term``, ``is_stop``, ``is_punct`` are computed once per distinct token and gathered;
    here against Python's ``str.translate`` + ``str.lower`` and ``unicodedata`` on every
    token (İ lower-cases to two characters, Σ to ς or σ, ẞ to ß, the Kelvin sign to k)."""
    docs = pl.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
    stop = {"a", "s", "'s", "ß", "ος"}
    tokens = analysis.tokenize(docs, lowercase=lowercase, stopwords=sorted(stop))
    want = [(str(i), m.group(), _python_term(m.group(), lowercase))
            for i, t in enumerate(texts) for m in re.finditer(TOKEN_PATTERN, t)]
    assert tokens.select("doc_id", "token", "term").rows() == want
    assert tokens["is_stop"].to_list() == [w[2] in stop for w in want]
    assert tokens["is_punct"].to_list() == [
        all(unicodedata.category(c)[0] in "PS" for c in w[1]) for w in want]
    counts = analysis.count_terms(docs, lowercase=lowercase, stopwords=sorted(stop),
                                  progress=False)
    expected = Counter((w[0], w[2]) for w in want)
    assert {(d, t): n for d, t, n in counts.select("doc_id", "term", "n").rows()} == expected
    assert counts.select("doc_id", "term").rows() == sorted(expected, key=lambda k: (
        int(k[0]), k[1].encode()))


SENTENCE_ALPHABET = "ab AB. ! ? \n\n “”\"'’()Mr J1…,-"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=SENTENCE_ALPHABET, max_size=120))
def test_sentence_spans_of_one_text_equal_the_token_table(text):
    tokens = analysis.tokenize(pl.DataFrame({"doc_id": ["d"], "text": [text]}))
    table = tokens.group_by("sentence_id", maintain_order=True).agg(
        pl.col("start").first(), pl.col("end").last())
    assert list(sentence_spans(text)) == list(zip(table["start"], table["end"], strict=True))


def test_bundled_sentences_both_paths(bundled, bundled_tokens):
    for doc_id, text in bundled.docs.select("doc_id", "text").iter_rows():
        table = bundled_tokens.filter(pl.col("doc_id") == doc_id).group_by(
            "sentence_id", maintain_order=True).agg(pl.col("start").first(), pl.col("end").last())
        assert list(sentence_spans(text)) == list(zip(table["start"], table["end"], strict=True))
