"""Actors and tone in batches: the same tables however the corpus is cut, checked against
references computed another way (plain Python over the rows, VADER called directly)."""

from __future__ import annotations

import importlib
import itertools

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis
from analysis.engine._batches import document_starts, documents_contiguous, in_document_order
from analysis.tokens._bounds import sentence_bounds

actors_module = importlib.import_module("analysis.actors._actors")
tone_module = importlib.import_module("analysis.tone._scores")


def _contiguous_reference(doc_id: list[str]) -> bool:
    seen: set[str] = set()
    for i, d in enumerate(doc_id):
        if (i == 0 or doc_id[i - 1] != d) and d in seen:
            return False
        seen.add(d)
    return True


def _in_order_reference(rows: list[tuple[str, int, int]]) -> bool:
    ordered = all(a[0] != b[0] or a[1:] < b[1:] for a, b in itertools.pairwise(rows))
    return ordered and _contiguous_reference([r[0] for r in rows])


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from("abc"), st.integers(1, 3), st.integers(1, 3)),
                     max_size=14),
       chunk=st.integers(1, 5))
def test_order_checks_chunk_by_chunk(rows, chunk):
    table = pl.DataFrame(rows, schema={"doc_id": pl.String, "sentence_id": pl.UInt32,
                                       "token_id": pl.UInt32}, orient="row")
    chunked = pl.concat([table.slice(i, chunk) for i in range(0, table.height, chunk)],
                        rechunk=False) if table.height else table
    # misaligned chunks: the columns cut at different rows
    mixed = chunked.with_columns(table["sentence_id"]) if table.height else table
    for t in (table, chunked, mixed):
        assert in_document_order(t) == _in_order_reference(rows)
        assert documents_contiguous(t) == _contiguous_reference([r[0] for r in rows])
        starts = [i == 0 or rows[i - 1][0] != r[0] for i, r in enumerate(rows)]
        assert document_starts(t).to_list() == starts


DOCS = pl.DataFrame({
    "doc_id": ["a", "b", "c", "d"],
    "text": ["Quietly West spoke. Putin and Xi met in Moscow.",
             "Mr Biden and West Germany. The West replied.",
             "Nothing here at all.",
             "He left quietly. Kyiv and Washington talked."],
})


@pytest.mark.parametrize("rows", [1, 7, 300])
def test_a_rule_that_needs_a_later_batch(monkeypatch, rows):
    # "Quietly" opens a sentence of document a; it is an ordinary word (not a name part before
    # "West") only because document d, in a later batch, has "quietly" in lower case
    tokens = analysis.tokenize(DOCS, stopwords="none", lowercase=False)
    monkeypatch.setattr(actors_module, "BATCH_ROWS", rows)
    west = analysis.actors(tokens).filter(pl.col("actor") == "West")  # the shipped rules
    assert west.select("doc_id", "start", "end", "matched").rows() == [
        ("a", 8, 12, "West"), ("b", 31, 35, "West")]  # not "West Germany" (b, 13)
    without_d = analysis.actors(tokens.filter(pl.col("doc_id") != "d"))
    assert without_d.filter(pl.col("actor") == "West").select("doc_id", "start").rows() == [("b", 31)]


def _spans_reference(tokens: pl.DataFrame) -> list[tuple[str, int, int, int]]:
    spans: dict[tuple[str, int], list[int]] = {}
    for doc, sent, start, end in tokens.select("doc_id", "sentence_id", "start", "end").rows():
        span = spans.setdefault((doc, sent), [start, end])
        span[0], span[1] = min(span[0], start), max(span[1], end)
    return sorted((d, s, a, b) for (d, s), (a, b) in spans.items())


@pytest.fixture(scope="module")
def bundled_tokens() -> pl.DataFrame:
    corpus = analysis.load_corpus(analysis.config.RAW_DIR)
    return analysis.tokenize(corpus, stopwords="none", lowercase=False)


@pytest.mark.parametrize("rows", [1, 7, 300])
def test_sentence_bounds_per_batch_for_tone(bundled_tokens, rows):
    reference = _spans_reference(bundled_tokens)
    assert len(reference) > 100
    assert sentence_bounds(bundled_tokens, rows=rows).rows() == reference
    shuffled = bundled_tokens.sample(fraction=1.0, shuffle=True, seed=5)  # not contiguous
    assert sentence_bounds(shuffled, rows=rows).rows() == reference


def test_tone_in_batches_is_vader_per_sentence(monkeypatch):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    docs = pl.DataFrame({"doc_id": ["x", "y"], "text": [
        "Talks went well. The attack killed ten people, but aid arrived. Nobody cared.",
        "A good day! A terrible, terrible war."]})
    tokens = analysis.tokenize(docs, stopwords="none", lowercase=False)
    monkeypatch.setattr(importlib.import_module("analysis.tokens._bounds"), "BATCH_ROWS", 3)
    monkeypatch.setattr(tone_module, "BATCH_SENTENCES", 2)
    scored = analysis.tone(docs, tokens=tokens, jobs=1)
    vader = SentimentIntensityAnalyzer()
    texts = dict(docs.rows())
    expected = [(d, s, vader.polarity_scores(texts[d][a:b])["compound"])
                for d, s, a, b in _spans_reference(tokens)]
    assert len(expected) == 5
    assert scored.select("doc_id", "sentence_id", "compound").rows() == expected


def test_score_batches_in_worker_processes():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    batches = [["A good day."], [], ["A terrible, terrible war.", "Fine.", "Not fine."]]
    vader = SentimentIntensityAnalyzer()
    expected = [vader.polarity_scores(t)["compound"] for b in batches for t in b]
    assert tone_module.score_batches(batches, jobs=2)["compound"].to_list() == expected
    assert tone_module.score_batches(batches, jobs=1)["compound"].to_list() == expected
    assert tone_module.score_batches([], jobs=2).schema == tone_module.SCORE_SCHEMA


def test_tone_sentences_cut_only_the_rows_kept():
    docs = pl.DataFrame({"doc_id": ["a", "b"], "title": ["A", "B"], "text": [
        "P won praise. P was blamed for war. P spoke.", "P is great. P killed many."]})
    scores = pl.DataFrame({
        "doc_id": ["a", "a", "a", "b", "b"], "sentence_id": [1, 2, 3, 1, 2],
        "start": [0, 14, 36, 0, 12], "end": [13, 35, 44, 11, 26],
        "compound": [0.6, -0.7, 0.0, 0.9, -0.2]})
    mentions = scores.select("doc_id", "sentence_id", actor=pl.lit("P"))
    out = analysis.tone_sentences(mentions, scores, docs, actor="P", top=1)
    assert out.select("side", "compound", "sentence", "title").rows() == [
        ("negative", -0.7, "P was blamed for war.", "A"), ("positive", 0.9, "P is great.", "B")]
    every = analysis.tone_sentences(mentions, scores, docs, actor="P")
    assert every["sentence"].to_list() == [
        "P was blamed for war.", "P killed many.", "P is great.", "P won praise.", "P spoke."]
