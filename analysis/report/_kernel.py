"""The process state a report notebook can change in its kernel, captured once and restored.

A report kernel executes several notebooks in turn (:mod:`analysis.report._runner`). Before the
first, :func:`capture` records what a notebook may change; after each, :func:`restore` puts it
back, so the next notebook starts as it would in a fresh kernel, with the imported modules kept
(which is the point: imports, the first chart and kernel start-up are paid once per kernel):

- the IPython user namespace, input/output history and execution counter
  (``InteractiveShell.reset(new_session=True)``: ``In[1]`` again, no name of the last notebook
  left), with the namespace's module attributes put back (the reset drops ``__spec__``, which
  multiprocessing's spawn reads: ``tone``'s parallel scoring);
- ``os.environ``, the working folder and ``sys.path``;
- the warning filters, ``warnings.showwarning`` and the "once" registries (a warning shown by
  one notebook is shown again by the next, as in a fresh kernel);
- the display formatters' registrations (``setup_notebook`` registers the table display);
- polars' ``Config`` and Altair's renderer, theme and data transformer;
- the chart libraries' "already sent" flag of :mod:`analysis.report._render`;

and what the notebook left unreachable is collected and given back to the system
(:func:`analysis.engine._memory.release_memory`; the objects that existed at
:func:`capture`, the imported modules, are frozen out of the collections, which makes them cheap).

Both run inside the kernel, called by the runner with a silent execute request that binds no
name in the user namespace.

Examples
--------
>>> import os
>>> capture()
>>> os.environ["ANALYSIS_DOCTEST_NAME"] = "set by a notebook"
>>> restore()
>>> "ANALYSIS_DOCTEST_NAME" in os.environ
False
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from typing import Any, cast

from analysis.engine._memory import release_memory
from analysis.report import _render as render
from analysis.report._render import import_altair

_saved: dict[str, Any] = {}


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return None
    return get_ipython()


def _formatters(shell: Any) -> dict[str, tuple[dict[Any, Any], dict[Any, Any], dict[Any, Any]]]:
    if shell is None:
        return {}
    return {name: (dict(f.type_printers), dict(f.deferred_printers), dict(f.singleton_printers))
            for name, f in shell.display_formatter.formatters.items()}


def _altair_state() -> list[tuple[Any, str, dict[str, Any]]]:
    """``(enable, active name, options)`` of Altair's renderer, data transformer and theme."""
    alt = import_altair()
    return [(reg.enable, reg.active, dict(reg.options))
            for reg in (alt.renderers, alt.data_transformers, alt.theme)]


def capture() -> None:
    """Record the state :func:`restore` puts back (called once, before the first notebook)."""
    import polars as pl

    shell = _shell()
    _saved.update(
        # the module attributes of the user namespace (``__main__``): a reset drops some of
        # them (``__spec__``), and multiprocessing's spawn reads them
        dunders={k: v for k, v in (shell.user_ns if shell is not None else {}).items()
                 if k.startswith("__") and k.endswith("__")},
        environ=dict(os.environ), cwd=os.getcwd(), path=list(sys.path),
        filters=list(warnings.filters), showwarning=warnings.showwarning,
        formatters=_formatters(shell), polars=pl.Config.save(), altair=_altair_state(),
    )
    gc.collect()
    gc.freeze()  # what lives now lives on (modules): the collection in restore() skips it


def restore() -> None:
    """Put back the state recorded by :func:`capture`; see the module notes."""
    import polars as pl

    if not _saved:
        raise RuntimeError("kernel_state.restore() before capture()")
    shell = _shell()
    if shell is not None:
        shell.reset(new_session=True)
        for name, value in _saved["dunders"].items():
            shell.user_ns.setdefault(name, value)
        for name, (types, deferred, singletons) in _saved["formatters"].items():
            f = shell.display_formatter.formatters[name]
            for current, saved in ((f.type_printers, types), (f.deferred_printers, deferred),
                                   (f.singleton_printers, singletons)):
                current.clear()
                current.update(saved)
    pl.Config.restore_defaults()
    pl.Config.load(_saved["polars"])
    os.environ.clear()  # after polars: its defaults unset POLARS_* variables
    os.environ.update(_saved["environ"])
    os.chdir(_saved["cwd"])
    sys.path[:] = _saved["path"]
    warnings.resetwarnings()  # also invalidates every module's registry of warnings shown
    cast(list[Any], warnings.filters)[:] = _saved["filters"]
    warnings.showwarning = _saved["showwarning"]
    getattr(warnings, "onceregistry", {}).clear()  # what "once" filters have shown
    for enable, active, options in _saved["altair"]:
        enable(active, **options)
    render.reset_session()
    release_memory()  # gc.collect, and the C heap's free pages back to the system
