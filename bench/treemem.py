"""Run a command and sample the resident memory of its whole process tree (no psutil).

``python -m bench.treemem [--json OUT] -- CMD ...`` runs ``CMD``, reads ``/proc/<pid>/status``
(``VmRSS``) of the command and all its descendants every ``--interval`` seconds, and reports
the wall time, the CPU time of the tree (processes that were waited for), the peak of the
*sum* over the tree (what the machine must hold at once), the
largest single process and the most processes seen at once. Sampling can miss a peak shorter
than the interval; the largest single process is also taken from ``VmHWM`` (exact) of every
process seen.

Examples
--------
>>> import sys
>>> r = measure([sys.executable, "-c", "x = bytearray(50 * 2**20)"], interval=0.02)
>>> r["returncode"], r["peak_single_mb"] >= 50
(0, True)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, from ``/proc/*/stat``."""
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _tree(root: int) -> list[int]:
    kids = _children()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def _status_kb(pid: int, *fields: str) -> dict[str, int]:
    found: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key = line.split(":", 1)[0]
                if key in fields:
                    found[key] = int(line.split()[1])
    except OSError:
        pass
    return found


def measure(cmd: list[str], *, interval: float = 0.25, cwd: str | None = None,
            env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd``; return wall time, return code and tree memory peaks (MB)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env)
    peak_sum = 0
    peak_single = 0
    most = 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        total = 0
        for pid in pids:
            got = _status_kb(pid, "VmRSS", "VmHWM")
            total += got.get("VmRSS", 0)
            peak_single = max(peak_single, got.get("VmHWM", 0))
        peak_sum = max(peak_sum, total)
        most = max(most, len(pids))
        time.sleep(interval)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"cmd": cmd, "returncode": proc.returncode,
            "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "peak_tree_mb": round(peak_sum / 1024), "peak_single_mb": round(peak_single / 1024),
            "max_processes": most}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="write the measurement here")
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("give the command after --")
    result = measure(cmd, interval=args.interval)
    text = json.dumps(result)
    if args.json:
        Path(args.json).write_text(text)
    print(text, file=sys.stderr)
    return int(result["returncode"])


if __name__ == "__main__":
    raise SystemExit(main())
