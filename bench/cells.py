"""Two report cells in-process at 10k: the bigram table and the traced-term timeline.

Reads a token table once (Parquet, written by ``--tokenize`` from a corpus), then times one
cell's calls with ``time.process_time`` and reports the peak resident memory (``ru_maxrss``).
``--code`` puts another checkout first on ``sys.path`` (the before side of an A/B run), and
``--old`` runs the calls as they were before ``ngram_frequency``::

    python -m bench.cells --tokenize bench/corpora/bench-10k.parquet --tokens /tmp/t.parquet
    python -m bench.cells --tokens /tmp/t.parquet --docs bench/corpora/bench-10k.parquet \\
        --cell bigrams [--code /work/main --old]

The traced terms and actors are those the timeline notebook chooses on the corpus
(``choose.trend_terms``, ``choose.choose_actors`` with no parameters), computed before timing.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", required=True, help="token table (Parquet)")
    ap.add_argument("--tokenize", help="corpus Parquet to tokenize into --tokens first")
    ap.add_argument("--docs", help="the corpus (Parquet): dates for --cell trends")
    ap.add_argument("--cell", choices=["bigrams", "trends"], default="bigrams")
    ap.add_argument("--code", help="a checkout to import analysis from (before side)")
    ap.add_argument("--old", action="store_true", help="bigrams: term_frequency(ngrams(...))")
    args = ap.parse_args(argv)
    if args.code:
        sys.path.insert(0, args.code)
    import polars as pl

    import analysis
    from analysis.report import choose

    if args.tokenize:
        analysis.tokenize(pl.read_parquet(args.tokenize)).write_parquet(
            args.tokens)
    toks = pl.read_parquet(args.tokens)
    if args.cell == "trends":
        docs = pl.read_parquet(args.docs).drop("text")
        terms = choose.trend_terms(toks, docs, [], n=4, min_docs=10)
        actors = choose.choose_actors(analysis.actors(toks), [], n=4)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu, wall = time.process_time(), time.perf_counter()
    if args.cell == "trends":
        out = analysis.timeline(toks, docs=docs, every="1mo", terms=terms, aliases=actors)
        total = out["count"].sum()
    elif args.old:
        out = analysis.term_frequency(analysis.ngrams(toks, n=2), by=None)
        total = out["n"].sum()
    else:
        out = analysis.ngram_frequency(toks, n=2)
        total = out["n"].sum()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    load = f"{os.getloadavg()[0]:.1f}"
    print(f"{args.cell}: {cpu:.2f} s CPU, {wall:.2f} s wall, peak {peak / 1e6:.2f} GB "
          f"(before the cell {before / 1e6:.2f} GB), {out.height} rows, total {total}, "
          f"load {load}")


if __name__ == "__main__":
    main()
