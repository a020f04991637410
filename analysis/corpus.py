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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from analysis.cleaning import BOILERPLATE_RULES, BoilerplateRule, clean_text
from analysis.metadata import apply_metadata
from analysis.published import parse_date, parse_published_column
from analysis.records import DEFAULT_MAX_BYTES, Collector, CorpusError, Record, decode_bytes
from analysis.sources import (
    METADATA_NAME,
    SUPPORTED,
    TABLE_SUFFIXES,
    is_frame,
    read_file,
    read_folder,
    read_frame,
)
from analysis.stopwords import default_stopwords
from analysis.table_sources import COLUMN_ALIASES

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMN_ALIASES", "DOC_SCHEMA", "METADATA_NAME", "SUPPORTED", "TABLE_SUFFIXES",
           "Corpus", "CorpusError", "decode_bytes", "load_corpus", "parse_date"]

PathLike = str | Path

DOC_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String(),
    "title": pl.String(),
    "outlet": pl.String(),
    "published": pl.Date(),
    "text": pl.String(),
    "source": pl.String(),
    "n_chars": pl.Int64(),
    "n_words": pl.Int64(),
    "language": pl.String(),
    "encoding": pl.String(),
    "duplicate_of": pl.String(),
    "published_precision": pl.String(),
}
"""The columns every ``Corpus.docs`` has, in order; metadata columns beyond these follow."""

WORD_PATTERN = r"\w+(?:['’]\w+)*"
"""What ``n_words`` counts: runs of letters/digits, with inner apostrophes."""


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
    notes: pl.DataFrame = field(default_factory=lambda: _empty_notes())
    removed: pl.DataFrame = field(default_factory=lambda: _empty_removed())

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



def _empty_skipped() -> pl.DataFrame:
    return pl.DataFrame(schema={"source": pl.String, "reason": pl.String})


def _empty_notes() -> pl.DataFrame:
    return pl.DataFrame(schema={"doc_id": pl.String, "source": pl.String, "note": pl.String})


def _empty_removed() -> pl.DataFrame:
    return pl.DataFrame(
        schema={"doc_id": pl.String, "line": pl.Int64, "text": pl.String, "rule": pl.String}
    )


# --------------------------------------------------------------------------------------------
# Building the docs table


def _guess_language(text: str) -> str | None:
    """``"en"`` when at least 15% of the words are English stop-words, else None (unknown)."""
    words = re.findall(r"[a-z']+", text[:20000].lower())
    if len(words) < 5:
        return None
    sw = default_stopwords()
    share = sum(w in sw for w in words) / len(words)
    return "en" if share >= 0.15 else None


def _first_line(text: str) -> str | None:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:300]
    return None


class _Ids:
    """Issue unique ids: a repeated id becomes ``id~2``, ``id~3``..., never an id already issued
    nor one that another input brings itself."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.originals = {r.doc_id for r in records}
        self.issued: set[str] = set()

    def issue(self, doc_id: str) -> str:
        new, n = doc_id, 1
        while new in self.issued or (n > 1 and new in self.originals):
            n += 1
            new = f"{doc_id}~{n}"
        self.issued.add(new)
        return new


def _dates(
    col: Collector, rows: list[dict[str, Any]], raw: list[Any], groups: list[str],
    dayfirst: bool | None,
) -> tuple[list[Any], list[str | None]]:
    """Parse publication dates per source column (day/month order decided once per column)."""
    dates: list[Any] = [None] * len(rows)
    precision: list[str | None] = [None] * len(rows)
    by_group: dict[str, list[int]] = {}
    for i, value in enumerate(raw):
        if value is not None and str(value).strip():
            by_group.setdefault(groups[i], []).append(i)
    for group, index in by_group.items():
        parsed, prec, note = parse_published_column([raw[i] for i in index], dayfirst=dayfirst)
        if note:
            col.note(group, note)
        for i, d, p in zip(index, parsed, prec, strict=True):
            dates[i], precision[i] = d, p
            if d is None:
                col.note(rows[i]["source"], f"unparseable date {raw[i]!r}; published left null",
                         doc_id=rows[i]["doc_id"])
    return dates, precision


def _notes_frame(notes: list[tuple[str | None, str, str]]) -> pl.DataFrame:
    """Notes as a table; identical file-level notes folded into one row."""
    folded: dict[str, list[str]] = {}
    out: list[tuple[str | None, str, str]] = []
    for doc_id, source, note in notes:
        if doc_id is None:
            if note not in folded:
                folded[note] = []
                out.append((None, "", note))
            folded[note].append(source)
        else:
            out.append((doc_id, source, note))
    rows = [
        (d, s or (folded[n][0] + (f" (and {len(folded[n]) - 1:,} more)"
                                  if len(folded[n]) > 1 else "")), n)
        for d, s, n in out
    ]
    if not rows:
        return _empty_notes()
    return pl.DataFrame(rows, schema=["doc_id", "source", "note"], orient="row")


def _build(
    col: Collector,
    *,
    rules: Sequence[BoilerplateRule],
    dayfirst: bool | None,
    progress: bool | None,
) -> Corpus:
    rows: list[dict[str, Any]] = []
    raw_dates: list[Any] = []
    groups: list[str] = []
    removed: list[tuple[str, int, str, str]] = []
    ids = _Ids(col.records)
    records: Iterable[Record] = col.records
    if progress or (progress is None and len(col.records) > 2000):
        from tqdm.auto import tqdm  # type: ignore[import-untyped]

        records = tqdm(col.records, desc="load_corpus", unit="doc")
    for rec in records:
        result = clean_text(rec.raw, rules=tuple(rules))
        if not result.text.strip():
            col.skip(rec.source, "no text left after cleaning (only boilerplate or markup)")
            continue
        doc_id = ids.issue(rec.doc_id)
        if doc_id != rec.doc_id:
            col.note(rec.source, f"doc_id {rec.doc_id!r} repeated; renamed", doc_id=doc_id)
        removed.extend((doc_id, n, line, rule) for n, line, rule in rec.removed)
        removed.extend((doc_id, n, line, rule) for n, line, rule in result.removed)
        if result.html_stripped:
            col.note(rec.source, "HTML markup removed", doc_id=doc_id)
        if rec.encoding not in ("utf-8", "utf-8-sig"):
            col.note(rec.source, f"decoded as {rec.encoding}", doc_id=doc_id)
        for note in rec.notes:
            col.note(rec.source, note, doc_id=doc_id)
        f = dict(rec.fields)
        raw_dates.append(f.pop("published", None))
        groups.append(rec.date_group or rec.source)
        title = f.pop("title", None)
        title = str(title).strip() if title not in (None, "") else None
        if title is None and rec.source.lower().endswith((".txt", ".txt.gz")):
            title = _first_line(result.text)
        outlet = f.pop("outlet", None)
        language = f.pop("language", None) or _guess_language(result.text)
        rows.append(
            {
                **{k: (None if v == "" else v) for k, v in f.items() if k not in DOC_SCHEMA},
                "doc_id": doc_id,
                "title": title,
                "outlet": (str(outlet).strip() or None) if outlet else None,
                "text": result.text,
                "source": rec.source,
                "language": language,
                "encoding": rec.encoding,
            }
        )
    if not rows:
        docs = pl.DataFrame(schema=DOC_SCHEMA)
    else:
        dates, precision = _dates(col, rows, raw_dates, groups, dayfirst)
        frame = pl.DataFrame(rows, infer_schema_length=None).with_columns(
            pl.Series("published", dates, dtype=pl.Date),
            pl.Series("published_precision", precision, dtype=pl.String),
        )
        frame = frame.with_columns(
            n_chars=pl.col("text").str.len_chars().cast(pl.Int64),
            n_words=pl.col("text").str.count_matches(WORD_PATTERN).cast(pl.Int64),
            _hash=pl.col("text").str.to_lowercase().str.replace_all(r"\s+", " ").hash(seed=0),
        )
        first = frame.group_by("_hash", maintain_order=True).agg(
            pl.col("doc_id").first().alias("_first")
        )
        frame = frame.join(first, on="_hash", how="left", maintain_order="left").with_columns(
            duplicate_of=pl.when(pl.col("_first") != pl.col("doc_id")).then(pl.col("_first"))
        )
        for doc_id, source, dup in frame.filter(pl.col("duplicate_of").is_not_null()).select(
            "doc_id", "source", "duplicate_of"
        ).iter_rows():
            col.note(source, f"duplicate text of {dup}; kept, flagged", doc_id=doc_id)
        frame = frame.drop("_hash", "_first")
        fixed = [pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c)
                 for c, t in DOC_SCHEMA.items()]
        extra = [c for c in frame.columns if c not in DOC_SCHEMA]
        docs = frame.select(*fixed, *[pl.col(c).cast(pl.String) for c in extra])
    skipped = pl.DataFrame(col.skipped, schema=["source", "reason"], orient="row") \
        if col.skipped else _empty_skipped()
    removed_df = pl.DataFrame(removed, schema=["doc_id", "line", "text", "rule"], orient="row") \
        if removed else _empty_removed()
    return Corpus(docs=docs, skipped=skipped, notes=_notes_frame(col.notes), removed=removed_df)


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
        Line rules for :func:`analysis.cleaning.clean_text`.
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
    single = isinstance(source, (str, os.PathLike)) or is_frame(source)
    sources: list[Any] = [source] if single else list(source)  # type: ignore[arg-type]
    if not sources:
        raise CorpusError("no source given")
    col = Collector(strict=strict, max_bytes=max_bytes, columns={
        "text": text_column, "published": date_column, "title": title_column,
        "outlet": outlet_column, "doc_id": id_column,
    })
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
    return _build(col, rules=boilerplate, dayfirst=dayfirst, progress=progress)
