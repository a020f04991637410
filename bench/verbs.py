"""Verb benchmark (``make bench-verbs``): collocations vs NLTK, co-occurrence vs ``X.T @ X``.

The issue-10 targets "also at 100k": collocations >= 20x NLTK with equal scores, and document
co-occurrence over the top 1,000 terms >= 3x scikit-learn/scipy ``X.T @ X`` from the same count
table. Each task reads one prepared Parquet file, made once (untimed) from the synthetic corpus
``bench/corpora/synth-<N>.parquet`` (:mod:`bench.corpus`; generated when missing):

- ``collocations``: the token table of :func:`analysis.tokenize` (``doc_id, sentence_id,
  token_id, term, is_stop, is_punct``). Ours: ``analysis.collocations(tokens, measures=["ll"],
  include_punct=True)``. NLTK: the sentences as lists of terms,
  ``BigramCollocationFinder.from_documents`` and ``score_ngrams(likelihood_ratio)``.
- ``cooc_document``: the count table of ``analysis.count_terms(docs, include_stop=False,
  include_punct=False)`` (``doc_id, term, n``). Ours: ``analysis.cooccurrence(counts,
  context="document", top=1000)``. Reference: the document-term matrix built from the same
  table with pyarrow + scipy, the 1,000 most frequent columns (ties by term), binarised with
  ``sklearn.preprocessing.binarize``, ``X.T @ X``.

Two ways, both alternated (A, B, A, B, ...):

1. **whole process**: each side as its own new process (start-up, imports, reading the file,
   the work); wall time and CPU (user+sys of the child, from ``getrusage``);
2. **in process**: one process reads the file once and runs both sides alternately, timing
   only the work (wall and CPU), and compares the results: identical pair tables for
   co-occurrence, every pair's log-likelihood within 1e-6 (relative) for collocations.

Medians with min-max; a ratio is printed only when both sides counted the same totals (pairs,
summed counts) and, in process, gave equal results. Reference processes never import
``analysis``.

Usage::

    python -m bench.verbs --sizes 10000,100000 [--repeats 3] [--inprocess-repeats 1]
    python -m bench.verbs --sizes 100000 --repeats 2 --tasks collocations

Results: ``bench/results/<date>-<host>-verbs.json`` and ``.md``, rewritten after every task;
rows of other sizes or tasks measured earlier the same day are kept.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import fmt_size, peak_mb

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
CORPORA_DIR = BENCH_DIR / "corpora"
RESULTS_DIR = BENCH_DIR / "results"
TOP = 1_000

TASKS: dict[str, tuple[str, str, str]] = {
    # task: (ours, reference, target ratio)
    "collocations": ("ours", "nltk", ">= 20x"),
    "cooc_document": ("ours", "xtx", ">= 3x"),
}
LABELS = {
    ("collocations", "ours"): "analysis.collocations (ll)",
    ("collocations", "nltk"): "NLTK BigramCollocationFinder (ll)",
    ("cooc_document", "ours"): "analysis.cooccurrence(context='document', top=1000)",
    ("cooc_document", "xtx"): "scipy/scikit-learn binarised X.T @ X (top 1000)",
}


# ----------------------------------------------------------------------------------------------
# the work of each side (imports inside: a reference process never imports analysis)


def read_input(task: str, impl: str, path: str) -> Any:
    """Read the task's Parquet file as this side reads it."""
    if impl == "ours":
        import polars as pl

        return pl.read_parquet(path)
    if impl == "nltk":
        import polars as pl

        # the sentences as lists of terms (NLTK's input shape), converted a slice at a time
        sentences = (pl.scan_parquet(path).group_by("doc_id", "sentence_id", maintain_order=True)
                     .agg("term").collect()["term"])
        return sentences
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=["doc_id", "term", "n"])


def run_side(task: str, impl: str, data: Any) -> Any:
    """The timed work: returns the result."""
    if task == "collocations" and impl == "ours":
        import analysis

        return analysis.collocations(data, measures=["ll"], include_punct=True)
    if task == "collocations":
        from nltk.collocations import BigramCollocationFinder
        from nltk.metrics import BigramAssocMeasures

        def lists() -> Any:
            for start in range(0, len(data), 100_000):
                yield from data.slice(start, 100_000).to_list()

        finder = BigramCollocationFinder.from_documents(lists())
        return finder, finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
    if impl == "ours":
        import analysis

        return analysis.cooccurrence(data, context="document", top=TOP)
    return reference_cooccurrence(data)


def reference_cooccurrence(table: Any) -> tuple[Any, Any, Any]:
    """``X.T @ X`` of the binarised top-``TOP`` columns of the document-term matrix:
    ``(names, i, j, n)`` of the pairs ``i < j`` by name, for the comparison."""
    import numpy as np
    import pyarrow.compute as pc
    from scipy import sparse
    from sklearn.preprocessing import binarize

    docs = pc.dictionary_encode(table.column("doc_id")).combine_chunks()
    terms = pc.dictionary_encode(table.column("term")).combine_chunks()
    rows = docs.indices.to_numpy()
    cols = terms.indices.to_numpy()
    vocab = np.asarray(terms.dictionary.to_pylist(), dtype=object)
    x = sparse.csc_matrix((table.column("n").to_numpy().astype(np.int64), (rows, cols)),
                          shape=(len(docs.dictionary), len(vocab)))
    totals = np.asarray(x.sum(axis=0)).ravel()
    order = np.lexsort((vocab, -totals))[:TOP]
    chosen = order[np.argsort(vocab[order])]  # columns sorted by term
    xb = binarize(x[:, chosen]).astype(np.int64)
    gram = (xb.T @ xb).toarray()
    i, j = np.nonzero(np.triu(gram, k=1))
    return vocab[chosen], (i, j), gram[i, j]


def totals_of(task: str, impl: str, result: Any) -> dict[str, Any]:
    """What was counted: equal across sides before a ratio is quoted."""
    if task == "collocations" and impl == "ours":
        return {"pairs": result.height, "pair_tokens": int(result["n"].sum()),
                "ll_sum": float(f"{float(result['ll'].sum()):.8g}")}
    if task == "collocations":
        finder, scored = result
        return {"pairs": len(scored), "pair_tokens": int(finder.ngram_fd.N()),
                "ll_sum": float(f"{float(sum(s for _, s in scored)):.8g}")}
    if impl == "ours":
        return {"pairs": result.height, "pair_count_sum": int(result["n"].sum())}
    _, _, n = result
    return {"pairs": len(n), "pair_count_sum": int(n.sum())}


def compare(task: str, ours: Any, ref: Any) -> dict[str, Any]:
    """In process: are the results equal (pairs and counts / scores)?"""
    import polars as pl

    if task == "collocations":
        _, scored = ref
        nltk_ll = pl.DataFrame({"term1": [a for (a, _), _ in scored],
                                "term2": [b for (_, b), _ in scored],
                                "ll_nltk": [s for _, s in scored]})
        joined = ours.select("term1", "term2", "ll").join(
            nltk_ll, on=["term1", "term2"], how="full", coalesce=True)
        unmatched = joined.filter(pl.col("ll").is_null() | pl.col("ll_nltk").is_null()).height
        diff = joined.select(((pl.col("ll") - pl.col("ll_nltk")).abs()
                              / pl.max_horizontal(pl.col("ll_nltk").abs(), pl.lit(1.0))).max()
                             ).item()
        return {"unmatched_pairs": unmatched, "ll_max_rel_diff": diff,
                "equal": unmatched == 0 and diff is not None and diff < 1e-6}
    names, (i, j), n = ref
    want = pl.DataFrame({"item1": names[i].tolist(), "item2": names[j].tolist(),
                         "n": n.tolist()}, schema={"item1": pl.String, "item2": pl.String,
                                                   "n": pl.Int64})
    got = ours.select("item1", "item2", "n")
    same = got.sort("item1", "item2").equals(want.sort("item1", "item2"))
    return {"equal": bool(same), "pairs": got.height}


# ----------------------------------------------------------------------------------------------
# child processes


def child_whole(task: str, impl: str, path: str) -> dict[str, Any]:
    data = read_input(task, impl, path)
    result = run_side(task, impl, data)
    return {"totals": totals_of(task, impl, result), "peak_mb": peak_mb()}


def child_inprocess(task: str, path: str, repeats: int) -> dict[str, Any]:
    ours_impl, ref_impl = TASKS[task][:2]
    inputs = {impl: read_input(task, impl, path) for impl in (ours_impl, ref_impl)}
    runs: dict[str, list[dict[str, Any]]] = {ours_impl: [], ref_impl: []}
    results: dict[str, Any] = {}
    for _ in range(repeats):
        for impl in (ours_impl, ref_impl):  # alternate
            results.pop(impl, None)
            t, c = time.perf_counter(), time.process_time()
            results[impl] = run_side(task, impl, inputs[impl])
            runs[impl].append({"wall_s": time.perf_counter() - t,
                               "cpu_s": time.process_time() - c,
                               "totals": totals_of(task, impl, results[impl])})
    return {"runs": runs, "check": compare(task, results[ours_impl], results[ref_impl]),
            "peak_mb": peak_mb()}


def run_child(args: list[str], timeout: float) -> dict[str, Any]:
    """A new process ``python -m bench.verbs --child ...``: wall, CPU and its record."""
    out = Path(args[args.index("--json") + 1])
    out.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench.verbs", *args], cwd=REPO_ROOT,
                            stderr=subprocess.PIPE, text=True)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"error": f"timeout after {timeout:.0f} s"}
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 or not out.exists():
        tail = (stderr or "").strip().splitlines()[-1:] or ["no output"]
        return {"error": tail[0][:300]}
    record = json.loads(out.read_text())
    record.update(wall_s=wall, cpu_s=(usage.ru_utime + usage.ru_stime)
                  - (before.ru_utime + before.ru_stime))
    return record


# ----------------------------------------------------------------------------------------------
# the parent


def prepare(size: int, log: Any) -> dict[str, Path]:
    """The corpus and the two task inputs (made once, untimed)."""
    import polars as pl

    import analysis
    from bench.corpus import write_corpus

    corpus = CORPORA_DIR / f"synth-{size}.parquet"
    if not corpus.exists():
        log(f"generating {corpus}")
        write_corpus(corpus, docs=size)
    inputs = {"collocations": CORPORA_DIR / f"synth-{size}-tokens.parquet",
              "cooc_document": CORPORA_DIR / f"synth-{size}-counts.parquet"}
    if not inputs["collocations"].exists():
        log(f"writing {inputs['collocations']}")
        tokens = analysis.tokenize(pl.read_parquet(corpus).rechunk())
        tokens.select("doc_id", "sentence_id", "token_id", "term", "is_stop",
                      "is_punct").write_parquet(inputs["collocations"])
        del tokens
    if not inputs["cooc_document"].exists():
        log(f"writing {inputs['cooc_document']}")
        counts = analysis.count_terms(pl.read_parquet(corpus), include_stop=False,
                                      include_punct=False, progress=False)
        counts.select("doc_id", "term", "n").write_parquet(inputs["cooc_document"])
    return {"corpus": corpus, **inputs}


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def run_task(task: str, size: int, path: Path, *, repeats: int, inproc_repeats: int,
             timeout: float, work: Path, log: Any) -> dict[str, Any]:
    ours_impl, ref_impl = TASKS[task][:2]
    whole: dict[str, list[dict[str, Any]]] = {ours_impl: [], ref_impl: []}
    for r in range(repeats):
        for impl in (ours_impl, ref_impl):  # alternate: A, B, A, B, ...
            rec = run_child(["--child", task, "--impl", impl, "--input", str(path),
                             "--json", str(work / f"{task}-{impl}.json")], timeout)
            whole[impl].append(rec)
            shown = f"{rec['wall_s']:.1f} s wall, {rec['cpu_s']:.1f} s CPU" \
                if "wall_s" in rec else rec["error"]
            log(f"  [{fmt_size(size)}] {task} whole process {r + 1}/{repeats} {impl}: {shown}")
    inproc = run_child(["--child", task, "--impl", "inprocess", "--input", str(path),
                        "--repeats", str(inproc_repeats), "--json",
                        str(work / f"{task}-inprocess.json")], timeout * 2 * inproc_repeats)
    log(f"  [{fmt_size(size)}] {task} in process: "
        f"{inproc.get('check', inproc.get('error'))}")
    out: dict[str, Any] = {"task": task, "size": size, "input": str(path),
                           "repeats": repeats, "inprocess_repeats": inproc_repeats,
                           "loadavg_after": " ".join(f"{x:.1f}" for x in os.getloadavg()),
                           "whole": whole, "inprocess": inproc, "summary": {}}
    for mode in ("whole", "inprocess"):
        runs = whole if mode == "whole" else inproc.get("runs", {})
        ok = {impl: [x for x in runs.get(impl, []) if "error" not in x]
              for impl in (ours_impl, ref_impl)}
        if not all(ok.values()):
            out["summary"][mode] = {"error": "a side failed"}
            continue
        totals = [x["totals"] for impl in ok for x in ok[impl]]
        same = all(t == totals[0] for t in totals)
        if mode == "inprocess":
            same = same and bool(inproc.get("check", {}).get("equal"))
        summ: dict[str, Any] = {"same_totals": same, "totals": totals[0]}
        for impl in ok:
            summ[impl] = {"wall": stats([x["wall_s"] for x in ok[impl]]),
                          "cpu": stats([x["cpu_s"] for x in ok[impl]]),
                          "peak_mb": max(x.get("peak_mb", 0) for x in ok[impl])
                          if mode == "whole" else inproc.get("peak_mb")}
        for kind in ("wall", "cpu"):
            summ[f"ratio_{kind}"] = (summ[ref_impl][kind]["median"]
                                     / summ[ours_impl][kind]["median"]) if same else None
        out["summary"][mode] = summ
        log(f"  [{fmt_size(size)}] {task} {mode}: same {same}; ratio wall "
            f"{summ['ratio_wall']}, CPU {summ['ratio_cpu']}")
    return out


def markdown(meta: dict[str, Any], results: list[dict[str, Any]]) -> str:
    lines = [f"Verb benchmark {meta['date']} on `{meta['host']}` ({meta['cpus']} CPUs, "
             f"{meta['memory_gb']} GB RAM, Python {meta['python']}); load average at start "
             f"{meta['loadavg_start']}, at end {meta['loadavg_end']}; runs per side: "
             "whole process / in process as given in each row (alternated A, B, A, B); "
             "medians (min-max). Whole process: a new "
             "process reads the task's Parquet file and works (CPU = user+sys); in process: "
             "the work only, both sides alternated in one process, results compared.", "",
             "| docs | task | mode (runs) | ours wall s | reference wall s | ours CPU s | "
             "reference CPU s | ratio wall | ratio CPU | target | equal results |",
             "|---:|---|---|---:|---:|---:|---:|---:|---:|---|---|"]

    def cell(s: dict[str, float]) -> str:
        return f"{s['median']:.2f} ({s['min']:.2f}-{s['max']:.2f})"

    for res in results:
        ours_impl, ref_impl, target = TASKS[res["task"]]
        for mode in ("whole", "inprocess"):
            s = res["summary"].get(mode, {})
            if "error" in s or not s:
                lines.append(f"| {fmt_size(res['size'])} | {res['task']} | {mode} | failed "
                             f"| | | | | | {target} | |")
                continue
            rw = f"{s['ratio_wall']:.1f}x" if s["ratio_wall"] else "n/a"
            rc = f"{s['ratio_cpu']:.1f}x" if s["ratio_cpu"] else "n/a"
            check = res["inprocess"].get("check", {}) if mode == "inprocess" else {}
            equal = f"{s['same_totals']} {s['totals']}" + (
                f" {check}" if check else "")
            runs = res.get("repeats") if mode == "whole" else res.get("inprocess_repeats")
            lines.append(
                f"| {fmt_size(res['size'])} | {res['task']} | {mode} ({runs}) | "
                f"{cell(s[ours_impl]['wall'])} | {cell(s[ref_impl]['wall'])} | "
                f"{cell(s[ours_impl]['cpu'])} | {cell(s[ref_impl]['cpu'])} | {rw} | {rc} | "
                f"{target} | {equal} |")
    lines += ["", "Sides: " + "; ".join(f"{t} {i}: {label}" for (t, i), label in LABELS.items()),
              "", "Peak resident memory (MB, whole process, largest run): " + "; ".join(
                  f"{fmt_size(r['size'])} {r['task']} "
                  + ", ".join(f"{i} {r['summary']['whole'][i]['peak_mb']:.0f}"
                              for i in TASKS[r['task']][:2])
                  for r in results if "error" not in r["summary"].get("whole", {"error": 1}))]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000", help="comma-separated corpus sizes")
    parser.add_argument("--repeats", type=int, default=3, help="alternated runs each")
    parser.add_argument("--inprocess-repeats", type=int, default=None,
                        help="alternated runs in process (default: --repeats)")
    parser.add_argument("--tasks", default=",".join(TASKS), help="comma-separated tasks")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per process")
    parser.add_argument("--out", default=str(RESULTS_DIR), help="results folder")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--impl", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        record = (child_inprocess(args.child, args.input, args.repeats)
                  if args.impl == "inprocess" else child_whole(args.child, args.impl, args.input))
        Path(args.json).write_text(json.dumps(record, default=str))
        return
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    tasks = [t for t in args.tasks.split(",") if t]
    unknown = [t for t in tasks if t not in TASKS]
    if unknown:
        parser.error(f"unknown task(s) {unknown}; choose from {list(TASKS)}")
    now = datetime.now(UTC)
    meta = {"date": now.strftime("%Y-%m-%d %H:%M UTC"), "host": socket.gethostname(),
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
            "loadavg_start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
            "repeats": args.repeats, "sizes": sizes, "tasks": tasks}

    def log(msg: str) -> None:
        print(msg, flush=True)

    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-verbs-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"{now.strftime('%Y-%m-%d')}-{meta['host']}-verbs"
    # one file a day and host: rows of other sizes/tasks from earlier runs that day are kept
    earlier = json.loads(stem.with_suffix(".json").read_text()) \
        if stem.with_suffix(".json").exists() else {"results": []}
    results = [r for r in earlier["results"] if (r["size"], r["task"]) not in
               {(n, t) for n in sizes for t in tasks}]
    for size in sizes:
        paths = prepare(size, log)
        for task in tasks:
            results.append(run_task(task, size, paths[task], repeats=args.repeats,
                                    inproc_repeats=args.inprocess_repeats or args.repeats,
                                    timeout=args.timeout, work=work, log=log))
            results.sort(key=lambda r: (r["size"], r["task"]))
            meta["loadavg_end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
            table = markdown(meta, results)  # written after every task (partial results)
            stem.with_suffix(".json").write_text(json.dumps(
                {"meta": meta, "runs": [*earlier.get("runs", []), meta], "results": results},
                indent=1, default=str))
            stem.with_suffix(".md").write_text(table)
    log("")
    log(table)
    log(f"wrote {stem}.json and .md")


if __name__ == "__main__":
    main()
