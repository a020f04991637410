"""Giving freed memory back to the system, for long-lived processes (report kernels).

Two allocators hold a Python process's memory: polars' (jemalloc, which report kernels start
with a short decay, :data:`analysis.report._cache.ALLOCATOR_ENV`) and the C library's ``malloc``,
which
holds Python's own objects. glibc's ``malloc`` keeps the pages of freed objects in its heaps
until ``malloc_trim`` is called: loading 30,000 articles (Python strings per file and row) left
about 420 MB resident after the corpus was dropped, and 60 MB after a trim. A report kernel runs
many cells one after the other, so each cell's garbage would otherwise stay resident beside the
next cell's work. :func:`release_memory` collects Python's garbage and trims the heaps;
:func:`release_after_cell` is the IPython hook that does it after every cell of a report.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from typing import Any

_LIBC: Any = None


def _malloc_trim() -> Any:
    """glibc's ``malloc_trim`` (``None`` where the C library has none: musl, macOS, Windows)."""
    global _LIBC
    if _LIBC is None:
        name = ctypes.util.find_library("c")
        try:
            _LIBC = ctypes.CDLL(name) if name else False
        except OSError:  # pragma: no cover - no loadable C library
            _LIBC = False
    return getattr(_LIBC, "malloc_trim", None) if _LIBC else None


def release_memory() -> bool:
    """Collect Python's garbage and give the C heap's free pages back to the system.

    Returns
    -------
    bool
        Whether the C library could trim its heaps (glibc); ``False`` elsewhere, where only
        the garbage collection runs.

    Examples
    --------
    >>> import sys
    >>> release_memory() if sys.platform == "linux" else True
    True
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def release_after_cell(result: Any = None) -> None:
    """IPython ``post_run_cell`` hook: :func:`release_memory` after each cell.

    Registered by :func:`analysis.report._notebook.setup_notebook` (once per kernel).

    Examples
    --------
    >>> release_after_cell()
    """
    release_memory()
