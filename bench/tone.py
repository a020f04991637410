"""Time :func:`analysis.tone` on a Parquet corpus: ``python bench/tone.py CORPUS.parquet``.

``tone(docs)`` finds the sentences itself (tokenising batch by batch, so the whole token table
never sits in memory) and scores them; the whole process (start-up, imports, reading,
tokenising, scoring) is timed by the caller, e.g. ``/usr/bin/time -v``. Prints one JSON line
and writes it to ``bench/results/tone-<docs>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import polars as pl

import analysis


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path, help="Parquet file: doc_id, outlet, published, text")
    parser.add_argument("--docs", type=int, default=0, help="first N documents only (0: all)")
    parser.add_argument("--jobs", type=int, default=None, help="scoring processes (default: CPUs)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    docs = pl.read_parquet(args.corpus)
    if args.docs:
        docs = docs.head(args.docs)
    t0 = time.perf_counter()
    scored = analysis.tone(docs, jobs=args.jobs)
    t1 = time.perf_counter()
    result = {"docs": docs.height, "sentences": scored.height, "tone_s": round(t1 - t0, 1),
              "cpus": os.cpu_count(), "jobs": args.jobs, "load_average": os.getloadavg()[0],
              "us_per_sentence": round((t1 - t0) / max(scored.height, 1) * 1e6, 1)}
    print(json.dumps(result))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"tone-{docs.height}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
