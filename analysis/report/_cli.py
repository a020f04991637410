"""Render every report notebook to self-contained HTML: ``python -m analysis.report``.

One Python process executes the notebooks with papermill on a few kernels, each reused for
several notebooks and reset between them (:mod:`analysis.report._runner`), converts them with
nbconvert (no code cells, no prompts, no CDN), inlines the chart libraries once per page
(:func:`analysis.report._render.inline_vega`) and writes ``<out>/<notebook>.html`` plus an
``<out>/index.html`` that lists the reports with their parameters, the corpus fingerprint, the
package version and the build time (:mod:`analysis.report._output`). The helpers notebooks call
(``report.setup_notebook``, ``report.load_report_corpus``, ...) live in
:mod:`analysis.report._notebook`, the parameter handling in :mod:`analysis.report._params`; all
are importable from here.

Incremental: ``<out>/manifest.json`` records, per report, a hash of everything it depends on
(the notebook, every file of the ``analysis`` package, the corpus files, the parameters). A
report whose inputs have not changed is not rendered again. A notebook that fails is named with
its failing cell; its previous HTML stays in place (files are written to a temporary name and
then moved), and the command exits non-zero.

Examples
--------
Command line (``make report`` calls this with the bundled corpus; ``analysis-report`` is the
same command, installed with the package)::

    python -m analysis.report                                  # bundled corpus -> reports/
    python -m analysis.report --corpus ../my_corpus --out reports/my_corpus
    python -m analysis.report --corpus export.csv --text-column body --date-column publishedAt
    python -m analysis.report --notebook corpus_overview -p top_n=40 --force
    python -m analysis.report --params my_params.yaml         # papermill-style YAML mapping
    python -m analysis.report --list                           # the reports and their parameters

Paths on the command line resolve against the working folder; the default output folder is
``reports/`` there (``reports/<corpus name>/`` for another corpus). A parameter name that no
selected notebook declares is refused with the list of valid names, and a run that finds no
notebook to render is an error.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis.config import NOTEBOOKS_DIR, PACKAGE_DIR, reports_dir
from analysis.config import VERSION as __version__
from analysis.engine._options import renamed
from analysis.report import _cache as cache
from analysis.report import _render as render
from analysis.report._cache import REPORT_MEMORY_MB
from analysis.report._output import (
    OutputLock,
    ReportOutputError,
    ReportResult,
    corpus_files,
    digest,
    failed_entry,
    files_below,
    fingerprint_from,
    index_html,
    prepare_output,
    read_manifest,
    utc_now,
    write_atomic,
)
from analysis.report._params import (
    check_parameters,
    declared_parameters,
    discover_notebooks,
    list_reports,
    load_parameter_file,
    validate_parameters,
)
from analysis.report._runner import render_notebooks


@renamed(columns="column_names")
def build_reports(
    corpus_path: Sequence[str] = (),
    *,
    metadata_path: str | None = None,
    column_names: Mapping[str, str] | None = None,
    out_dir: Path | None = None,
    notebooks: Sequence[str] = (),
    parameters: dict[str, Any] | None = None,
    force: bool = False,
    notebook_dir: Path = NOTEBOOKS_DIR,
    jobs: int | None = None,
    memory_mb: float | None = REPORT_MEMORY_MB,
    log: Any = print,
) -> list[ReportResult]:
    """Execute and render report notebooks; see the module docstring.

    Parameters
    ----------
    corpus_path
        Files or folders for the notebooks' ``corpus_path`` parameter; empty: the bundled corpus.
    metadata_path
        Metadata CSV for folders of ``.txt`` files (``None``: found automatically).
    column_names
        ``load_corpus`` column options (``text_column``, ``date_column``, ...), given to the
        notebooks that declare a ``columns`` parameter (``columns=`` is the deprecated name of
        this option).
    out_dir
        Where the HTML, ``index.html`` and ``manifest.json`` go (default: ``reports/`` in the
        working folder).
    notebooks
        Notebook names (file stems) to render; empty: all in ``notebook_dir``.
    parameters
        Further papermill parameters given to every notebook that declares them; a name no
        selected notebook declares raises ``ValueError`` naming the valid ones.
    force
        Render even when nothing changed.
    notebook_dir
        Where the notebooks are (default: the ones shipped with the package).
    jobs
        Notebooks executed at once, each in its own kernel (default: as many as the CPUs and
        the available memory allow, :func:`analysis.report._cache.kernel_budget`). The kernels share
        the loaded corpus and its token table through ``<out_dir>/.cache``.
    memory_mb
        What the kernels may use together, in MB, when ``jobs`` is not given (default
        :data:`analysis.report._cache.REPORT_MEMORY_MB`, 3,000: on a large corpus, one kernel);
        ``None``: only the available memory bounds them.
    log
        Called with one line of progress per notebook.

    Returns
    -------
    list of ReportResult
        One per notebook, with its status (``rendered``, ``up to date``, ``failed``).
    """
    out_dir = check_output_folder(reports_dir() if out_dir is None else out_dir)
    corpus_path = resolve_paths(corpus_path)
    check_output_outside_corpus(out_dir, corpus_path)
    metadata_path = str(resolve_paths([metadata_path])[0]) if metadata_path else ""
    selected = discover_notebooks(notebooks, folder=notebook_dir)
    if not selected:
        raise SystemExit(f"no report notebooks (*.ipynb) in {notebook_dir}: nothing to render")
    columns = column_names
    for name in check_parameters(parameters or {}, selected, column_names=columns):
        log(f"note: {name}.ipynb has no `columns` parameter; it loads the corpus with the "
            "recognised column names")
    parameters, said = validate_parameters(parameters or {}, selected)
    for note in said:
        log(f"note: {note}")
    prepare_output(out_dir)
    inputs = corpus_files(corpus_path)
    if metadata_path:
        inputs.append(Path(metadata_path))
    package_hash = digest(files_below([PACKAGE_DIR]))
    corpus_hash = digest(inputs)
    with OutputLock(out_dir):  # waits _output.LOCK_TIMEOUT
        return _build_locked(
            corpus_path, metadata_path=metadata_path, out_dir=out_dir, selected=selected,
            columns=columns, parameters=parameters, force=force, jobs=jobs,
            memory_mb=memory_mb, log=log,
            package_hash=package_hash, corpus_hash=corpus_hash, inputs=inputs,
        )


def _build_locked(
    corpus_path: Sequence[str], *, metadata_path: str, out_dir: Path, selected: list[Path],
    columns: Mapping[str, str] | None, parameters: dict[str, Any] | None, force: bool,
    jobs: int | None, memory_mb: float | None, log: Any, package_hash: str, corpus_hash: str,
    inputs: list[Path],
) -> list[ReportResult]:
    manifest_path = out_dir / "manifest.json"
    manifest: dict[str, Any] = read_manifest(manifest_path)
    todo: list[tuple[Path, dict[str, Any], str]] = []
    results: list[ReportResult] = []
    for nb_path in selected:
        declared = declared_parameters(nb_path)
        params = {"corpus_path": [str(p) for p in corpus_path], "metadata_path": metadata_path,
                  "columns": dict(columns or {})}
        params.update(parameters or {})
        params = {k: v for k, v in params.items() if k in declared}
        # a file a parameter names (an actor dictionary, ...) is an input too: its bytes count
        named = files_below(Path(v) for k, v in sorted(params.items())
                            if k.endswith("_path") and k not in ("corpus_path", "metadata_path")
                            and isinstance(v, str) and v)
        key = digest([nb_path, *named],
                     {"package": package_hash, "corpus": corpus_hash, "params": params})
        target = out_dir / f"{nb_path.stem}.html"
        entry = manifest.get(nb_path.stem, {})
        if (not force and entry.get("key") == key and entry.get("status") != "failed"
                and target.is_file()):
            results.append(ReportResult(nb_path.stem, "up to date", target))
        else:
            todo.append((nb_path, params, key))
    text_bytes = cache.corpus_text_bytes(inputs)
    workers = jobs or cache.kernel_budget(text_bytes, tasks=len(todo), memory_mb=memory_mb)
    need = cache.kernel_estimate_mb(text_bytes)
    if todo and memory_mb is not None and need > memory_mb:
        log(f"note: the memory limit ({memory_mb:,.0f} MB, REPORT_MEMORY_MB / --memory-mb) bounds "
            "how many kernels run at once, not the memory they use: one kernel on this corpus "
            f"is estimated at {need:,.0f} MB, so one runs, and it may use that much")
    # the slowest first (seconds of the last build), so that the kernels finish together
    todo.sort(key=lambda job: -float(manifest.get(job[0].stem, {}).get("seconds", 0) or 0))
    runs = []
    for nb_path, params, _ in todo:
        if "tables_dir" in declared_parameters(nb_path):  # tables saved beside the report
            params = {**params, "tables_dir": str(out_dir / f"{nb_path.stem}_tables")}
        runs.append((nb_path, params))
    with cache.report_cache(out_dir / ".cache"):
        if todo:  # the chart bundle, built once and read by every kernel from the cache folder
            render.vega_bundle()
        rendered = render_notebooks(runs, out_dir=out_dir, workers=workers)
    # one corpus without documents, one message: not one per notebook
    no_documents = bool(rendered) and all(
        r.status == "failed" and EMPTY_CORPUS_ERROR in (r.error or "") for r in rendered)
    if no_documents:
        log("error: " + (rendered[0].error or "").split(EMPTY_CORPUS_ERROR, 1)[1].lstrip(": ")
            + "; no report was rendered")
    for (_, params, key), result in zip(todo, rendered, strict=True):
        results.append(result)
        if result.status == "failed":
            if not no_documents:
                log(f"FAILED {result.name}.ipynb: {result.error}")
            manifest[result.name] = failed_entry(manifest.get(result.name), result, params)
            continue
        manifest[result.name] = {
            "key": key, "parameters": params, "built": utc_now(),
            "seconds": round(result.seconds, 2), "fingerprint": fingerprint_from(result.html),
            "version": __version__, "status": "rendered",
        }
        log(f"rendered {result.html} in {result.seconds:.1f} s")
    results.sort(key=lambda r: r.name)
    if todo or not (out_dir / "index.html").is_file():
        write_atomic(manifest_path, json.dumps(manifest, indent=2, sort_keys=True))
        write_atomic(out_dir / "index.html", index_html(manifest, corpus_path))
    return results


EMPTY_CORPUS_ERROR = "EmptyCorpusError"
"""The error name a notebook fails with when its corpus has no document
(:class:`analysis.report._notebook.EmptyCorpusError`)."""


def resolve_paths(paths: Iterable[str | Path]) -> list[str]:
    """Paths as absolute strings, relative ones resolved against the working folder.

    Examples
    --------
    >>> import os
    >>> resolve_paths(["corpus", "/data/x.csv"]) == [os.path.join(os.getcwd(), "corpus"),
    ...                                              "/data/x.csv"]
    True
    """
    return [str(Path(p).expanduser().absolute()) for p in paths if str(p)]


def check_output_outside_corpus(out: Path, corpus_path: Sequence[str]) -> None:
    """Refuse an output folder inside (or equal to) a corpus folder: every run would read the
    previous run's pages, tables and cache as corpus (5, then 7, then 143 documents).

    Examples
    --------
    >>> import tempfile
    >>> corpus = Path(tempfile.mkdtemp())
    >>> check_output_outside_corpus(corpus / "reports", [str(corpus)])
    Traceback (most recent call last):
    ...
    SystemExit: output folder .../reports is inside the corpus folder ...: ...
    >>> check_output_outside_corpus(corpus.parent / "elsewhere", [str(corpus)])
    """
    resolved = Path(out).resolve()
    for given in corpus_path:
        folder = Path(given).resolve()
        if not folder.is_dir():
            continue
        if resolved == folder or folder in resolved.parents:
            raise SystemExit(
                f"output folder {out} is inside the corpus folder {given}: each run would read "
                "the pages, tables and cache of the previous one as corpus; give --out a folder "
                "outside the corpus"
            )


def check_output_folder(out: Path) -> Path:
    """The output folder as an absolute path; refused when it lies inside an installed package.

    Examples
    --------
    >>> from analysis.config import PACKAGE_DIR
    >>> check_output_folder(PACKAGE_DIR / "reports")
    Traceback (most recent call last):
    ...
    SystemExit: output folder ... is inside the installed packages (...); give --out ...
    """
    import sysconfig

    out = Path(out).expanduser().absolute()
    roots = {Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")}
    roots.add(PACKAGE_DIR)
    resolved = out.resolve()
    for root in sorted(roots):
        if resolved == root or root in resolved.parents:
            raise SystemExit(
                f"output folder {out} is inside the installed packages ({root}); "
                "give --out a folder of your own"
            )
    return out


def _parse_parameter(text: str) -> tuple[str, Any]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"parameters are name=value, got {text!r}")
    name, value = text.split("=", 1)
    try:
        return name.strip(), json.loads(value)
    except json.JSONDecodeError:
        return name.strip(), value


def _argument_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="analysis-report",
        description="Execute the report notebooks on a corpus and render them to HTML. "
                    "Paths resolve against the working folder.",
    )
    ap.add_argument("--corpus", action="append", default=[],
                    help="file or folder of the corpus (repeatable); default: the bundled corpus")
    ap.add_argument("--metadata", default="", help="metadata CSV for a folder of .txt files")
    for what in ("text", "date", "title", "outlet", "id"):
        ap.add_argument(f"--{what}-column", dest=f"{what}_column", default=None,
                        metavar="NAME", help=f"name of the {what} column of tables "
                        "(default: recognised)")
    ap.add_argument("--out", type=Path, default=None,
                    help="output folder; default ./reports (bundled corpus) or "
                         "./reports/<corpus name>")
    ap.add_argument("--notebook", action="append", default=[],
                    help="render only this notebook (file stem; repeatable)")
    ap.add_argument("-p", "--parameter", action="append", default=[], type=_parse_parameter,
                    help="notebook parameter name=value (JSON values); repeatable; "
                         "overrides --params")
    ap.add_argument("--params", default=None, metavar="FILE",
                    help="YAML file with a mapping of notebook parameters (papermill style)")
    ap.add_argument("--notebooks", type=Path, default=NOTEBOOKS_DIR,
                    help="folder of report notebooks (default: the ones shipped with the package)")
    ap.add_argument("--jobs", type=int, default=None,
                    help="notebooks executed at once (default: CPUs and memory allow)")
    ap.add_argument("--memory-mb", type=float, default=REPORT_MEMORY_MB, metavar="MB",
                    help="memory the kernels may use together when --jobs is not given "
                         "(default 3000: on a large corpus one kernel at a time)")
    ap.add_argument("--force", action="store_true", help="render even if nothing changed")
    ap.add_argument("--list", action="store_true",
                    help="list the report notebooks and their parameters, then exit")
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    ap = _argument_parser()
    args = ap.parse_args(argv)
    notebook_dir = args.notebooks.expanduser().absolute()
    if args.list:
        print(list_reports(notebook_dir))
        return 0
    parameters = load_parameter_file(args.params) if args.params else {}
    parameters.update(dict(args.parameter))
    columns = {f"{w}_column": getattr(args, f"{w}_column")
               for w in ("text", "date", "title", "outlet", "id")
               if getattr(args, f"{w}_column")}
    out = args.out
    if out is None:
        out = reports_dir() if not args.corpus else reports_dir() / Path(args.corpus[0]).stem
    started = time.perf_counter()
    try:
        results = build_reports(
            args.corpus, metadata_path=args.metadata or None, column_names=columns, out_dir=out,
            notebooks=args.notebook, parameters=parameters, force=args.force,
            notebook_dir=notebook_dir, jobs=args.jobs, memory_mb=args.memory_mb,
        )
    except ValueError as exc:
        ap.error(str(exc))
    except ReportOutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(out).absolute()
    failed = [r for r in results if r.status == "failed"]
    done = sum(r.status == "rendered" for r in results)
    print(f"{done} rendered, {len(results) - done - len(failed)} up to date, "
          f"{len(failed)} failed -> {out / 'index.html'} ({time.perf_counter() - started:.1f} s)")
    if failed and all(EMPTY_CORPUS_ERROR in (r.error or "") for r in failed):
        return 2  # said once by build_reports: the corpus has no document
    for r in failed:
        print(f"  {r.name}: {r.error}", file=sys.stderr)
    if not results:
        print("error: no report was rendered", file=sys.stderr)
        return 1
    return 1 if failed else 0

