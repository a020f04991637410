"""Load and tokenise a corpus once per report run, and run as many kernels as memory allows.

A ``make report`` run executes several notebooks on the same corpus, each in its own kernel.
Without a cache every kernel loads and cleans the corpus and tokenises it again (once per
verb that takes documents). This module keeps both on disk, keyed by content, in a cache
folder: ``<report output folder>/.cache`` during a report run (set by
:func:`analysis.report.build_reports` through the environment variable ``ANALYSIS_CACHE_DIR``),
or any folder you pass. Nothing is cached when no folder is given, and nothing is ever written
inside the installed package. The folder can be deleted at any time.

- :func:`load_corpus_cached`: :func:`analysis.load_corpus`, keyed by the bytes of the input
  files, the loader's options and the package's source.
- :func:`corpus_tokens`: :func:`analysis.tokenize` of a corpus, keyed by the corpus
  fingerprint, the tokenizer's options and the package's source; built a batch of documents
  at a time (so the peak memory of tokenising is that of one batch) and written as Parquet.
  Concurrent kernels wait for the first one to finish (a file lock) and then read its table.
- :func:`corpus_clusters`: :func:`analysis.near_duplicates` of a corpus (every report leaves
  the copies out, so every kernel needed it), keyed by fingerprint and options;
  :func:`cached_frame` stores any such table (the actor mentions of
  :func:`analysis.report.load_report_actors`); the chart bundle
  (:func:`analysis.report._render.vega_bundle`) is kept here too.
- :func:`kernel_budget`: how many notebooks to execute at once, from the CPUs and the memory
  available (``MemAvailable`` of ``/proc/meminfo``) and an estimate of one kernel's need.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from analysis.config import PACKAGE_DIR
from analysis.copies._neardup import near_duplicates
from analysis.corpus._load import Corpus, load_corpus
from analysis.engine._frames import require_columns
from analysis.engine._memory import release_memory
from analysis.report._output import ReportOutputError
from analysis.tokens._tokenize import tokenize

CACHE_ENV = "ANALYSIS_CACHE_DIR"
"""Environment variable naming the cache folder (set for the kernels of a report run)."""
PACKAGE_ENV = "ANALYSIS_CACHE_PACKAGE"
"""Environment variable carrying :func:`package_hash` from the report process to its kernels
(so every kernel of one run uses the same keys, and none hashes the package again)."""

BATCH_DOCS = 2_000
"""Documents tokenised at a time when the token cache is built."""

KERNEL_BASE_MB = 800
"""Memory of a report kernel before it holds any data (Python, polars, pandas, Altair, NLTK)."""
KERNEL_TEXT_FACTOR = 30
"""A kernel's working memory per byte of corpus text: the token table (about 7 bytes per
byte of text) held and transformed, plus the documents. Measured: the largest report kernel
peaked at 10.7 GB on 100k synthetic articles (about 360 MB of text), about 30x."""
REPORT_MEMORY_MB = 3_000
"""Memory (MB) the report kernels may use together by default: a second kernel runs only when
both fit (the bundled corpus and a few thousand articles). On a large corpus one kernel uses
both cores in polars anyway; measured at 10,000 synthetic articles: one kernel 73 s and 2.0 GB,
two kernels 54 s and 3.7 GB. ``python -m analysis.report --memory-mb N`` (``make report
REPORT_MEMORY_MB=N``) lets them use more."""
COMPRESSED_SUFFIXES = (".parquet", ".gz", ".zip", ".bz2", ".xz", ".zst")
COMPRESSION_RATIO = 3
"""Assumed ratio of text to file size for compressed inputs."""


def cache_dir(path: str | Path | None = None) -> Path | None:
    """The cache folder: ``path`` if given, else ``$ANALYSIS_CACHE_DIR``, else ``None``."""
    chosen = path if path else os.environ.get(CACHE_ENV, "")
    return Path(chosen) if chosen else None


ALLOCATOR_ENV = ("_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0")
"""The allocator setting report kernels start with (unless the variable is already set):
polars' allocator (jemalloc) gives freed memory back to the system within about a second
instead of keeping it, so kernels running side by side do not each hold their past peaks."""


@contextlib.contextmanager
def report_cache(folder: Path) -> Iterator[Path]:
    """Set ``$ANALYSIS_CACHE_DIR`` to ``folder`` (created) while the block runs; restore it.

    Also sets :data:`ALLOCATOR_ENV` for the kernels started in the block (when it is unset).
    A cache folder that is a link to nothing is refused with one line naming both (it may be a
    link to another disk that is not mounted: it is not replaced behind the user's back).
    """
    if folder.is_symlink() and not folder.exists():
        raise ReportOutputError(folder, f"it is a link to {os.readlink(folder)}, which does not "
                                "exist (remove the link, or create its target)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportOutputError(folder, exc) from exc
    values = {CACHE_ENV: str(folder), PACKAGE_ENV: package_hash()}
    name, setting = ALLOCATOR_ENV
    values[name] = os.environ.get(name, setting)
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield folder
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def package_hash() -> str:
    """A hash of the package's source and data files (16 hex digits): code changes, keys change.

    Inside a report run, the value the report process computed (``$ANALYSIS_CACHE_PACKAGE``).
    """
    return os.environ.get(PACKAGE_ENV) or _package_hash()


@cache
def _package_hash() -> str:
    h = hashlib.sha256()
    for f in sorted(PACKAGE_DIR.rglob("*")):
        if f.is_file() and f.suffix in {".py", ".txt", ".toml", ".csv", ".json"} \
                and "__pycache__" not in f.parts:
            h.update(f.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()[:16]


def _key(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (a lock file) for the block: other processes wait."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _input_files(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(f for f in sorted(p.rglob("*")) if f.is_file())
        elif p.is_file():
            out.append(p)
    return out


def _files_digest(files: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(str(f.resolve()).encode())
        with open(f, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def load_corpus_cached(paths: Sequence[str | Path] | str | Path, *,
                       cache_folder: str | Path | None = None, **options: Any) -> Corpus:
    """:func:`analysis.load_corpus` through the cache (a plain load when there is no cache).

    Parameters
    ----------
    paths
        What :func:`analysis.load_corpus` takes: a file or folder, or a list of them.
    cache_folder
        The cache folder; ``None``: ``$ANALYSIS_CACHE_DIR``, and no caching when that is unset.
    **options
        Passed to :func:`analysis.load_corpus` (``metadata=``, ...); part of the key.

    Returns
    -------
    Corpus
        Equal to ``load_corpus(paths, **options)``: the same tables and fingerprint.

    Examples
    --------
    >>> import tempfile
    >>> from analysis.config import RAW_DIR
    >>> folder = tempfile.mkdtemp()
    >>> first = load_corpus_cached(RAW_DIR, cache_folder=folder)
    >>> again = load_corpus_cached(RAW_DIR, cache_folder=folder)  # read from the cache
    >>> again.docs.equals(first.docs), again.fingerprint == first.fingerprint
    (True, True)
    """
    folder = cache_dir(cache_folder)
    if folder is None:
        return load_corpus(paths, **options)
    listed = [paths] if isinstance(paths, str | Path) else list(paths)
    beside = [Path(p).resolve().parent / "metadata.csv" for p in listed]  # found by default
    files = _input_files([*listed, *beside, *(v for v in options.values()
                                              if isinstance(v, str | Path) and Path(v).is_file())])
    key = _key("corpus", [str(Path(p).resolve()) for p in listed], options,
               _files_digest(files), package_hash())
    target = folder / f"corpus-{key}"
    with _locked(folder / f"corpus-{key}.lock"):
        if not (target / "fingerprint.json").is_file():
            corpus = load_corpus(paths, **options)
            tables = {f.name: getattr(corpus, f.name) for f in fields(corpus)}
            if not all(isinstance(t, pl.DataFrame) for t in tables.values()):
                return corpus  # a Corpus this module cannot store: no caching
            tmp = folder / f".corpus-{key}.tmp"
            tmp.mkdir(parents=True, exist_ok=True)
            for name, table in tables.items():
                table.write_parquet(tmp / f"{name}.parquet")
            (tmp / "fingerprint.json").write_text(json.dumps(corpus.fingerprint))
            os.replace(tmp, target)
            # read back below, as every other notebook does: the stored tables are compact,
            # while the loader's garbage (Python strings per file and row) is given back
            del corpus, tables
            release_memory()
    loaded = Corpus(**{f.name: pl.read_parquet(target / f"{f.name}.parquet")
                       for f in fields(Corpus)})
    loaded.__dict__["fingerprint"] = json.loads((target / "fingerprint.json").read_text())
    return loaded


def corpus_tokens(corpus: Any, *, cache_folder: str | Path | None = None,
                  **options: Any) -> pl.DataFrame:
    """:func:`analysis.tokenize` of a corpus, computed once per corpus and options, then read.

    Parameters
    ----------
    corpus
        A :class:`~analysis.corpus._load.Corpus` (its fingerprint is the key) or a polars table of
        documents (``doc_id``, ``text``; keyed by a hash of those columns).
    cache_folder
        The cache folder; ``None``: ``$ANALYSIS_CACHE_DIR``, and no caching when that is unset.
    **options
        Passed to :func:`analysis.tokenize` (``extra_stopwords=``, ...); part of the key.

    Returns
    -------
    DataFrame
        Equal to ``analysis.tokenize(corpus, **options)`` (polars).

    Examples
    --------
    >>> import tempfile
    >>> import analysis
    >>> corpus = analysis.load_corpus(analysis.config.RAW_DIR)
    >>> folder = tempfile.mkdtemp()
    >>> cached = corpus_tokens(corpus, cache_folder=folder)
    >>> corpus_tokens(corpus, cache_folder=folder).equals(analysis.tokenize(corpus))
    True
    """
    docs = corpus.docs if hasattr(corpus, "docs") else corpus
    if not isinstance(docs, pl.DataFrame):
        raise TypeError(f"corpus must be a Corpus or a polars table, got {type(corpus).__name__}")
    text_column = options.get("text_column", "text")
    require_columns(docs, ["doc_id", text_column], what="corpus")
    options = explicit_options(tokenize, options)
    folder = cache_dir(cache_folder)
    if folder is None:
        return tokenize(docs, **options)
    identity = getattr(corpus, "fingerprint", None) or hashlib.sha256(
        docs.select("doc_id", text_column).hash_rows(seed=0).to_numpy().tobytes()).hexdigest()
    key = _key("tokens", identity, docs.height, options, package_hash())
    target = folder / f"tokens-{key}.parquet"
    with _locked(folder / f"tokens-{key}.lock"):
        if not target.is_file():
            _write_tokens(docs, target, options)
            release_memory()
    return pl.read_parquet(target)


def cached_frame(kind: str, parts: Any, compute: Any, *,
                 cache_folder: str | Path | None = None) -> pl.DataFrame:
    """``compute()`` (a polars table), stored once per key in the cache folder and then read.

    Parameters
    ----------
    kind
        What is stored (the file name starts with it).
    parts
        What the result depends on (JSON-able): with :func:`package_hash`, the key.
    compute
        A function of no arguments returning a polars DataFrame.
    cache_folder
        The cache folder; ``None``: ``$ANALYSIS_CACHE_DIR``, and no caching when that is unset.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> calls = []
    >>> def f():
    ...     calls.append(1)
    ...     return pl.DataFrame({"x": [1, 2]})
    >>> a = cached_frame("demo", ["k"], f, cache_folder=folder)
    >>> b = cached_frame("demo", ["k"], f, cache_folder=folder)
    >>> a.equals(b), len(calls)
    (True, 1)
    """
    folder = cache_dir(cache_folder)
    if folder is None:
        return compute()
    key = _key(kind, parts, package_hash())
    target = folder / f"{kind}-{key}.parquet"
    with _locked(folder / f"{kind}-{key}.lock"):
        if target.is_file():
            return pl.read_parquet(target)
        table = compute()
        tmp = folder / f".{kind}-{key}.tmp"
        table.write_parquet(tmp)
        os.replace(tmp, target)
        del table  # read back, compact, after the computation's garbage is given back
        release_memory()
        return pl.read_parquet(target)


def corpus_clusters(corpus: Any, *, cache_folder: str | Path | None = None,
                    **options: Any) -> pl.DataFrame:
    """:func:`analysis.near_duplicates` of a corpus's documents, computed once per run.

    Keyed by the corpus fingerprint, its size and the options (those equal to the defaults
    left out), so every report of a run shares one computation.

    Examples
    --------
    >>> import tempfile
    >>> import analysis
    >>> corpus = analysis.load_corpus(analysis.config.RAW_DIR)
    >>> folder = tempfile.mkdtemp()
    >>> first = corpus_clusters(corpus, cache_folder=folder)
    >>> corpus_clusters(corpus, cache_folder=folder).equals(analysis.near_duplicates(corpus.docs))
    True
    """
    options = explicit_options(near_duplicates, options)
    return cached_frame(
        "clusters", [corpus.fingerprint, corpus.docs.height, options],
        lambda: near_duplicates(corpus.docs, **options), cache_folder=cache_folder)


def explicit_options(func: Any, options: dict[str, Any]) -> dict[str, Any]:
    """``options`` without ``progress`` and without values equal to ``func``'s defaults (so
    ``extra_stopwords=[]`` and no option share one cache entry); sets become sorted lists."""
    import inspect

    defaults = {name: p.default for name, p in inspect.signature(func).parameters.items()}
    out = {}
    for name, value in options.items():
        if name == "progress":
            continue
        if isinstance(value, set | frozenset | tuple):
            value = sorted(value) if isinstance(value, set | frozenset) else list(value)
        default = defaults.get(name, inspect.Parameter.empty)
        if isinstance(default, tuple | list | set | frozenset):
            default = sorted(default) if isinstance(default, set | frozenset) else list(default)
        if name in defaults and value == default:
            continue
        out[name] = value
    return out


def _write_tokens(docs: pl.DataFrame, target: Path, options: dict[str, Any]) -> None:
    """Tokenise ``docs`` a batch at a time into one Parquet file (atomically)."""
    import pyarrow.parquet as pq

    tmp = target.with_name(f".{target.name}.tmp")
    writer = None
    try:
        for first in range(0, max(docs.height, 1), BATCH_DOCS):
            batch = tokenize(docs.slice(first, BATCH_DOCS), **options)
            table = batch.to_arrow()
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    os.replace(tmp, target)


def corpus_text_bytes(paths: Iterable[str | Path]) -> int:
    """Estimated bytes of text in the input files (compressed files count 3x their size).

    Examples
    --------
    >>> from analysis.config import RAW_DIR
    >>> corpus_text_bytes([RAW_DIR]) > 10_000
    True
    """
    total = 0
    for f in _input_files(paths):
        size = f.stat().st_size
        total += size * COMPRESSION_RATIO if f.name.endswith(COMPRESSED_SUFFIXES) else size
    return total


def available_memory_mb() -> float | None:
    """``MemAvailable`` of ``/proc/meminfo`` in MB (``None`` where there is no such file)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def kernel_estimate_mb(text_bytes: int) -> float:
    """The memory one report kernel is estimated to need for ``text_bytes`` of corpus text, MB.

    >>> kernel_estimate_mb(0) == KERNEL_BASE_MB
    True
    """
    return KERNEL_BASE_MB + KERNEL_TEXT_FACTOR * text_bytes / 2**20


def kernel_budget(text_bytes: int, *, tasks: int, cpus: int | None = None,
                  available_mb: float | None = None,
                  memory_mb: float | None = REPORT_MEMORY_MB) -> int:
    """How many report kernels to run at once: bounded by CPUs, tasks and memory.

    One kernel is estimated to need ``KERNEL_BASE_MB + KERNEL_TEXT_FACTOR * text`` MB; the
    kernels together may use 80% of the available memory and at most ``memory_mb``. At least
    one kernel always runs.

    Parameters
    ----------
    text_bytes
        Bytes of corpus text (:func:`corpus_text_bytes`).
    tasks
        Notebooks to execute.
    cpus
        CPUs to use; default ``os.cpu_count()``.
    available_mb
        Memory available in MB; default :func:`available_memory_mb` (no limit when unknown).
    memory_mb
        What the kernels together may use, in MB (:data:`REPORT_MEMORY_MB`); ``None``: only the
        available memory bounds them.

    Examples
    --------
    >>> kernel_budget(4_000_000, tasks=4, cpus=8, available_mb=64_000)  # small: task-bound
    3
    >>> kernel_budget(40_000_000, tasks=4, cpus=8, available_mb=64_000, memory_mb=None)
    4
    >>> kernel_budget(400_000_000, tasks=4, cpus=8, available_mb=40_000, memory_mb=None)
    2
    >>> kernel_budget(4_000_000_000, tasks=4, cpus=8, available_mb=4_000)
    1
    """
    cpus = cpus or os.cpu_count() or 1
    if available_mb is None:
        available_mb = available_memory_mb()
    limit = max(1, min(cpus, tasks))
    usable = [limit_mb for limit_mb in (
        None if available_mb is None else 0.8 * available_mb, memory_mb) if limit_mb is not None]
    if not usable:
        return limit
    need = kernel_estimate_mb(text_bytes)
    return max(1, min(limit, int(min(usable) // need)))
