"""Whole-process benchmark (``make bench``): each implementation as a user runs it.

Every run is a new Python process started on the same Parquet file of synthetic articles
(:mod:`bench.corpus`): interpreter start-up, imports, reading the file and the work all count.
Implementations of one task run alternately (A, B, C, A, B, C, ...), ``--repeats`` times; the
median wall time is reported with its range, and a ratio is printed only when every
implementation counted the same totals (tokens, distinct terms, documents). Only public
``analysis`` functions are called, so the harness measures the package as it is.

Reference processes never import ``analysis``: the token pattern and the quote map they use are
passed to them in a JSON file.

Also measured: :func:`analysis.load_corpus` per 1,000 articles (the call, in its process); the
peak memory of :func:`analysis.tokenize` over its result's ``estimated_size()`` (on the
multi-row-group file as read, and rechunked); and ``python -m analysis.report`` on the corpus
(wall time, peak resident memory of all its processes together, sampled from ``/proc``) and on
the bundled corpus, cold and with nothing changed.

Usage::

    python -m bench.whole --sizes 10000                 # what `make bench` runs
    python -m bench.whole --sizes 100000 --repeats 1    # the 100k row of the target table
    python -m bench.whole --sizes 10000 --skip-report   # engines only

Results: ``bench/results/<date>-<host>-whole.json`` and ``.md``; the target table is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import fmt_size, peak_mb

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
CORPORA_DIR = BENCH_DIR / "corpora"
RESULTS_DIR = BENCH_DIR / "results"

GROUPS: dict[str, list[str]] = {
    "tidy": ["tidy", "nltk"],
    "count": ["count", "nltk", "sklearn", "re_counter"],
}
"""Task -> implementations run alternately (ours first)."""

IMPL_LABELS = {
    "tidy": "analysis.tokenize + term_frequency by document",
    "count": "analysis.count_terms",
    "nltk": "NLTK RegexpTokenizer + FreqDist",
    "sklearn": "scikit-learn CountVectorizer",
    "re_counter": "re.findall + Counter",
}


# ----------------------------------------------------------------------------------------------
# child processes: python -m bench.whole --child NAME --corpus F --config C --json OUT


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    """Reset ``VmHWM`` to the current RSS (Linux ``clear_refs``); False where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _totals_from_counters(counters: list[Any]) -> dict[str, int]:
    terms: set[str] = set()
    for c in counters:
        terms.update(c.keys())
    return {"tokens": sum(sum(c.values()) for c in counters), "terms": len(terms),
            "docs": sum(1 for c in counters if c)}


def child(name: str, corpus: str, config: dict[str, Any]) -> dict[str, Any]:
    """Run one implementation; return what it counted (and in-process figures)."""
    out: dict[str, Any] = {}
    if name in ("nltk", "re_counter", "sklearn"):
        import pyarrow.parquet as pq

        texts = pq.read_table(corpus, columns=["text"]).column("text").to_pylist()
        shadow = str.maketrans(config["quote_map"])

        def normalise(text: str) -> str:
            return text.translate(shadow).lower()

        if name == "nltk":
            from nltk import FreqDist
            from nltk.tokenize import RegexpTokenizer

            tokenizer = RegexpTokenizer(config["token_pattern"])
            dists = [FreqDist(normalise(t) for t in tokenizer.tokenize(text or ""))
                     for text in texts]
            out["totals"] = _totals_from_counters(dists)
        elif name == "re_counter":
            import re
            from collections import Counter

            pattern = re.compile(config["token_pattern"])
            counters = [Counter(pattern.findall(normalise(text or ""))) for text in texts]
            out["totals"] = _totals_from_counters(counters)
        else:
            from sklearn.feature_extraction.text import CountVectorizer

            vectorizer = CountVectorizer(token_pattern=config["token_pattern"],
                                         preprocessor=normalise, lowercase=False)
            matrix = vectorizer.fit_transform([t or "" for t in texts])
            out["totals"] = {"tokens": int(matrix.sum()), "terms": len(vectorizer.vocabulary_),
                             "docs": int((matrix.getnnz(axis=1) > 0).sum())}
        return out

    import polars as pl

    import analysis

    if name == "tidy":
        docs = pl.read_parquet(corpus)
        tokens = analysis.tokenize(docs)
        counts = analysis.term_frequency(tokens, by="doc_id", include_stop=True,
                                         include_punct=True)
        out["totals"] = _count_table_totals(counts)
    elif name == "count":
        counts = analysis.count_terms(pl.read_parquet(corpus), progress=False)
        out["totals"] = _count_table_totals(counts)
    elif name == "load":
        t, c = time.perf_counter(), time.process_time()
        corpus_obj = analysis.load_corpus(corpus, progress=False)
        out["call_s"] = time.perf_counter() - t
        out["call_cpu_s"] = time.process_time() - c
        out["totals"] = {"docs": corpus_obj.docs.height}
    elif name in ("tokenize_memory", "tokenize_memory_rechunked"):
        docs = pl.read_parquet(corpus)
        out["row_groups_chunks"] = docs["text"].n_chunks()
        if name.endswith("rechunked"):
            docs = docs.rechunk()
        exact = _reset_peak()
        before = _rss_mb()  # after the reset: the high-water mark is never below it
        tokens = analysis.tokenize(docs)
        size = tokens.estimated_size() / 2**20
        # the kernel folds per-thread RSS counters into VmHWM lazily, so right after the
        # reset it can read 0.1 MB below the RSS read just after it: the peak is at least that
        out.update(rss_before_mb=before, peak_mb=max(peak_mb(), before), result_mb=size,
                   peak_reset=exact, text_chunks=docs["text"].n_chunks())
        out["ratio"] = (out["peak_mb"] - before) / size if size else None
        out["totals"] = {"tokens": tokens.height}
    else:
        raise ValueError(f"unknown implementation {name!r}")
    return out


def _count_table_totals(counts: Any) -> dict[str, int]:
    import polars as pl

    return {"tokens": int(counts["n"].sum()), "terms": counts["term"].n_unique(),
            "docs": counts.filter(pl.col("n") > 0)["doc_id"].n_unique()}


# ----------------------------------------------------------------------------------------------
# the parent


def _config_file(folder: Path) -> Path:
    """The token pattern and quote map for the reference processes (read from the package)."""
    from analysis.tokens._tokenize import QUOTE_MAP, TOKEN_PATTERN

    path = folder / "config.json"
    path.write_text(json.dumps({"token_pattern": TOKEN_PATTERN, "quote_map": QUOTE_MAP}))
    return path


def run_process(name: str, corpus: Path, config: Path, work: Path,
                timeout: float) -> dict[str, Any]:
    """One implementation in a new process: wall, CPU (of the waited child), its figures."""
    out = work / f"{name}.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "bench.whole", "--child", name, "--corpus", str(corpus),
           "--config", str(config), "--json", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stderr=subprocess.PIPE, text=True)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"impl": name, "error": f"timeout after {timeout:.0f} s"}
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 or not out.exists():
        tail = (stderr or "").strip().splitlines()[-1:] or ["no output"]
        return {"impl": name, "error": tail[0][:300]}
    record = json.loads(out.read_text())
    cpu = (usage.ru_utime + usage.ru_stime) - (before.ru_utime + before.ru_stime)
    record.update(impl=name, wall_s=wall, cpu_s=cpu)
    return record


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return {"error": runs[0].get("error", "no runs")}
    walls = [r["wall_s"] for r in ok]
    cpus = [r["cpu_s"] for r in ok if "cpu_s" in r]
    return {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
            "cpu_median_s": statistics.median(cpus) if cpus else None, "runs": len(ok),
            "totals": ok[0].get("totals", {}),
            "totals_stable": all(r.get("totals") == ok[0].get("totals") for r in ok)}


def measure_report(args: list[str], *, cwd: Path) -> dict[str, Any]:
    """``python -m analysis.report ARGS``: wall time and memory of the whole process tree."""
    from bench.treemem import measure

    return measure([sys.executable, "-m", "analysis.report", *args], cwd=str(cwd))


def _ratio(ref: dict[str, Any], ours: dict[str, Any]) -> float | None:
    if "median_s" not in ref or "median_s" not in ours:
        return None
    return ref["median_s"] / ours["median_s"]


def run_size(size: int, *, repeats: int, timeout: float, report: bool,
             log: Any) -> dict[str, Any]:
    from bench.corpus import write_corpus

    corpus = CORPORA_DIR / f"bench-{fmt_size(size)}.parquet"
    if not corpus.exists():
        t = time.perf_counter()
        write_corpus(corpus, docs=size)
        log(f"generated {corpus} in {time.perf_counter() - t:.1f} s")
    work = Path(tempfile.mkdtemp(prefix=f"bench-whole-{fmt_size(size)}-"))
    config = _config_file(work)
    result: dict[str, Any] = {"size": size, "corpus": str(corpus), "groups": {}}
    for task, impls in GROUPS.items():
        runs: dict[str, list[dict[str, Any]]] = {i: [] for i in impls}
        for r in range(repeats):
            for impl in impls:  # alternate: A, B, A, B, ...
                rec = run_process(impl, corpus, config, work, timeout)
                runs[impl].append(rec)
                shown = (f"{rec['wall_s']:.1f} s" if "wall_s" in rec else rec.get("error"))
                log(f"  [{fmt_size(size)}] {task:<6} run {r + 1}/{repeats} {impl:<11} {shown}")
        summary = {impl: summarise(rs) for impl, rs in runs.items()}
        totals = [s.get("totals") for s in summary.values() if "totals" in s]
        same = len(totals) == len(impls) and all(t == totals[0] for t in totals)
        ours = summary[impls[0]]
        ratios = {ref: (_ratio(summary[ref], ours) if same else None) for ref in impls[1:]}
        result["groups"][task] = {"summary": summary, "same_totals": same, "ratios": ratios}
        log(f"  [{fmt_size(size)}] {task}: same totals {same} {totals[0] if totals else ''}; "
            + ", ".join(f"vs {k} {v:.2f}x" if v else f"vs {k} n/a" for k, v in ratios.items()))
    # load_corpus per 1,000 articles, tokenize memory
    loads = [run_process("load", corpus, config, work, timeout) for _ in range(repeats)]
    calls = [r["call_s"] for r in loads if "call_s" in r]
    result["load_per_1000_s"] = (statistics.median(calls) * 1000 / size) if calls else None
    cpus = [r["call_cpu_s"] for r in loads if "call_cpu_s" in r]
    result["load_cpu_per_1000_s"] = (statistics.median(cpus) * 1000 / size) if cpus else None
    result["load_runs"] = loads
    log(f"  [{fmt_size(size)}] load_corpus per 1,000: {result['load_per_1000_s']}")
    for name in ("tokenize_memory", "tokenize_memory_rechunked"):
        rec = run_process(name, corpus, config, work, timeout)
        result[name] = rec
        log(f"  [{fmt_size(size)}] {name}: {rec.get('ratio')} "
            f"(peak {rec.get('peak_mb')} MB, result {rec.get('result_mb')} MB, "
            f"chunks {rec.get('row_groups_chunks')})" if "error" not in rec else rec["error"])
    if report:
        out = work / "reports"
        result["report"] = measure_report(["--corpus", str(corpus), "--out", str(out),
                                           "--force"], cwd=REPO_ROOT)
        log(f"  [{fmt_size(size)}] make report: {result['report']}")
    shutil.rmtree(work, ignore_errors=True)
    return result


def bundled_report(log: Any) -> dict[str, Any]:
    """``python -m analysis.report`` on the bundled corpus: cold, then with nothing changed."""
    out = Path(tempfile.mkdtemp(prefix="bench-whole-bundled-"))
    cold = measure_report(["--out", str(out / "r")], cwd=REPO_ROOT)
    warm = measure_report(["--out", str(out / "r")], cwd=REPO_ROOT)
    shutil.rmtree(out, ignore_errors=True)
    log(f"  bundled report: cold {cold['wall_s']} s, no change {warm['wall_s']} s")
    return {"cold": cold, "no_change": warm}


TARGETS = [
    # (label, issue's figure at 10k, target text, key)
    ("tidy path (tokenize + term_frequency by document) vs NLTK", "0.44x", ">= 5x", "tidy_nltk"),
    ("counting path vs NLTK", "2.75x", ">= 10x", "count_nltk"),
    ("counting path vs scikit-learn", "1.4x", ">= 4x", "count_sklearn"),
    ("counting path vs re + Counter", "0.88x", ">= 3x", "count_re"),
    ("load_corpus per 1,000 articles (Parquet)", "0.74 s", "<= 0.15 s", "load"),
    ("peak memory of tokenize / estimated_size()", "about 7x", "<= 2.5x", "tok_mem"),
    ("make report, wall / peak memory of all processes", "7 min, 4.6 GB per kernel",
     "<= 90 s, <= 3 GB (10k); <= 15 min, <= 8 GB (100k)", "report"),
    ("make report on the bundled corpus, cold / no change", "34 s / 8 s", "<= 15 s / <= 1 s",
     "bundled"),
]


def figures(size_result: dict[str, Any]) -> dict[str, str]:
    g = size_result["groups"]

    def ratio(task: str, ref: str) -> str:
        grp = g.get(task, {})
        v = grp.get("ratios", {}).get(ref)
        if v is None:
            return "n/a (totals differ)" if grp and not grp.get("same_totals") else "n/a"
        s = grp["summary"]
        ours, other = s[GROUPS[task][0]], s[ref]
        cpu = ""
        if ours.get("cpu_median_s") and other.get("cpu_median_s"):
            cpu = f"; CPU {other['cpu_median_s'] / ours['cpu_median_s']:.2f}x"
        return (f"{v:.2f}x ({other['median_s']:.1f} s / {ours['median_s']:.1f} s; "
                f"ours {ours['min_s']:.1f}-{ours['max_s']:.1f}{cpu})")

    out = {"tidy_nltk": ratio("tidy", "nltk"), "count_nltk": ratio("count", "nltk"),
           "count_sklearn": ratio("count", "sklearn"), "count_re": ratio("count", "re_counter")}
    load = size_result.get("load_per_1000_s")
    load_cpu = size_result.get("load_cpu_per_1000_s")
    out["load"] = (f"{load:.3f} s" if load is not None else "n/a") + (
        f" (CPU {load_cpu:.3f} s)" if load_cpu is not None else "")
    mem = [size_result.get(k, {}) for k in ("tokenize_memory", "tokenize_memory_rechunked")]
    out["tok_mem"] = " / ".join(
        f"{m['ratio']:.1f}x ({m['peak_mb'] - m['rss_before_mb']:.0f} MB for "
        f"{m['result_mb']:.0f} MB)" if m.get("ratio") else "n/a" for m in mem
    ) + " (as read, multi-row-group / rechunked)"
    rep = size_result.get("report")
    out["report"] = (f"{rep['wall_s']:.0f} s (CPU {rep.get('cpu_s', float('nan')):.0f} s), "
                     f"{rep['peak_tree_mb'] / 1024:.1f} GB in all "
                     f"(largest process {rep['peak_single_mb'] / 1024:.1f} GB)"
                     + ("" if rep["returncode"] == 0 else " FAILED")) if rep else "not run"
    return out


def markdown(meta: dict[str, Any], results: list[dict[str, Any]],
             bundled: dict[str, Any] | None) -> str:
    lines = [f"Whole-process benchmark {meta['date']} on `{meta['host']}` ({meta['cpus']} CPUs, "
             f"{meta['memory_gb']} GB RAM, Python {meta['python']}); load average at start "
             f"{meta['loadavg_start']}, at end {meta['loadavg_end']}; {meta['repeats']} "
             "alternated runs per implementation, medians (range).", ""]
    for res in results:
        fig = figures(res)
        if bundled:
            fig["bundled"] = (f"{bundled['cold']['wall_s']:.1f} s / "
                              f"{bundled['no_change']['wall_s']:.1f} s")
        lines += [f"### {fmt_size(res['size'])} articles", "",
                  "| task | issue (10k) | this run | target |", "|---|---|---|---|"]
        for label, before, target, key in TARGETS:
            lines.append(f"| {label} | {before} | {fig.get(key, 'not run')} | {target} |")
        lines += ["", "| task | implementation | median s | range s | CPU s | counted |",
                  "|---|---|---:|---:|---:|---|"]
        for task, grp in res["groups"].items():
            for impl, s in grp["summary"].items():
                if "error" in s:
                    lines.append(f"| {task} | {IMPL_LABELS[impl]} | failed | | | {s['error']} |")
                    continue
                cpu = f"{s['cpu_median_s']:.1f}" if s["cpu_median_s"] is not None else ""
                lines.append(f"| {task} | {IMPL_LABELS[impl]} | {s['median_s']:.2f} | "
                             f"{s['min_s']:.2f}-{s['max_s']:.2f} | {cpu} | {s['totals']} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000", help="comma-separated corpus sizes")
    parser.add_argument("--repeats", type=int, default=3, help="alternated runs each")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per process")
    parser.add_argument("--skip-report", action="store_true",
                        help="do not time `python -m analysis.report`")
    parser.add_argument("--out", default=str(RESULTS_DIR), help="results folder")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--config", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        config = json.loads(Path(args.config).read_text())
        Path(args.json).write_text(json.dumps(child(args.child, args.corpus, config)))
        return
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    now = datetime.now(UTC)
    meta = {"date": now.strftime("%Y-%m-%d %H:%M UTC"), "host": socket.gethostname(),
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
            "loadavg_start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
            "repeats": args.repeats, "sizes": sizes}

    def log(msg: str) -> None:
        print(msg, flush=True)

    results = [run_size(n, repeats=args.repeats, timeout=args.timeout,
                        report=not args.skip_report, log=log) for n in sizes]
    bundled = None if args.skip_report else bundled_report(log)
    meta["loadavg_end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    table = markdown(meta, results, bundled)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{now.strftime('%Y-%m-%d')}-{meta['host']}-whole"
    (out_dir / f"{stem}.json").write_text(json.dumps(
        {"meta": meta, "results": results, "bundled": bundled}, indent=1, default=str))
    (out_dir / f"{stem}.md").write_text(table)
    log("")
    log(table)
    log(f"wrote {out_dir / stem}.json and .md")


if __name__ == "__main__":
    main()
