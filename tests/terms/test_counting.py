"""The fast counting path against the full-fidelity tokenizer and independent counts."""

from __future__ import annotations

import itertools
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import analysis
from analysis.pairs._collocations import collocation_counts, collocations
from analysis.pairs._cooccurrence_counts import cooccurrence_counts
from analysis.terms._counting import (
    COUNT_SCHEMA,
    SENTENCE_SCHEMA,
    count_terms,
    count_terms_to_parquet,
    sentence_terms,
)
from analysis.tokens._tokenize import TOKEN_PATTERN

sys.path.insert(0, str(Path(__file__).parents[1]))
from synthetic import write_corpus

DATA = Path(__file__).parents[1] / "data"
DEV_CORPUS = Path("/work/shared/corpora/russia-ukraine-2022")


@pytest.fixture(scope="module")
def bundled() -> pl.DataFrame:
    return analysis.load_corpus(analysis.config.RAW_DIR).docs


@pytest.fixture(scope="module")
def messy() -> pl.DataFrame:
    return pl.read_ndjson(DATA / "messy_docs.jsonl")


@pytest.fixture(scope="module")
def bench_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 documents of the benchmark corpus (its first chunk of the default 5,000 differs only
    in length), written in two row groups."""
    out = tmp_path_factory.mktemp("bench") / "bench.parquet"
    return write_corpus(out, docs=300, chunk_size=150)


def _reference_counts(docs: pl.DataFrame, **options: object) -> pl.DataFrame:
    tokens = analysis.tokenize(docs, **options)
    return (
        tokens.group_by("doc_id", "term")
        .agg(n=pl.len().cast(pl.UInt32), is_stop=pl.col("is_stop").first(),
             is_punct=pl.col("is_punct").all())
        .sort("doc_id", "term")
    )


def _sorted(df: pl.DataFrame) -> pl.DataFrame:
    return df.sort("doc_id", "term")


@pytest.mark.parametrize("lowercase", [True, False])
@pytest.mark.parametrize("corpus", ["bundled", "messy"])
def test_count_terms_equal_tokenize(corpus: str, lowercase: bool,
                                    request: pytest.FixtureRequest) -> None:
    docs = request.getfixturevalue(corpus)
    fast = count_terms(docs, lowercase=lowercase)
    ref = _reference_counts(docs, lowercase=lowercase)
    assert fast.columns == list(COUNT_SCHEMA)
    assert _sorted(fast).equals(ref)
    assert fast["n"].sum() == analysis.tokenize(docs).height


def test_count_terms_equal_tokenize_on_bench_sample(bench_sample: Path) -> None:
    docs = pl.read_parquet(bench_sample)
    fast = count_terms(bench_sample, batch_size=70)  # batches cross row groups
    assert _sorted(fast).equals(_reference_counts(docs))
    assert fast["doc_id"].n_unique() == 300


@pytest.mark.skipif(not DEV_CORPUS.exists(), reason="dev corpus not on this machine")
def test_count_terms_equal_tokenize_on_dev_corpus() -> None:
    docs = analysis.load_corpus(DEV_CORPUS).docs.head(120)
    assert _sorted(count_terms(docs)).equals(_reference_counts(docs))


def test_count_terms_against_plain_re(messy: pl.DataFrame) -> None:
    """An independent count: Python re.findall + Counter with the same pattern."""
    quotes = str.maketrans({"’": "'", "‘": "'", "‚": "'", "“": '"', "”": '"', "„": '"',
                            "«": '"', "»": '"', "′": "'", "″": '"'})
    expected = Counter()
    for doc_id, text in messy.select("doc_id", "text").iter_rows():
        for tok in re.findall(TOKEN_PATTERN, text):
            expected[(doc_id, tok.translate(quotes).lower())] += 1
    fast = count_terms(messy)
    got = {(d, t): n for d, t, n in fast.select("doc_id", "term", "n").iter_rows()}
    assert got == dict(expected)


@pytest.mark.parametrize("include_stop", [True, False])
@pytest.mark.parametrize("include_punct", [True, False])
def test_count_terms_filters(bundled: pl.DataFrame, include_stop: bool,
                             include_punct: bool) -> None:
    fast = count_terms(bundled, include_stop=include_stop, include_punct=include_punct,
                                 extra_stopwords=["said"])
    ref = _reference_counts(bundled, extra_stopwords=["said"])
    if not include_stop:
        ref = ref.filter(~pl.col("is_stop"))
    if not include_punct:
        ref = ref.filter(~pl.col("is_punct"))
    assert _sorted(fast).equals(ref)
    assert ("said" in fast["term"].to_list()) == include_stop


def test_count_terms_pandas_in_pandas_out(bundled: pl.DataFrame) -> None:
    out = count_terms(bundled.to_pandas())
    assert type(out).__name__ == "DataFrame" and hasattr(out, "iloc")
    assert int(out["n"].sum()) == analysis.tokenize(bundled).height


def test_count_terms_to_parquet(tmp_path: Path, bench_sample: Path) -> None:
    out = tmp_path / "counts.parquet"
    summary = count_terms_to_parquet(bench_sample, out, batch_size=100)
    written = pl.read_parquet(out)
    assert written.equals(count_terms(bench_sample))
    assert summary == {"docs": 300, "rows": written.height, "tokens": written["n"].sum()}


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_bad_batch_size(bundled: pl.DataFrame, bad: object) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        count_terms(bundled, batch_size=bad)  # type: ignore[arg-type]


def test_missing_columns() -> None:
    with pytest.raises(ValueError, match="missing column"):
        count_terms(pl.DataFrame({"id": ["a"], "text": ["x"]}))
    with pytest.raises(TypeError, match="DataFrame"):
        count_terms(["some", "text"])


@pytest.mark.parametrize("corpus", ["bundled", "messy"])
def test_sentence_terms_equal_tokenize(corpus: str, request: pytest.FixtureRequest) -> None:
    docs = request.getfixturevalue(corpus)
    ref = analysis.tokenize(docs).select(list(SENTENCE_SCHEMA))
    assert sentence_terms(docs, batch_size=3).equals(ref)


def test_sentence_terms_equal_tokenize_on_bench_sample(bench_sample: Path) -> None:
    docs = pl.read_parquet(bench_sample).head(120)
    ref = analysis.tokenize(docs).select(list(SENTENCE_SCHEMA))
    assert sentence_terms(docs).equals(ref)


def test_progress_bar_switch(bundled: pl.DataFrame, capsys: pytest.CaptureFixture[str]) -> None:
    count_terms(bundled, progress=True)
    assert "count terms" in capsys.readouterr().err
    count_terms(bundled, progress=False)
    count_terms(bundled)  # 5 documents: no bar by default
    assert capsys.readouterr().err == ""


# ------------------------------------------------------------------------------- co-occurrence

def _brute_force(units: dict[object, Counter], vocab: list[str], rule: str) -> dict:
    """Pairs by enumerating every unit's terms (independent of the matrix product)."""
    out: Counter = Counter()
    for counts in units.values():
        present = sorted(t for t in counts if t in vocab)
        for a, b in itertools.combinations(present, 2):
            out[(a, b)] += 1 if rule == "documents" else counts[a] * counts[b]
    return {k: v for k, v in out.items() if v}


@pytest.mark.parametrize("context", ["document", "sentence"])
@pytest.mark.parametrize("rule", ["documents", "frequency"])
@pytest.mark.parametrize("top", [5, 40, None])
def test_cooccurrence_brute_force(bundled: pl.DataFrame, context: str, rule: str,
                                  top: int | None) -> None:
    tokens = analysis.tokenize(bundled).filter(~pl.col("is_stop") & ~pl.col("is_punct"))
    key = ["doc_id"] if context == "document" else ["doc_id", "sentence_id"]
    units: dict[object, Counter] = {}
    for row in tokens.select(*key, "term").iter_rows():
        units.setdefault(row[:-1], Counter())[row[-1]] += 1
    totals = Counter(tokens["term"].to_list())
    ranked = sorted(totals, key=lambda t: (-totals[t], t))
    vocab = ranked[:top] if top else ranked
    expected = _brute_force(units, vocab, rule)
    table = count_terms(bundled) if context == "document" else tokens
    got = cooccurrence_counts(table, context=context, top=top, count=rule)
    assert {(a, b): n for a, b, n in got.select("item1", "item2", "n").iter_rows()} == expected
    assert (got["item1"] < got["item2"]).all()
    # n1, n2: units containing the term, or its occurrences
    diag = Counter()
    for counts in units.values():
        for t, c in counts.items():
            diag[t] += 1 if rule == "documents" else c
    assert all(n1 == diag[a] and n2 == diag[b]
               for a, b, n1, n2 in got.select("item1", "item2", "n1", "n2").iter_rows())


def test_cooccurrence_matches_sklearn(bundled: pl.DataFrame) -> None:
    """Document co-occurrence equals X.T @ X on scikit-learn's binarised document-term matrix."""
    from sklearn.feature_extraction.text import CountVectorizer

    from analysis.tokens._tokenize import _QUOTE_SHADOW

    cv = CountVectorizer(token_pattern=TOKEN_PATTERN, lowercase=False,
                         preprocessor=lambda s: s.translate(_QUOTE_SHADOW).lower())
    x = cv.fit_transform(bundled["text"].to_list())
    vocab = cv.get_feature_names_out()
    totals = np.asarray(x.sum(axis=0)).ravel()
    order = sorted(range(len(vocab)), key=lambda i: (-totals[i], vocab[i]))[:50]
    xb = (x[:, order] > 0).astype(np.int64)
    gram = (xb.T @ xb).toarray()
    names = [vocab[i] for i in order]
    expected = {tuple(sorted((names[i], names[j]))): int(gram[i, j])
                for i in range(50) for j in range(i + 1, 50) if gram[i, j]}
    got = cooccurrence_counts(count_terms(bundled), top=50,
                                        include_stop=True, include_punct=True)
    assert {(a, b): n for a, b, n in got.select("item1", "item2", "n").iter_rows()} == expected


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_gram_paths_exact(method: str) -> None:
    rng = np.random.default_rng(3)
    dense = (rng.random((300, 12)) < 0.3) * rng.integers(1, 4, size=(300, 12))
    rows, cols = np.nonzero(dense)
    from analysis.engine._incidence import gram

    got = gram(rows, cols, dense[rows, cols].astype(float), 300, 12, block=64, method=method)
    assert (got == dense.T @ dense).all()


def test_cooccurrence_terms_and_errors() -> None:
    counts = pl.DataFrame({"doc_id": ["a", "a", "b"], "term": ["x", "y", "y"], "n": [1, 1, 1]})
    got = cooccurrence_counts(counts, terms=["y", "x", "zz"])
    assert got.select("item1", "item2", "n", "n1", "n2").rows() == [("x", "y", 1, 1, 2)]
    assert got["pmi"].to_list() == [pytest.approx(np.log2(1 * 2 / (1 * 2)))]
    assert cooccurrence_counts(counts, min_n=2).height == 0
    with pytest.raises(ValueError, match="context"):
        cooccurrence_counts(counts, context="window")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="count"):
        cooccurrence_counts(counts, count="pairs")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="min_n"):
        cooccurrence_counts(counts, min_n=0)
    with pytest.raises(ValueError, match="top"):
        cooccurrence_counts(counts, top=0)
    with pytest.raises(ValueError, match="sentence_id"):
        cooccurrence_counts(counts, context="sentence")


# -------------------------------------------------------------------------------- collocations

@pytest.mark.parametrize("window", [2, 5])
def test_collocation_counts_equal_nltk(bundled: pl.DataFrame, window: int) -> None:
    """Pair and word counts equal NLTK's BigramCollocationFinder over the same sentences."""
    from nltk.collocations import BigramCollocationFinder

    tokens = sentence_terms(bundled)
    sentences = (tokens.group_by("doc_id", "sentence_id", maintain_order=True)
                 .agg("term")["term"].to_list())
    words = [w for sentence in sentences for w in [*sentence, *[None] * (window - 1)]]
    finder = BigramCollocationFinder.from_words(words, window_size=window)
    counts, big_n = collocation_counts(tokens, window=window - 1, include_punct=True)
    assert big_n == finder.word_fd.N() == tokens.height
    assert {(a, b): n for a, b, n in counts.select("term1", "term2", "n").iter_rows()} == dict(
        finder.ngram_fd)
    assert all(n1 == finder.word_fd[a] and n2 == finder.word_fd[b]
               for a, b, n1, n2 in counts.select("term1", "term2", "n1", "n2").iter_rows())


def test_collocation_counts_skip_and_order(bundled: pl.DataFrame) -> None:
    """Punctuation filtered as NLTK's apply_word_filter; shuffled rows give the same counts."""
    from nltk.collocations import BigramCollocationFinder

    tokens = sentence_terms(bundled)
    punct = set(tokens.filter("is_punct")["term"].to_list())
    sentences = (tokens.group_by("doc_id", "sentence_id", maintain_order=True)
                 .agg("term")["term"].to_list())
    finder = BigramCollocationFinder.from_documents(sentences)
    finder.apply_word_filter(lambda w: w in punct)
    counts, _ = collocation_counts(tokens.sample(fraction=1.0, shuffle=True, seed=1))
    assert {(a, b): n for a, b, n in counts.select("term1", "term2", "n").iter_rows()} == dict(
        finder.ngram_fd)
    assert collocation_counts(tokens, min_n=3)[0]["n"].min() == 3


@pytest.mark.parametrize("bad", [{"window": 0}, {"min_n": 0}, {"skip_how": "drop"}])
def test_collocation_counts_invalid(bundled: pl.DataFrame, bad: dict) -> None:
    with pytest.raises(ValueError, match=next(iter(bad))):
        collocation_counts(sentence_terms(bundled), **bad)


# ------------------------------------------------------------ equal to the project's own verbs

COLLOCATION_OPTIONS = [
    {},
    {"include_punct": True},
    {"include_stop": False},
    {"include_stop": False, "skip_how": "remove"},
    {"window": 4, "min_n": 2},
    {"window": 2, "include_stop": False, "skip_how": "remove", "measures": ["chi2", "pmi"]},
]


@pytest.mark.parametrize("options", COLLOCATION_OPTIONS)
def test_collocations_equal_verb(bundled: pl.DataFrame, options: dict) -> None:
    """The slim sentence table gives the verb's table on the full tokens, and
    collocation_counts gives its counts."""
    tokens = analysis.tokenize(bundled)
    expected = collocations(tokens, **options)
    assert collocations(sentence_terms(bundled), **options).equals(expected)
    counting = {k: v for k, v in options.items() if k != "measures"}
    counts, big_n = collocation_counts(tokens, **counting)
    assert counts.sort("term1", "term2").equals(
        expected.select("term1", "term2", "n", "n1", "n2").sort("term1", "term2"))
    assert big_n == collocation_counts(sentence_terms(bundled), **counting)[1]


def test_collocations_equal_verb_on_bench_sample(bench_sample: Path) -> None:
    tokens = sentence_terms(bench_sample)
    full = analysis.tokenize(pl.read_parquet(bench_sample))
    assert collocations(tokens).equals(collocations(full))
    assert pl.from_pandas(collocations(tokens.to_pandas())).equals(collocations(tokens))


@pytest.mark.parametrize("context", ["document", "sentence"])
@pytest.mark.parametrize("rule", ["documents", "frequency"])
def test_cooccurrence_counts_equal_verb(bundled: pl.DataFrame, context: str, rule: str) -> None:
    """The pairs of the top terms are the rows of cooccurrence() between those terms."""
    from analysis.pairs._cooccurrence import cooccurrence

    tokens = analysis.tokenize(bundled)
    totals = (tokens.filter(~pl.col("is_stop") & ~pl.col("is_punct"))
              .group_by("term").agg(n=pl.len()))
    vocab = totals.sort(["n", "term"], descending=[True, False]).head(60)["term"].to_list()
    expected = cooccurrence(tokens, context=context, count=rule).filter(
        pl.col("item1").is_in(vocab) & pl.col("item2").is_in(vocab))
    table = count_terms(bundled) if context == "document" else tokens
    got = cooccurrence_counts(table, context=context, top=60, count=rule)
    assert got.equals(expected)


def test_count_terms_feed_term_frequency_and_tf_idf(bundled: pl.DataFrame) -> None:
    """Fast counts give term_frequency's n and tf_idf's table on the full tokens."""
    from analysis.terms._frequency import term_frequency, tf_idf

    tokens = analysis.tokenize(bundled)
    freq = term_frequency(tokens)
    fast = count_terms(bundled, include_stop=False, include_punct=False)
    assert fast.select("doc_id", "term", pl.col("n").cast(pl.Int64)).sort("doc_id", "term").equals(
        freq.select("doc_id", "term", "n").sort("doc_id", "term"))
    assert tf_idf(fast.select("doc_id", "term", "n")).equals(tf_idf(freq))


def test_count_terms_random_strings_against_re() -> None:
    """Random strings dense in apostrophes, clitics, dots, hyphens and non-ASCII letters:
    the fast path (Rust regex without ``\\b`` + clitic split) equals Python's ``re`` with
    ``TOKEN_PATTERN``, token for token (sentence_terms) and in counts."""
    rng = np.random.default_rng(11)
    alphabet = [*"abcdsmtrevlSMTRE'’‘.-‐ 12,%é中", "'s", "'re", "'ll", "’d", "U.S."]
    texts = ["".join(rng.choice(alphabet, size=rng.integers(0, 40))) for _ in range(400)]
    docs = pl.DataFrame({"doc_id": [f"r{i:03d}" for i in range(400)], "text": texts})
    quotes = str.maketrans({"’": "'", "‘": "'"})
    expected = Counter()
    for doc_id, text in docs.iter_rows():
        for tok in re.findall(TOKEN_PATTERN, text):
            expected[(doc_id, tok.translate(quotes).lower())] += 1
    got = count_terms(docs)
    assert {(d, t): n for d, t, n in got.select("doc_id", "term", "n").iter_rows()} == dict(
        expected)
    ordered = [(d, tok.translate(quotes).lower()) for d, text in docs.iter_rows()
               for tok in re.findall(TOKEN_PATTERN, text)]
    fast = sentence_terms(docs).select("doc_id", "term").rows()
    assert fast == ordered


def test_fastcount_is_a_deprecated_alias() -> None:
    """analysis.fastcount (one release): warns, names the new home, offers the canonical
    functions under their old names and none of the old ones with logic of their own."""
    from analysis.pairs import _collocation_counts, _cooccurrence_counts

    assert "fastcount" not in analysis.__all__
    with pytest.warns(DeprecationWarning, match=r"analysis\.count_terms"):
        old = analysis.fastcount
    assert old.count_terms is count_terms and old.sentence_terms is sentence_terms
    assert old.count_terms_to_parquet is count_terms_to_parquet
    assert old.COUNT_SCHEMA is COUNT_SCHEMA and old.SENTENCE_SCHEMA is SENTENCE_SCHEMA
    assert old.cooccurrence_counts is cooccurrence_counts
    assert old.collocations is collocations and old.collocation_counts is collocation_counts
    assert old.collocation_table is _collocation_counts.collocation_table
    assert old.Context is _cooccurrence_counts.UnitContext
    for gone in ("top_terms", "cooccurrence_table", "cooccurrence_partial",
                 "cooccurrence_result"):
        assert not hasattr(old, gone)
    with pytest.raises(AttributeError, match="no_such_verb"):
        analysis.no_such_verb  # noqa: B018
