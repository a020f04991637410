"""Giving freed memory back: the C heap is trimmed, and report kernels do it after every cell."""

from __future__ import annotations

import warnings

import polars as pl
import pytest

from analysis.engine import _memory as memory


class FakeLibc:
    def __init__(self):
        self.calls = []

    def malloc_trim(self, pad):
        self.calls.append(pad)
        return 1


def test_release_memory_trims_the_c_heap_once(monkeypatch):
    libc = FakeLibc()
    monkeypatch.setattr(memory, "_LIBC", libc)
    assert memory.release_memory() is True
    assert libc.calls == [0]


def test_release_memory_without_glibc_only_collects(monkeypatch):
    monkeypatch.setattr(memory, "_LIBC", False)
    collected = []
    monkeypatch.setattr(memory.gc, "collect", lambda: collected.append(1) or 0)
    assert memory.release_memory() is False
    assert collected == [1]


def test_report_notebook_releases_after_every_cell_registered_once(monkeypatch):
    interactiveshell = pytest.importorskip("IPython.core.interactiveshell")
    import altair as alt

    from analysis.report._notebook import setup_notebook

    released = []
    monkeypatch.setattr(memory, "release_memory", lambda: released.append(1) or True)
    monkeypatch.setenv("TQDM_DISABLE", "")  # setup_notebook sets it: put back afterwards
    renderer, theme = alt.renderers.active, alt.theme.active
    shell = interactiveshell.InteractiveShell.instance()
    with warnings.catch_warnings(), pl.Config():
        try:
            setup_notebook()
            setup_notebook()  # a reused kernel runs setup_notebook once per notebook
            hooks = shell.events.callbacks["post_run_cell"]
            assert hooks.count(memory.release_after_cell) == 1
            released.clear()
            shell.run_cell("x = [str(i) for i in range(1000)]", store_history=False)
            shell.run_cell("del x", store_history=False)
            assert released == [1, 1]
        finally:
            shell.events.unregister("post_run_cell", memory.release_after_cell)
            interactiveshell.InteractiveShell.clear_instance()
            alt.renderers.enable(renderer)
            alt.theme.enable(theme)
