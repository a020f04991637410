"""Load news articles into a :class:`Corpus`: one row per document, every input accounted for.

Sources
-------
- a folder, read recursively: its ``.txt`` files (metadata from ``metadata=`` or a
  ``metadata.csv`` in the folder or beside it, joined on ``doc_id`` = file stem, or on a
  ``file`` column) and its tables; any other file is recorded in ``skipped``;
- a ``.txt`` file;
- a CSV, JSONL (``.jsonl``/``.ndjson``) or Parquet file with a text column and optional date,
  outlet and title columns (names given, or recognised from :data:`COLUMN_ALIASES`);
- a list of any of these, combined (a table with no outlet column takes its outlet from the file
  name, e.g. ``guardian.csv`` -> ``guardian``).

Every input file or row ends up exactly once in ``Corpus.docs`` or ``Corpus.skipped``; non-fatal
observations (an encoding fallback, a file with no metadata row, an unparseable date, a duplicate
text) are listed in ``Corpus.notes``; lines removed by cleaning in ``Corpus.removed``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    import pandas as pd
from dateutil import parser as dateutil_parser

from analysis.cleaning import BOILERPLATE_RULES, BoilerplateRule, clean_text
from analysis.stopwords import default_stopwords

PathLike = str | Path

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "article", "articles", "body", "content", "full_text", "story"),
    "published": ("published", "date", "publish_date", "published_at", "pubdate",
                  "publication_date", "datetime", "timestamp", "time"),
    "title": ("title", "headline", "headlines", "heading"),
    "outlet": ("outlet", "publisher", "publication", "newspaper", "site", "media",
               "source_name", "domain"),
    "doc_id": ("doc_id", "id", "article_id", "uid"),
}
"""Column names recognised (case-insensitively) when a table does not name its columns."""

TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".parquet"}
METADATA_NAME = "metadata.csv"

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
}
"""The columns every ``Corpus.docs`` has, in order; metadata columns beyond these follow."""

WORD_PATTERN = r"\w+(?:['’]\w+)*"
"""What ``n_words`` counts: runs of letters/digits, with inner apostrophes."""


class CorpusError(ValueError):
    """Raised for input the loader cannot interpret (or any bad input with ``strict=True``)."""


@dataclass
class Corpus:
    """A loaded corpus.

    Attributes
    ----------
    docs
        One row per document: ``doc_id`` (unique, stable), ``title``, ``outlet``, ``published``
        (``pl.Date``, null where unknown), ``text`` (cleaned), ``source`` (file path, or
        ``path:row`` for tables; rows are numbered from 1 after the header), ``n_chars``,
        ``n_words``, ``language``, ``encoding`` (what the file was decoded as), ``duplicate_of``
        (the first document with the same text, else null); metadata columns beyond these follow.
    skipped
        One row per input that did not become a document: ``source, reason``.
    notes
        Non-fatal observations: ``doc_id, source, note``.
    removed
        What cleaning removed: ``doc_id, line, text, rule``.
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
# Decoding


def decode_bytes(data: bytes) -> tuple[str | None, str]:
    """Decode file bytes, returning ``(text, encoding)``; ``text`` is None for binary data.

    Tries, in order: a byte-order mark (UTF-8, UTF-16), BOM-less UTF-16 (many NULs in alternate
    positions), strict UTF-8, then Windows-1252 (falling back to Latin-1 for the five bytes
    cp1252 leaves undefined). Data with NUL bytes or many control characters is binary.

    Examples
    --------
    >>> decode_bytes("Café".encode("cp1252"))
    ('Café', 'cp1252')
    >>> decode_bytes("\\ufeffHi".encode("utf-8"))
    ('Hi', 'utf-8-sig')
    >>> decode_bytes(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    (None, 'binary')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    sample = data[:4096]
    if len(sample) >= 4 and b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
            return data.decode("utf-16-le", errors="replace"), "utf-16-le"
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
            return data.decode("utf-16-be", errors="replace"), "utf-16-be"
        return None, "binary"
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if sample and controls > 0.05 * len(sample):
        return None, "binary"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


# --------------------------------------------------------------------------------------------
# Dates

_ISO_PREFIX = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])")


def parse_date(value: Any, *, dayfirst: bool = False) -> date | None:
    """Parse one publication date written in any common format; None when it cannot be read.

    Year-first forms (``2022-08-01T16:23:25Z``, ``2022/06/23``) are read as year-month-day; other
    numeric forms follow ``dayfirst`` (``False``: ``03/04/2022`` is 4 March); written forms
    (``14 May 2024``, ``May 14, 2024``) are unambiguous. Time and zone are dropped: the date is
    the one written.

    Examples
    --------
    >>> [parse_date(s) for s in ["2022-08-01T16:23:25Z", "2022/06/23", "14 May 2024"]]
    [datetime.date(2022, 8, 1), datetime.date(2022, 6, 23), datetime.date(2024, 5, 14)]
    >>> parse_date("not a date") is None, parse_date("31/02/2022") is None
    (True, True)
    """
    if value is None:
        return None
    if isinstance(value, date):
        return value if type(value) is date else value.date()  # type: ignore[attr-defined]
    text = str(value).strip()
    if not text:
        return None
    m = _ISO_PREFIX.match(text)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if not re.search(r"\d", text):
            return None
        return dateutil_parser.parse(text, dayfirst=dayfirst, fuzzy=False).date()
    except (ValueError, OverflowError):
        return None


def _parse_date_column(values: pl.Series, *, dayfirst: bool) -> pl.Series:
    """Parse a column of dates, each distinct string once."""
    if values.dtype == pl.Date:
        return values
    if values.dtype in (pl.Datetime, pl.Datetime("us"), pl.Datetime("ns"), pl.Datetime("ms")):
        return values.dt.date()
    strings = values.cast(pl.String)
    lookup = {v: parse_date(v, dayfirst=dayfirst) for v in strings.unique().drop_nulls()}
    return pl.Series(values.name, [lookup.get(v) for v in strings], dtype=pl.Date)


# --------------------------------------------------------------------------------------------
# Reading sources into raw records


@dataclass
class _Record:
    doc_id: str
    raw: str
    source: str
    encoding: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Collector:
    records: list[_Record] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str | None, str, str]] = field(default_factory=list)
    strict: bool = False

    def skip(self, source: str, reason: str) -> None:
        if self.strict:
            raise CorpusError(f"{source}: {reason} (strict=True stops at the first bad input)")
        self.skipped.append((source, reason))


def _find_column(columns: Sequence[str], role: str, given: str | None) -> str | None:
    if given is not None:
        if given not in columns:
            raise CorpusError(f"column {given!r} for {role} not found; found {list(columns)}")
        return given
    lower = {c.lower().strip(): c for c in columns}
    for alias in COLUMN_ALIASES[role]:
        if alias in lower:
            return lower[alias]
    return None


def _read_table(path: Path) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """Read a CSV/TSV/JSONL/Parquet file as all-string columns (Parquet keeps its types).

    Returns the table and rows that could not be read (JSONL lines), as (row, reason).
    """
    suffix = path.suffix.lower()
    bad: list[tuple[int, str]] = []
    if suffix == ".parquet":
        return pl.read_parquet(path), bad
    if suffix in (".jsonl", ".ndjson"):
        text, _ = decode_bytes(path.read_bytes())
        rows: list[dict[str, Any]] = []
        row_numbers: list[int] = []
        for number, line in enumerate((text or "").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                bad.append((number, f"invalid JSON: {exc.msg}"))
                continue
            if not isinstance(obj, dict):
                bad.append((number, "JSON line is not an object"))
                continue
            rows.append({k: None if v is None else str(v) for k, v in obj.items()})
            row_numbers.append(number)
        df = pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()
        return df.with_columns(pl.Series("__row", row_numbers, dtype=pl.Int64)), bad
    data = path.read_bytes()
    text, _ = decode_bytes(data)
    if text is None:
        raise CorpusError(f"{path} is not a text table (binary content)")
    sep = "\t" if suffix == ".tsv" else ","
    try:
        df = pl.read_csv(
            text.encode("utf-8"), separator=sep, infer_schema=False, truncate_ragged_lines=True
        )
    except pl.exceptions.PolarsError as exc:
        raise CorpusError(f"{path} could not be read as {suffix[1:].upper()}: {exc}") from exc
    return df, bad


def _from_table(
    path: Path,
    col: _Collector,
    *,
    text_column: str | None,
    date_column: str | None,
    title_column: str | None,
    outlet_column: str | None,
    id_column: str | None,
) -> None:
    df, bad = _read_table(path)
    for row, reason in bad:
        col.skip(f"{path}:{row}", reason)
    columns = [c for c in df.columns if c != "__row"]
    text_col = _find_column(columns, "text", text_column)
    if text_col is None:
        raise CorpusError(
            f"{path} has no text column; found columns {columns}. "
            f"Name it with text_column=, or use one of {list(COLUMN_ALIASES['text'])}"
        )
    roles = {
        "published": _find_column(columns, "published", date_column),
        "title": _find_column(columns, "title", title_column),
        "outlet": _find_column(columns, "outlet", outlet_column),
        "doc_id": _find_column(columns, "doc_id", id_column),
    }
    if "__row" not in df.columns:
        df = df.with_row_index("__row", offset=1)
    used = {text_col, *[c for c in roles.values() if c]}
    extra = [c for c in columns if c not in used and c not in DOC_SCHEMA]
    for rec in df.iter_rows(named=True):
        source = f"{path}:{rec['__row']}"
        raw = rec[text_col]
        if raw is None or not str(raw).strip():
            col.skip(source, f"empty text in column {text_col!r}")
            continue
        fields: dict[str, Any] = {
            role: rec[name] for role, name in roles.items() if name and role != "doc_id"
        }
        if roles["outlet"] is None:
            fields["outlet"] = path.stem
        fields.update({c: rec[c] for c in extra})
        id_value = rec[roles["doc_id"]] if roles["doc_id"] else None
        doc_id = str(id_value) if id_value not in (None, "") else f"{path.stem}:{rec['__row']}"
        col.records.append(_Record(doc_id, str(raw), source, "utf-8", fields))


def _from_text_file(path: Path, col: _Collector, doc_id: str) -> None:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        col.skip(source, f"unreadable file: {exc.strerror or exc}")
        return
    text, encoding = decode_bytes(data)
    if text is None:
        col.skip(source, "binary file (not text)")
        return
    if not text.strip():
        col.skip(source, "empty file" if not data else "whitespace-only file")
        return
    col.records.append(_Record(doc_id, text, source, encoding))


def _text_file_ids(files: list[Path], root: Path) -> dict[Path, str]:
    """File stem as doc_id; the relative path without suffix where two stems collide."""
    stems: dict[str, int] = {}
    for f in files:
        stems[f.stem] = stems.get(f.stem, 0) + 1
    return {
        f: f.stem if stems[f.stem] == 1 else f.relative_to(root).with_suffix("").as_posix()
        for f in files
    }


def _from_folder(
    folder: Path, col: _Collector, metadata: Path | None, table_options: dict[str, Any]
) -> tuple[list[Path], Path | None]:
    """Read every file below ``folder``: ``.txt`` files and tables; anything else is skipped."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    if metadata is None:
        for candidate in (folder / METADATA_NAME, folder.parent / METADATA_NAME):
            if candidate.is_file():
                metadata = candidate
                break
    txt: list[Path] = []
    for f in files:
        if metadata is not None and f.resolve() == metadata.resolve():
            continue
        suffix = f.suffix.lower()
        if suffix == ".txt":
            txt.append(f)
        elif suffix in TABLE_SUFFIXES:
            try:
                _from_table(f, col, **table_options)
            except CorpusError as exc:
                col.skip(str(f), f"table not read: {exc}")
        else:
            col.skip(str(f), f"unsupported file type ({f.suffix or 'no extension'}); "
                             f"the loader reads .txt, {', '.join(sorted(TABLE_SUFFIXES))}")
    ids = _text_file_ids(txt, folder)
    for f in txt:
        _from_text_file(f, col, ids[f])
    return txt, metadata


def _apply_metadata(col: _Collector, records: list[_Record], metadata: Path) -> None:
    """Join metadata rows onto text-file records by ``doc_id`` (or a ``file`` column)."""
    table, _ = _read_table(metadata)
    columns = list(table.columns)
    key = next((c for c in ("doc_id", "file", "filename", "path") if c in columns), None)
    if key is None:
        raise CorpusError(
            f"metadata {metadata} needs a doc_id or file column to join on; found {columns}"
        )
    by_id = {r.doc_id: r for r in records}
    by_name = {Path(r.source).name: r for r in records}
    matched: set[str] = set()
    for number, row in enumerate(table.iter_rows(named=True), start=1):
        k = str(row[key] or "").strip()
        rec = by_id.get(k) or by_id.get(Path(k).stem) or by_name.get(Path(k).name)
        if rec is None:
            col.skip(f"{metadata}:{number}", f"metadata row for {k!r} has no matching text file")
            continue
        if rec.doc_id in matched:
            col.notes.append((rec.doc_id, f"{metadata}:{number}", "second metadata row ignored"))
            continue
        matched.add(rec.doc_id)
        for c, v in row.items():
            if c not in (key, "doc_id", "text", "source"):
                rec.fields[c] = v
    for rec in records:
        if rec.doc_id not in matched:
            col.notes.append((rec.doc_id, rec.source, f"no metadata row in {metadata.name}"))


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


def _build(
    col: _Collector,
    *,
    rules: Sequence[BoilerplateRule],
    dayfirst: bool,
    progress: bool | None,
) -> Corpus:
    rows: list[dict[str, Any]] = []
    removed: list[tuple[str, int, str, str]] = []
    seen_ids: dict[str, int] = {}
    records: Iterable[_Record] = col.records
    if progress or (progress is None and len(col.records) > 2000):
        from tqdm.auto import tqdm

        records = tqdm(col.records, desc="load_corpus", unit="doc")
    for rec in records:
        result = clean_text(rec.raw, rules=tuple(rules))
        if not result.text.strip():
            col.skip(rec.source, "no text left after cleaning (only boilerplate or markup)")
            continue
        doc_id = rec.doc_id
        if doc_id in seen_ids:
            seen_ids[doc_id] += 1
            new_id = f"{doc_id}~{seen_ids[doc_id]}"
            col.notes.append((new_id, rec.source, f"doc_id {doc_id!r} repeated; renamed"))
            doc_id = new_id
        else:
            seen_ids[doc_id] = 1
        removed.extend((doc_id, n, line, rule) for n, line, rule in result.removed)
        if result.html_stripped:
            col.notes.append((doc_id, rec.source, "HTML markup removed"))
        if rec.encoding not in ("utf-8", "utf-8-sig"):
            col.notes.append((doc_id, rec.source, f"decoded as {rec.encoding}"))
        f = dict(rec.fields)
        title = f.pop("title", None)
        title = str(title).strip() if title not in (None, "") else None
        if title is None and rec.source.lower().endswith(".txt"):
            title = _first_line(result.text)
        language = f.pop("language", None) or _guess_language(result.text)
        rows.append(
            {
                **{k: (None if v == "" else v) for k, v in f.items()},
                "doc_id": doc_id,
                "title": title,
                "outlet": (str(f["outlet"]).strip() or None) if f.get("outlet") else None,
                "published_raw": f.get("published"),
                "text": result.text,
                "source": rec.source,
                "language": language,
                "encoding": rec.encoding,
            }
        )
    if not rows:
        docs = pl.DataFrame(schema=DOC_SCHEMA)
    else:
        frame = pl.DataFrame(rows, infer_schema_length=None)
        published = _parse_date_column(
            frame["published_raw"].cast(pl.String) if "published_raw" in frame.columns
            else pl.Series("published_raw", [None] * frame.height, dtype=pl.String),
            dayfirst=dayfirst,
        ).alias("published")
        frame = frame.with_columns(published)
        unparsed = frame.filter(
            pl.col("published").is_null()
            & pl.col("published_raw").cast(pl.String).str.strip_chars().ne("")
            & pl.col("published_raw").is_not_null()
        )
        for doc_id, source, raw in unparsed.select("doc_id", "source", "published_raw").iter_rows():
            col.notes.append((doc_id, source, f"unparseable date {raw!r}; published left null"))
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
            col.notes.append((doc_id, source, f"duplicate text of {dup}; kept, flagged"))
        frame = frame.drop("_hash", "_first", "published_raw")
        fixed = [pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c)
                 for c, t in DOC_SCHEMA.items()]
        extra = [c for c in frame.columns if c not in DOC_SCHEMA]
        docs = frame.select(*fixed, *extra)
    skipped = pl.DataFrame(col.skipped, schema=["source", "reason"], orient="row") \
        if col.skipped else _empty_skipped()
    kept = set(docs["doc_id"].to_list())
    kept_notes = [n for n in col.notes if n[0] is None or n[0] in kept]  # skipped: see .skipped
    notes = pl.DataFrame(kept_notes, schema=["doc_id", "source", "note"], orient="row") \
        if kept_notes else _empty_notes()
    removed_df = pl.DataFrame(removed, schema=["doc_id", "line", "text", "rule"], orient="row") \
        if removed else _empty_removed()
    return Corpus(docs=docs, skipped=skipped, notes=notes, removed=removed_df)


def load_corpus(
    source: PathLike | Iterable[PathLike],
    *,
    metadata: PathLike | None = None,
    text_column: str | None = None,
    date_column: str | None = None,
    title_column: str | None = None,
    outlet_column: str | None = None,
    id_column: str | None = None,
    dayfirst: bool = False,
    boilerplate: Sequence[BoilerplateRule] = BOILERPLATE_RULES,
    strict: bool = False,
    progress: bool | None = None,
) -> Corpus:
    """Load articles from folders of ``.txt`` files and CSV/JSONL/Parquet tables.

    Parameters
    ----------
    source
        A folder, a file, or a list of them (combined in the order given).
    metadata
        A CSV with one row per text file, joined on ``doc_id`` (the file stem) or ``file``.
        Default: ``metadata.csv`` in the folder or beside it, when there is one.
    text_column, date_column, title_column, outlet_column, id_column
        Column names in tables; when not given they are recognised from :data:`COLUMN_ALIASES`.
        A table with no outlet column takes its outlet from the file name.
    dayfirst
        How to read all-numeric dates that do not start with the year (``03/04/2022``).
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
    """
    sources = [source] if isinstance(source, (str, Path)) else list(source)
    if not sources:
        raise CorpusError("no source given")
    col = _Collector(strict=strict)
    table_options: dict[str, Any] = {
        "text_column": text_column, "date_column": date_column, "title_column": title_column,
        "outlet_column": outlet_column, "id_column": id_column,
    }
    meta_path = Path(metadata) if metadata is not None else None
    if meta_path is not None and not meta_path.is_file():
        raise CorpusError(f"metadata file {meta_path} does not exist")
    for item in sources:
        path = Path(item)
        if not path.exists():
            raise CorpusError(f"source {path} does not exist")
        if path.is_dir():
            start = len(col.records)
            txt, found = _from_folder(path, col, meta_path, table_options)
            if found is not None:
                names = {str(f) for f in txt}
                _apply_metadata(col, [r for r in col.records[start:] if r.source in names], found)
        elif path.suffix.lower() in TABLE_SUFFIXES:
            _from_table(path, col, **table_options)
        else:
            start = len(col.records)
            _from_text_file(path, col, path.stem)
            if meta_path is not None:
                _apply_metadata(col, col.records[start:], meta_path)
    return _build(col, rules=boilerplate, dayfirst=dayfirst, progress=progress)
