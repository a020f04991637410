"""The report cache: loading and tokenising once, kernels sized to memory, top-term filtering."""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path

import polars as pl
import pytest

import analysis
from analysis.config import METADATA_CSV, RAW_DIR
from analysis.report import _cache as cache


@pytest.fixture
def no_env_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.delenv(cache.PACKAGE_ENV, raising=False)


def test_package_hash_follows_the_source_unless_a_run_fixed_it(monkeypatch, no_env_cache):
    own = cache.package_hash()
    assert len(own) == 16 and own == cache.package_hash()
    monkeypatch.setenv(cache.PACKAGE_ENV, "fixed-by-the-run")
    assert cache.package_hash() == "fixed-by-the-run"


@pytest.fixture
def count_tokenize(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the calls of analysis.tokenize (as the cache calls it: its own name for it)."""
    calls: list[int] = []
    real = cache.tokenize

    @functools.wraps(real)
    def counting(docs, **options):
        calls.append(docs.height)
        return real(docs, **options)

    monkeypatch.setattr(cache, "tokenize", counting)
    return calls


def test_tokens_equal_tokenize_and_are_computed_once(tmp_path, bundled, count_tokenize,
                                                     no_env_cache):
    expected = analysis.tokenize(bundled)
    count_tokenize.clear()
    first = cache.corpus_tokens(bundled, cache_folder=tmp_path)
    again = cache.corpus_tokens(bundled, cache_folder=tmp_path)
    assert first.equals(expected) and again.equals(expected)
    assert count_tokenize == [bundled.docs.height]  # once, for all five documents
    assert len(list(tmp_path.glob("tokens-*.parquet"))) == 1


def test_tokens_built_in_batches_equal_one_pass(tmp_path, bundled, count_tokenize,
                                                monkeypatch, no_env_cache):
    monkeypatch.setattr(cache, "BATCH_DOCS", 2)
    got = cache.corpus_tokens(bundled, cache_folder=tmp_path)
    assert count_tokenize == [2, 2, 1]
    assert got.equals(analysis.tokenize(bundled))


def test_options_are_part_of_the_key(tmp_path, bundled, count_tokenize, no_env_cache):
    plain = cache.corpus_tokens(bundled, cache_folder=tmp_path)
    same = cache.corpus_tokens(bundled, cache_folder=tmp_path, extra_stopwords=[])
    assert same.equals(plain) and len(count_tokenize) == 1  # a default value: one entry
    extra = cache.corpus_tokens(bundled, cache_folder=tmp_path, extra_stopwords=["putin"])
    assert len(count_tokenize) == 2
    assert extra.equals(analysis.tokenize(bundled, extra_stopwords=["putin"]))
    assert extra.filter(pl.col("term") == "putin")["is_stop"].all()
    assert not plain.filter(pl.col("term") == "putin")["is_stop"].any()


def test_no_cache_folder_writes_nothing(tmp_path, bundled, no_env_cache, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cache.cache_dir() is None
    assert cache.corpus_tokens(bundled).equals(analysis.tokenize(bundled))
    assert list(tmp_path.iterdir()) == []


def test_environment_names_the_folder_and_is_restored(tmp_path, bundled, no_env_cache):
    with cache.report_cache(tmp_path / "c") as folder:
        assert os.environ[cache.CACHE_ENV] == str(folder)
        assert os.environ[cache.PACKAGE_ENV] == cache.package_hash()
        cache.corpus_tokens(bundled)
    assert cache.CACHE_ENV not in os.environ and cache.PACKAGE_ENV not in os.environ
    assert len(list((tmp_path / "c").glob("tokens-*.parquet"))) == 1


def test_concurrent_kernels_tokenise_once(tmp_path, bundled, count_tokenize, no_env_cache):
    results: list[pl.DataFrame] = []
    threads = [threading.Thread(target=lambda: results.append(
        cache.corpus_tokens(bundled, cache_folder=tmp_path))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert count_tokenize == [bundled.docs.height]
    assert len(results) == 3 and all(r.equals(results[0]) for r in results)


def test_tokens_of_a_plain_table_and_bad_input(tmp_path, no_env_cache):
    docs = pl.DataFrame({"doc_id": ["a", "b"], "text": ["Xi met Putin.", ""]})
    assert cache.corpus_tokens(docs, cache_folder=tmp_path).equals(analysis.tokenize(docs))
    changed = docs.with_columns(pl.lit("Other words.").alias("text"))
    assert cache.corpus_tokens(changed, cache_folder=tmp_path).equals(analysis.tokenize(changed))
    with pytest.raises(ValueError, match="missing column"):
        cache.corpus_tokens(docs.drop("text"), cache_folder=tmp_path)
    with pytest.raises(TypeError, match="Corpus or a polars table"):
        cache.corpus_tokens("some text", cache_folder=tmp_path)


def test_corpus_cache_equals_load_and_follows_the_files(tmp_path, no_env_cache):
    src = tmp_path / "in" / "docs.csv"
    src.parent.mkdir()
    src.write_text("doc_id,title,published,text\na,T,2024-05-16,Talks on Monday.\n")
    folder = tmp_path / "cache"
    first = cache.load_corpus_cached(src, cache_folder=folder)
    direct = analysis.load_corpus(src)
    again = cache.load_corpus_cached(src, cache_folder=folder)
    for got in (first, again):
        assert got.docs.equals(direct.docs) and got.skipped.equals(direct.skipped)
        assert got.notes.equals(direct.notes) and got.removed.equals(direct.removed)
        assert got.fingerprint == direct.fingerprint
    src.write_text("doc_id,title,published,text\na,T,2024-05-16,Talks on Tuesday.\n")
    changed = cache.load_corpus_cached(src, cache_folder=folder)
    assert changed.docs["text"].to_list() == ["Talks on Tuesday."]
    assert changed.fingerprint != first.fingerprint


def test_report_corpus_and_tokens_through_the_cache(tmp_path, no_env_cache):
    from analysis import report

    with cache.report_cache(tmp_path):
        corpus = report.load_report_corpus([])
        tokens = report.load_report_tokens(corpus)
    direct = analysis.load_corpus(RAW_DIR, metadata=METADATA_CSV)
    assert corpus.docs.equals(direct.docs) and corpus.fingerprint == direct.fingerprint
    assert tokens.equals(analysis.tokenize(direct))
    assert len(list(tmp_path.glob("corpus-*"))) >= 1


def test_notebook_calls_on_cached_tokens_equal_the_calls_on_documents(bundled, bundled_tokens):
    """What the reports now compute from the cached token table equals what they computed
    from the documents (timeline counts, date sentences, actor mentions)."""
    docs = bundled.docs
    for options in ({"by": "outlet"}, {"terms": ["peace", "xi jinping"]}):
        assert analysis.timeline(bundled_tokens, docs=docs, every="1mo", **options).equals(
            analysis.timeline(docs, every="1mo", **options))
    assert analysis.extract_dates(docs, tokens=bundled_tokens).equals(analysis.extract_dates(docs))
    assert analysis.actors(bundled_tokens).equals(analysis.actors(bundled))


# ---------------------------------------------------------------- kernels and memory


@pytest.mark.parametrize(
    ("text_mb", "tasks", "cpus", "available_mb", "memory_mb", "expected"),
    [
        (40, 4, 2, 20_000, None, 2),  # CPU-bound: need 800 + 30 * 40 = 2,000 MB
        (40, 1, 8, 20_000, None, 1),  # one notebook
        (400, 4, 8, 20_000, None, 1),  # 12,800 MB each, 16,000 usable: 1
        (400, 4, 8, 40_000, None, 2),  # 32,000 usable: 2
        (400, 4, 8, 6_000, None, 1),  # less than one kernel's need: still one
        (0, 4, 8, 4_000, None, 4),  # 800 MB each, 3,200 usable
        # the default: the kernels together within REPORT_MEMORY_MB (3,000 MB)
        (40, 4, 2, 20_000, "default", 1),  # 2,000 MB each: one
        (1, 4, 2, 20_000, "default", 2),  # 830 MB each: the two CPUs
        (0, 4, 8, 20_000, "default", 3),  # 800 MB each: 3
        (0, 4, 8, 2_000, "default", 2),  # 1,600 MB available: 2
        (40, 4, 8, 20_000, 8_000, 4),  # --memory-mb 8000: 4
    ],
)
def test_kernel_budget_hand_worked(text_mb, tasks, cpus, available_mb, memory_mb, expected):
    given = {} if memory_mb == "default" else {"memory_mb": memory_mb}
    got = cache.kernel_budget(text_mb * 2**20, tasks=tasks, cpus=cpus, available_mb=available_mb,
                              **given)
    assert got == expected
    assert cache.REPORT_MEMORY_MB == 3_000


def test_memory_and_text_size_estimates(tmp_path):
    avail = cache.available_memory_mb()
    if Path("/proc/meminfo").exists():
        assert avail is not None and avail > 0
    (tmp_path / "a.txt").write_bytes(b"x" * 1000)
    (tmp_path / "b.parquet").write_bytes(b"x" * 100)
    assert cache.corpus_text_bytes([tmp_path]) == 1000 + 300
    assert cache.corpus_text_bytes([tmp_path / "missing"]) == 0


# ---------------------------------------------------------------- clusters, actors, chart bundle


def test_clusters_and_actors_computed_once_per_run_and_equal_the_verbs(tmp_path, no_env_cache,
                                                                      monkeypatch):
    """Each kernel of a report run used to run near_duplicates (for the copies) and actors
    again; now the first computes them and the others read the same table."""
    import importlib

    from analysis import report

    calls: list[str] = []
    for module_name, name in (("analysis.report._cache", "near_duplicates"),  # where called
                              ("analysis.report._notebook", "actors")):
        module = importlib.import_module(module_name)
        real = getattr(module, name)

        def counting(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)
    with cache.report_cache(tmp_path):
        for _ in range(3):  # three kernels
            corpus = report.load_report_corpus([])
            tokens = report.load_report_tokens(corpus)
            mentions = report.load_report_actors(corpus, tokens)
            shipped = report.load_report_actors(corpus, tokens, dictionary="")  # the same
            clusters = report.load_report_clusters(corpus)
    assert calls.count("near_duplicates") == 1
    assert calls.count("actors") == 1
    monkeypatch.undo()
    direct = analysis.load_corpus(RAW_DIR, metadata=METADATA_CSV)
    assert clusters.equals(analysis.near_duplicates(corpus.docs))
    assert mentions.equals(analysis.actors(analysis.tokenize(corpus)))
    assert shipped.equals(mentions)
    assert analysis.deduplicate(direct, clusters=analysis.near_duplicates(direct.docs)).docs.equals(
        corpus.docs)


def test_actors_of_another_dictionary_file_are_another_entry(tmp_path, no_env_cache):
    from analysis import report

    own = tmp_path / "actors.toml"
    own.write_text('["Only Putin"]\ntype = "person"\naliases = ["Putin"]\n')
    with cache.report_cache(tmp_path / "cache"):
        corpus = report.load_report_corpus([], duplicates="include")
        tokens = report.load_report_tokens(corpus)
        shipped = report.load_report_actors(corpus, tokens)
        mine = report.load_report_actors(corpus, tokens, dictionary=str(own))
    assert mine.equals(analysis.actors(tokens, dictionary=str(own)))
    assert not mine.equals(shipped)


def test_cached_frame_without_folder_computes_every_time(no_env_cache):
    calls: list[int] = []

    def compute() -> pl.DataFrame:
        calls.append(1)
        return pl.DataFrame({"x": [1]})

    cache.cached_frame("t", ["k"], compute)
    cache.cached_frame("t", ["k"], compute)
    assert len(calls) == 2


def test_chart_bundle_built_once_per_cache_folder(tmp_path, no_env_cache, monkeypatch):
    import vl_convert

    from analysis.report import _render as render

    calls: list[int] = []
    real = vl_convert.javascript_bundle

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(vl_convert, "javascript_bundle", counting)
    # an environment without the copy `make env` installs (render.install_bundle)
    monkeypatch.setattr(render, "BUNDLE_DIR", tmp_path / "environment")
    render.vega_bundle.cache_clear()
    with cache.report_cache(tmp_path):
        first = render.vega_bundle()
        render.vega_bundle.cache_clear()  # another kernel
        second = render.vega_bundle()
    render.vega_bundle.cache_clear()
    assert first == second and len(calls) == 1 and len(list(tmp_path.glob("vega-bundle-*"))) == 1
