"""Render every report notebook to self-contained HTML: ``python -m analysis.report``.

One Python process executes the notebooks with papermill and converts them with nbconvert (no
code cells, no prompts, no CDN), inlines the chart libraries once per page
(:func:`analysis.render.inline_vega`) and writes ``<out>/<notebook>.html`` plus an
``<out>/index.html`` that lists the reports with their parameters, the corpus fingerprint, the
package version and the build time.

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
import contextlib
import functools
import hashlib
import html
import json
import os
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import __version__, render
from analysis.config import (
    METADATA_CSV,
    NOTEBOOKS_DIR,
    PACKAGE_DIR,
    RAW_DIR,
    TEMPLATE_DIR,
    reports_dir,
)

if TYPE_CHECKING:
    import polars as pl

    from analysis.corpus import Corpus

TEMPLATE_NAME = "analysis_report"


# --------------------------------------------------------------------------------------------
# Helpers called from inside report notebooks


def setup_notebook(*, max_rows: int = 30, tables_dir: str = "") -> None:
    """Prepare a report notebook: offline charts, interactive tables, quiet progress, clean notes.

    - Polars and pandas tables display through :class:`analysis.tables.TableDisplay`: complete,
      searchable, sortable and paginated offline; with ``tables_dir`` each is also written
      there as CSV and Parquet, linked from the report. (``max_rows`` is kept for the plain
      text display of polars tables.)
    - Progress bars are switched off in the kernel (:func:`quiet_progress`): a report shows
      no progress output.
    - Warnings show as a short note (:func:`show_warnings_as_notes`), not as raw
      ``UserWarning`` text with a file path.
    """
    import polars as pl

    render.enable()
    quiet_progress()
    pl.Config.set_fmt_str_lengths(120)
    pl.Config.set_tbl_rows(max_rows)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return
    shell = get_ipython()
    if shell is None:
        return
    from analysis.tables import TableDisplay

    show_warnings_as_notes()
    tables = TableDisplay(tables_dir or None)
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pl.DataFrame, tables.html)
    # by name: pandas is imported only by a notebook that shows a pandas table
    formatter.for_type_by_name("pandas.core.frame", "DataFrame", tables.html)


# --------------------------------------------------------------------------------------------
# Report hygiene (issue 13): no progress output, warnings as notes, statements


def quiet_progress() -> None:
    """Switch tqdm progress bars off in this process (and its children), and their warnings.

    Sets ``TQDM_DISABLE=1`` (honoured by every tqdm bar created afterwards) and ignores
    ``TqdmWarning`` (the "IProgress not found" warning in a kernel without widgets).
    """
    import warnings

    os.environ["TQDM_DISABLE"] = "1"
    try:
        from tqdm import TqdmWarning
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return
    warnings.filterwarnings("ignore", category=TqdmWarning)


def warning_note(message: Warning | str) -> str:
    """A warning as a short HTML note: its text only, escaped, no file path or category.

    Examples
    --------
    >>> print(warning_note(UserWarning("by month <instead>")))
    <div class="analysis-note"><strong>Note:</strong> by month &lt;instead&gt;</div>
    """
    return ('<div class="analysis-note"><strong>Note:</strong> '
            f"{html.escape(str(message), quote=False)}</div>")


def show_warnings_as_notes() -> None:
    """Route ``warnings.warn`` in a notebook to :func:`warning_note` HTML output."""
    import warnings

    from IPython.display import HTML, display

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: Any = None, line: str | None = None) -> None:
        del category, filename, lineno, file, line
        display(HTML(warning_note(message)))

    warnings.showwarning = show


def note(text: str) -> Any:
    """A statement for the report (e.g. which comparison was chosen), shown as a note.

    Examples
    --------
    >>> note("No comparison is possible.").data
    '<div class="analysis-note"><strong>Note:</strong> No comparison is possible.</div>'
    """
    from IPython.display import HTML

    return HTML(warning_note(text))


COLUMN_OPTIONS = ("text_column", "date_column", "title_column", "outlet_column", "id_column")
"""The ``load_corpus`` column options a report passes through (``columns`` parameter)."""


def load_report_corpus(
    corpus_path: Sequence[str] | str = (),
    metadata_path: str = "",
    columns: Mapping[str, str] | None = None,
    *,
    duplicates: str = "exclude",
    clusters: Any = None,
) -> Corpus:
    """Load the corpus a report was given; the bundled corpus when ``corpus_path`` is empty.

    Parameters
    ----------
    corpus_path
        Files or folders (relative paths resolve against the working folder).
    metadata_path
        Metadata CSV for folders of ``.txt`` files; ``""``: found automatically.
    columns
        Column names for tables, passed to ``load_corpus``: keys among ``text_column``,
        ``date_column``, ``title_column``, ``outlet_column``, ``id_column``.
    duplicates
        ``"exclude"``: copies are left out of the returned corpus
        (:func:`analysis.dedup.deduplicate`: exact copies and near-duplicate clusters, each
        counted once as its first document; a note per copy is added and
        :func:`show_parameters` reports how many); ``"include"``: every document is kept.
    clusters
        Near-duplicate clusters (:func:`analysis.near_duplicates` output); ``None``: computed
        from the corpus with the default threshold when ``duplicates="exclude"``.

    Examples
    --------
    >>> load_report_corpus([]).docs.height
    5
    >>> load_report_corpus([], columns={"body": "text"})
    Traceback (most recent call last):
    ...
    ValueError: unknown column option 'body'; valid: text_column, date_column, ...

    During a report run the corpus is loaded once and read from the cache by every notebook
    (:func:`analysis.cache.load_corpus_cached`).
    """
    from analysis.cache import load_corpus_cached
    from analysis.dedup import deduplicate

    options = dict(columns or {})
    for key in options:
        if key not in COLUMN_OPTIONS:
            raise ValueError(
                f"unknown column option {key!r}; valid: {', '.join(COLUMN_OPTIONS)}"
            )
    paths = [corpus_path] if isinstance(corpus_path, str) else list(corpus_path)
    paths = [p for p in paths if p]
    columns_given = {k: v for k, v in options.items() if v}
    if not paths:
        corpus = load_corpus_cached(RAW_DIR, metadata=METADATA_CSV, **columns_given)
    else:
        corpus = load_corpus_cached(paths, metadata=metadata_path or None, **columns_given)
    if duplicates == "exclude" and clusters is None:
        from analysis.cache import corpus_clusters

        clusters = corpus_clusters(corpus)  # computed once per report run (cached)
    return deduplicate(corpus, duplicates=duplicates, clusters=clusters)  # type: ignore[arg-type]


def load_report_tokens(corpus: Corpus, **options: Any) -> pl.DataFrame:
    """``analysis.tokenize(corpus, **options)``, tokenised once per report run for all notebooks.

    See :func:`analysis.cache.corpus_tokens` (cached by corpus fingerprint and options while
    ``make report`` runs; a plain ``tokenize`` elsewhere).
    """
    from analysis.cache import corpus_tokens

    return corpus_tokens(corpus, **options)


def load_report_clusters(corpus: Corpus, **options: Any) -> pl.DataFrame:
    """``analysis.near_duplicates(corpus.docs, **options)``, computed once per report run.

    See :func:`analysis.cache.corpus_clusters` (cached by corpus fingerprint and options while
    ``make report`` runs; a plain ``near_duplicates`` elsewhere).
    """
    from analysis.cache import corpus_clusters

    return corpus_clusters(corpus, **options)


def load_report_actors(corpus: Corpus, tokens: pl.DataFrame, **options: Any) -> pl.DataFrame:
    """``analysis.actors(tokens, **options)`` for the tokens of ``corpus``, once per report run.

    ``tokens`` is :func:`load_report_tokens` of ``corpus``. Cached by the corpus fingerprint,
    the number of tokens, the options and the bytes of a dictionary file given as a path
    (:func:`analysis.cache.cached_frame`); a plain ``actors`` outside a report run.
    """
    from analysis.actors import actors
    from analysis.cache import cached_frame, explicit_options

    dictionary = options.get("dictionary")
    extra: Any = None
    if isinstance(dictionary, str | Path) and str(dictionary) and Path(dictionary).is_file():
        extra = hashlib.sha256(Path(dictionary).read_bytes()).hexdigest()
    elif dictionary not in (None, "") or options.get("dates") is not None:
        return actors(tokens, **options)  # tables: no key
    keyed = explicit_options(actors, {k: v for k, v in options.items() if v != ""})
    return cached_frame(
        "actors", [corpus.fingerprint, tokens.height, tokens.columns, keyed, extra],
        lambda: actors(tokens, **options))


def show_parameters(corpus: Corpus, **parameters: Any) -> pl.DataFrame:
    """A two-column table of the report's parameters and the corpus it ran on.

    Examples
    --------
    >>> corpus = load_report_corpus([])
    >>> show_parameters(corpus, top_n=25)["parameter"].to_list()[:5]
    ['top_n', 'documents', 'copies left out', 'skipped inputs', 'corpus fingerprint']
    """
    import polars as pl

    rows = [(k, json.dumps(v, default=str, ensure_ascii=False)) for k, v in parameters.items()]
    from analysis.dedup import copies_left_out

    rows += [
        ("documents", str(corpus.docs.height)),
        ("copies left out", str(copies_left_out(corpus))),
        ("skipped inputs", str(corpus.skipped.height)),
        ("corpus fingerprint", corpus.fingerprint),
        ("analysis version", __version__),
    ]
    return pl.DataFrame(rows, schema=["parameter", "value"], orient="row")


# --------------------------------------------------------------------------------------------
# Building reports


@dataclass
class ReportResult:
    """The outcome of one notebook: ``status`` is ``rendered``, ``up to date`` or ``failed``."""

    name: str
    status: str
    html: Path
    seconds: float = 0.0
    error: str = ""


def _files_below(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                f for f in sorted(p.rglob("*")) if f.is_file() and "__pycache__" not in f.parts
            )
        elif p.is_file():
            out.append(p)
    return out


def _digest(files: Iterable[Path], extra: Any = None) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(f.as_posix().encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    h.update(json.dumps(extra, sort_keys=True, default=str).encode())
    return h.hexdigest()


def discover_notebooks(names: Sequence[str] = (), *, folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The report notebooks in ``folder`` (all, or the ones named), sorted by name."""
    found = sorted(folder.glob("*.ipynb"))
    if not names:
        return found
    by_name = {p.stem: p for p in found}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise SystemExit(f"no notebook named {missing} in {folder}; have {sorted(by_name)}")
    return [by_name[n] for n in names]


def _failing_cell(exc: BaseException, executed: Path) -> str:
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
def _exporter() -> Any:
    """One nbconvert HTML exporter per process (its templates are loaded once per run)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def _to_html(executed: Path) -> str:
    import nbformat

    nb = _stable_ids(nbformat.read(executed, as_version=4))
    with _EXPORTER_LOCK:  # the exporter keeps state while it converts: one page at a time
        body, _ = _exporter().from_notebook_node(nb)
    return render.inline_vega(body)


def _write_atomic(path: Path, text: str) -> None:
    """Write ``path`` through a uniquely named temporary file; never leave the temporary file.

    Raises :class:`ReportOutputError` (one line: the path and the cause) when the folder is
    read-only, full or missing; the previous ``path`` is then left as it was.
    """
    import tempfile

    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        tmp = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise ReportOutputError(path, exc) from exc
    finally:
        if tmp is not None:
            _remove_quietly(tmp)


def build_reports(
    corpus_path: Sequence[str] = (),
    *,
    metadata_path: str = "",
    columns: Mapping[str, str] | None = None,
    out_dir: Path | None = None,
    notebooks: Sequence[str] = (),
    parameters: dict[str, Any] | None = None,
    force: bool = False,
    notebook_dir: Path = NOTEBOOKS_DIR,
    jobs: int | None = None,
    log: Any = print,
) -> list[ReportResult]:
    """Execute and render report notebooks; see the module docstring.

    Parameters
    ----------
    corpus_path
        Files or folders for the notebooks' ``corpus_path`` parameter; empty: the bundled corpus.
    metadata_path
        Metadata CSV for folders of ``.txt`` files (``""``: found automatically).
    columns
        ``load_corpus`` column options (``text_column``, ``date_column``, ...), given to the
        notebooks that declare a ``columns`` parameter.
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
        the available memory allow, :func:`analysis.cache.kernel_budget`). The kernels share
        the loaded corpus and its token table through ``<out_dir>/.cache``.
    log
        Called with one line of progress per notebook.

    Returns
    -------
    list of ReportResult
        One per notebook, with its status (``rendered``, ``up to date``, ``failed``).
    """
    out_dir = check_output_folder(reports_dir() if out_dir is None else out_dir)
    corpus_path = resolve_paths(corpus_path)
    metadata_path = str(resolve_paths([metadata_path])[0]) if metadata_path else ""
    selected = discover_notebooks(notebooks, folder=notebook_dir)
    if not selected:
        raise SystemExit(f"no report notebooks (*.ipynb) in {notebook_dir}: nothing to render")
    for name in check_parameters(parameters or {}, selected, columns=columns):
        log(f"note: {name}.ipynb has no `columns` parameter; it loads the corpus with the "
            "recognised column names")
    _prepare_output(out_dir)
    corpus_files = _corpus_files(corpus_path)
    if metadata_path:
        corpus_files.append(Path(metadata_path))
    package_hash = _digest(_files_below([PACKAGE_DIR]))
    corpus_hash = _digest(corpus_files)
    with _output_lock(out_dir):
        return _build_locked(
            corpus_path, metadata_path=metadata_path, out_dir=out_dir, selected=selected,
            columns=columns, parameters=parameters, force=force, jobs=jobs, log=log,
            package_hash=package_hash, corpus_hash=corpus_hash, corpus_files=corpus_files,
        )


def _build_locked(
    corpus_path: Sequence[str], *, metadata_path: str, out_dir: Path, selected: list[Path],
    columns: Mapping[str, str] | None, parameters: dict[str, Any] | None, force: bool,
    jobs: int | None, log: Any, package_hash: str, corpus_hash: str, corpus_files: list[Path],
) -> list[ReportResult]:
    manifest_path = out_dir / "manifest.json"
    manifest: dict[str, Any] = _read_manifest(manifest_path)
    todo: list[tuple[Path, dict[str, Any], str]] = []
    results: list[ReportResult] = []
    for nb_path in selected:
        declared = _declared_parameters(nb_path)
        params = {"corpus_path": [str(p) for p in corpus_path], "metadata_path": metadata_path,
                  "columns": dict(columns or {})}
        params.update(parameters or {})
        params = {k: v for k, v in params.items() if k in declared}
        key = _digest([nb_path], {"package": package_hash, "corpus": corpus_hash, "params": params})
        target = out_dir / f"{nb_path.stem}.html"
        entry = manifest.get(nb_path.stem, {})
        if (not force and entry.get("key") == key and entry.get("status") != "failed"
                and target.is_file()):
            results.append(ReportResult(nb_path.stem, "up to date", target))
        else:
            todo.append((nb_path, params, key))
    from analysis import cache

    workers = jobs or cache.kernel_budget(cache.corpus_text_bytes(corpus_files), tasks=len(todo))
    workers = max(1, min(workers, len(todo) or 1))
    with cache.report_cache(out_dir / ".cache"), ThreadPoolExecutor(max_workers=workers) as pool:
        if todo:  # the chart bundle, built once and read by every kernel from the cache folder
            render.vega_bundle()
        rendered = list(pool.map(lambda job: _render_one(*job, out_dir=out_dir), todo))
    for (_, params, key), result in zip(todo, rendered, strict=True):
        results.append(result)
        if result.status == "failed":
            log(f"FAILED {result.name}.ipynb: {result.error}")
            manifest[result.name] = _failed_entry(manifest.get(result.name), result, params)
            continue
        manifest[result.name] = {
            "key": key, "parameters": params, "built": _now(), "seconds": round(result.seconds, 2),
            "fingerprint": _fingerprint_from(result.html), "version": __version__,
            "status": "rendered",
        }
        log(f"rendered {result.html} in {result.seconds:.1f} s")
    results.sort(key=lambda r: r.name)
    if todo or not (out_dir / "index.html").is_file():
        _write_atomic(manifest_path, json.dumps(manifest, indent=2, sort_keys=True))
        _write_atomic(out_dir / "index.html", _index_html(manifest, corpus_path))
    return results


def _render_one(nb_path: Path, params: dict[str, Any], key: str, *, out_dir: Path) -> ReportResult:
    """Execute one notebook in its own kernel and write its HTML (atomically).

    The executed notebook goes to a private temporary folder (unique per run, removed
    afterwards, cleanup errors ignored), so runs never share a temporary name.
    """
    import shutil
    import tempfile

    import papermill as pm

    del key  # the caller records it
    name = nb_path.stem
    target = out_dir / f"{name}.html"
    started = time.perf_counter()
    if "tables_dir" in _declared_parameters(nb_path):  # tables saved beside the report
        params = {**params, "tables_dir": str(out_dir / f"{name}_tables")}
    work = Path(tempfile.mkdtemp(prefix=f"analysis-report-{name}-"))
    executed = work / f"{name}.executed.ipynb"
    try:
        try:
            pm.execute_notebook(
                str(nb_path), str(executed), parameters=params, cwd=os.getcwd(),
                progress_bar=False, log_output=False, kernel_name="python3",
                # the kernel listens on 127.0.0.1 only; its start-up warning about plain TCP
                # would be the only line it prints (cell errors reach the report anyway)
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
        except Exception as exc:
            return ReportResult(name, "failed", target, time.perf_counter() - started,
                                _failing_cell(exc, executed))
        try:
            _write_atomic(target, _to_html(executed))
        except ReportOutputError as exc:
            return ReportResult(name, "failed", target, time.perf_counter() - started, str(exc))
        except Exception as exc:
            return ReportResult(name, "failed", target, time.perf_counter() - started,
                                f"converting to HTML: {type(exc).__name__}: {exc}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ReportResult(name, "rendered", target, time.perf_counter() - started)


# --------------------------------------------------------------------------------------------
# Output folder robustness (issue 12, items 13-16 and 22)


LOCK_TIMEOUT = 600.0
"""Seconds a run waits for another run into the same output folder before giving up."""


class ReportOutputError(OSError):
    """The output folder cannot be written: one line naming the path and the cause."""

    def __init__(self, path: Path, cause: BaseException | str) -> None:
        reason = getattr(cause, "strerror", None) or str(cause)
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _prepare_output(out_dir: Path) -> None:
    """Create ``out_dir``, prove it is writable and clear temporary files of killed runs."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportOutputError(out_dir, exc) from exc
    _write_atomic(out_dir / ".write-test", "")
    _remove_quietly(out_dir / ".write-test")
    try:
        stale = [p for p in out_dir.iterdir()
                 if p.name.startswith(".") and p.name.endswith((".tmp", ".executed.ipynb"))]
    except OSError:
        stale = []
    for p in stale:
        if p.is_file():
            _remove_quietly(p)


class _output_lock:
    """An exclusive lock on ``<out_dir>/.report.lock``: a second run into the same folder waits
    up to ``timeout`` seconds, then stops with a message naming the folder."""

    def __init__(self, out_dir: Path, timeout: float | None = None) -> None:
        self.path = out_dir / ".report.lock"
        self.timeout = LOCK_TIMEOUT if timeout is None else timeout
        self.fh: Any = None

    def __enter__(self) -> _output_lock:
        import fcntl

        try:
            self.fh = open(self.path, "a+")
        except OSError as exc:
            raise ReportOutputError(self.path, exc) from exc
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self.fh.close()
                    raise ReportOutputError(
                        self.path.parent, "another run holds this folder (lock file .report.lock)"
                    ) from None
                time.sleep(0.2)

    def __exit__(self, *exc: object) -> None:
        import fcntl

        try:
            fcntl.flock(self.fh, fcntl.LOCK_UN)
            self.fh.close()
        except OSError:
            pass


def _read_manifest(path: Path) -> dict[str, Any]:
    """The previous manifest; an empty or damaged one counts as none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _failed_entry(previous: dict[str, Any] | None, result: ReportResult,
                  params: dict[str, Any]) -> dict[str, Any]:
    """A manifest entry for a failed render: the error, and the last good render if any."""
    entry = dict(previous or {})
    last_good = entry.get("built") if entry.get("status") != "failed" else entry.get("last_good")
    entry.update({"status": "failed", "error": result.error, "failed_at": _now(),
                  "last_good": last_good if result.html.is_file() else None})
    entry.setdefault("parameters", params)
    entry.setdefault("version", __version__)
    entry.setdefault("seconds", round(result.seconds, 2))
    return entry


def _corpus_files(corpus_path: Sequence[str]) -> list[Path]:
    """Every file a report on ``corpus_path`` depends on, including a ``metadata.csv`` that
    :func:`analysis.load_corpus` finds in or beside a corpus folder."""
    if not corpus_path:
        return _files_below([RAW_DIR, METADATA_CSV])
    paths = [Path(p) for p in corpus_path]
    files = _files_below(paths)
    for p in paths:
        if p.is_dir():
            beside = p.parent / "metadata.csv"
            if beside.is_file() and beside not in files:
                files.append(beside)
    return files


def _stable_ids(nb: Any) -> Any:
    """Give cells ids from their position: papermill's injected cell gets a random id, which
    would make two renders of the same inputs differ."""
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{number}"
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
    nb.metadata.pop("papermill", None)
    return nb


def _declared_parameters(nb_path: Path) -> set[str]:
    """Names assigned in the notebook's ``parameters`` cell."""
    import ast

    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse("".join(cell.get("source", "")))
            names: set[str] = set()
            for node in tree.body:
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    names.add(node.target.id)
                elif isinstance(node, ast.Assign):
                    names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            return names
    return set()


def _fingerprint_from(html_path: Path) -> str | None:
    """The corpus fingerprint a report printed in its parameter table (16 hex digits)."""
    import re

    m = re.search(r"corpus fingerprint(?:</td>\s*<td>|[\\\"', \[\]]|&quot;){1,12}([0-9a-f]{16})\b",
                  html_path.read_text(encoding="utf-8"))
    return m.group(1) if m else None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _index_html(manifest: dict[str, Any], corpus_path: Sequence[str]) -> str:
    corpus = ", ".join(corpus_path) if corpus_path else "bundled corpus (data/raw)"
    rows = []
    for name in sorted(manifest):
        e = manifest[name]
        params = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}"
                           for k, v in sorted(e["parameters"].items()))
        status = ""
        if e.get("status") == "failed":
            last = e.get("last_good")
            when = html.escape(str(e.get("failed_at", "")))
            status = (f'<br><strong class="failed">FAILED</strong> {when}:'
                      f' {html.escape(str(e.get("error", "")))}<br>'
                      + (f"showing the last good render, {html.escape(last)}" if last
                         else "no good render yet"))
        rows.append(
            "<tr>"
            f'<td><a href="{html.escape(name)}.html">{html.escape(name)}</a>{status}</td>'
            f"<td><code>{html.escape(params)}</code></td>"
            f"<td><code>{html.escape(str(e.get('fingerprint')))}</code></td>"
            f"<td>{html.escape(e['version'])}</td><td>{html.escape(str(e.get('built', '')))}</td>"
            f"<td>{e['seconds']}</td></tr>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Reports</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2rem auto;
        padding: 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left;
          vertical-align: top; }}
code {{ font-size: .85em; }}
.failed {{ color: #b00020; }}
</style></head>
<body>
<h1>News-corpus reports</h1>
<p>Corpus: <code>{html.escape(corpus)}</code>. Index written {html.escape(_now())}.</p>
<table>
<thead><tr><th>Report</th><th>Parameters</th><th>Corpus fingerprint</th><th>analysis version</th>
<th>Built</th><th>Seconds</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""


# --------------------------------------------------------------------------------------------
# Command line: paths, parameters, listing


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


def notebook_parameters(nb_path: Path) -> list[tuple[str, str, str, str]]:
    """The parameters cell of a notebook: ``(name, type, default, comment)`` per parameter.

    Examples
    --------
    >>> rows = notebook_parameters(NOTEBOOKS_DIR / "corpus_overview.ipynb")
    >>> rows[0][:3]
    ('corpus_path', 'list[str]', '[]')
    """
    import ast

    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = "".join(cell.get("source", ""))
        lines = source.splitlines()
        rows = []
        for node in ast.parse(source).body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                line = lines[node.lineno - 1]
                comment = line.split("  # ", 1)[1].strip() if "  # " in line else ""
                value = (ast.get_source_segment(source, node.value) or "") if node.value else ""
                rows.append((node.target.id, ast.unparse(node.annotation), value, comment))
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        rows.append((t.id, "", ast.unparse(node.value), ""))
        return rows
    return []


def list_reports(folder: Path = NOTEBOOKS_DIR) -> str:
    """The report notebooks in ``folder`` and their parameters, as text for ``--list``.

    Examples
    --------
    >>> text = list_reports()
    >>> "corpus_overview" in text and "  top_n: int = " in text
    True
    """
    notebooks = discover_notebooks(folder=folder)
    if not notebooks:
        return f"no report notebooks (*.ipynb) in {folder}"
    out = [f"{len(notebooks)} reports in {folder}:"]
    for nb in notebooks:
        out.append(f"\n{nb.stem}")
        for name, kind, default, comment in notebook_parameters(nb):
            typed = f": {kind}" if kind else ""
            out.append(f"  {name}{typed} = {default}" + (f"  # {comment}" if comment else ""))
    return "\n".join(out)


def check_parameters(
    parameters: Mapping[str, Any], notebooks: Sequence[Path], *,
    columns: Mapping[str, str] | None = None,
) -> list[str]:
    """Refuse parameter names that none of ``notebooks`` declares, naming the valid ones.

    Column names (``columns``) need notebooks with a ``columns`` parameter: refused when none
    has one; the names of the notebooks without one are returned (they load the corpus with
    the recognised columns).

    Examples
    --------
    >>> check_parameters({"topn": 5}, [NOTEBOOKS_DIR / "corpus_overview.ipynb"])
    Traceback (most recent call last):
    ...
    ValueError: unknown report parameter 'topn'; valid: columns, corpus_path, ..., top_n
    """
    declared: set[str] = set()
    without_columns = []
    for nb in notebooks:
        names = _declared_parameters(nb)
        declared |= names
        if "columns" not in names:
            without_columns.append(nb.stem)
    unknown = sorted(set(parameters) - declared)
    if unknown:
        listed = ", ".join(repr(n) for n in unknown)
        raise ValueError(
            f"unknown report parameter{'s' if len(unknown) > 1 else ''} {listed}; "
            f"valid: {', '.join(sorted(declared))}"
        )
    if columns and len(without_columns) == len(notebooks):
        raise ValueError(
            "column names were given but no selected notebook takes them (no `columns` "
            f"parameter in {', '.join(without_columns)})"
        )
    return without_columns if columns else []


def load_parameter_file(path: str | Path) -> dict[str, Any]:
    """Parameters from a YAML (or JSON) file holding one mapping, as papermill's ``-f``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "p.yaml"
    ...     _ = f.write_text("top_n: 40\\nevery: 1w\\n")
    ...     load_parameter_file(f)
    {'top_n': 40, 'every': '1w'}
    """
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SystemExit(f"cannot read parameter file {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise SystemExit(f"parameter file {path} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise SystemExit(f"parameter file {path} must hold a mapping of names to values")
    return data


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
            args.corpus, metadata_path=args.metadata, columns=columns, out_dir=out,
            notebooks=args.notebook, parameters=parameters, force=args.force,
            notebook_dir=notebook_dir, jobs=args.jobs,
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
    for r in failed:
        print(f"  {r.name}: {r.error}", file=sys.stderr)
    if not results:
        print("error: no report was rendered", file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
