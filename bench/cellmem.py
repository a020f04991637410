"""Memory and CPU of each cell of a report notebook, run in this process like a report kernel.

``python -m bench.cellmem NOTEBOOK.ipynb [CORPUS]`` executes the notebook's code cells one by
one in an IPython shell (the ``parameters`` cell gets ``corpus_path = [CORPUS]``) and prints,
per cell: CPU seconds, wall seconds, the settled resident memory before the cell ("base"),
the cell's peak (``VmHWM``, reset before the cell through ``/proc/self/clear_refs``) and the
peak above the base. Before each cell Python's garbage is collected and the process waits
1.5 s, so memory freed by the cell before is given back (start it with the report kernels'
allocator setting, :data:`analysis.report._cache.ALLOCATOR_ENV`, and a cache folder in
``ANALYSIS_CACHE_DIR`` as a report run has). Linux only. Figures of 2026-11-29:
``bench/results/2026-11-29-vm-report-100k.md``.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _status_mb(key: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) // 1024
    return -1


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def profile(notebook: str | Path, corpus: str = "", *, settle_s: float = 1.5
            ) -> list[dict[str, Any]]:
    """Run ``notebook``'s code cells in this process; one dict per cell (see the module notes).

    Raises ``RuntimeError`` naming the cell when a cell fails.
    """
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    rows = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if "parameters" in cell["metadata"].get("tags", []) and corpus:
            source += f"\ncorpus_path = {[corpus]!r}\n"
        gc.collect()
        time.sleep(settle_s)
        base = _status_mb("VmRSS")
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # VmHWM := VmRSS
        cpu, wall = _cpu_s(), time.perf_counter()
        result = shell.run_cell(source, store_history=False, silent=True)
        if result.error_before_exec or result.error_in_exec:
            raise RuntimeError(f"cell {i} failed: "
                               f"{result.error_before_exec or result.error_in_exec!r}")
        peak = max(_status_mb("VmHWM"), base)
        rows.append({"cell": i, "cpu_s": round(_cpu_s() - cpu, 2),
                     "wall_s": round(time.perf_counter() - wall, 2), "base_mb": base,
                     "peak_mb": peak, "added_mb": peak - base,
                     "source": " ".join(source.split())[:70]})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cellmem", description=__doc__)
    parser.add_argument("notebook")
    parser.add_argument("corpus", nargs="?", default="")
    parser.add_argument("--settle", type=float, default=1.5, help="seconds before each cell")
    args = parser.parse_args(argv)
    rows = profile(args.notebook, args.corpus, settle_s=args.settle)
    for r in rows:
        print(f"cell {r['cell']:2d} cpu {r['cpu_s']:7.2f} wall {r['wall_s']:7.2f} "
              f"base {r['base_mb']:6d} peak {r['peak_mb']:6d} +{r['added_mb']:5d} MB  "
              f"{r['source']}")
    print(f"worst peak {max((r['peak_mb'] for r in rows), default=0)} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
