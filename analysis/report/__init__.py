"""Reports: render the notebooks to offline HTML (``python -m analysis.report``), and the helpers
the notebooks call (``from analysis import report``).

- :func:`build_reports` and :func:`main` (the command line): :mod:`analysis.report._cli`;
- the helpers notebooks call (``report.setup_notebook``, ``report.load_report_corpus``, ...):
  :mod:`analysis.report._notebook`; the parameter handling: :mod:`analysis.report._params`;
- the output folder (manifest, index page, atomic writes, lock): :mod:`analysis.report._output`;
- the run's cache of corpus and tokens: :mod:`analysis.report._cache`; executing notebooks on
  kernels: :mod:`analysis.report._runner`; offline charts: :mod:`analysis.report._render`;
- report defaults chosen from the corpus: :mod:`analysis.report.choose` (``analysis.choose``);
  searchable tables saved beside a page: :mod:`analysis.report.tables` (``analysis.tables``).
"""

from analysis.report._cli import build_reports, check_output_folder, main, resolve_paths
from analysis.report._notebook import (
    COLUMN_OPTIONS,
    load_report_actors,
    load_report_clusters,
    load_report_corpus,
    load_report_tokens,
    note,
    quiet_progress,
    setup_notebook,
    show_parameters,
    show_warnings_as_notes,
    warning_note,
)
from analysis.report._output import LOCK_TIMEOUT, ReportOutputError, ReportResult
from analysis.report._params import (
    check_parameters,
    declared_parameters,
    discover_notebooks,
    list_reports,
    load_parameter_file,
    notebook_parameters,
)

__all__ = [
    "COLUMN_OPTIONS", "LOCK_TIMEOUT", "ReportOutputError", "ReportResult", "build_reports",
    "check_output_folder", "check_parameters", "declared_parameters", "discover_notebooks",
    "list_reports", "load_parameter_file", "load_report_actors", "load_report_clusters",
    "load_report_corpus", "load_report_tokens", "main", "note", "notebook_parameters",
    "quiet_progress", "resolve_paths", "setup_notebook", "show_parameters",
    "show_warnings_as_notes", "warning_note",
]
