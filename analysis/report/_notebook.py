"""Helpers called from inside report notebooks (``from analysis import report`` re-exports them).

``report.setup_notebook()`` prepares the kernel (offline charts, table display, no progress
bars, warnings as notes); ``report.load_report_corpus`` and the other ``load_report_*`` read
what a report run computes once for all notebooks (:mod:`analysis.report._cache`);
``report.show_parameters`` and ``report.note`` state what a report ran on and chose.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.actors._actors import actors
from analysis.config import METADATA_CSV, RAW_DIR
from analysis.config import VERSION as __version__
from analysis.copies._dedup import copies_left_out, deduplicate
from analysis.corpus._records import CorpusError
from analysis.engine._memory import release_after_cell
from analysis.engine._options import renamed
from analysis.report import _render as render
from analysis.report._cache import (
    cached_frame,
    corpus_clusters,
    corpus_tokens,
    explicit_options,
    load_corpus_cached,
)
from analysis.report.tables import TableDisplay

if TYPE_CHECKING:
    import polars as pl

    from analysis.corpus._load import Corpus


def setup_notebook(*, max_rows: int = 30, tables_dir: str | None = None) -> None:
    """Prepare a report notebook: offline charts, interactive tables, quiet progress, clean notes.

    - Polars and pandas tables display through
      :class:`analysis.report.tables.TableDisplay`: complete, searchable, sortable and
      paginated offline; with ``tables_dir`` each is also written there as CSV and Parquet,
      linked from the report. (``max_rows`` is kept for the plain
      text display of polars tables.)
    - Progress bars are switched off in the kernel (:func:`quiet_progress`): a report shows
      no progress output.
    - Warnings show as a short note (:func:`show_warnings_as_notes`), not as raw
      ``UserWarning`` text with a file path.
    - After every cell, freed memory goes back to the system
      (:func:`analysis.engine._memory.release_after_cell`), so one cell's garbage does not stay
      resident beside the next cell's work.
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

    show_warnings_as_notes()
    if release_after_cell not in shell.events.callbacks["post_run_cell"]:  # once per kernel
        shell.events.register("post_run_cell", release_after_cell)
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


EMPTY_CORPUS = "no documents in"
"""How the error of a corpus without documents starts (the report run says it once)."""


class EmptyCorpusError(CorpusError):
    """The corpus a report was given holds no document: nothing to report on."""


def empty_corpus_message(paths: Sequence[Any], corpus: Corpus) -> str:
    """``no documents in <paths>``, and why: what was skipped, or that nothing was there.

    >>> import polars as pl
    >>> from analysis.corpus._load import load_corpus
    >>> empty_corpus_message(["x.csv"], load_corpus(pl.DataFrame({"text": ["   "]})))
    "no documents in x.csv: 1 input skipped (empty text in column 'text')"
    """
    where = ", ".join(str(p) for p in paths)
    skipped = corpus.skipped
    if skipped.height == 0:
        return f"{EMPTY_CORPUS} {where}: no input file or row was found there"
    reasons = (skipped.group_by("reason").len().sort(["len", "reason"], descending=[True, False])
               .head(3).rows())
    said = "; ".join(f"{n} {reason}" if n > 1 else reason for reason, n in reasons)
    s = "s" if skipped.height > 1 else ""
    return f"{EMPTY_CORPUS} {where}: {skipped.height} input{s} skipped ({said})"


@renamed(columns="column_names")
def load_report_corpus(
    corpus_path: Sequence[str] | str = (),
    metadata_path: str | None = None,
    column_names: Mapping[str, str] | None = None,
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
        Metadata CSV for folders of ``.txt`` files; ``None`` (or the notebooks' ``""``): found
        automatically.
    column_names
        Column names for tables (the notebooks' ``columns`` parameter; ``columns=`` is the
        deprecated name of this option), passed to ``load_corpus``: keys among ``text_column``,
        ``date_column``, ``title_column``, ``outlet_column``, ``id_column``.
    duplicates
        ``"exclude"``: copies are left out of the returned corpus
        (:func:`analysis.copies._dedup.deduplicate`: exact copies and near-duplicate clusters, each
        counted once as its first document; a note per copy is added and
        :func:`show_parameters` reports how many); ``"include"``: every document is kept.
    clusters
        Near-duplicate clusters (:func:`analysis.near_duplicates` output); ``None``: computed
        from the corpus with the default threshold when ``duplicates="exclude"``.

    Examples
    --------
    >>> load_report_corpus([]).docs.height
    5
    >>> load_report_corpus([], column_names={"body": "text"})
    Traceback (most recent call last):
    ...
    ValueError: unknown column option 'body'; valid: text_column, date_column, ...

    During a report run the corpus is loaded once and read from the cache by every notebook
    (:func:`analysis.report._cache.load_corpus_cached`).
    """
    options = dict(column_names or {})
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
    if corpus.docs.height == 0:
        raise EmptyCorpusError(empty_corpus_message(paths or [RAW_DIR], corpus))
    if duplicates == "exclude" and clusters is None:
        clusters = corpus_clusters(corpus)  # computed once per report run (cached)
    return deduplicate(corpus, duplicates=duplicates, clusters=clusters)  # type: ignore[arg-type]


def load_report_tokens(corpus: Corpus, **options: Any) -> pl.DataFrame:
    """``analysis.tokenize(corpus, **options)``, tokenised once per report run for all notebooks.

    See :func:`analysis.report._cache.corpus_tokens` (cached by corpus fingerprint and options while
    ``make report`` runs; a plain ``tokenize`` elsewhere).
    """
    return corpus_tokens(corpus, **options)


def load_report_clusters(corpus: Corpus, **options: Any) -> pl.DataFrame:
    """``analysis.near_duplicates(corpus.docs, **options)``, computed once per report run.

    See :func:`analysis.report._cache.corpus_clusters` (cached by corpus fingerprint and options
    while
    ``make report`` runs; a plain ``near_duplicates`` elsewhere).
    """
    return corpus_clusters(corpus, **options)


def load_report_actors(corpus: Corpus, tokens: pl.DataFrame, **options: Any) -> pl.DataFrame:
    """``analysis.actors(tokens, **options)`` for the tokens of ``corpus``, once per report run.

    ``tokens`` is :func:`load_report_tokens` of ``corpus``. Cached by the corpus fingerprint,
    the number of tokens, the options and the bytes of a dictionary file given as a path
    (:func:`analysis.report._cache.cached_frame`); a plain ``actors`` outside a report run.
    """
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

    rows += [
        ("documents", str(corpus.docs.height)),
        ("copies left out", str(copies_left_out(corpus))),
        ("skipped inputs", str(corpus.skipped.height)),
        ("corpus fingerprint", corpus.fingerprint),
        ("analysis version", __version__),
    ]
    return pl.DataFrame(rows, schema=["parameter", "value"], orient="row")
