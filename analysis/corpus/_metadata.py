"""Metadata tables for folders of text files: one row per file, joined across the whole load.

A row names its file in a ``doc_id``, ``file``, ``filename``, ``path`` or ``id`` column. It
matches, in order: a document id, the file's path relative to the metadata's folder or to the
folder that was loaded (with or without the suffix), and only then the bare file name or stem,
and that only when exactly one file has it. A row that matches several files is skipped as
ambiguous; a row that matches none is skipped; a row that cannot be read (more or fewer fields
than the header, broken quoting) is skipped with the reason; a file that no row matches is
noted.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from analysis.corpus._records import Collector, CorpusError, Record, path_label
from analysis.corpus._tables import field_value, find_roles, read_table

KEY_COLUMNS = ("doc_id", "file", "filename", "path", "id")


def _norm(key: str) -> str:
    key = key.strip().replace("\\", "/")
    while key.startswith("./"):
        key = key[2:]
    return key


def _relative(path: Path, root: Path | None) -> str | None:
    if root is None:
        return None
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return None


def apply_metadata(col: Collector, metadata: Path, records: list[Record]) -> None:
    """Join the rows of ``metadata`` onto ``records`` (text files from any source of the load)."""
    label = path_label(metadata)[0]
    try:
        table = read_table(metadata.read_bytes(), metadata.suffix.lower() or ".csv")
    except (CorpusError, OSError) as exc:
        raise CorpusError(f"metadata {label} could not be read: {exc}") from exc
    columns = list(dict.fromkeys([*table.columns, *(k for _, row, _, _ in table.rows
                                                      for k in row)]))
    for number, reason in table.bad:  # a ragged or malformed row: its file gets no metadata
        col.skip(f"{label}:{number}", f"metadata row not read: {reason}")
    lower = {c.lower(): c for c in columns}
    key = next((lower[k] for k in KEY_COLUMNS if k in lower), None)
    if key is None:
        raise CorpusError(
            f"metadata {label} needs a doc_id or file column to join on; found {columns}"
        )
    given: dict[str, str | None] = {
        r: n for r, n in col.columns.items() if n in columns and r != "text"}
    roles = find_roles(columns, given)
    roles = {r: n for r, n in roles.items() if r in ("published", "title", "outlet") and n}
    if any(n != r for r, n in roles.items()):
        used = ", ".join(f"{r} <- {n!r}" for r, n in roles.items())
        col.note(label, f"metadata columns used: {used}")
    by_role = {n: r for r, n in roles.items()}

    exact: dict[str, list[int]] = {}
    names: dict[str, list[int]] = {}
    for i, rec in enumerate(records):
        keys = {rec.doc_id}
        if rec.path is not None:
            for root in (rec.root, metadata.parent):
                rel = _relative(rec.path, root)
                if rel:
                    keys |= {rel, str(PurePosixPath(rel).with_suffix(""))}
            for name in (rec.path.name, rec.path.stem):
                names.setdefault(name, []).append(i)
        for k in keys:
            exact.setdefault(k, []).append(i)
    for k, found in names.items():
        names[k] = sorted(set(found))

    matched: set[int] = set()
    for number, row, _, _ in table.rows:
        source = f"{label}:{number}"
        k = _norm(str(row.get(key) or ""))
        found = exact.get(k) or names.get(PurePosixPath(k).name) or names.get(
            PurePosixPath(k).stem) or []
        if not found:
            col.skip(source, f"metadata row for {k!r} has no matching text file")
            continue
        if len(set(found)) > 1:
            files = ", ".join(sorted(
                _relative(records[i].path, records[i].root) or records[i].source  # type: ignore[arg-type]
                for i in set(found)))
            col.skip(source, f"metadata row for {k!r} is ambiguous: it matches {files}; "
                             "name the file by its path relative to the folder")
            continue
        i = found[0]
        rec = records[i]
        if i in matched:
            rec.notes.append(f"second metadata row ignored ({source})")
            continue
        matched.add(i)
        for c, v in row.items():
            if c in (key, "doc_id", "text", "source"):
                continue
            role = by_role.get(c, c)
            rec.fields[role] = v if role == "published" else field_value(v)
            if role == "published":
                rec.date_group = label
    for i, rec in enumerate(records):
        if i not in matched:
            rec.notes.append(f"no metadata row in {metadata.name}")
