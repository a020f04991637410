"""Tables as sources: CSV, TSV, JSON Lines, JSON, Parquet and data frames, one row per document.

Each reader gives rows (a number, the values, the encoding of its lines) and the rows it could
not read with a reason; :func:`table_records` maps the columns to roles (names given, or
recognised from :data:`COLUMN_ALIASES`), notes which column became what, and turns each row into
a :class:`~analysis.corpus._records.Record` or a skip.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from analysis.corpus._records import (
    Collector,
    CorpusError,
    Record,
    decode_bytes,
    decode_lines,
    strip_nuls,
    summarise_encodings,
)

if TYPE_CHECKING:
    import polars as pl

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "articles", "full_text", "fulltext",
             "maintext", "story", "description"),
    "published": ("published", "publishedat", "published_at", "date", "pubdate", "pub_date",
                  "datetime", "publish_date", "date_publish", "publication_date", "timestamp",
                  "time"),
    "title": ("title", "headline", "headlines", "heading"),
    "outlet": ("outlet", "publisher", "source.name", "source_name", "source.title", "source",
               "media", "publication", "newspaper", "site", "sitename", "site_name",
               "source_domain", "domain"),
    "doc_id": ("doc_id", "id", "article_id", "uid", "uuid"),
}
"""Column names recognised (case-insensitively, first match wins) when a table does not name
its columns. Nested JSON objects are flattened one level, so ``{"source": {"name": ...}}`` is
the column ``source.name``."""

ARRAY_KEYS = ("articles", "results", "items", "data", "records", "documents", "docs")
"""Keys under which a JSON object may hold its list of articles (``{"articles": [...]}``)."""

RESERVED = {"doc_id", "text", "source", "n_chars", "n_words", "encoding", "duplicate_of",
            "published_precision", "published_raw"}


@dataclass
class Rows:
    """A table read from one input: ``rows`` as ``(number, values, encoding, nul_note)``."""

    rows: list[tuple[int, dict[str, Any], str, str | None]] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)
    single: bool = False  # one JSON object: the file is the document (source without a row)
    note: str | None = None  # how the table was read, when it was not the obvious way
    columns: list[str] = field(default_factory=list)  # the header, where the table has one


def flatten(obj: dict[str, Any]) -> dict[str, Any]:
    """Flatten nested objects one level: ``{"source": {"name": "X"}}`` -> ``source.name``.

    Examples
    --------
    >>> flatten({"a": 1, "source": {"id": None, "name": "X"}})
    {'a': 1, 'source.id': None, 'source.name': 'X'}
    """
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if isinstance(value, dict) and value:
            for inner, v in value.items():
                out[f"{key}.{inner}"] = v
        else:
            out[str(key)] = value
    return out


def field_value(value: Any) -> str | None:
    """A metadata value as stored in ``docs``: text; lists and objects as JSON; bytes decoded.

    Examples
    --------
    >>> [field_value(v) for v in [3, True, ["a", "b"], b"caf\\xc3\\xa9", float("nan"), ""]]
    ['3', 'true', '["a", "b"]', 'café', None, None]
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (bytes, bytearray)):
        return decode_bytes(bytes(value))[0]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def text_value(value: Any) -> tuple[str | None, str | None]:
    """A text cell as text: ``(text, None)`` or ``(None, reason it is not text)``.

    Examples
    --------
    >>> text_value(["para one", "para two"])
    ('para one\\n\\npara two', None)
    >>> text_value({"a": 1}), text_value(True)
    ((None, 'text is a JSON object, not text'), (None, 'text is a boolean, not text'))
    """
    if value is None or isinstance(value, str):
        return value, None
    if isinstance(value, (bytes, bytearray)):
        text, _ = decode_bytes(bytes(value))
        return (text, None) if text is not None else (None, "text is binary data, not text")
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value), None
    if isinstance(value, bool):
        return None, "text is a boolean, not text"
    if isinstance(value, (int, float)):
        return None, "text is a number, not text"
    if isinstance(value, dict):
        return None, "text is a JSON object, not text"
    if isinstance(value, (list, tuple)):
        return None, "text is a list of values that are not all text"
    return None, f"text is a {type(value).__name__}, not text"


# --------------------------------------------------------------------------------------------
# Readers


def read_csv(data: bytes, *, tsv: bool) -> Rows:
    """Read CSV (quotes honoured, strictly) or TSV (no quote handling) into rows of strings.

    A row whose field count differs from the header's is not read (never truncated or padded):
    it is returned in ``bad`` with the lines it spans. A cell may be as long as the file (the
    csv module's own limit, 131,072 characters, is lifted while reading; the ``max_bytes``
    limit of a document is applied to the text afterwards, as for every other source).
    """
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(data) + 1))
    try:
        return _read_csv(data, tsv=tsv)
    finally:
        csv.field_size_limit(limit)


def _read_csv(data: bytes, *, tsv: bool) -> Rows:
    decoded = decode_lines(data)
    if decoded is None:
        raise CorpusError("not a text table (binary content)")
    lines, encodings = decoded
    note = None
    if len(lines) == 1 and "\r" in lines[0].rstrip("\r"):  # old Mac line ends
        lines = [line + "\r" for line in lines[0].rstrip("\r").split("\r")]
        encodings = encodings * len(lines)
        note = "lines end in a bare carriage return (\\r)"
    clean: list[str] = []
    nuls: list[int] = []
    for line in lines:
        clean.append(line.replace("\x00", ""))
        nuls.append(line.count("\x00"))
    header_line = next((line for line in clean if line.strip()), "")
    if tsv:
        reader = csv.reader(clean, delimiter="\t", quoting=csv.QUOTE_NONE, strict=True)
    elif header_line.count(";") > header_line.count(","):
        reader = csv.reader(clean, delimiter=";", strict=True)
        note = "separator ';' (the header has more semicolons than commas)"
    else:
        reader = csv.reader(clean, strict=True)
    out = Rows(note=note)
    header: list[str] | None = None
    number, consumed = 0, 0
    while True:
        try:
            values = next(reader)
            error = None
        except StopIteration:
            break
        except csv.Error as exc:
            values, error = [], str(exc)
        first, consumed = consumed + 1, reader.line_num
        span = f"line {first}" if consumed == first else f"lines {first}-{consumed}"
        if header is None:
            if error:
                raise CorpusError(f"header unreadable ({span}: {error})")
            if not values:
                continue
            header = unique_names([h.strip() for h in values])
            out.columns = header
            if header != [h.strip() for h in values]:
                out.note = "; ".join(n for n in (out.note, "renamed repeated or empty column "
                                                 f"names: {header}") if n)
            continue
        if not values and not error:
            continue  # a blank line is not a row
        number += 1
        if error:
            out.bad.append((number, f"{span}: malformed quoting ({error})"))
        elif len(values) != len(header):
            out.bad.append((number, f"{span}: {len(values)} fields where the header has "
                                    f"{len(header)} (an unquoted separator or line break?)"))
        else:
            n = sum(nuls[first - 1:consumed])
            note = f"{n} NUL byte{'s' if n > 1 else ''} removed" if n else None
            enc = summarise_encodings(encodings[first - 1:consumed])
            out.rows.append((number, dict(zip(header, values, strict=True)), enc, note))
    if header is None:
        raise CorpusError("empty table (no header)")
    return out


def unique_names(names: list[str]) -> list[str]:
    """Column names made unique: a repeat gets ``_2``, ``_3``; an empty one ``column_N``.

    Examples
    --------
    >>> unique_names(["text", "title", "text", ""])
    ['text', 'title', 'text_2', 'column_4']
    """
    out: list[str] = []
    for i, name in enumerate(names, start=1):
        new, n = name or f"column_{i}", 1
        while new in out:
            n += 1
            new = f"{name}_{n}"
        out.append(new)
    return out


def read_jsonl(data: bytes) -> Rows:
    """Read JSON Lines, split on ``\\n`` only (U+2028 inside a string is not a line end)."""
    decoded = decode_lines(data)
    if decoded is None:
        raise CorpusError("not a text table (binary content)")
    out = Rows()
    for number, (line, enc) in enumerate(zip(*decoded, strict=True), start=1):
        line, note = strip_nuls(line)
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            out.bad.append((number, f"invalid JSON: {exc.msg}"))
            continue
        if not isinstance(obj, dict):
            out.bad.append((number, "JSON line is not an object"))
            continue
        out.rows.append((number, flatten(obj), enc, note))
    return out


def read_json(data: bytes) -> Rows:
    """Read a ``.json`` file: one article object, an array of them, or ``{"articles": [...]}``."""
    text, encoding = decode_bytes(data)
    if text is None:
        raise CorpusError("not a JSON file (binary content)")
    text, note = strip_nuls(text)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError(f"invalid JSON: {exc.msg} (line {exc.lineno})") from exc
    if isinstance(obj, dict):
        key = next((k for k in ARRAY_KEYS if isinstance(obj.get(k), list)), None)
        if key is None:
            return Rows(rows=[(1, flatten(obj), encoding, note)], single=True)
        obj = obj[key]
    if not isinstance(obj, list):
        raise CorpusError("JSON is neither an object nor an array of objects")
    out = Rows()
    for number, item in enumerate(obj, start=1):
        if isinstance(item, dict):
            out.rows.append((number, flatten(item), encoding, note))
        else:
            out.bad.append((number, "JSON array item is not an object"))
    return out


def parquet_frame(data: bytes) -> pl.DataFrame:
    """Read a Parquet file into a polars frame (its column types kept: dates stay dates)."""
    import polars as pl

    try:
        return pl.read_parquet(io.BytesIO(data))
    except Exception as exc:  # polars raises several kinds for corrupt or truncated files
        raise CorpusError(f"not a readable Parquet file ({type(exc).__name__}: {exc})") from exc


def read_parquet(data: bytes) -> Rows:
    """Read a Parquet file's rows."""
    return frame_rows(parquet_frame(data).iter_rows(named=True))


def frame_rows(rows: Iterable[dict[str, Any]]) -> Rows:
    """Rows of a data frame (or Parquet file) as a :class:`Rows`; struct columns flattened."""
    return Rows(rows=[(n, flatten(r), "utf-8", None) for n, r in enumerate(rows, start=1)])


def read_table(data: bytes, suffix: str) -> Rows:
    """Dispatch on the file suffix (``.csv``, ``.tsv``, ``.jsonl``/``.ndjson``, ``.json``,
    ``.parquet``)."""
    if suffix == ".parquet":
        return read_parquet(data)
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(data)
    if suffix == ".json":
        return read_json(data)
    return read_csv(data, tsv=suffix == ".tsv")


# --------------------------------------------------------------------------------------------
# Rows to records


def find_roles(columns: Sequence[str], given: dict[str, str | None]) -> dict[str, str | None]:
    """Map roles (``text``, ``published``, ``title``, ``outlet``, ``doc_id``) to columns.

    Names in ``given`` must exist; other roles take the first alias present (case ignored).

    Examples
    --------
    >>> roles = find_roles(["publishedAt", "source.name", "content"], {})
    >>> {role: name for role, name in roles.items() if name}
    {'text': 'content', 'published': 'publishedAt', 'outlet': 'source.name'}
    """
    lower: dict[str, str] = {}
    for c in columns:
        lower.setdefault(c.lower().strip(), c)
    roles: dict[str, str | None] = {}
    for role, aliases in COLUMN_ALIASES.items():
        name = given.get(role)
        if name is not None:
            if name not in columns:
                raise CorpusError(f"column {name!r} for {role} not found; found {list(columns)}")
            roles[role] = name
        else:
            roles[role] = next((lower[a] for a in aliases if a in lower), None)
    return roles


def note_columns(col: Collector, label: str, roles: dict[str, str | None], columns: list[str],
                 *, stem: str, outlet_from_name: bool) -> list[str]:
    """Note which column plays which role (and which roles are missing) for the source
    ``label``; return the other columns, kept as extra metadata (reserved names left out)."""
    used = ", ".join(f"{role} <- {name!r}" for role, name in roles.items() if name)
    col.note(label, f"columns used: {used}")
    if roles["published"] is None:
        col.note(label, "no date column found; published left null")
    if roles["outlet"] is None:
        col.note(label, f"no outlet column found; outlet taken from the file name {stem!r}"
                 if outlet_from_name else "no outlet column found; outlet left empty")
    taken = {n for n in roles.values() if n}
    return [c for c in columns if c not in taken and c not in RESERVED]


def table_records(
    table: Rows, col: Collector, *, label: str, stem: str, doc_id: str | None = None,
    outlet_from_name: bool = True,
) -> None:
    """Turn a table's rows into records in ``col`` (or skips, one per row that is not a document).

    ``stem`` (the file name without suffix) is the outlet when there is no outlet column and the
    prefix of row ids (``stem:row``); ``doc_id`` is the id of a single-object JSON file.

    Raises :class:`CorpusError` when the table has no text column.
    """
    columns = list(dict.fromkeys(k for _, row, _, _ in table.rows for k in row))
    if not table.rows:
        detail = "; ".join(f"row {n}: {r}" for n, r in table.bad[:3])
        raise CorpusError("no readable rows" + (f" ({detail})" if detail else ""))
    roles = find_roles(columns, col.columns)
    text_col = roles["text"]
    if text_col is None:
        raise CorpusError(
            f"no text column; found columns {columns}. "
            f"Name it with text_column=, or use one of {list(COLUMN_ALIASES['text'])}"
        )
    for number, why in table.bad:
        col.skip(f"{label}:{number}", why)
    if table.note:
        col.note(label, table.note)
    extra = note_columns(col, label, roles, columns, stem=stem,
                         outlet_from_name=outlet_from_name)
    for number, row, encoding, nul_note in table.rows:
        source = label if table.single else f"{label}:{number}"
        value = row.get(text_col)
        if value is None and any(k.startswith(f"{text_col}.") for k in row):
            value = {}  # an object, flattened by the reader
        body, reason = text_value(value)
        if reason is not None:
            col.skip(source, reason)
            continue
        if body is None or not body.strip():
            col.skip(source, f"empty text in column {text_col!r}")
            continue
        # a character takes at most 4 bytes in UTF-8: encode only texts that may be too big
        size = len(body) if len(body) * 4 <= col.max_bytes else len(
            body.encode("utf-8", errors="replace"))
        if size > col.max_bytes:
            col.skip(source, f"text of {size:,} bytes, above the max_bytes limit of "
                             f"{col.max_bytes:,}")
            continue
        fields: dict[str, Any] = {c: field_value(row.get(c)) for c in extra}
        for role in ("title", "outlet"):
            name = roles[role]
            fields[role] = field_value(row.get(name)) if name else None
        if roles["outlet"] is None and outlet_from_name:
            fields["outlet"] = stem
        if roles["published"]:
            value = row.get(roles["published"])
            fields["published"] = value if isinstance(value, date) else field_value(value)
        id_value = field_value(row.get(roles["doc_id"])) if roles["doc_id"] else None
        row_id = id_value or ((doc_id or stem) if table.single else f"{stem}:{number}")
        text, own_nul = strip_nuls(body)
        notes = [n for n in (nul_note or own_nul,) if n]
        col.records.append(Record(row_id, text, source, encoding, fields, date_group=label,
                                  notes=notes))
