"""Batches of whole documents: every row once, in order, no document cut; the verbs that run
per batch (actor matching, actor candidates) give the same table however the corpus is cut."""

from __future__ import annotations

import importlib

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis
from analysis.engine._batches import document_slices, in_document_order

# the modules (``analysis.actors`` the attribute is the verb of the same name)
actors_module = importlib.import_module("analysis.actors._actors")
candidates_module = importlib.import_module("analysis.actors._candidates")


@settings(max_examples=200, deadline=None)
@given(sizes=st.lists(st.integers(1, 6), max_size=12), rows=st.integers(1, 15))
def test_slices_cover_every_row_once_and_never_cut_a_document(sizes, rows):
    doc_id = [f"d{i % 3}-{i}" for i, n in enumerate(sizes) for _ in range(n)]
    table = pl.DataFrame({"doc_id": doc_id, "row": range(len(doc_id))},
                         schema={"doc_id": pl.String, "row": pl.Int64})
    slices = list(document_slices(table, rows=rows))
    assert pl.concat(slices).equals(table) if slices else table.height == 0
    seen: set[str] = set()
    for part in slices:
        docs = part["doc_id"].unique().to_list()
        assert not seen & set(docs)  # a document lies in one slice only
        seen.update(docs)
        # a slice ends with the document that reaches `rows`: the rows before it are fewer
        last = (part["doc_id"] == part["doc_id"][-1]).sum()
        assert part.height - last < rows


def test_document_order_check():
    t = pl.DataFrame({"doc_id": ["b", "b", "a", "a"], "sentence_id": [1, 2, 1, 1],
                      "token_id": [1, 1, 1, 2]})
    assert in_document_order(t)
    assert not in_document_order(t.with_columns(token_id=pl.Series([1, 1, 2, 1])))
    assert not in_document_order(pl.concat([t, t.head(1)]))  # "b" appears twice
    assert not in_document_order(t.with_columns(sentence_id=pl.Series([2, 1, 1, 1])))
    with pytest.raises(ValueError, match="at least 1"):
        list(document_slices(t, rows=0))


TEXTS = [
    "President Xi Jinping met Vladimir Putin in Moscow. The Russia-China partnership grew.",
    "Kaja Kallas and the Bank of England spoke. West Germany and the West were named. "
    "Kim Jong-un said the U.S. and the United States of America are one.",
    "Nothing here. Or here.",
    "Mr Mark Rutte met Olaf Scholz in Berlin; Scholz, Rutte and Macron left for Kyiv.",
]


@pytest.fixture(scope="module")
def tokens() -> pl.DataFrame:
    docs = pl.DataFrame({"doc_id": [f"z{i}" for i in range(len(TEXTS))], "text": TEXTS})
    corpus = pl.concat([docs, analysis.load_corpus(analysis.config.RAW_DIR).docs
                        .select("doc_id", "text")])
    return analysis.tokenize(corpus, stopwords="none", lowercase=False)


@pytest.mark.parametrize("rows", [1, 7, 300])
def test_actors_do_not_depend_on_the_batches(tokens, monkeypatch, rows):
    whole = analysis.actors(tokens)
    assert whole.height > 50 and {"Xi Jinping", "Russia", "China"} <= set(whole["actor"])
    monkeypatch.setattr(actors_module, "BATCH_ROWS", rows)
    assert analysis.actors(tokens).equals(whole)
    shuffled = tokens.sample(fraction=1.0, shuffle=True, seed=3)  # sorted first, same result
    assert analysis.actors(shuffled).equals(whole)


@pytest.mark.parametrize("rows", [1, 7, 300])
def test_actor_candidates_do_not_depend_on_the_batches(tokens, monkeypatch, rows):
    whole = analysis.actor_candidates(tokens, min_n=1, top=None)
    assert whole.height > 20 and "Mark Rutte" in whole["candidate"].to_list()
    monkeypatch.setattr(candidates_module, "BATCH_ROWS", rows)
    monkeypatch.setattr(actors_module, "BATCH_ROWS", rows)
    assert analysis.actor_candidates(tokens, min_n=1, top=None).equals(whole)


@given(values=st.lists(st.sampled_from(["a", "b", "c"]), max_size=30),
       cuts=st.lists(st.integers(0, 30), max_size=4))
@settings(max_examples=200, deadline=None)
def test_document_starts_and_order_on_a_chunked_table(values, cuts):
    """Document starts and the order check compare each row with the one before chunk by
    chunk: on a table in several chunks they agree with a loop over the rows."""
    import itertools

    from analysis.engine._batches import document_starts

    bounds = sorted({0, len(values), *(c for c in cuts if c <= len(values))})
    parts = [pl.DataFrame({"doc_id": values[a:b], "token_id": list(range(a, b))},
                          schema={"doc_id": pl.String, "token_id": pl.Int64})
             for a, b in itertools.pairwise(bounds)]
    table = (pl.concat(parts, rechunk=False) if parts
             else pl.DataFrame(schema={"doc_id": pl.String, "token_id": pl.Int64}))
    starts = [i == 0 or values[i] != values[i - 1] for i in range(len(values))]
    assert document_starts(table).to_list() == starts
    contiguous = sum(starts) == len(set(values))
    assert in_document_order(table, order=["token_id"]) == contiguous
    # reversed, token ids fall within a document: in order only with one row per document
    assert in_document_order(table.reverse(), order=["token_id"]) == (
        contiguous and all(starts))
