"""Execute report notebooks on a few kernels, each reused for several notebooks, and render HTML.

Starting a kernel and importing polars, IPython, Altair and the package cost about 3 s of CPU,
more than most report notebooks spend on their own cells. So :func:`render_notebooks` starts
``workers`` kernels (the number :func:`analysis.report._cache.kernel_budget` allows) and each
executes
notebooks in turn, taking the next one not yet started:

- papermill executes every notebook as usual (its parameter injection, cell metadata, error
  cell and error), through the engine :data:`ENGINE_NAME` that hands it the running kernel
  instead of starting one;
- between two notebooks the kernel is put back into the state it started in, with the imported
  modules kept (:func:`analysis.report._kernel.restore`: an empty user namespace, ``In[1]`` again,
  environment, warning filters, display formatters, polars and Altair settings);
- a kernel that died, could not be reset, or holds more than :data:`REUSE_LIMIT_MB` of resident
  memory after the reset is shut down, and the next notebook gets a new one. A failing notebook
  fails alone: its cell error is reported, the others render.

The executed notebook becomes the report page with one nbconvert exporter per process
(:func:`notebook_html`): no code cells, no prompts, the chart libraries inlined once.
"""

from __future__ import annotations

import contextlib
import functools
import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from analysis.config import TEMPLATE_DIR
from analysis.report import _render as render
from analysis.report._cache import KERNEL_BASE_MB
from analysis.report._output import ReportOutputError, ReportResult, write_atomic

TEMPLATE_NAME = "analysis_report"
"""The nbconvert template of the report pages (in :data:`analysis.config.TEMPLATE_DIR`)."""

KERNEL_NAME = "python3"
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=ERROR",)
"""The kernel listens on 127.0.0.1 only; its start-up warning about plain TCP would be the only
line it prints (cell errors reach the report anyway)."""

ENGINE_NAME = "analysis-kernel-pool"
"""The papermill engine that executes a notebook on a running :class:`ReportKernel`."""

REUSE_LIMIT_MB = KERNEL_BASE_MB
"""A kernel holding more resident memory than this after its reset is replaced, so a kernel
carries no more into its next notebook than the memory budget assumes for a new one."""

STATE_CALL = "__import__('analysis.report._kernel', fromlist=['{0}']).{0}()"
"""Code run silently in a kernel (no history, no name bound): ``capture`` or ``restore``."""


@functools.cache
def register_engine() -> None:
    """Import papermill and nbconvert (without jsonschema's IRI grammar,
    :func:`analysis.report._render.no_iri_grammar`) and register :data:`ENGINE_NAME` with
    papermill."""
    with render.no_iri_grammar():
        import nbconvert  # noqa: F401  # imported here for the block above, used later
        import papermill  # noqa: F401

    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class KernelPoolEngine(NBClientEngine):
        """papermill's nbclient engine on a running kernel: ``kernel=`` a ReportKernel."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                     stdout_file: Any = None, stderr_file: Any = None,
                                     start_timeout: int = 60, execution_timeout: Any = None,
                                     **kwargs: Any) -> Any:
            kernel: ReportKernel = kwargs["kernel"]
            client = PapermillNotebookClient(
                nb_man, km=kernel.client.km, timeout=execution_timeout,
                startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            client.kc = kernel.client.kc  # the running kernel's channels: no new client
            return client.execute()

    papermill_engines.register(ENGINE_NAME, KernelPoolEngine)


def _run(method: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a kernel manager's method, sync or async, from this thread's event loop."""
    from jupyter_core.utils import ensure_async, run_sync

    async def call() -> Any:
        return await ensure_async(method(*args, **kwargs))

    return run_sync(call)()


class ReportKernel:
    """A kernel that executes report notebooks one after another (see the module notes).

    Parameters
    ----------
    cwd
        The kernel's working folder (relative paths in notebooks resolve against it).
    startup_timeout
        Seconds to wait for the kernel to start and to answer a reset.
    """

    def __init__(self, *, cwd: str, startup_timeout: float = 60) -> None:
        import nbformat
        from nbclient import NotebookClient

        self.client = NotebookClient(
            nbformat.v4.new_notebook(), kernel_name=KERNEL_NAME, timeout=startup_timeout,
            startup_timeout=startup_timeout, extra_arguments=list(KERNEL_ARGUMENTS),
            resources={"metadata": {"path": cwd}})
        self.client.km = self.client.create_kernel_manager()
        self.client.start_new_kernel()
        try:
            self.client.start_new_kernel_client()
            if not self.run_silently(STATE_CALL.format("capture")):
                raise RuntimeError("the new kernel could not record its state")
        except BaseException:
            self.shutdown(now=True)
            raise

    def run_silently(self, code: str) -> bool:
        """Run ``code`` in the kernel without history or output; ``True`` when it succeeded."""
        kc = self.client.kc
        assert kc is not None
        for _attempt in range(3):  # a request right after a cell error may be aborted
            msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False,
                                stop_on_error=False)
            reply = self.client.wait_for_reply(msg_id)
            status = (reply or {}).get("content", {}).get("status")
            if status != "aborted":
                return status == "ok"
            time.sleep(0.05)
        return False

    def execute(self, nb_path: Path, executed: Path, parameters: dict[str, Any]) -> Any:
        """Execute ``nb_path`` with papermill, written to ``executed``; returns the executed
        notebook (raises as papermill does when a cell fails or the kernel dies)."""
        import papermill as pm

        register_engine()
        return pm.execute_notebook(  # written once at the end (with the error cell when one fails)
            str(nb_path), str(executed), parameters=parameters, progress_bar=False,
            log_output=False, kernel_name=KERNEL_NAME, engine_name=ENGINE_NAME, kernel=self,
            request_save_on_cell_execute=False)

    def is_alive(self) -> bool:
        """Whether the kernel process is still running."""
        return self.client.km is not None and bool(_run(self.client.km.is_alive))

    def resident_mb(self) -> float | None:
        """The kernel process's resident memory in MB (``None`` where it cannot be read)."""
        process = getattr(getattr(self.client.km, "provisioner", None), "process", None)
        try:
            with open(f"/proc/{process.pid}/status") as f:  # type: ignore[union-attr]
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except (OSError, AttributeError, ValueError):
            return None
        return None

    def reset(self) -> bool:
        """Restore the kernel's starting state; ``False`` when it must be replaced instead."""
        try:
            if not self.is_alive() or not self.run_silently(STATE_CALL.format("restore")):
                return False
        except Exception:  # a dead or unresponsive kernel
            return False
        rss = self.resident_mb()
        return rss is None or rss <= REUSE_LIMIT_MB

    def shutdown(self, *, now: bool = False) -> None:
        """Stop the kernel and its channels (errors ignored: it may be dead already)."""
        km, kc = self.client.km, self.client.kc
        with contextlib.suppress(Exception):
            if kc is not None:
                kc.stop_channels()
        with contextlib.suppress(Exception):
            if km is not None:
                _run(km.shutdown_kernel, now=now or not self.is_alive())
        self.client.kc = None
        self.client.km = None


def failing_cell(exc: BaseException, executed: Path) -> str:
    """Describe where papermill stopped: cell number, first source line, error."""
    where = ""
    try:
        import nbformat

        nb = nbformat.read(executed, as_version=4)
        added = {"injected-parameters", "papermill-error-cell-tag"}
        cells = [c for c in nb.cells if not added & set(c.get("metadata", {}).get("tags", []))]
        for number, cell in enumerate(cells, start=1):  # numbered as in the source notebook
            if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                first = (cell.source.strip().splitlines() or [""])[0][:80]
                where = f"cell {number} ({first!r})"
                break
    except Exception:  # the report of a failure must not fail itself
        pass
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    return f"{where or 'a cell'}: {ename}: {evalue}".strip()


_EXPORTER_LOCK = threading.Lock()


@functools.cache
def html_exporter() -> Any:
    """One nbconvert HTML exporter per process (its templates are loaded once per run)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def stable_ids(nb: Any) -> Any:
    """Give cells ids from their position: papermill's injected cell gets a random id, which
    would make two renders of the same inputs differ."""
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{number}"
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
    nb.metadata.pop("papermill", None)
    return nb


def notebook_html(executed: Any) -> str:
    """The report page of an executed notebook (a path or a notebook node): no code, no prompts,
    charts drawn offline."""
    import nbformat

    if isinstance(executed, str | Path):
        executed = nbformat.read(executed, as_version=4)
    nb = stable_ids(executed)
    with _EXPORTER_LOCK:  # the exporter keeps state while it converts: one page at a time
        body, _ = html_exporter().from_notebook_node(nb)
    return render.inline_vega(body)


def render_notebook(nb_path: Path, parameters: dict[str, Any], *, out_dir: Path,
                    kernel: ReportKernel | None) -> tuple[ReportResult, ReportKernel | None]:
    """Execute one notebook (on ``kernel``, or a new one) and write its HTML atomically.

    Returns the result and the kernel for the next notebook (``None`` when it was replaced).
    The executed notebook goes to a private temporary folder (unique per run, removed
    afterwards, cleanup errors ignored), so runs never share a temporary name.
    """
    name = nb_path.stem
    target = out_dir / f"{name}.html"
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=f"analysis-report-{name}-"))
    executed = work / f"{name}.executed.ipynb"
    try:
        error = ""
        try:
            if kernel is None:
                kernel = ReportKernel(cwd=os.getcwd())
            nb = kernel.execute(nb_path, executed, parameters)
        except Exception as exc:
            error = failing_cell(exc, executed)
        if kernel is not None and not kernel.reset():
            kernel.shutdown(now=True)
            kernel = None
        if not error:
            try:
                write_atomic(target, notebook_html(nb))
            except ReportOutputError as exc:
                error = str(exc)
            except Exception as exc:
                error = f"converting to HTML: {type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - started
    if error:
        return ReportResult(name, "failed", target, seconds, error), kernel
    return ReportResult(name, "rendered", target, seconds), kernel


def render_notebooks(jobs: Sequence[tuple[Path, dict[str, Any]]], *, out_dir: Path,
                     workers: int) -> list[ReportResult]:
    """Render ``(notebook, parameters)`` jobs on ``workers`` reused kernels; results in order.

    Each kernel takes the next job not yet started, so the jobs are best given longest first.
    """
    if not jobs:  # nothing to execute: no kernel, no papermill
        return []
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for i in range(len(jobs)):
        todo.put(i)
    results: list[ReportResult | None] = [None] * len(jobs)

    def work() -> None:
        kernel: ReportKernel | None = None
        try:
            while True:
                try:
                    i = todo.get_nowait()
                except queue.Empty:
                    return
                results[i], kernel = render_notebook(*jobs[i], out_dir=out_dir, kernel=kernel)
        finally:
            if kernel is not None:
                kernel.shutdown()

    register_engine()  # before the threads: the imports are done once
    workers = max(1, min(workers, len(jobs)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(work) for _ in range(workers)]:
            future.result()
    return [r for r in results if r is not None]
