"""The benchmark behind ``make bench``: the project's stages against reference implementations.

For each corpus size, every stage runs in a fresh Python process (so its peak memory is its
own); the process prepares its inputs (untimed: read from Parquet files earlier stages wrote),
then times the stage alone and reports wall time (``time.perf_counter``), CPU time (user +
system of all its threads, ``resource.getrusage``; Dask workers' CPU is added from the
workers) and peak resident memory (``VmHWM`` of the process, inputs included; for Dask the
largest worker's peak is reported separately). Each stage also reports what it counted
(tokens, distinct terms, pairs, ...), and the runner checks that every implementation of a task
counted the same totals before it reports a ratio.

Usage::

    python -m bench.run --sizes 1000,10000,100000     # what `make bench` runs
    python -m bench.run --sizes 1000000 --only count_terms_parquet,load_fast

Results go to ``bench/results/<date>-<host>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import fmt_size

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
CORPORA_DIR = BENCH_DIR / "corpora"
RESULTS_DIR = BENCH_DIR / "results"
TOP_TERMS = 1_000

# stage name -> (task, implementation, largest size it runs on by default)
STAGES: dict[str, tuple[str, str, int]] = {
    "load": ("load", "analysis.load_corpus", 100_000),
    "load_fast": ("load", "polars.read_parquet", 10**9),
    "tokenize": ("tokenize (full table)", "analysis.tokenize", 10_000),
    "count_terms": ("tokenize + per-doc tf", "fastcount.count_terms", 100_000),
    "count_terms_parquet": ("tokenize + per-doc tf", "fastcount.count_terms_to_parquet", 10**9),
    "term_frequency": ("tokenize + per-doc tf", "tokenize + terms.term_frequency", 10_000),
    "sklearn_count": ("tokenize + per-doc tf", "sklearn CountVectorizer", 100_000),
    "nltk_freqdist": ("tokenize + per-doc tf", "NLTK RegexpTokenizer + FreqDist", 100_000),
    "re_counter": ("tokenize + per-doc tf", "re.findall + Counter", 100_000),
    "tf_idf": ("tf-idf", "terms.tf_idf on fast counts", 100_000),
    "sentence_terms": ("sentence tokens", "fastcount.sentence_terms", 100_000),
    "collocations": ("collocations (ll)", "fastcount.collocations", 100_000),
    "collocations_verb": ("collocations (ll)", "collocations.collocations", 100_000),
    "nltk_collocations": ("collocations (ll)", "NLTK BigramCollocationFinder", 100_000),
    "cooc_document": ("document co-occurrence (top 1000)", "fastcount.cooccurrence_counts",
                      100_000),
    "sklearn_cooc": ("document co-occurrence (top 1000)", "sklearn X.T @ X", 100_000),
    "cooc_sentence": ("sentence co-occurrence (top 1000)", "fastcount.cooccurrence_counts",
                      100_000),
    "local_e2e_counts": ("Parquet -> term totals", "local (fastcount)", 100_000),
    "dask_e2e_counts": ("Parquet -> term totals", "Dask LocalCluster 2 workers", 100_000),
    "local_e2e_cooc": ("Parquet -> document co-occurrence", "local (fastcount)", 100_000),
    "dask_e2e_cooc": ("Parquet -> document co-occurrence", "Dask LocalCluster 2 workers",
                      100_000),
}
"""Every stage, in the order they run (later stages read what earlier ones wrote)."""

RATIOS: list[tuple[str, str]] = [
    ("count_terms", "sklearn_count"),
    ("count_terms", "nltk_freqdist"),
    ("count_terms", "re_counter"),
    ("count_terms", "term_frequency"),
    ("collocations", "nltk_collocations"),
    ("collocations", "collocations_verb"),
    ("cooc_document", "sklearn_cooc"),
    ("local_e2e_counts", "dask_e2e_counts"),
    ("local_e2e_cooc", "dask_e2e_cooc"),
]
"""(ours, reference): reported as reference wall / our wall, when both counted the same."""


# ----------------------------------------------------------------------------------------------
# stages (run in the child process)


def _rss_mb(field: str = "VmRSS") -> float:
    """Current (``VmRSS``) or peak (``VmHWM``) resident memory of this process, in MB.

    ``VmHWM`` is used for the peak rather than ``ru_maxrss``, which Linux carries over from
    the parent process across ``exec``.
    """
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


class Work:
    """The files of one corpus size."""

    def __init__(self, corpus: Path) -> None:
        self.corpus = corpus
        self.dir = corpus.with_suffix("")
        self.dir.mkdir(parents=True, exist_ok=True)
        self.docs = self.dir / "docs.parquet"  # the loaded corpus (doc_id, text, ...)
        self.counts = self.dir / "counts.parquet"
        self.sentences = self.dir / "sentences.parquet"

    def docs_frame(self) -> Any:
        import polars as pl

        return pl.read_parquet(self.docs if self.docs.exists() else self.corpus)

    def texts(self) -> list[str]:
        return self.docs_frame()["text"].to_list()


def _stop_or_punct(terms: Any) -> Any:
    """Boolean array: the term is a default stop-word or punctuation (as the token table)."""
    import polars as pl

    from analysis.tokens._stopwords import default_stopwords
    from analysis.tokens._tokenize import PUNCT_PATTERN

    series = pl.Series(list(terms), dtype=pl.String)
    return (series.is_in(sorted(default_stopwords())) | series.str.contains(PUNCT_PATTERN)
            ).to_numpy()


def _normaliser() -> Callable[[str], str]:
    from analysis.tokens._tokenize import QUOTE_MAP

    shadow = str.maketrans(QUOTE_MAP)

    def normalise(text: str) -> str:
        return text.translate(shadow).lower()

    return normalise


def _sentence_lists(work: Work) -> Iterator[list[str]]:
    """The sentences as lists of terms, converted to Python a slice at a time."""
    import polars as pl

    sentences = (
        pl.scan_parquet(work.sentences)
        .group_by("doc_id", "sentence_id", maintain_order=True)
        .agg("term")
        .collect()["term"]
    )
    for start in range(0, len(sentences), 100_000):
        yield from sentences.slice(start, 100_000).to_list()


def run_stage(stage: str, work: Work) -> dict[str, Any]:
    """Prepare, time and run one stage; return its measurements and totals."""
    import polars as pl

    from analysis.pairs import _collocations as colloc
    from analysis.pairs import _cooccurrence_counts as cooc
    from analysis.terms import _counting as counting

    totals: dict[str, Any] = {}
    prep: Any = None
    # ---- untimed preparation
    if stage in ("tokenize", "count_terms", "term_frequency"):
        prep = work.docs_frame()
    elif stage in ("sklearn_count", "nltk_freqdist", "re_counter"):
        prep = work.texts()
    elif stage in ("tf_idf", "cooc_document"):
        prep = pl.read_parquet(work.counts)
    elif stage == "sentence_terms":
        prep = work.docs_frame()
    elif stage in ("collocations", "collocations_verb", "cooc_sentence"):
        prep = pl.read_parquet(work.sentences)
    elif stage.startswith("dask_"):
        from distributed import Client, LocalCluster

        t = time.perf_counter()
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
        client.run(lambda: None)
        totals["cluster_start_s"] = round(time.perf_counter() - t, 2)
        worker_cpu0 = sum(client.run(_cpu).values())
    source = work.docs if work.docs.exists() else work.corpus
    baseline = _rss_mb()
    cpu0 = _cpu()
    t0 = time.perf_counter()
    # ---- the timed stage
    if stage == "load":
        import analysis

        corpus = analysis.load_corpus(work.corpus)
        result = corpus.docs
    elif stage == "load_fast":
        result = pl.read_parquet(work.corpus)
    elif stage == "tokenize":
        import analysis

        result = analysis.tokenize(prep)
    elif stage == "count_terms":
        result = counting.count_terms(prep, progress=False)
    elif stage == "count_terms_parquet":
        out = work.dir / "counts_streamed.parquet"
        summary = counting.count_terms_to_parquet(source, out, progress=False)
        result = None
    elif stage == "term_frequency":
        import analysis
        from analysis.terms._frequency import term_frequency

        result = term_frequency(analysis.tokenize(prep), include_stop=True,
                                include_punct=True)
    elif stage == "sklearn_count":
        from sklearn.feature_extraction.text import CountVectorizer

        from analysis.tokens._tokenize import TOKEN_PATTERN

        vectorizer = CountVectorizer(token_pattern=TOKEN_PATTERN, preprocessor=_normaliser())
        matrix = vectorizer.fit_transform(prep)
    elif stage == "nltk_freqdist":
        from nltk import FreqDist
        from nltk.tokenize import RegexpTokenizer

        from analysis.tokens._tokenize import TOKEN_PATTERN

        tokenizer = RegexpTokenizer(TOKEN_PATTERN)
        normalise = _normaliser()
        dists = [FreqDist(normalise(t) for t in tokenizer.tokenize(text)) for text in prep]
    elif stage == "re_counter":
        import re
        from collections import Counter

        from analysis.tokens._tokenize import TOKEN_PATTERN

        pattern = re.compile(TOKEN_PATTERN)
        normalise = _normaliser()
        counters = [Counter(pattern.findall(normalise(text))) for text in prep]
    elif stage == "tf_idf":
        from analysis.terms._frequency import tf_idf

        result = tf_idf(prep.filter(~pl.col("is_stop") & ~pl.col("is_punct"))
                        .select("doc_id", "term", "n"))
    elif stage == "sentence_terms":
        result = counting.sentence_terms(prep, progress=False)
    elif stage == "collocations":
        result = colloc.collocations(prep, measures=["ll"], include_punct=True)
    elif stage == "collocations_verb":
        from analysis.pairs._collocations import collocations

        result = collocations(prep, measures=["ll"], include_punct=True)
    elif stage == "nltk_collocations":
        from nltk.collocations import BigramCollocationFinder
        from nltk.metrics import BigramAssocMeasures

        finder = BigramCollocationFinder.from_documents(_sentence_lists(work))
        scored = finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
    elif stage == "cooc_document":
        result = cooc.cooccurrence_counts(prep, top=TOP_TERMS)
    elif stage == "cooc_sentence":
        result = cooc.cooccurrence_counts(prep, context="sentence", top=TOP_TERMS)
    elif stage == "local_e2e_counts":
        counts = counting.count_terms(source, include_stop=False, include_punct=False,
                                       progress=False)
        result = counts.group_by("term").agg(n=pl.col("n").sum(), docfreq=pl.len())
    elif stage == "dask_e2e_counts":
        from analysis.scale import _dask as distributed

        result = distributed.term_totals(source, client=client)
    elif stage == "local_e2e_cooc":
        result = cooc.cooccurrence_counts(counting.count_terms(source, progress=False),
                                               top=TOP_TERMS)
    elif stage == "dask_e2e_cooc":
        from analysis.scale import _dask as distributed

        result = distributed.cooccurrence_counts(source, top=TOP_TERMS, client=client)
    else:
        raise ValueError(f"unknown stage {stage!r}")
    wall = time.perf_counter() - t0
    cpu = _cpu() - cpu0
    # ---- untimed: totals and the files later stages read
    if stage.startswith("dask_"):
        cpu += sum(client.run(_cpu).values()) - worker_cpu0
        peaks = client.run(_rss_mb, "VmHWM")
        totals["worker_peak_mb"] = round(max(peaks.values()))
        client.close()
        cluster.close()
    if stage in ("load", "load_fast"):
        totals["docs"] = result.height
        if stage == "load":
            result.select("doc_id", "title", "outlet", "published", "text").write_parquet(
                work.docs)
    elif stage == "tokenize":
        totals.update(tokens=result.height, terms=result["term"].n_unique())
    elif stage in ("count_terms", "term_frequency"):
        totals.update(tokens=int(result["n"].sum()), terms=result["term"].n_unique(),
                      docs=result["doc_id"].n_unique())
        if stage == "count_terms":
            result.write_parquet(work.counts)
    elif stage == "count_terms_parquet":
        totals.update(tokens=summary["tokens"], docs=summary["docs"], rows=summary["rows"])
    elif stage == "sklearn_count":
        nonempty = int((matrix.getnnz(axis=1) > 0).sum())
        totals.update(tokens=int(matrix.sum()), terms=len(vectorizer.vocabulary_), docs=nonempty)
    elif stage == "nltk_freqdist":
        terms = set().union(*(d.keys() for d in dists))
        totals.update(tokens=sum(d.N() for d in dists), terms=len(terms),
                      docs=sum(1 for d in dists if d))
    elif stage == "re_counter":
        terms = set().union(*(c.keys() for c in counters))
        totals.update(tokens=sum(c.total() for c in counters), terms=len(terms),
                      docs=sum(1 for c in counters if c))
    elif stage == "tf_idf":
        totals.update(rows=result.height, docs=result["doc_id"].n_unique())
    elif stage == "sentence_terms":
        totals.update(tokens=result.height,
                      sentences=result.select("doc_id", "sentence_id").n_unique())
        result.write_parquet(work.sentences)
    elif stage in ("collocations", "collocations_verb"):
        totals.update(pairs=result.height, pair_tokens=int(result["n"].sum()))
        result.select("term1", "term2", "ll").write_parquet(work.dir / f"{stage}.parquet")
    elif stage == "nltk_collocations":
        totals.update(pairs=len(scored), pair_tokens=finder.ngram_fd.N())
        ours_file = work.dir / "collocations.parquet"
        if ours_file.exists():
            ours = pl.read_parquet(ours_file)
            nltk_ll = pl.DataFrame({"term1": [a for (a, _), _ in scored],
                                    "term2": [b for (_, b), _ in scored],
                                    "ll_nltk": [s for _, s in scored]})
            joined = ours.join(nltk_ll, on=["term1", "term2"], how="full", coalesce=True)
            diff = joined.select(
                ((pl.col("ll") - pl.col("ll_nltk")).abs()
                 / pl.max_horizontal(pl.col("ll_nltk").abs(), pl.lit(1.0))).max()
            ).item()
            totals["ll_max_rel_diff_vs_ours"] = diff if diff is not None else float("nan")
            totals["ll_unmatched_pairs"] = joined.filter(
                pl.col("ll").is_null() | pl.col("ll_nltk").is_null()).height
    elif stage in ("cooc_document", "cooc_sentence", "local_e2e_cooc", "dask_e2e_cooc"):
        totals.update(pairs=result.height, pair_count_sum=int(result["n"].sum()))
        if stage == "cooc_document":
            result.select("item1", "item2", "n").write_parquet(work.dir / "cooc_document.parquet")
    elif stage in ("local_e2e_counts", "dask_e2e_counts"):
        totals.update(tokens=int(result["n"].sum()), terms=result.height)
    return {"stage": stage, "wall_s": wall, "cpu_s": cpu,
            "peak_rss_mb": _rss_mb("VmHWM"),
            "input_rss_mb": baseline, "totals": totals}


def run_sklearn_cooc(work: Work) -> dict[str, Any]:
    """scikit-learn's document co-occurrence: ``X.T @ X`` of the binarised top-1000 columns.

    The document-term matrix (``CountVectorizer``) is built untimed; the timed part selects the
    1,000 most frequent non-stop-word, non-punctuation columns (ties by term, as ours),
    binarises and multiplies.
    """
    import numpy as np
    import polars as pl
    from sklearn.feature_extraction.text import CountVectorizer

    from analysis.tokens._tokenize import TOKEN_PATTERN

    vectorizer = CountVectorizer(token_pattern=TOKEN_PATTERN, preprocessor=_normaliser())
    matrix = vectorizer.fit_transform(work.texts()).tocsc()
    vocab = vectorizer.get_feature_names_out()
    keep_mask = ~_stop_or_punct(vocab)
    baseline = _rss_mb()
    cpu0 = _cpu()
    t0 = time.perf_counter()
    totals_col = np.asarray(matrix.sum(axis=0)).ravel()
    candidates = np.flatnonzero(keep_mask)
    order = np.lexsort((vocab[candidates], -totals_col[candidates]))[:TOP_TERMS]
    cols = np.sort(candidates[order])
    xb = (matrix[:, cols] > 0).astype(np.int64)
    gram = (xb.T @ xb).toarray()
    wall = time.perf_counter() - t0
    cpu = _cpu() - cpu0
    upper = np.triu(gram, k=1)
    totals = {"pairs": int((upper > 0).sum()), "pair_count_sum": int(upper.sum())}
    ours_file = work.dir / "cooc_document.parquet"
    if ours_file.exists():
        names = vocab[cols]
        i, j = np.nonzero(upper)
        ref = pl.DataFrame({"item1": names[i], "item2": names[j], "n": upper[i, j]})
        ref = ref.with_columns(  # ours orders each pair by term
            a=pl.min_horizontal("item1", "item2"), b=pl.max_horizontal("item1", "item2")
        ).select(item1="a", item2="b", n="n")
        ours = pl.read_parquet(ours_file)
        totals["identical_to_ours"] = ours.sort("item1", "item2").equals(
            ref.sort("item1", "item2").cast(ours.schema))
    return {"stage": "sklearn_cooc", "wall_s": wall, "cpu_s": cpu,
            "peak_rss_mb": _rss_mb("VmHWM"),
            "input_rss_mb": baseline, "totals": totals}


def child_main(stage: str, corpus: str, out: str) -> None:
    work = Work(Path(corpus))
    record = run_sklearn_cooc(work) if stage == "sklearn_cooc" else run_stage(stage, work)
    Path(out).write_text(json.dumps(record))


# ----------------------------------------------------------------------------------------------
# the runner (parent process)


def run_size(size: int, stages: list[str], *, timeout: float, force_all: bool,
             log: Callable[[str], None]) -> list[dict[str, Any]]:
    from bench.corpus import write_corpus

    corpus = CORPORA_DIR / f"bench-{fmt_size(size)}.parquet"
    if not corpus.exists():
        t = time.perf_counter()
        write_corpus(corpus, docs=size)
        log(f"generated {corpus} in {time.perf_counter() - t:.1f}s")
    work = Work(corpus)
    for stale in (work.docs, work.counts, work.sentences):
        stale.unlink(missing_ok=True)
    records = []
    for stage in stages:
        task, impl, limit = STAGES[stage]
        if size > limit and not force_all:
            log(f"  {stage:<22} skipped (default limit {fmt_size(limit)} documents)")
            continue
        out = work.dir / f"{stage}.json"
        out.unlink(missing_ok=True)
        t = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "bench.run", "--child", stage, "--corpus",
             str(corpus), "--json", str(out)],
            capture_output=True, text=True, timeout=timeout, check=False, cwd=REPO_ROOT,
        )
        if proc.returncode != 0 or not out.exists():
            tail = (proc.stderr or "").strip().splitlines()[-1:] or ["no output"]
            log(f"  {stage:<22} FAILED ({tail[0][:200]})")
            records.append({"size": size, "stage": stage, "task": task, "impl": impl,
                            "error": tail[0][:500]})
            continue
        record = json.loads(out.read_text())
        record.update(size=size, task=task, impl=impl,
                      process_wall_s=time.perf_counter() - t)
        records.append(record)
        log(f"  {stage:<22} wall {record['wall_s']:8.2f}s  cpu {record['cpu_s']:8.2f}s  "
            f"peak {record['peak_rss_mb']:8.0f} MB  {record['totals']}")
    return records


def check_totals(records: list[dict[str, Any]]) -> list[str]:
    """Compare what implementations of the same task counted; one line per task and size."""
    lines = []
    by_task: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for r in records:
        if "error" not in r:
            by_task.setdefault((r["size"], r["task"]), []).append(r)
    for (size, task), group in sorted(by_task.items()):
        if len(group) < 2:
            continue
        keys = set.intersection(*(set(r["totals"]) for r in group)) - {
            "cluster_start_s", "worker_peak_mb", "rows"}
        keys = {k for k in keys if not k.startswith("ll_") and k != "identical_to_ours"}
        same = all(group[0]["totals"][k] == r["totals"][k] for r in group for k in keys)
        shown = ", ".join(f"{k}={group[0]['totals'][k]}" for k in sorted(keys))
        verdict = "SAME TOTALS" if same and keys else ("NOTHING TO COMPARE" if not keys
                                                       else "DIFFERENT TOTALS")
        detail = "" if same else " | " + "; ".join(
            f"{r['stage']}: {r['totals']}" for r in group)
        lines.append(f"{fmt_size(size)} {task}: {verdict} ({shown}) "
                     f"across {', '.join(r['stage'] for r in group)}{detail}")
    return lines


def ratios(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    index = {(r["size"], r["stage"]): r for r in records if "error" not in r}
    out = []
    for size in sorted({r["size"] for r in records}):
        for ours, ref in RATIOS:
            a, b = index.get((size, ours)), index.get((size, ref))
            if not a or not b:
                continue
            keys = (set(a["totals"]) & set(b["totals"])) - {"cluster_start_s",
                                                             "worker_peak_mb", "rows"}
            equal = all(a["totals"][k] == b["totals"][k] for k in keys)
            out.append({"size": size, "ours": ours, "reference": ref,
                        "wall_ratio": b["wall_s"] / a["wall_s"] if a["wall_s"] else None,
                        "cpu_ratio": b["cpu_s"] / a["cpu_s"] if a["cpu_s"] else None,
                        "same_totals": equal})
    return out


def markdown(meta: dict[str, Any], records: list[dict[str, Any]],
             ratio_rows: list[dict[str, Any]], checks: list[str]) -> str:
    lines = [
        f"Benchmark run {meta['date']} on `{meta['host']}` ({meta['cpus']} CPUs, "
        f"{meta['memory_gb']} GB RAM, Python {meta['python']}, polars {meta['polars']}); "
        f"load average at start {meta['loadavg_start']}, at end {meta['loadavg_end']}.",
        "",
        "| docs | stage | implementation | wall s | CPU s | peak MB | counted |",
        "|---:|---|---|---:|---:|---:|---|",
    ]
    for r in records:
        if "error" in r:
            lines.append(f"| {fmt_size(r['size'])} | {r['task']} | {r['impl']} | failed | | | "
                         f"{r['error'][:80]} |")
            continue
        counted = ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                            for k, v in r["totals"].items())
        lines.append(
            f"| {fmt_size(r['size'])} | {r['task']} | {r['impl']} | {r['wall_s']:.2f} | "
            f"{r['cpu_s']:.2f} | {r['peak_rss_mb']:.0f} | {counted} |"
        )
    lines += ["", "Speed-ups (reference time / ours; for Dask: the overhead factor, Dask time / "
              "local time, cluster start-up excluded):", "",
              "| docs | ours | reference | wall ratio | CPU ratio | same totals |",
              "|---:|---|---|---:|---:|---|"]
    for row in ratio_rows:
        lines.append(
            f"| {fmt_size(row['size'])} | {row['ours']} | {row['reference']} | "
            f"{row['wall_ratio']:.1f}x | {row['cpu_ratio']:.1f}x | "
            f"{'yes' if row['same_totals'] else 'NO'} |"
        )
    lines += ["", "Totals checks:", ""] + [f"- {c}" for c in checks]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the benchmark suite (make bench).")
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="comma-separated corpus sizes in documents")
    parser.add_argument("--only", default="", help="comma-separated stages (default: all)")
    parser.add_argument("--all-stages", action="store_true",
                        help="run every stage at every size (ignore the per-stage limits)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per stage")
    parser.add_argument("--out", default=str(RESULTS_DIR), help="results folder")
    parser.add_argument("--render", help="re-write the markdown of an earlier results JSON")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child, args.corpus, args.json)
        return
    if args.render:
        saved = json.loads(Path(args.render).read_text())
        table = markdown(saved["meta"], saved["records"], saved["ratios"], saved["checks"])
        Path(args.render).with_suffix(".md").write_text(table)
        print(table)
        return
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    stages = [s for s in STAGES if not args.only or s in args.only.split(",")]
    unknown = [s for s in args.only.split(",") if s and s not in STAGES]
    if unknown:
        parser.error(f"unknown stage(s) {unknown}; stages are {list(STAGES)}")
    import polars as pl

    host = socket.gethostname()
    now = datetime.now(UTC)
    meta = {
        "date": now.strftime("%Y-%m-%d %H:%M UTC"), "host": host, "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
        "python": platform.python_version(), "polars": pl.__version__,
        "loadavg_start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "sizes": sizes, "stages": stages,
    }

    def log(msg: str) -> None:
        print(msg, flush=True)

    records: list[dict[str, Any]] = []
    for size in sizes:
        log(f"== {fmt_size(size)} documents")
        records += run_size(size, stages, timeout=args.timeout, force_all=args.all_stages,
                            log=log)
    meta["loadavg_end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    checks = check_totals(records)
    ratio_rows = ratios(records)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{now.strftime('%Y-%m-%d')}-{host}"
    (out_dir / f"{stem}.json").write_text(json.dumps(
        {"meta": meta, "records": records, "ratios": ratio_rows, "checks": checks}, indent=1))
    table = markdown(meta, records, ratio_rows, checks)
    (out_dir / f"{stem}.md").write_text(table)
    log("")
    log(table)
    log(f"wrote {out_dir / stem}.json and .md")


if __name__ == "__main__":
    main()
