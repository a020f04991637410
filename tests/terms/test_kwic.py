"""Tests for analysis.kwic: keyword in context and dispersion, checked against the document
text (offsets) and brute-force loops over the token table."""

from __future__ import annotations

import importlib

import altair as alt
import pandas as pd
import polars as pl
import pytest

import analysis
from analysis.terms._kwic import dispersion, kwic, plot_dispersion


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


# ------------------------------------------------------------------ batches of documents


def chunked(table: pl.DataFrame) -> pl.DataFrame:
    """``table`` in three chunks cut inside documents (as a Parquet file in row groups)."""
    third = table.height // 3
    return pl.concat([table.slice(0, third), table.slice(third, third),
                      table.slice(2 * third)], rechunk=False)


def brute_matches(tokens: pl.DataFrame, pattern: list[str]) -> list[tuple[str, list[dict]]]:
    """(doc_id, matched token rows) of every run of tokens whose keys (lower case, quotes
    straight) equal the pattern's words, by a loop over each document's tokens."""
    out = []
    for (doc_id,), group in tokens.group_by("doc_id"):
        rows = list(group.sort("token_id").iter_rows(named=True))
        keys = [r["token"].lower().replace("’", "'") for r in rows]
        out += [(doc_id, rows[i:i + len(pattern)]) for i in range(len(rows))
                if keys[i:i + len(pattern)] == pattern]
    return out


@pytest.mark.parametrize("rows", [1, 7, 300, 2_000_000])
def test_kwic_and_dispersion_per_batch_equal_brute_force(tokens, docs, texts, monkeypatch,
                                                         rows):
    """kwic and dispersion run a batch of whole documents at a time: any batch size gives the
    rows a loop over each document finds (window at the document's edges, document lengths),
    on a table in several chunks and on a shuffled one."""
    monkeypatch.setattr(importlib.import_module("analysis.terms._kwic"), "BATCH_ROWS", rows)
    patterns = {"putin": ["putin"], "xi jinping": ["xi", "jinping"], "peace": ["peace"]}
    want_kwic, want_disp = [], []
    for name, words in patterns.items():
        for doc_id, hit in brute_matches(tokens, words):
            doc = tokens.filter(pl.col("doc_id") == doc_id).sort("token_id")
            starts, ends = doc["start"].to_list(), doc["end"].to_list()
            i = doc["token_id"].to_list().index(hit[0]["token_id"])
            j = i + len(words) - 1
            lo, hi = max(0, i - 2), min(doc.height - 1, j + 2)
            text = texts[doc_id]
            want_kwic.append((doc_id, hit[0]["token_id"], name,
                              " ".join(text[starts[lo]:starts[i]].split()),
                              text[starts[i]:ends[j]],
                              " ".join(text[ends[j]:ends[hi]].split()), starts[i], ends[j]))
            length = doc["token_id"].max()
            want_disp.append((doc_id, name, hit[0]["token_id"], length,
                              (hit[0]["token_id"] - 1) / length))
    assert len(want_kwic) > 10
    for table in (chunked(tokens), tokens.sample(fraction=1.0, shuffle=True, seed=5)):
        got = kwic(table, list(patterns), docs=docs, window=2)
        assert got.rows() == sorted(want_kwic, key=lambda r: (r[0], r[6], r[2]))
        disp = dispersion(table, list(patterns))
        assert disp.rows() == sorted(want_disp, key=lambda r: (r[1], r[0], r[2]))
        assert disp.schema["n_tokens"] == pl.Int64


def test_kwic_per_batch_empty_and_no_match(tokens, monkeypatch):
    """No match, or no tokens at all: the same empty tables with the same types, in batches."""
    monkeypatch.setattr(importlib.import_module("analysis.terms._kwic"), "BATCH_ROWS", 5)
    for table in (tokens, tokens.head(0)):
        out = kwic(table, "zzz")
        assert out.height == 0 and out.columns[:3] == ["doc_id", "token_id", "pattern"]
        assert out.schema["token_id"] == tokens.schema["token_id"]
        disp = dispersion(table, "zzz")
        assert disp.height == 0
        assert dict(disp.schema) == {"doc_id": pl.String, "term": pl.String,
                                     "token_id": tokens.schema["token_id"],
                                     "n_tokens": pl.Int64, "position": pl.Float64}


@pytest.mark.parametrize("rows", [1, 2, 7, 100])
def test_matches_and_windows_stop_at_document_edges_in_any_batch(monkeypatch, rows):
    """Hand-worked: "a" ends with Xi and "b" starts with Jinping, so "xi jinping" matches only
    inside "c"; the window never reaches into the neighbouring document."""
    monkeypatch.setattr(importlib.import_module("analysis.terms._kwic"), "BATCH_ROWS", rows)
    toks = analysis.tokenize(pl.DataFrame({"doc_id": ["a", "b", "c"],
                                           "text": ["Putin met Xi", "Jinping left", "Xi Jinping"]}))
    got = kwic(toks, "xi jinping", window=3)
    assert got.select("doc_id", "left", "keyword", "right").rows() == [("c", "", "Xi Jinping", "")]
    assert kwic(toks, "xi", window=3).select("doc_id", "left", "right").rows() == [
        ("a", "Putin met", ""), ("c", "", "Jinping")]
    assert dispersion(toks, "jinping").select("doc_id", "token_id", "n_tokens").rows() == [
        ("b", 1, 2), ("c", 2, 2)]
