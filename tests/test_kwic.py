"""Tests for analysis.kwic: keyword in context and dispersion, checked against the document
text (offsets) and brute-force loops over the token table."""

from __future__ import annotations

import altair as alt
import pandas as pd
import polars as pl
import pytest

import analysis
from analysis.kwic import dispersion, kwic, plot_dispersion


@pytest.mark.parametrize(("pattern", "valuetype", "expected"), [
    ("putin", "glob", {"putin"}),
    ("xi*", "glob", {"xi", "xi-putin"}),
    ("p?ace", "glob", {"peace"}),
    ("^xi", "regex", {"xi", "xi-putin", "xi–putin"}),
    ("ing$", "regex", {"beijing", "jinping"}),
    ("xi", "fixed", {"xi"}),
    ("xi*", "fixed", set()),
])
def test_single_token_matches_brute_force(tokens, docs, texts, pattern, valuetype, expected):
    got = kwic(tokens, pattern, docs=docs, valuetype=valuetype)
    want = [(r["doc_id"], r["start"]) for r in tokens.iter_rows(named=True)
            if r["term"] in expected]
    assert sorted(got.select("doc_id", "start").iter_rows()) == sorted(want)
    for doc_id, keyword, start, end in got.select("doc_id", "keyword", "start",
                                                  "end").iter_rows():
        assert texts[doc_id][start:end] == keyword
        assert keyword.lower().replace("’", "'") in expected


def test_multi_word_pattern_offsets(tokens, docs, texts):
    got = kwic(tokens, "xi jinping", docs=docs)
    assert got["doc_id"].to_list() == ["d1", "d1", "d4", "d4"]
    assert got["keyword"].to_list() == ["Xi Jinping", "Xi  Jinping", "xi jinping", "XI JINPING"]
    for doc_id, keyword, start, end in got.select("doc_id", "keyword", "start",
                                                  "end").iter_rows():
        assert texts[doc_id][start:end] == keyword
    assert kwic(tokens, "Xi Jinping", case_sensitive=True).height == 2
    assert kwic(tokens, "xi *", docs=docs)["keyword"].to_list()[:2] == ["Xi Jinping", "Xi said"]


@pytest.mark.parametrize("pattern", ["china 's", "China's", "china’s", "CHINA ’S"])
@pytest.mark.parametrize("valuetype", ["glob", "fixed"])
def test_curly_and_straight_quotes_match(tokens, docs, pattern, valuetype):
    got = kwic(tokens, pattern, docs=docs, valuetype=valuetype)
    assert got["keyword"].to_list() == ["China’s", "China's"]


def test_pattern_split_like_the_tokenizer(tokens, docs):
    assert kwic(tokens, "U.S.", docs=docs)["keyword"].to_list() == ["U.S."]
    assert kwic(tokens, "xi-putin", docs=docs)["keyword"].to_list() == ["Xi-Putin"]
    assert kwic(tokens, "jinping's", docs=docs)["keyword"].to_list() == ["jinping's"]
    assert kwic(tokens, "china*").height == kwic(tokens, "china").height == 2


def test_several_patterns(tokens, docs):
    got = kwic(tokens, ["moscow", "beijing"], docs=docs)
    assert set(got["pattern"]) == {"moscow", "beijing"}
    assert got.height == kwic(tokens, "moscow").height + kwic(tokens, "beijing").height
    assert got.equals(got.sort("doc_id", "start", "pattern"))


@pytest.mark.parametrize("window", [0, 1, 3, 5, 50])
def test_window_in_tokens(tokens, window):
    got = kwic(tokens, "putin", window=window)
    by_doc = {d: g.sort("token_id") for d, g in tokens.group_by("doc_id")
              for d in [d[0]]}
    for r in got.iter_rows(named=True):
        doc = by_doc[r["doc_id"]]["token"].to_list()
        ids = by_doc[r["doc_id"]]["token_id"].to_list()
        i = ids.index(r["token_id"])
        assert r["left"] == " ".join(doc[max(0, i - window):i])
        assert r["right"] == " ".join(doc[i + 1:i + 1 + window])


def test_context_from_text(tokens, docs):
    got = kwic(tokens, "thanked", docs=docs, window=3).row(0, named=True)
    assert (got["left"], got["keyword"], got["right"]) == ("”. Putin", "thanked", "Xi Jinping!")
    tab = kwic(tokens, "left", docs=docs, window=1).row(0, named=True)
    assert tab["left"] == "Wang"  # the tab before "Wang" is white space, collapsed away


def test_kwic_pandas_and_corpus(tokens, docs):
    out = kwic(tokens.to_pandas(), "putin", docs=docs.to_pandas())
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["doc_id", "token_id", "pattern", "left", "keyword", "right",
                                 "start", "end"]
    corpus = analysis.load_corpus(analysis.config.RAW_DIR)
    toks = analysis.tokenize(corpus)
    k = kwic(toks, "security council", docs=corpus)
    text = dict(corpus.docs.select("doc_id", "text").iter_rows())
    assert all(text[d][s:e] == w for d, w, s, e in
               k.select("doc_id", "keyword", "start", "end").iter_rows())


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"pattern": ""}, "pattern must be"),
    ({"pattern": []}, "pattern must be"),
    ({"pattern": "x", "window": -1}, "window"),
    ({"pattern": "x", "valuetype": "regexp"}, "valuetype"),
])
def test_kwic_invalid(tokens, kwargs, match):
    with pytest.raises(ValueError, match=match):
        kwic(tokens, **kwargs)


def test_kwic_docs_missing_a_document(tokens, docs):
    with pytest.raises(ValueError, match="no text for doc_id 'd1'"):
        kwic(tokens, "putin", docs=docs.filter(pl.col("doc_id") != "d1"))
    with pytest.raises(ValueError, match="text"):
        kwic(tokens, "putin", docs=docs.drop("text"))


# ------------------------------------------------------------------ dispersion


def test_dispersion_brute_force(tokens):
    got = dispersion(tokens, ["putin", "peace"])
    length = {d: max(g["token_id"]) for d, g in tokens.group_by("doc_id") for d in [d[0]]}
    want = sorted((r["term"], r["doc_id"], r["token_id"],
                   (r["token_id"] - 1) / length[r["doc_id"]])
                  for r in tokens.iter_rows(named=True) if r["term"] in {"putin", "peace"})
    assert list(got.select("term", "doc_id", "token_id", "position").iter_rows()) == want
    assert got["position"].min() >= 0 and got["position"].max() < 1
    assert got.height == kwic(tokens, ["putin", "peace"]).height


def test_dispersion_multi_word(tokens):
    got = dispersion(tokens, "xi jinping")
    assert got["doc_id"].to_list() == ["d1", "d1", "d4", "d4"]
    assert isinstance(dispersion(tokens.to_pandas(), "xi"), pd.DataFrame)


def test_plot_dispersion(tokens, docs):
    table = dispersion(tokens, ["putin", "xi jinping"])
    chart = plot_dispersion(table, labels=docs.select("doc_id", label=pl.col("outlet")))
    spec = chart.to_dict()
    assert isinstance(chart, alt.FacetChart)
    assert "tooltip" in spec["spec"]["encoding"]
    with pytest.raises(ValueError, match="position"):
        plot_dispersion(table.drop("position"))


def test_plot_dispersion_max_docs(tokens):
    table = dispersion(tokens, ["putin", "xi*"])
    hits = table.group_by("doc_id").len().sort(["len", "doc_id"], descending=[True, False])
    chart = plot_dispersion(table, max_docs=2)
    shown = set(pl.DataFrame(chart.data)["doc_id"])
    assert shown == set(hits["doc_id"].head(2))
    assert f"2 of {hits.height} documents" in chart.to_dict()["title"]
