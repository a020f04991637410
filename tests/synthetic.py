"""Synthetic corpora for tests: the benchmark's generator (``bench/corpus.py``), loaded by path.

The generator lives with the benchmark at the top of the checkout, outside the installed
package; tests import it from here::

    from synthetic import write_corpus
    path = write_corpus(tmp_path / "c.parquet", docs=300, chunk_size=150)  # two row groups
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH_DIR = Path(__file__).resolve().parent.parent / "bench"


def _generator() -> ModuleType:
    name = "bench.corpus"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH_DIR / "corpus.py")
    if spec is None or spec.loader is None:  # pragma: no cover - a broken checkout
        raise ImportError(f"no synthetic-corpus generator at {BENCH_DIR / 'corpus.py'}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


write_corpus = _generator().write_corpus
"""``write_corpus(out, *, docs, chunk_size=5000, seed=2024, progress=None) -> Path``."""
generate_chunk = _generator().generate_chunk
"""``generate_chunk(first, n_docs, *, seed=2024) -> pl.DataFrame`` (documents in memory)."""
