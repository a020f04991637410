"""The counting verbs that run per batch of whole documents (term counts, group comparisons,
focus terms, collocations, co-occurrence) give the same tables however the corpus is cut, and
the counts equal an independent count in plain Python (Counter / sets)."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict

import polars as pl
import pytest

import analysis
from analysis.engine import _batches as batches
from analysis.engine._batches import document_batches, documents_contiguous
from analysis.report import choose
from analysis.terms._comparison import add_group, compare_groups

ROWS = [1, 7, 300]


@pytest.fixture(scope="module")
def corpus() -> analysis.Corpus:
    return analysis.load_corpus(analysis.config.RAW_DIR)


@pytest.fixture(scope="module")
def tokens(corpus) -> pl.DataFrame:
    return analysis.tokenize(corpus.docs)


def _variants(tokens: pl.DataFrame) -> dict[str, pl.DataFrame]:
    n = tokens.height
    cuts = [0, 5, n // 3, n // 2, n - 1, n]
    return {
        "plain": tokens,
        "chunked": pl.concat([tokens.slice(a, b - a) for a, b in itertools.pairwise(cuts)],
                             rechunk=False),
        "shuffled": tokens.sample(fraction=1.0, shuffle=True, seed=5),
    }


def _counted(tokens: pl.DataFrame) -> list[dict]:
    return tokens.filter(~pl.col("is_stop") & ~pl.col("is_punct")).to_dicts()


def _reference_counts(rows: list[dict], group: dict[str, str] | None = None,
                      ) -> dict[tuple[str, str], tuple[int, int]]:
    """(group, term) -> (n, docfreq) counted in Python."""
    n: Counter[tuple[str, str]] = Counter()
    docs: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        key = ((group or {}).get(r["doc_id"], "(none)") if group is not None else "",
               r["term"])
        n[key] += 1
        docs[key].add(r["doc_id"])
    return {k: (n[k], len(docs[k])) for k in n}


@pytest.mark.parametrize("rows", ROWS)
def test_term_frequency_does_not_depend_on_the_batches(tokens, corpus, monkeypatch, rows):
    whole = analysis.term_frequency(tokens, by=None)
    outlets = add_group(tokens, corpus.docs, by="outlet")
    by_outlet = analysis.term_frequency(outlets, by="outlet")
    expected = _reference_counts(_counted(tokens))
    assert {("", t): (n, d) for t, n, d in whole.select("term", "n", "docfreq").rows()} \
        == expected
    group = dict(corpus.docs.select("doc_id", pl.col("outlet").fill_null("(none)")).rows())
    assert {(g, t): (n, d) for g, t, n, d in by_outlet.select(
        "outlet", "term", "n", "docfreq").rows()} == _reference_counts(_counted(tokens), group)
    monkeypatch.setattr(batches, "BATCH_ROWS", rows)
    for name, table in _variants(tokens).items():
        assert analysis.term_frequency(table, by=None).equals(whole), name
        grouped = add_group(table, corpus.docs, by="outlet")
        assert analysis.term_frequency(grouped, by="outlet").equals(by_outlet), name


@pytest.mark.parametrize("rows", ROWS)
def test_comparisons_and_focus_terms_do_not_depend_on_the_batches(tokens, corpus, monkeypatch,
                                                                   rows):
    chosen = choose.choose_comparison(tokens, corpus, by="outlet")
    years = compare_groups(tokens, corpus.docs, every="1mo", fallback=None)
    none = choose.choose_comparison(tokens, corpus, min_docs=10**6)
    focus = choose.choose_terms(tokens, [], top=8)
    group = dict(corpus.docs.select("doc_id", pl.col("outlet").fill_null("(none)")).rows())
    assert {(g, t): (n, d) for g, t, n, d in chosen.counts.select(
        "outlet", "term", "n", "docfreq").rows()} == _reference_counts(_counted(tokens), group)
    assert none.counts.select("term", "n", "docfreq").equals(
        analysis.term_frequency(tokens, by=None).select("term", "n", "docfreq"))
    monkeypatch.setattr(batches, "BATCH_ROWS", rows)
    for name, table in _variants(tokens).items():
        again = choose.choose_comparison(table, corpus, by="outlet")
        assert again.counts.equals(chosen.counts) and again.sizes.equals(chosen.sizes), name
        months = compare_groups(table, corpus.docs, every="1mo", fallback=None)
        assert months.counts.equals(years.counts), name
        assert choose.choose_comparison(table, corpus, min_docs=10**6).counts.equals(
            none.counts), name
        assert choose.choose_terms(table, [], top=8) == focus, name


def _pairs_reference(tokens: pl.DataFrame) -> Counter[tuple[str, str]]:
    """Adjacent (span 2) pairs of one sentence without a punctuation token, in Python."""
    ordered = tokens.sort("doc_id", "sentence_id", "token_id").to_dicts()
    found: Counter[tuple[str, str]] = Counter()
    for a, b in itertools.pairwise(ordered):
        same = (a["doc_id"], a["sentence_id"]) == (b["doc_id"], b["sentence_id"])
        if same and not a["is_punct"] and not b["is_punct"]:
            found[a["term"], b["term"]] += 1
    return found


@pytest.mark.parametrize("rows", ROWS)
def test_collocations_do_not_depend_on_the_batches(tokens, monkeypatch, rows):
    whole = analysis.collocations(tokens, window=1, min_n=1)
    assert dict(((a, b), n) for a, b, n in whole.select("term1", "term2", "n").rows()) \
        == _pairs_reference(tokens)
    removed = analysis.collocations(tokens, window=2, min_n=2, include_stop=False,
                                    skip_how="remove")
    monkeypatch.setattr(batches, "BATCH_ROWS", rows)
    for name, table in _variants(tokens).items():
        assert analysis.collocations(table, window=1, min_n=1).equals(whole), name
        assert analysis.collocations(table, window=2, min_n=2, include_stop=False,
                                     skip_how="remove").equals(removed), name


def _sentence_pairs_reference(tokens: pl.DataFrame, top: int) -> dict[tuple[str, str], int]:
    rows = _counted(tokens)
    totals = Counter(r["term"] for r in rows)
    chosen = set(sorted(totals, key=lambda t: (-totals[t], t))[:top])
    units: defaultdict[tuple[str, int], set[str]] = defaultdict(set)
    for r in rows:
        if r["term"] in chosen:
            units[r["doc_id"], r["sentence_id"]].add(r["term"])
    found: Counter[tuple[str, str]] = Counter()
    for items in units.values():
        found.update(itertools.combinations(sorted(items), 2))
    return dict(found)


@pytest.mark.parametrize("rows", ROWS)
def test_cooccurrence_does_not_depend_on_the_batches(tokens, corpus, monkeypatch, rows):
    top = analysis.cooccurrence(tokens, context="sentence", top=40)
    assert {(a, b): n for a, b, n in top.select("item1", "item2", "n").rows()} \
        == _sentence_pairs_reference(tokens, 40)
    every = analysis.cooccurrence(tokens, context="document", count="frequency", min_n=2)
    counts = analysis.count_terms(corpus.docs)
    from_counts = analysis.cooccurrence(counts, context="document", top=30)
    monkeypatch.setattr(batches, "BATCH_ROWS", rows)
    for name, table in _variants(tokens).items():
        assert analysis.cooccurrence(table, context="sentence", top=40).equals(top), name
        assert analysis.cooccurrence(table, context="document", count="frequency",
                                     min_n=2).equals(every), name
    assert analysis.cooccurrence(counts, context="document", top=30).equals(from_counts)


def test_document_batches_keep_documents_whole():
    t = pl.DataFrame({"doc_id": ["a", "a", "b", "c", "c"], "x": range(5)})
    assert [s["doc_id"].to_list() for s in document_batches(t, rows=2)] == [
        ["a", "a"], ["b", "c", "c"]]
    split = pl.concat([t, t.head(1)])  # "a" in two places: one batch, the whole table
    assert not documents_contiguous(split) and documents_contiguous(t)
    assert [s.height for s in document_batches(split, rows=1)] == [6]
    assert list(document_batches(t.head(0))) == []


@pytest.mark.parametrize("rows", ROWS)
def test_timeline_counts_do_not_depend_on_the_batches(tokens, corpus, monkeypatch, rows):
    whole = analysis.timeline(tokens, docs=corpus.docs, every="1mo", by="outlet")
    words = Counter(r["doc_id"] for r in tokens.filter(~pl.col("is_punct")).to_dicts())
    expected: Counter[tuple[object, str]] = Counter()
    periods = corpus.docs.select(
        "doc_id", pl.col("published").dt.truncate("1mo"), pl.col("outlet").fill_null("(none)"))
    for doc, month, outlet in periods.rows():
        expected[month, outlet] += words[doc]
    found = {(p, o): n for p, o, n in whole.select("period", "outlet", "n_tokens").rows() if n}
    assert found == {k: v for k, v in expected.items() if v}
    monkeypatch.setattr(batches, "BATCH_ROWS", rows)
    for name, table in _variants(tokens).items():
        again = analysis.timeline(table, docs=corpus.docs, every="1mo", by="outlet")
        assert again.equals(whole), name
