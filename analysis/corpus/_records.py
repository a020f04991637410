"""What every reader of the loader shares: raw records, the skip/note collector, byte decoding.

A reader turns one input (a file, an archive member, a table row, a data frame row) into a
:class:`Record` or a skip with a reason in the :class:`Collector`; :func:`analysis.load_corpus`
then builds the ``Corpus`` from the records. See ``docs/loading.md``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class CorpusError(ValueError):
    """Raised for input the loader cannot interpret (or any bad input with ``strict=True``)."""


DEFAULT_MAX_BYTES = 50 * 2**20
"""Default size limit of one document (50 MiB): larger files or cells are skipped with a reason."""

ARCHIVE_FACTOR = 20
"""A table inside an archive may decompress to at most this many times ``max_bytes``."""


@dataclass
class Record:
    """One document before cleaning.

    ``fields`` holds the document's roles (``title``, ``outlet``, ``published``) and metadata
    columns; ``date_group`` names the column its date came from (dates are parsed per column);
    ``path``/``root`` locate a file read from a folder (for the metadata join); ``removed`` lists
    lines a reader dropped before cleaning (``line, text, rule``); ``notes`` are attached to the
    document once it has its final ``doc_id``.
    """

    doc_id: str
    raw: str
    source: str
    encoding: str
    fields: dict[str, Any] = field(default_factory=dict)
    date_group: str = ""
    path: Path | None = None
    root: Path | None = None
    removed: list[tuple[int, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Collector:
    """Records, skips and notes gathered while reading; the options every reader needs."""

    strict: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    columns: dict[str, str | None] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str | None, str, str]] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)
    frames: int = 0
    reading_folder: bool = False

    def skip(self, source: str, reason: str) -> None:
        """Record an input that does not become a document (raise with ``strict=True``)."""
        if self.strict:
            raise CorpusError(f"{source}: {reason} (strict=True stops at the first bad input)")
        self.skipped.append((source, reason))

    def note(self, source: str, note: str, doc_id: str | None = None) -> None:
        """Record a non-fatal observation about an input (``doc_id`` None: about a file)."""
        self.notes.append((doc_id, source, note))

    def first_visit(self, path: Path, label: str) -> bool:
        """True the first time a file is reached; later visits are noted or skipped once."""
        real = os.path.realpath(path)
        if real not in self.seen:
            self.seen[real] = label
            return True
        if self.seen[real] == label:
            self.note(label, "listed more than once; read once")
        else:
            self.skip(label, f"same file as {self.seen[real]}; read once")
        return False


def path_label(path: Path | str) -> tuple[str, bool]:
    """The path as stored in ``source``, and whether its name had bytes that are not UTF-8.

    Undecodable bytes in a file name (common in zips from other systems) are shown as ``\\xNN``.

    Examples
    --------
    >>> path_label("data/caf\\udce9.txt")
    ('data/caf\\\\xe9.txt', True)
    >>> path_label("data/café.txt")
    ('data/café.txt', False)
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", errors="backslashreplace"), True
    return text, False


# --------------------------------------------------------------------------------------------
# Decoding

_FALLBACKS = ("cp1252", "latin-1")


def _binary(sample: bytes) -> bool:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bool(sample) and controls > 0.05 * len(sample)


def _utf16(data: bytes) -> str | None:
    """The UTF-16 codec of BOM-less UTF-16 data (many NULs in alternate positions), else None."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode_lines(data: bytes) -> tuple[list[str], list[str]] | None:
    """Decode file bytes line by line: ``(lines, encoding of each line)``; None for binary data.

    A byte-order mark (UTF-8, UTF-16) or BOM-less UTF-16 decides the whole file. Otherwise each
    line (split on ``\\n`` only, line ends kept) is strict UTF-8 when it can be, else Windows-1252
    (Latin-1 for the five bytes cp1252 leaves undefined), so one stray byte does not re-decode a
    whole table. Data is binary when control characters other than tab and line ends make up
    more than 5% of its first 4 KB; NUL bytes below that share are kept here and removed (with a
    note) by the readers.

    Examples
    --------
    >>> decode_lines("Zürich\\n".encode() + b"caf\\xe9\\n")
    (['Zürich\\n', 'café\\n'], ['utf-8', 'cp1252'])
    >>> decode_lines(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00") is None
    True
    """
    if data.startswith(b"\xef\xbb\xbf"):
        lines = _keep_ends(data[3:].decode("utf-8", errors="replace").split("\n"))
        return lines, ["utf-8-sig"] * len(lines)
    codec = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16(data)
    if codec is not None:
        lines = _keep_ends(data.decode(codec, errors="replace").split("\n"))
        return lines, [codec] * len(lines)
    if _binary(data[:4096]):
        return None
    try:
        lines = _keep_ends(data.decode("utf-8").split("\n"))
        return lines, ["utf-8"] * len(lines)
    except UnicodeDecodeError:
        pass
    texts: list[str] = []
    encodings: list[str] = []
    for line in _keep_ends(data.split(b"\n"), b"\n"):
        try:
            texts.append(line.decode("utf-8"))
            encodings.append("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        for codec in _FALLBACKS:
            try:
                texts.append(line.decode(codec))
                encodings.append(codec)
                break
            except UnicodeDecodeError:
                continue
    return texts, encodings


def _keep_ends(parts: list[Any], newline: Any = "\n") -> list[Any]:
    """Re-attach the ``\\n`` that ``split`` removed; drop the empty tail after a final one."""
    out = [p + newline for p in parts[:-1]]
    if parts and len(parts[-1]):
        out.append(parts[-1])
    return out


def summarise_encodings(encodings: list[str]) -> str:
    """One label for the lines of a document: the fallbacks used (``utf-8`` when none).

    Examples
    --------
    >>> summarise_encodings(["utf-8", "cp1252", "utf-8"])
    'cp1252'
    >>> summarise_encodings(["utf-8", "cp1252", "latin-1"])
    'cp1252+latin-1'
    """
    used = sorted({e for e in encodings if e != "utf-8"})
    return "+".join(used) if used else "utf-8"


def decode_bytes(data: bytes) -> tuple[str | None, str]:
    """Decode file bytes, returning ``(text, encoding)``; ``text`` is None for binary data.

    The rules of :func:`decode_lines`, joined: ``encoding`` names the fallback used for any line
    that was not UTF-8 (``cp1252``, ``latin-1``), else the UTF-8/UTF-16 variant.

    Examples
    --------
    >>> decode_bytes("Café".encode("cp1252"))
    ('Café', 'cp1252')
    >>> decode_bytes("\\ufeffHi".encode("utf-8"))
    ('Hi', 'utf-8-sig')
    >>> decode_bytes(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    (None, 'binary')
    """
    decoded = decode_lines(data)
    if decoded is None:
        return None, "binary"
    lines, encodings = decoded
    return "".join(lines), summarise_encodings(encodings)


def strip_nuls(text: str) -> tuple[str, str | None]:
    """Remove NUL characters; the note to record when there were any.

    Examples
    --------
    >>> strip_nuls("a\\x00b\\x00")
    ('ab', '2 NUL bytes removed')
    """
    n = text.count("\x00")
    if not n:
        return text, None
    return text.replace("\x00", ""), f"{n} NUL byte{'s' if n > 1 else ''} removed"
