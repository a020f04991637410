"""The engine's contracts: light imports, one table contract through every verb."""

from __future__ import annotations

import subprocess
import sys

import polars as pl
import pytest

import analysis
from analysis.engine._frames import is_count_table

HEAVY = ["nltk", "altair", "pandas", "scipy", "sklearn", "dask", "distributed", "networkx",
         "papermill", "numpy", "datasketch", "vaderSentiment", "trafilatura", "itables"]


def test_import_analysis_is_light():
    code = ("import sys, analysis; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""


def test_readme_states_the_light_import_rule_this_test_checks():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "`import analysis` loads only polars and the package itself" in " ".join(readme.split())


# --- one table contract: every verb gives the same result on tokens and on counts -----------

SORT = {"term_frequency": ["doc_id", "term"], "tf_idf": ["doc_id", "term"],
        "keyness": ["term"], "cooccurrence": ["item1", "item2"]}


@pytest.fixture(scope="module")
def shapes(bundled):
    tokens = analysis.tokenize(bundled)
    counts = analysis.count_terms(bundled)
    assert not is_count_table(tokens) and is_count_table(counts)
    return tokens, counts


def test_count_terms_is_the_token_table_counted(shapes):
    tokens, counts = shapes
    want = tokens.group_by("doc_id", "term").agg(n=pl.len()).sort("doc_id", "term")
    got = counts.select("doc_id", "term", pl.col("n").cast(pl.UInt32)).sort("doc_id", "term")
    assert got.equals(want.with_columns(pl.col("n").cast(pl.UInt32)))


@pytest.mark.parametrize("by", [("doc_id",), None])
@pytest.mark.parametrize("include", [False, True])
def test_term_frequency_both_shapes(shapes, by, include):
    tokens, counts = shapes
    kw = {"by": by, "include_stop": include, "include_punct": include}
    a = analysis.term_frequency(tokens, **kw)
    b = analysis.term_frequency(counts, **kw)
    assert a.equals(b)
    assert a["n"].sum() == tokens.filter(
        include | (~pl.col("is_stop") & ~pl.col("is_punct"))).height


def test_term_frequency_sums_n_not_rows():
    # "Putin said three times" is 3, not 1 per document (the bug of issue 10)
    counts = pl.DataFrame({"doc_id": ["a", "b"], "term": ["putin", "putin"], "n": [3, 2],
                           "is_stop": [False, False], "is_punct": [False, False]})
    out = analysis.term_frequency(counts, by=None)
    assert out.select("n", "docfreq").row(0) == (5, 2)


@pytest.mark.parametrize("scheme", ["tidytext", "quanteda", "sklearn"])
def test_tf_idf_both_shapes(shapes, scheme):
    tokens, counts = shapes
    a = analysis.tf_idf(tokens, scheme=scheme).sort(SORT["tf_idf"])
    b = analysis.tf_idf(counts, scheme=scheme).sort(SORT["tf_idf"])
    assert a.select("doc_id", "term", "n").equals(b.select("doc_id", "term", "n"))
    for col in ("tf", "idf", "tf_idf"):
        assert (a[col] - b[col]).abs().max() < 1e-12


def test_keyness_both_shapes(shapes):
    tokens, counts = shapes
    target = tokens["doc_id"].unique().sort()[0]
    a = analysis.keyness(tokens.select("doc_id", "term"), target=target, by="doc_id")
    b = analysis.keyness(counts.select("doc_id", "term", "n"), target=target, by="doc_id")
    assert a.sort("term").equals(b.sort("term"))


@pytest.mark.parametrize("count", ["documents", "frequency"])
def test_cooccurrence_document_context_both_shapes(shapes, count):
    tokens, counts = shapes
    a = analysis.cooccurrence(tokens, context="document", count=count)
    b = analysis.cooccurrence(counts, context="document", count=count)
    assert a.equals(b)


@pytest.mark.parametrize(
    "verb",
    [
        lambda t: analysis.collocations(t),
        lambda t: analysis.kwic(t, "putin"),
        lambda t: analysis.dispersion(t, "putin"),
        lambda t: analysis.ngrams(t),
        lambda t: analysis.cooccurrence(t, context="window"),
    ],
)
def test_token_only_verbs_refuse_counts(shapes, verb):
    _, counts = shapes
    with pytest.raises(ValueError, match="needs a token table"):
        verb(counts)


@pytest.mark.parametrize("context", ["sentence", "document", "window"])
@pytest.mark.parametrize("count", ["documents", "frequency"])
def test_cooccurrence_top_equals_the_full_rows_of_those_items(shapes, context, count):
    tokens, _ = shapes
    full = analysis.cooccurrence(tokens, context=context, count=count)
    top = analysis.cooccurrence(tokens, context=context, count=count, top=40)
    kept = (tokens.filter(~pl.col("is_stop") & ~pl.col("is_punct")).group_by("term").len()
            .sort(["len", "term"], descending=[True, False]).head(40)["term"].to_list())
    want = full.filter(pl.col("item1").is_in(kept) & pl.col("item2").is_in(kept))
    assert top.height > 100
    assert top.select("item1", "item2", "n", "n1", "n2").equals(
        want.select("item1", "item2", "n", "n1", "n2"))
    for col in ("pmi", "dice", "logdice"):
        assert (top[col] - want[col]).abs().max() < 1e-9


@pytest.mark.parametrize("by", [None, "outlet"])
def test_timeline_from_docs_tokens_and_counts_is_the_same(bundled, shapes, by):
    tokens, counts = shapes
    terms = ["putin", "china", "kremlin"]
    docs = bundled.docs
    from_docs = analysis.timeline(docs, every="1y", by=by, terms=terms)
    from_tokens = analysis.timeline(tokens, docs=docs, every="1y", by=by, terms=terms)
    from_counts = analysis.timeline(counts, docs=docs, every="1y", by=by, terms=terms)
    assert from_docs.equals(from_tokens) and from_docs.equals(from_counts)
    assert from_docs["count"].sum() > 0


def test_timeline_phrases_need_tokens(bundled, shapes):
    _, counts = shapes
    with pytest.raises(ValueError, match="phrases in terms need a token table"):
        analysis.timeline(counts, docs=bundled.docs, terms=["xi jinping"])


# --- co-occurrence, n-grams, document frequency: one kernel, both shapes ----------------------


def _sentence_counts(tokens: pl.DataFrame) -> pl.DataFrame:
    """The token table as a count table per sentence (one row per sentence and term)."""
    return tokens.group_by("doc_id", "sentence_id", "term").agg(
        n=pl.len(), is_stop=pl.col("is_stop").first(), is_punct=pl.col("is_punct").first())


@pytest.mark.parametrize("context", ["sentence", "document"])
@pytest.mark.parametrize("count", ["documents", "frequency"])
@pytest.mark.parametrize(("top", "diagonal"), [(None, False), (None, True), (40, True)])
def test_cooccurrence_sentence_and_document_both_shapes(shapes, context, count, top, diagonal):
    tokens, counts = shapes
    table = _sentence_counts(tokens) if context == "sentence" else counts
    kw = {"context": context, "count": count, "top": top, "diagonal": diagonal}
    a = analysis.cooccurrence(tokens, **kw)
    b = analysis.cooccurrence(table, **kw)
    assert a.height > 100
    assert a.equals(b)


@pytest.mark.parametrize("count", ["documents", "frequency"])
def test_cooccurrence_matrix_both_shapes(shapes, count):
    tokens, counts = shapes
    a = analysis.cooccurrence_matrix(tokens, context="document", count=count, diagonal=True)
    b = analysis.cooccurrence_matrix(counts, context="document", count=count, diagonal=True)
    assert a.vocabulary == b.vocabulary and a.total == b.total
    assert (a.marginals == b.marginals).all()
    assert (a.matrix != b.matrix).nnz == 0


def test_cooccurrence_counts_both_shapes(shapes):
    from analysis.pairs._cooccurrence_counts import cooccurrence_counts

    tokens, counts = shapes
    a = cooccurrence_counts(tokens, top=60, count="frequency")
    assert a.equals(cooccurrence_counts(counts, top=60, count="frequency"))
    assert a.equals(analysis.cooccurrence(tokens, context="document", top=60, count="frequency"))


def test_cooccurrence_kernel_batches_add_up(shapes):
    """Parts of batches split by document, combined in any grouping, equal the whole table's;
    the sparse gram (large vocabularies) equals the dense one."""
    from analysis.pairs import _cooccurrence_counts as cc

    tokens, _ = shapes
    tab = cc.cooccurrence_table(tokens, context="sentence")
    vocab = cc.all_items(tab)
    docs = tab["doc_id"].unique().sort()
    batches = [tab.filter(pl.col("doc_id").is_in(docs[i::3].implode())) for i in range(3)]
    for count in ("documents", "frequency"):
        whole = cc.cooccurrence_parts(tab, vocab, count=count)
        p = [cc.cooccurrence_parts(b, vocab, count=count) for b in batches]
        left = cc.combine_cooccurrence_parts(cc.combine_cooccurrence_parts(p[0], p[1]), p[2])
        right = cc.combine_cooccurrence_parts(p[0], cc.combine_cooccurrence_parts(p[2], p[1]))
        for parts in (left, right):
            assert parts.total == whole.total
            assert (parts.margins == whole.margins).all()
            assert (parts.repeats == whole.repeats).all()
        a = cc.cooccurrence_pairs(vocab, whole, diagonal=True)
        assert a.equals(cc.cooccurrence_pairs(vocab, left, diagonal=True))
        assert a.equals(cc.cooccurrence_pairs(vocab, right, diagonal=True))


def test_cooccurrence_sparse_gram_equals_dense(shapes, monkeypatch):
    from analysis.engine import _incidence  # the module that reads DENSE_MAX

    tokens, _ = shapes
    dense = analysis.cooccurrence(tokens, context="document", count="frequency", diagonal=True)
    monkeypatch.setattr(_incidence, "DENSE_MAX", 10)
    sparse = analysis.cooccurrence(tokens, context="document", count="frequency", diagonal=True)
    assert dense.equals(sparse)


def test_cooccurrence_against_plain_python(shapes):
    """Sentence co-occurrence with the diagonal, counted with Counter (independent)."""
    from collections import Counter
    from itertools import combinations

    tokens, _ = shapes
    kept = tokens.filter(~pl.col("is_stop") & ~pl.col("is_punct"))
    sentences: dict[tuple, Counter] = {}
    for d, s, t in kept.select("doc_id", "sentence_id", "term").iter_rows():
        sentences.setdefault((d, s), Counter())[t] += 1
    want: Counter = Counter()
    for c in sentences.values():
        for a, b in combinations(sorted(c), 2):
            want[(a, b)] += c[a] * c[b]
        for a, k in c.items():
            want[(a, a)] += k * (k - 1) // 2
    want = Counter({k: v for k, v in want.items() if v})
    got = analysis.cooccurrence(tokens, context="sentence", count="frequency", diagonal=True)
    assert dict(zip(zip(got["item1"], got["item2"], strict=True), got["n"], strict=True)) == want


def test_ngram_counts_part_is_term_frequency_of_ngrams(shapes):
    from analysis.terms._frequency import combine_document_frequency
    from analysis.terms._ngrams import ngram_counts_part, ngrams

    tokens, _ = shapes
    want = analysis.term_frequency(ngrams(tokens, n=3), by=None).select("term", "docfreq", "n")
    whole = ngram_counts_part(tokens, n=3)
    assert whole.table.sort("term").equals(want.sort("term"))
    docs = tokens["doc_id"].unique().sort()
    halves = [ngram_counts_part(tokens.filter(pl.col("doc_id").is_in(docs[i::2].implode())),
                                n=3) for i in range(2)]
    summed = combine_document_frequency(*halves)
    assert summed.n_docs == whole.n_docs
    assert summed.table.sort("term").equals(want.sort("term"))


def test_document_frequency_part_both_shapes(shapes):
    from analysis.terms._frequency import document_frequency_part

    tokens, counts = shapes
    per_doc = tokens.group_by("doc_id", "term").agg(n=pl.len())
    a = document_frequency_part(per_doc)
    b = document_frequency_part(counts)
    assert a.n_docs == b.n_docs == tokens["doc_id"].n_unique()
    assert a.table.sort("term").equals(b.table.sort("term"))
    ref = tokens.group_by("term").agg(docfreq=pl.col("doc_id").n_unique().cast(pl.Int64),
                                      n=pl.len().cast(pl.Int64))
    assert a.table.sort("term").equals(ref.sort("term"))
