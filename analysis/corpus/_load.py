"""Load news articles into a :class:`Corpus`: one row per document, every input accounted for.

Sources (details, recognised column names, skip reasons and date rules: ``docs/loading.md``)
-------
- a folder, read recursively: ``.txt`` files (metadata from ``metadata=`` or a ``metadata.csv``
  in the folder or beside it), tables, saved ``.html`` pages, ``.gz``/``.zip`` archives; any
  other file is recorded in ``skipped``;
- a file of any of these kinds: ``.txt``; CSV, TSV, JSON Lines (``.jsonl``/``.ndjson``), JSON
  (one article, an array, or ``{"articles": [...]}``) or Parquet tables with a text column and
  optional date, outlet, title and id columns (names given, or recognised from
  :data:`COLUMN_ALIASES`); ``.html``; ``.gz``/``.zip`` of any of these;
- a polars or pandas data frame (its rows are the documents);
- a list of any of these, combined.

Every input file or row ends up exactly once in ``Corpus.docs`` or ``Corpus.skipped``; non-fatal
observations (which column became what, an encoding fallback, a file with no metadata row, an
unparseable date, a duplicate text) are listed in ``Corpus.notes``; what cleaning or HTML
extraction removed in ``Corpus.removed``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from analysis.cleaning._rules import BOILERPLATE_RULES, BoilerplateRule
from analysis.corpus._build import (
    build_corpus,
    empty_notes,
    empty_removed,
)
from analysis.corpus._files import (
    is_frame,
    read_file,
    read_folder,
    read_frame,
)
from analysis.corpus._metadata import apply_metadata
from analysis.corpus._records import DEFAULT_MAX_BYTES, Collector, CorpusError

if TYPE_CHECKING:
    import pandas as pd

PathLike = str | Path

@dataclass
class Corpus:
    """A loaded corpus.

    Attributes
    ----------
    docs
        One row per document: ``doc_id`` (unique, stable), ``title``, ``outlet``, ``published``
        (``pl.Date``, null where unknown), ``text`` (cleaned), ``source`` (file path, or
        ``path:row`` for tables; rows are numbered from 1 after the header), ``n_chars``,
        ``n_words``, ``language``, ``encoding`` (what the file or row was decoded as),
        ``duplicate_of`` (the first document with the same text, else null),
        ``published_precision`` (``"day"``, ``"month"`` or ``"year"``: a partial date is the
        first day of its month or year; null when ``published`` is); metadata columns follow.
    skipped
        One row per input that did not become a document: ``source, reason``.
    notes
        Non-fatal observations: ``doc_id, source, note``.
    removed
        What cleaning (or HTML extraction, rule ``html_extraction``) removed:
        ``doc_id, line, text, rule``.
    """

    docs: pl.DataFrame
    skipped: pl.DataFrame
    notes: pl.DataFrame = field(default_factory=empty_notes)
    removed: pl.DataFrame = field(default_factory=empty_removed)

    @cached_property
    def fingerprint(self) -> str:
        """A content hash (16 hex digits) of ``doc_id``, ``published``, ``outlet``, ``title`` and
        ``text`` of every document, independent of file paths, row order and machine."""
        h = hashlib.sha256()
        cols = ["doc_id", "published", "outlet", "title", "text"]
        for row in self.docs.select(cols).sort("doc_id").iter_rows():
            h.update("\x1f".join("" if v is None else str(v) for v in row).encode("utf-8"))
            h.update(b"\x1e")
        return h.hexdigest()[:16]

    def to_pandas(self) -> pd.DataFrame:
        """``docs`` as a pandas DataFrame."""
        return self.docs.to_pandas()

    def summary(self) -> pl.DataFrame:
        """A one-row table: documents, skipped inputs, words, outlets, date range, fingerprint."""
        d = self.docs
        return pl.DataFrame(
            {
                "documents": [d.height],
                "skipped": [self.skipped.height],
                "words": [int(d["n_words"].sum() or 0)],
                "outlets": [d["outlet"].drop_nulls().n_unique()],
                "first_published": [d["published"].min()],
                "last_published": [d["published"].max()],
                "fingerprint": [self.fingerprint],
            }
        )

    def __len__(self) -> int:
        return self.docs.height

    def __repr__(self) -> str:
        return (
            f"Corpus({self.docs.height} documents, {self.skipped.height} skipped, "
            f"fingerprint {self.fingerprint})"
        )




# --------------------------------------------------------------------------------------------
# Sources


def load_corpus(
    source: PathLike | Any | Iterable[PathLike | Any],
    *,
    metadata: PathLike | None = None,
    text_column: str | None = None,
    date_column: str | None = None,
    title_column: str | None = None,
    outlet_column: str | None = None,
    id_column: str | None = None,
    dayfirst: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    boilerplate: Sequence[BoilerplateRule] = BOILERPLATE_RULES,
    strict: bool = False,
    progress: bool | None = None,
) -> Corpus:
    """Load articles from folders, text files, tables, HTML pages, archives and data frames.

    Parameters
    ----------
    source
        A folder, a file, a polars or pandas data frame, or a list of them (combined in the
        order given; a file reached twice is read once).
    metadata
        A CSV with one row per text file, joined on ``doc_id`` (the file stem) or ``file`` (the
        path relative to the folder). Default: ``metadata.csv`` in the folder or beside it, when
        there is one. Its columns are recognised like a table's (``date`` is ``published``).
    text_column, date_column, title_column, outlet_column, id_column
        Column names in tables; when not given they are recognised from :data:`COLUMN_ALIASES`
        (a note says which column became what). A table with no outlet column takes its outlet
        from the file name (noted).
    dayfirst
        How to read all-numeric dates that do not start with the year (``03/04/2022``). Default
        ``None``: decided once per column from its unambiguous values, else month first (noted).
    max_bytes
        Size limit of one document (a text file, HTML page, table cell or archive member;
        default 50 MiB); larger ones are skipped with a reason. A table inside an archive may
        decompress to 20 times this.
    boilerplate
        Line rules for :func:`analysis.cleaning._text.clean_text`.
    strict
        Raise :class:`CorpusError` at the first input that would be skipped.
    progress
        Show a progress bar (tqdm, terminal or JupyterLab) while cleaning; default: only for
        more than 2,000 documents. ``False`` switches it off.

    Returns
    -------
    Corpus
        ``docs``, ``skipped``, ``notes``, ``removed`` and ``fingerprint`` (see :class:`Corpus`).

    Examples
    --------
    >>> from analysis.config import RAW_DIR
    >>> corpus = load_corpus(RAW_DIR)
    >>> corpus.docs.select("doc_id", "outlet", "published", "n_words").head(2)
    shape: (2, 4)
    ┌──────────────────────┬───────────────────┬────────────┬─────────┐
    │ doc_id               ┆ outlet            ┆ published  ┆ n_words │
    │ ---                  ┆ ---               ┆ ---        ┆ ---     │
    │ str                  ┆ str               ┆ date       ┆ i64     │
    ╞══════════════════════╪═══════════════════╪════════════╪═════════╡
    │ 000_1aebdc1241029af4 ┆ ...               ┆ 2024-05-16 ┆ ...     │
    │ 001_4d35a865ec83e0f2 ┆ ...               ┆ 2024-05-16 ┆ ...     │
    └──────────────────────┴───────────────────┴────────────┴─────────┘
    >>> corpus.skipped.height
    0
    >>> load_corpus(pl.DataFrame({"body": ["Words."], "pubDate": ["May 2022"]})).docs.select(
    ...     "source", "published", "published_precision").row(0)
    ('frame1:1', datetime.date(2022, 5, 1), 'month')
    """
    col = read_sources(source, metadata=metadata, max_bytes=max_bytes, strict=strict, columns={
        "text": text_column, "published": date_column, "title": title_column,
        "outlet": outlet_column, "doc_id": id_column,
    })
    docs, skipped, notes, removed = build_corpus(col, rules=boilerplate, dayfirst=dayfirst,
                                                 progress=progress)
    return Corpus(docs=docs, skipped=skipped, notes=notes, removed=removed)


def read_sources(
    source: PathLike | Any | Iterable[PathLike | Any],
    *,
    metadata: PathLike | None = None,
    columns: dict[str, str | None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    strict: bool = False,
) -> Collector:
    """The reading half of :func:`load_corpus`: every source read into records, skips and
    notes (``columns`` maps roles to the column names given); nothing cleaned yet.

    Examples
    --------
    >>> col = read_sources(pl.DataFrame({"text": ["One.", ""]}))
    >>> [r.source for r in col.records], col.skipped
    (['frame1:1'], [('frame1:2', "empty text in column 'text'")])
    """
    single = isinstance(source, (str, os.PathLike)) or is_frame(source)
    sources: list[Any] = [source] if single else list(source)  # type: ignore[arg-type]
    if not sources:
        raise CorpusError("no source given")
    col = Collector(strict=strict, max_bytes=max_bytes, columns=dict(columns or {}))
    meta_path = Path(metadata) if metadata is not None else None
    if meta_path is not None and not meta_path.is_file():
        raise CorpusError(f"metadata file {meta_path} does not exist")
    pending: dict[str, list[Any]] = {}
    for item in sources:
        if is_frame(item):
            read_frame(item, col)
            continue
        if not isinstance(item, (str, os.PathLike)):
            raise CorpusError(
                f"a source is a path, a data frame, or a list of them; got "
                f"{type(item).__name__} {item!r:.60}"
            )
        path = Path(item)
        if not path.exists():
            raise CorpusError(f"source {path} does not exist")
        if path.is_dir():
            read_folder(path, col, meta_path, pending)
            continue
        rec = read_file(path, col)
        if rec is not None and meta_path is not None and path.suffix.lower() == ".txt":
            rec.path, rec.root = path, path.parent
            pending.setdefault(os.path.realpath(meta_path), [meta_path, []])[1].append(rec)
    for meta, recs in pending.values():
        apply_metadata(col, meta, recs)
    return col
