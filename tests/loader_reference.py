"""The loader's build step as it was before issue 10: one document at a time (``clean_text`` per
record, a Python loop per row). Kept only as the reference the column-wise
:func:`analysis.corpus._build.build_corpus` must equal (``tests/test_corpus_columnwise.py``).
Copied from ``analysis/corpus.py`` at commit bb2ef3a; only the imports changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

from analysis.cleaning._rules import BoilerplateRule
from analysis.cleaning._text import clean_text
from analysis.corpus._build import DOC_SCHEMA, WORD_PATTERN
from analysis.corpus._load import Corpus
from analysis.corpus._published import parse_published_column
from analysis.corpus._records import Collector, Record
from analysis.tokens._stopwords import default_stopwords


def _empty_skipped() -> pl.DataFrame:
    return pl.DataFrame(schema={"source": pl.String, "reason": pl.String})


def _empty_notes() -> pl.DataFrame:
    return pl.DataFrame(schema={"doc_id": pl.String, "source": pl.String, "note": pl.String})


def _empty_removed() -> pl.DataFrame:
    return pl.DataFrame(
        schema={"doc_id": pl.String, "line": pl.Int64, "text": pl.String, "rule": pl.String}
    )
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


def reference_build(
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
        from tqdm.auto import tqdm

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


