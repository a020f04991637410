"""The Dask path gives the local tables, on a two-worker LocalCluster."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

import analysis
from analysis.pairs._collocations import collocation_counts
from analysis.pairs._cooccurrence_counts import cooccurrence_counts
from analysis.scale import _dask as ad
from analysis.terms._counting import count_terms, sentence_terms

sys.path.insert(0, str(Path(__file__).parents[1]))
from synthetic import write_corpus

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=40)
    with Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def bundled_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus as a Parquet file with two row groups (two partitions)."""
    docs = analysis.load_corpus(analysis.config.RAW_DIR).docs
    out = tmp_path_factory.mktemp("bundled") / "bundled.parquet"
    docs.select("doc_id", "outlet", "published", "text").write_parquet(out, row_group_size=3)
    return out


@pytest.fixture(scope="module")
def bench_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "bench10k.parquet"
    return write_corpus(out, docs=10_000, chunk_size=2_500, progress=False)


@pytest.fixture(scope="module")
def bench_sentences(bench_path: Path) -> pl.DataFrame:
    return sentence_terms(bench_path, progress=False)


@pytest.fixture(params=["bundled", "bench"])
def corpus(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(f"{request.param}_path")


def _local_docs(path: Path) -> pl.DataFrame:
    return pl.read_parquet(path)


def test_partitions(bundled_path: Path) -> None:
    assert len(ad.partitions(bundled_path, ["doc_id", "text"])) == 2
    with pytest.raises(TypeError, match="Parquet path or a dask"):
        ad.partitions(pl.DataFrame({"doc_id": ["a"]}), ["doc_id"])


def test_count_terms(client: object, corpus: Path) -> None:
    got = ad.count_terms(corpus, client=client)
    assert got.equals(count_terms(_local_docs(corpus), progress=False)
                      .sort("doc_id", "term"))


def test_count_terms_bundled_equals_tokenize(client: object, bundled_path: Path) -> None:
    """Independent of count_terms: counting the full token table."""
    tokens = analysis.tokenize(_local_docs(bundled_path))
    ref = tokens.group_by("doc_id", "term").agg(n=pl.len()).sort("doc_id", "term")
    got = ad.count_terms(bundled_path, client=client).select("doc_id", "term", "n")
    assert got.with_columns(pl.col("n").cast(pl.UInt32)).equals(
        ref.with_columns(pl.col("n").cast(pl.UInt32)))


@pytest.mark.parametrize("by", [None, "outlet"])
def test_term_totals(client: object, corpus: Path, by: str | None) -> None:
    docs = _local_docs(corpus)
    counts = count_terms(docs, include_stop=False, include_punct=False,
                                   progress=False)
    keys = ["term"]
    if by:
        counts = counts.join(docs.select("doc_id", by), on="doc_id")
        keys = [by, "term"]
    ref = counts.group_by(keys).agg(n=pl.col("n").sum().cast(pl.Int64),
                                    docfreq=pl.len().cast(pl.Int64))
    got = ad.term_totals(corpus, by=by, client=client)
    assert got.sort(keys).equals(ref.sort(keys))
    assert got["n"].sum() == counts["n"].sum()


def test_document_frequency(client: object, corpus: Path) -> None:
    docs = _local_docs(corpus)
    counts = count_terms(docs, include_stop=False, include_punct=False,
                                   progress=False)
    table, n_docs = ad.document_frequency(corpus, client=client)
    assert n_docs == counts["doc_id"].n_unique() == docs.height
    ref = counts.group_by("term").agg(docfreq=pl.len().cast(pl.Int64))
    assert table.select("term", "docfreq").sort("term").equals(ref.sort("term"))


@pytest.mark.parametrize("rule", ["documents", "frequency"])
def test_cooccurrence_document(client: object, corpus: Path, rule: str) -> None:
    local = cooccurrence_counts(
        count_terms(_local_docs(corpus), progress=False), top=200, count=rule)
    assert ad.cooccurrence_counts(corpus, top=200, count=rule, client=client).equals(local)


def test_cooccurrence_sentence(client: object, bench_path: Path,
                               bench_sentences: pl.DataFrame) -> None:
    local = cooccurrence_counts(bench_sentences, context="sentence", top=100)
    got = ad.cooccurrence_counts(bench_path, context="sentence", top=100, client=client)
    assert got.equals(local)


def test_collocation_counts_bench(client: object, bench_path: Path,
                                  bench_sentences: pl.DataFrame) -> None:
    got, big_n = ad.collocation_counts(bench_path, min_n=2, client=client)
    local, local_n = collocation_counts(bench_sentences, min_n=2)
    assert big_n == local_n == bench_sentences.height
    assert got.equals(local.sort("term1", "term2"))


def test_collocation_counts_bundled(client: object, bundled_path: Path) -> None:
    tokens = analysis.tokenize(_local_docs(bundled_path))
    for span, kw in ((2, {}), (5, {"include_stop": False, "skip_how": "remove"})):
        got, big_n = ad.collocation_counts(bundled_path, client=client, window=span - 1, **kw)
        local, local_n = collocation_counts(tokens, window=span - 1, **kw)
        assert big_n == local_n
        assert got.equals(local.sort("term1", "term2"))


@pytest.mark.parametrize("by", [None, "outlet"])
def test_timeline_counts(client: object, corpus: Path, by: str | None) -> None:
    docs = _local_docs(corpus)
    got = ad.timeline_counts(corpus, every="1mo", by=by, client=client)
    assert got["n_docs"].sum() == docs.height
    tokens = count_terms(docs, include_punct=False, progress=False)
    assert got["n_tokens"].sum() == tokens["n"].sum()
    # brute force: one document at a time
    month = docs.with_columns(period=pl.col("published").dt.truncate("1mo"))
    first = month["period"].min()
    assert got["period"].min() == first
    assert got.filter(pl.col("n_docs") == 0).height == (
        got.height - got.filter(pl.col("n_docs") > 0).height)
    n_groups = docs[by].n_unique() if by else 1
    months = pl.date_range(first, month["period"].max(), "1mo", eager=True)
    assert got.height == len(months) * n_groups


def test_default_scheduler_without_client(bundled_path: Path) -> None:
    """No client: Dask's local scheduler runs the same tasks."""
    got = ad.term_totals(bundled_path)
    docs = _local_docs(bundled_path)
    assert got["n"].sum() == count_terms(
        docs, include_stop=False, include_punct=False)["n"].sum()


def test_dask_dataframe_input(client: object) -> None:
    import dask.dataframe as dd

    docs = analysis.load_corpus(analysis.config.RAW_DIR).docs.select("doc_id", "text")
    ddf = dd.from_pandas(docs.to_pandas(), npartitions=3)
    assert ad.count_terms(ddf, client=client).equals(
        count_terms(docs).sort("doc_id", "term"))
    with pytest.raises(ValueError, match="missing column"):
        ad.count_terms(ddf[["doc_id"]], client=client)


def test_collocations_equal_verb(client: object, bundled_path: Path) -> None:
    from analysis.pairs._collocations import collocations

    tokens = analysis.tokenize(_local_docs(bundled_path))
    for kw in ({}, {"window": 4, "min_n": 2, "include_stop": False}):
        assert ad.collocations(bundled_path, client=client, **kw).equals(
            collocations(tokens, **kw))


@pytest.mark.parametrize("by", [None, "outlet"])
def test_term_totals_equal_term_frequency(client: object, bundled_path: Path,
                                          by: str | None) -> None:
    from analysis.terms._frequency import term_frequency

    docs = _local_docs(bundled_path)
    tokens = analysis.tokenize(docs)
    if by:
        tokens = tokens.join(docs.select("doc_id", by), on="doc_id")
    keys = [by, "term"] if by else ["term"]
    expected = term_frequency(tokens, by=by).select(*keys, "n", "docfreq").sort(keys)
    assert ad.term_totals(bundled_path, by=by, client=client).sort(keys).equals(expected)


@pytest.mark.parametrize("by", [None, "outlet"])
@pytest.mark.parametrize("every", ["1mo", "1w"])
def test_timeline_counts_equal_timeline(client: object, bundled_path: Path, by: str | None,
                                        every: str) -> None:
    """Equal to analysis.time._timeline.timeline (issue #6) once it is on this branch."""
    timeline = pytest.importorskip("analysis.time._timeline").timeline
    docs = _local_docs(bundled_path)
    expected = timeline(docs, every=every, by=by)
    assert ad.timeline_counts(bundled_path, every=every, by=by, client=client).equals(expected)


# --- every Dask verb equals the local verb (issue 10), on both corpora --------------------------


@pytest.fixture(scope="module")
def local_tokens(bundled_path: Path, bench_path: Path) -> dict[str, pl.DataFrame]:
    return {"bundled": analysis.tokenize(_local_docs(bundled_path)),
            "bench": analysis.tokenize(_local_docs(bench_path))}


def _name(corpus: Path) -> str:
    return "bench" if "bench" in corpus.name else "bundled"


def test_partitions_are_several(bundled_path: Path, bench_path: Path) -> None:
    assert len(ad.partitions(bundled_path, ["doc_id"])) >= 2
    assert len(ad.partitions(bench_path, ["doc_id"])) >= 4


@pytest.mark.parametrize("punct", ["break", "skip"])
def test_ngram_counts_equal_local_verbs(client: object, corpus: Path,
                                        local_tokens: dict[str, pl.DataFrame],
                                        punct: str) -> None:
    from analysis.terms._frequency import term_frequency
    from analysis.terms._ngrams import ngrams

    tokens = local_tokens[_name(corpus)]
    expected = term_frequency(ngrams(tokens, n=2, punct=punct), by=None)
    got = ad.ngram_counts(corpus, n=2, punct=punct, client=client)  # type: ignore[arg-type]
    assert got.height > 100
    assert got.sort("term").equals(expected.select("term", "n", "docfreq").sort("term"))


def test_document_frequency_gives_tf_idf_idf(client: object, corpus: Path) -> None:
    """The Dask docfreq and N give exactly the idf of the local tf_idf verb."""
    from analysis.terms._frequency import tf_idf

    counts = count_terms(_local_docs(corpus), include_stop=False, include_punct=False,
                                   progress=False)
    local = tf_idf(counts.select("doc_id", "term", "n")).select("term", "idf").unique()
    table, n_docs = ad.document_frequency(corpus, client=client)
    got = table.select("term", idf=(pl.lit(float(n_docs)) / pl.col("docfreq")).log())
    assert got.sort("term").equals(local.sort("term"))


def test_collocations_equal_verb_bench(client: object, bench_path: Path,
                                       local_tokens: dict[str, pl.DataFrame]) -> None:
    from analysis.pairs._collocations import collocations

    got = ad.collocations(bench_path, min_n=3, client=client)
    assert got.equals(collocations(local_tokens["bench"], min_n=3))


@pytest.mark.parametrize("by", [None, "outlet"])
def test_timeline_counts_equal_timeline_bench(client: object, bench_path: Path,
                                              by: str | None) -> None:
    from analysis.time._timeline import timeline

    expected = timeline(_local_docs(bench_path), every="1mo", by=by)
    assert ad.timeline_counts(bench_path, every="1mo", by=by, client=client).equals(expected)


@pytest.mark.parametrize("context", ["document", "sentence"])
@pytest.mark.parametrize("rule", ["documents", "frequency"])
def test_cooccurrence_counts_equal_cooccurrence_verb(client: object, corpus: Path,
                                                     local_tokens: dict[str, pl.DataFrame],
                                                     context: str, rule: str) -> None:
    """The Dask pairs are the rows of the local verb cooccurrence(tokens, top=...)."""
    expected = analysis.cooccurrence(local_tokens[_name(corpus)], context=context, count=rule,
                                     top=150)
    got = ad.cooccurrence_counts(corpus, context=context, count=rule,  # type: ignore[arg-type]
                                 top=150, client=client)
    assert got.height > 100
    assert got.equals(expected)
