"""The output folder of a report run: manifest, index page, atomic writes and the run lock.

``<out>/manifest.json`` records, per report, a hash of everything it depends on
(:func:`digest` of the notebook, the package, the corpus files and the parameters), its
parameters, build time and status; :func:`index_html` lists them. Every file is written through
a temporary name (:func:`write_atomic`), so a failed or killed run leaves the previous files as
they were, and one run at a time writes into a folder (:class:`OutputLock`).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.config import METADATA_CSV, RAW_DIR
from analysis.config import VERSION as __version__


@dataclass
class ReportResult:
    """The outcome of one notebook: ``status`` is ``rendered``, ``up to date`` or ``failed``."""

    name: str
    status: str
    html: Path
    seconds: float = 0.0
    error: str = ""


def files_below(paths: Iterable[Path]) -> list[Path]:
    """The files of ``paths``: files as given, folders by every file below them, sorted
    (``__pycache__`` left out; linked sub-folders followed, as the loader follows them).

    Examples
    --------
    >>> from analysis.config import RAW_DIR
    >>> [p.name for p in files_below([RAW_DIR])][:1]
    ['000_1aebdc1241029af4.txt']
    """
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(_walk_files(p)))
        elif p.is_file():
            out.append(p)
    return out


def _walk_files(folder: Path) -> Iterator[Path]:
    """Every file below ``folder``, through linked sub-folders as the loader reads them (each
    real folder once, so a link loop ends), ``__pycache__`` left out."""
    seen: set[str] = set()
    for root, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in names:
            path = Path(root) / name
            if path.is_file():
                yield path


def digest(files: Iterable[Path], extra: Any = None) -> str:
    """SHA-256 over the files' paths and bytes, then ``extra`` as sorted JSON.

    Examples
    --------
    >>> digest([], {"b": 1, "a": 2}) == digest([], {"a": 2, "b": 1})
    True
    """
    h = hashlib.sha256()
    for f in files:
        h.update(f.as_posix().encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    h.update(json.dumps(extra, sort_keys=True, default=str).encode())
    return h.hexdigest()


def file_mode() -> int:
    """The mode a new file gets under the process's umask (``0o644`` under umask ``022``).

    >>> old = os.umask(0o027); file_mode() == 0o640; _ = os.umask(old)
    True
    """
    try:  # Linux: read it without changing it (os.umask sets it, which races with threads)
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, text: str) -> None:
    """Write ``path`` through a uniquely named temporary file; never leave the temporary file.

    The file gets the mode an ordinary new file would (:func:`file_mode`): ``mkstemp`` makes
    it private (``0600``), which would hide pages from the other users of a shared folder or a
    web server.

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
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise ReportOutputError(path, exc) from exc
    finally:
        if tmp is not None:
            remove_quietly(tmp)


# Output folder robustness (issue 12, items 13-16 and 22)


LOCK_TIMEOUT = 600.0
"""Seconds a run waits for another run into the same output folder before giving up."""


class ReportOutputError(OSError):
    """The output folder cannot be written: one line naming the path and the cause."""

    def __init__(self, path: Path, cause: BaseException | str) -> None:
        reason = getattr(cause, "strerror", None) or str(cause)
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path


def remove_quietly(path: Path) -> None:
    """Remove the file ``path`` if it exists; errors are ignored."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def prepare_output(out_dir: Path) -> None:
    """Create ``out_dir``, prove it is writable and clear temporary files of killed runs."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportOutputError(out_dir, exc) from exc
    write_atomic(out_dir / ".write-test", "")
    remove_quietly(out_dir / ".write-test")
    try:
        stale = [p for p in out_dir.iterdir()
                 if p.name.startswith(".") and p.name.endswith((".tmp", ".executed.ipynb"))]
    except OSError:
        stale = []
    for p in stale:
        if p.is_file():
            remove_quietly(p)


class OutputLock:
    """An exclusive lock on ``<out_dir>/.report.lock``: a second run into the same folder waits
    up to ``timeout`` seconds, then stops with a message naming the folder."""

    def __init__(self, out_dir: Path, timeout: float | None = None) -> None:
        self.path = out_dir / ".report.lock"
        self.timeout = LOCK_TIMEOUT if timeout is None else timeout
        self.fh: Any = None

    def __enter__(self) -> OutputLock:
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


def read_manifest(path: Path) -> dict[str, Any]:
    """The previous manifest; an empty or damaged one counts as none, and so does an entry of
    the wrong shape (not an object): its report is rendered again.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "manifest.json"
    >>> _ = p.write_text('{"corpus_overview": "x", "tone": {"key": "k"}}')
    >>> read_manifest(p)
    {'tone': {'key': 'k'}}
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, dict)}


def failed_entry(previous: dict[str, Any] | None, result: ReportResult,
                  params: dict[str, Any]) -> dict[str, Any]:
    """A manifest entry for a failed render: the error, and the last good render if any."""
    entry = dict(previous or {})
    last_good = entry.get("built") if entry.get("status") != "failed" else entry.get("last_good")
    entry.update({"status": "failed", "error": result.error, "failed_at": utc_now(),
                  "last_good": last_good if result.html.is_file() else None})
    entry.setdefault("parameters", params)
    entry.setdefault("version", __version__)
    entry.setdefault("seconds", round(result.seconds, 2))
    return entry


def corpus_files(corpus_path: Sequence[str]) -> list[Path]:
    """Every file a report on ``corpus_path`` depends on, including a ``metadata.csv`` that
    :func:`analysis.load_corpus` finds in or beside a corpus folder."""
    if not corpus_path:
        return files_below([RAW_DIR, METADATA_CSV])
    paths = [Path(p) for p in corpus_path]
    files = files_below(paths)
    for p in paths:
        if p.is_dir():
            beside = p.parent / "metadata.csv"
            if beside.is_file() and beside not in files:
                files.append(beside)
    return files



def fingerprint_from(html_path: Path) -> str | None:
    """The corpus fingerprint a report printed in its parameter table (16 hex digits)."""
    import re

    m = re.search(r"corpus fingerprint(?:</td>\s*<td>|[\\\"', \[\]]|&quot;){1,12}([0-9a-f]{16})\b",
                  html_path.read_text(encoding="utf-8"))
    return m.group(1) if m else None


def utc_now() -> str:
    """The time now in UTC as ``YYYY-mm-dd HH:MM:SS UTC`` (build times in the manifest)."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def index_html(manifest: dict[str, Any], corpus_path: Sequence[str]) -> str:
    """``index.html``: one row per report of ``manifest`` (parameters, fingerprint, version,
    build time, seconds; a failed report with its error and last good render)."""
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
<p>Corpus: <code>{html.escape(corpus)}</code>. Index written {html.escape(utc_now())}.</p>
<table>
<thead><tr><th>Report</th><th>Parameters</th><th>Corpus fingerprint</th><th>analysis version</th>
<th>Built</th><th>Seconds</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""


# --------------------------------------------------------------------------------------------
