"""Files as sources: folders walked safely, text files, saved HTML pages, ``.gz`` and ``.zip``.

Every path below a folder ends up as records or exactly one skip: FIFOs, devices and broken links
are skipped with a reason, links to folders are followed once (a loop is skipped), a file reached
twice is read once. See ``docs/loading.md``.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import polars as pl

from analysis.cleaning._normalise import strip_html
from analysis.corpus._frames import frame_records
from analysis.corpus._records import (
    ARCHIVE_FACTOR,
    Collector,
    CorpusError,
    Record,
    decode_bytes,
    path_label,
    strip_nuls,
)
from analysis.corpus._tables import parquet_frame, read_table, table_records

TEXT_SUFFIXES = {".txt"}
TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".parquet", ".json"}
HTML_SUFFIXES = {".html", ".htm"}
ARCHIVE_SUFFIXES = {".gz", ".zip"}

MAX_ARCHIVE_DEPTH = 3
"""Archives inside archives are read this many levels deep; a deeper one is skipped as such."""


def _not_read(name: str, depth: int, where: str = "") -> str | None:
    """Why a member named ``name`` at nesting ``depth`` is not read, or None when it is."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in SUPPORTED:
        return unsupported(name) + where
    if depth >= MAX_ARCHIVE_DEPTH:
        return (f"archive nested more than {MAX_ARCHIVE_DEPTH} levels deep (not read)"
                if suffix in ARCHIVE_SUFFIXES else
                f"inside archives nested more than {MAX_ARCHIVE_DEPTH} levels deep (not read)")
    return None
SUPPORTED = TEXT_SUFFIXES | TABLE_SUFFIXES | HTML_SUFFIXES | ARCHIVE_SUFFIXES
METADATA_NAME = "metadata.csv"

_KINDS = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
          (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"))


def unsupported(name: str) -> str:
    """The skip reason for a file type the loader does not read."""
    suffix = PurePosixPath(name).suffix
    return (f"unsupported file type ({suffix or 'no extension'}); the loader reads "
            f"{', '.join(sorted(SUPPORTED))}")


def walk(folder: Path, col: Collector) -> list[Path]:
    """The regular files below ``folder`` (sorted); everything else skipped or noted.

    Links to folders are followed (noted) unless they lead back to a folder being read (a loop,
    skipped). FIFOs, devices and sockets are never opened.
    """
    files: list[Path] = []
    visiting = [os.path.realpath(folder)]

    def visit(directory: Path) -> None:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            col.skip(path_label(directory)[0], f"unreadable folder: {exc.strerror or exc}")
            return
        for entry in entries:
            path = Path(entry.path)
            label = path_label(path)[0]
            try:
                info = os.stat(path)  # follows links
            except FileNotFoundError:
                col.skip(label, "broken symbolic link (its target does not exist)")
                continue
            except OSError as exc:
                reason = "symbolic link loop" if entry.is_symlink() else "unreadable"
                col.skip(label, f"{reason}: {exc.strerror or exc}")
                continue
            if stat.S_ISDIR(info.st_mode):
                real = os.path.realpath(path)
                if real in visiting:
                    col.skip(label, "symbolic link loop (leads back to a folder being read)")
                    continue
                if entry.is_symlink():
                    col.note(label, f"followed symbolic link to {path_label(real)[0]}")
                visiting.append(real)
                visit(path)
                visiting.pop()
            elif stat.S_ISREG(info.st_mode):
                files.append(path)
            else:
                kind = next((name for test, name in _KINDS if test(info.st_mode)), "special file")
                col.skip(label, f"not a regular file ({kind})")

    visit(folder)
    return files


def read_file(path: Path, col: Collector, *, doc_id: str | None = None) -> Record | None:
    """Read one file from disk into ``col``; the record when it is a single text document."""
    label, bad_name = path_label(path)
    if not col.first_visit(path, label):
        return None
    try:
        info = path.stat()
    except OSError as exc:
        col.skip(label, f"unreadable file: {exc.strerror or exc}")
        return None
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "special file")
        col.skip(label, f"not a regular file ({kind})")
        return None
    size = info.st_size
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES | HTML_SUFFIXES and size > col.max_bytes:
        col.skip(label, f"{size:,} bytes, above the max_bytes limit of {col.max_bytes:,}")
        return None
    if suffix not in SUPPORTED:
        col.skip(label, unsupported(path.name))
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        col.skip(label, f"unreadable file: {exc.strerror or exc}")
        return None
    stem = path_label(path.stem)[0]
    record = read_bytes(data, path.name, label, col, doc_id=doc_id or stem, depth=0)
    if record is not None and bad_name:
        record.notes.append("file name is not valid UTF-8; its bad bytes are shown as \\xNN")
    return record


def read_bytes(
    data: bytes, name: str, label: str, col: Collector, *, doc_id: str, depth: int
) -> Record | None:
    """Read the content of one file (on disk or in an archive) by its name's suffix."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_text(data, label, col, doc_id=doc_id)
    if suffix in HTML_SUFFIXES:
        return read_html(data, label, col, doc_id=doc_id)
    if suffix in TABLE_SUFFIXES:
        stem = path_label(PurePosixPath(name).stem)[0]
        try:
            if suffix == ".parquet":
                frame_records(parquet_frame(data), col, label=label, stem=stem,
                              outlet_from_name=True)
                return None
            table = read_table(data, suffix)
            table_records(table, col, label=label, stem=stem, doc_id=doc_id,
                          outlet_from_name=not table.single)
        except CorpusError as exc:
            if depth == 0 and not col.reading_folder:
                raise CorpusError(f"{label}: {exc}") from exc
            col.skip(label, f"table not read: {exc}")
        return None
    if suffix == ".gz":
        read_gzip(data, name, label, col, depth=depth)
    elif suffix == ".zip":
        read_zip(data, label, col, depth=depth)
    else:
        col.skip(label, unsupported(name))
    return None


def read_text(data: bytes, label: str, col: Collector, *, doc_id: str) -> Record | None:
    """A plain-text file: one document (binary, empty or whitespace-only files are skipped)."""
    text, encoding = decode_bytes(data)
    if text is None:
        col.skip(label, "binary file (not text)")
        return None
    if not text.strip():
        col.skip(label, "empty file" if not data else "whitespace-only file")
        return None
    text, nul_note = strip_nuls(text)
    record = Record(doc_id, text, label, encoding, notes=[nul_note] if nul_note else [])
    col.records.append(record)
    return record


def read_html(data: bytes, label: str, col: Collector, *, doc_id: str) -> Record | None:
    """A saved web page: its main text (trafilatura), title, date and site name.

    The page's other lines (menus, footers, teasers) go to ``Corpus.removed`` with the rule
    ``html_extraction``.
    """
    import trafilatura

    page, encoding = decode_bytes(data)
    if page is None:
        col.skip(label, "binary file (not an HTML page)")
        return None
    page, nul_note = strip_nuls(page)
    doc = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True,
                                "max_date": "2999-12-31"},  # never bounded by today
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        col.skip(label, "no main text found in the HTML page")
        return None
    kept = {" ".join(line.split()) for line in text.split("\n")}
    removed = [
        (number, line.strip(), "html_extraction")
        for number, line in enumerate(strip_html(page).split("\n"), start=1)
        if line.strip() and " ".join(line.split()) not in kept
    ]
    fields = {
        "title": getattr(doc, "title", None), "outlet": getattr(doc, "sitename", None),
        "published": getattr(doc, "date", None), "author": getattr(doc, "author", None),
        "url": getattr(doc, "url", None),
    }
    notes = [f"main text extracted from HTML; {len(removed)} other lines dropped (see removed)"]
    record = Record(doc_id, text, label, encoding, fields, date_group=label, removed=removed,
                    notes=notes + ([nul_note] if nul_note else []))
    col.records.append(record)
    return record


def _read_capped(stream: Any, limit: int) -> bytes | None:
    """At most ``limit`` bytes of a stream; None when there are more (a bomb or a huge file)."""
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(min(1 << 20, limit + 1 - total) or 1):
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            return None
    return b"".join(chunks)


def _member_limit(name: str, col: Collector) -> int:
    suffix = PurePosixPath(name).suffix.lower()
    is_doc = suffix in TEXT_SUFFIXES | HTML_SUFFIXES
    return col.max_bytes if is_doc else col.max_bytes * ARCHIVE_FACTOR


def _too_big(name: str, col: Collector) -> str:
    limit = _member_limit(name, col)
    what = "the max_bytes limit" if limit == col.max_bytes else \
        f"{ARCHIVE_FACTOR} x the max_bytes limit"
    return f"decompresses to more than {limit:,} bytes, above {what} of {col.max_bytes:,}"


def read_gzip(data: bytes, name: str, label: str, col: Collector, *, depth: int) -> None:
    """A ``.gz`` file: its content read as the file named without ``.gz``."""
    inner = name[:-3] if name.lower().endswith(".gz") else name
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            content = _read_capped(stream, _member_limit(inner, col))
    except (OSError, EOFError, ValueError) as exc:
        col.skip(label, f"not a valid gzip file: {exc}")
        return
    if content is None:
        col.skip(label, _too_big(inner, col))
        return
    if why := _not_read(inner, depth, " (inside gzip)"):
        col.skip(label, why)
        return
    stem = PurePosixPath(inner).stem
    read_bytes(content, inner, label, col, doc_id=stem, depth=depth + 1)


def read_zip(data: bytes, label: str, col: Collector, *, depth: int) -> None:
    """A ``.zip`` file: each member read by its suffix, as ``archive.zip!/member``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        col.skip(label, f"not a valid zip file: {exc}")
        return
    with archive:
        files = [i for i in archive.infolist() if not i.is_dir()]
        if not files:
            col.skip(label, "empty zip archive (no files in it)")
            return
        for info in sorted(files, key=lambda i: i.filename):
            member = f"{label}!/{info.filename}"
            name = PurePosixPath(info.filename).name
            if why := _not_read(name, depth):
                col.skip(member, why)
                continue
            try:
                with archive.open(info) as stream:
                    content = _read_capped(stream, _member_limit(name, col))
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as exc:
                col.skip(member, f"zip member not readable: {exc}")
                continue
            if content is None:
                col.skip(member, _too_big(name, col))
                continue
            read_bytes(content, name, member, col, doc_id=PurePosixPath(name).stem,
                       depth=depth + 1)


# --------------------------------------------------------------------------------------------
# Folders and data frames


def is_frame(obj: object) -> bool:
    """True for a polars (eager or lazy) or pandas data frame."""
    if isinstance(obj, (pl.DataFrame, pl.LazyFrame)):
        return True
    return type(obj).__name__ == "DataFrame" and type(obj).__module__.startswith("pandas")


def read_frame(frame: Any, col: Collector) -> None:
    """A data frame's rows as documents (source ``frame1:1``, ``frame1:2``, ...)."""
    if isinstance(frame, pl.LazyFrame):
        frame = frame.collect()
    if not isinstance(frame, pl.DataFrame):
        try:
            frame = pl.from_pandas(frame)
        except Exception:  # mixed-type object columns: go through Python values
            frame = pl.DataFrame(frame.astype(object).where(frame.notna(), None)
                                 .to_dict(orient="records"), infer_schema_length=None)
    col.frames += 1
    label = f"frame{col.frames}"
    try:
        frame_records(frame, col, label=label, stem=label, outlet_from_name=False)
    except CorpusError as exc:
        raise CorpusError(f"data frame {col.frames}: {exc}") from exc


def _text_file_ids(files: list[Path], root: Path) -> dict[Path, str]:
    """File stem as doc_id; the relative path without suffix where two stems collide."""
    stems: dict[str, int] = {}
    for f in files:
        stems[f.stem] = stems.get(f.stem, 0) + 1
    return {
        f: path_label(f.stem if stems[f.stem] == 1
                      else f.relative_to(root).with_suffix("").as_posix())[0]
        for f in files
    }


def read_folder(
    folder: Path, col: Collector, metadata: Path | None, pending: dict[str, list[Any]]
) -> None:
    """Read every file below ``folder``; text files that metadata may describe are added to
    ``pending[real path of the metadata] = [metadata, records]`` (joined after all sources)."""
    if metadata is None:
        metadata = next((c for c in (folder / METADATA_NAME, folder.parent / METADATA_NAME)
                         if c.is_file()), None)
    files = walk(folder, col)
    meta_real = os.path.realpath(metadata) if metadata is not None else None
    files = [f for f in files if os.path.realpath(f) != meta_real]
    ids = _text_file_ids(files, folder)
    n_text = sum(f.suffix.lower() == ".txt" for f in files)
    if metadata is None and n_text:
        col.note(path_label(folder)[0], f"no {METADATA_NAME} for {n_text:,} text files; published "
                 "and outlet left null (pass metadata=)")
    col.reading_folder = True
    try:
        for f in files:
            rec = read_file(f, col, doc_id=ids[f])
            if rec is not None and metadata is not None and f.suffix.lower() == ".txt":
                rec.path, rec.root = f, folder
                pending.setdefault(str(meta_real), [metadata, []])[1].append(rec)
    finally:
        col.reading_folder = False
