"""Time :func:`analysis.near_duplicates` on a synthetic corpus, as a user runs it (new process).

``python -m bench.syndication --docs 100000`` writes the corpus with
:mod:`bench.corpus` (once, into ``--work``), then runs imports, reading the Parquet
file and ``near_duplicates`` in a fresh Python process and prints wall time, CPU time (all
threads), peak memory and the clusters found, as one JSON line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, resource, sys, time
t0, c0 = time.time(), time.process_time()
import polars as pl
import analysis
docs = pl.read_parquet(sys.argv[1])
t1 = time.time()
clusters = analysis.near_duplicates(docs)
t2 = time.time()
print(json.dumps({
    "docs": docs.height, "wall_s": round(t2 - t0, 1), "near_duplicates_wall_s": round(t2 - t1, 1),
    "cpu_s": round(time.process_time() - c0, 1),
    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    "clusters": clusters["cluster_id"].n_unique(), "clustered_docs": clusters.height,
}))
"""


def main(argv: list[str] | None = None) -> dict:
    """Run the measurement; return (and print) the JSON record."""
    from bench.corpus import write_corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="synthetic documents")
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "analysis-bench"),
                        help="folder for the corpus file (reused when present)")
    args = parser.parse_args(argv)
    corpus = Path(args.work) / f"syndication-{args.docs}.parquet"
    if not corpus.exists():
        write_corpus(corpus, docs=args.docs, progress=False)
    run = subprocess.run([sys.executable, "-c", CHILD, str(corpus)], check=True,
                         capture_output=True, text=True)
    record = json.loads(run.stdout.strip().splitlines()[-1])
    print(json.dumps(record))
    return record


if __name__ == "__main__":  # pragma: no cover
    main()
