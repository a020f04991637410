"""Build the tables of a :class:`~analysis.corpus._load.Corpus` from the records the readers
gathered.

Column-wise: every text is cleaned by one :func:`~analysis.cleaning._column.clean_texts` call,
language, word counts and duplicate texts are polars expressions over the whole column; Python
touches each record only to issue its id and attach its notes (in input order, so ``skipped``
and ``notes`` come out as they always did).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from analysis.cleaning._column import clean_texts
from analysis.cleaning._rules import BoilerplateRule
from analysis.corpus._published import parse_published_column
from analysis.corpus._records import Collector, Record
from analysis.tokens._stopwords import default_stopwords
from analysis.tokens._tokenize import word_count

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


NO_TEXT_LEFT = "no text left after cleaning (only boilerplate or markup)"


def empty_skipped() -> pl.DataFrame:
    """The ``skipped`` table with no rows."""
    return pl.DataFrame(schema={"source": pl.String, "reason": pl.String})


def empty_notes() -> pl.DataFrame:
    """The ``notes`` table with no rows."""
    return pl.DataFrame(schema={"doc_id": pl.String, "source": pl.String, "note": pl.String})


def empty_removed() -> pl.DataFrame:
    """The ``removed`` table with no rows."""
    return pl.DataFrame(
        schema={"doc_id": pl.String, "line": pl.Int64, "text": pl.String, "rule": pl.String}
    )


COMMON_STOPWORDS = ("the", "of", "to", "and", "a", "in", "that", "is", "for", "on", "was", "with",
                    "he", "it", "as", "at", "by", "has", "from")
"""Stop-words counted first: when they alone make 15% of the words, the text is English."""


SAMPLE_CHARS = 20000
"""How much of a text :func:`guess_language` reads."""


def _same_text_key(text: pl.Expr) -> pl.Expr:
    """Equal for texts that are equal up to case and white space (duplicates)."""
    return text.str.to_lowercase().str.replace_all(r"\s{2,}|[^\S ]", " ").hash(seed=0)


def english_at_sight(text: pl.Expr) -> pl.Expr:
    """True where the common stop-words between spaces alone (a lower bound of the stop-word
    count) make 15% of the words: such a text is English for :func:`guess_language`."""
    low = text.str.slice(0, SAMPLE_CHARS).str.to_lowercase()
    n = low.str.count_matches(r"[a-z']+")
    stop = default_stopwords()
    common = "|".join(f" {w} " for w in COMMON_STOPWORDS if w in stop)
    return ((n >= 5) & (low.str.count_matches(common) / n >= 0.15)).fill_null(False)


def _english(texts: pl.Series) -> pl.Series:
    """The rule of :func:`guess_language`, word by word."""
    words = texts.str.slice(0, SAMPLE_CHARS).str.to_lowercase().str.extract_all(r"[a-z']+")
    stop = sorted(default_stopwords())
    return pl.DataFrame({"w": words}).select(
        (pl.col("w").list.len() >= 5)
        & (pl.col("w").list.eval(pl.element().is_in(stop)).list.sum()
           / pl.col("w").list.len() >= 0.15)
    ).to_series().fill_null(False)


def guess_language(texts: pl.Series, *, english: pl.Series | None = None) -> pl.Series:
    """``"en"`` where at least 15% of the words (``[a-z']+`` in the first 20,000 characters,
    lower-cased) are English stop-words and there are at least 5 words, else null (unknown).

    :func:`english_at_sight` decides most texts (pass its result as ``english`` when it is
    already computed); the others are counted word by word.

    Examples
    --------
    >>> guess_language(pl.Series(["The talks of the week are over.", "Slava Ukraini", ""]))
    shape: (3,)
    Series: 'language' [str]
    [
        "en"
        null
        null
    ]
    """
    if english is None:
        english = pl.LazyFrame({"t": texts}).select(english_at_sight(pl.col("t"))).collect() \
            .to_series()
    todo = (~english).arg_true()
    if len(todo):
        english = english.clone().scatter(todo, _english(texts.gather(todo)))
    return pl.DataFrame({"e": english}).select(
        language=pl.when(pl.col("e")).then(pl.lit("en")))["language"]


def first_line(text: str) -> str | None:
    """The first non-blank line, stripped, at most 300 characters (a text file's title)."""
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:300]
    return None


class Ids:
    """Issue unique ids: a repeated id becomes ``id~2``, ``id~3``..., never an id already issued
    nor one that another input brings itself."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.originals = {r.doc_id for r in records}
        self.issued: set[str] = set()

    def issue(self, doc_id: str) -> str:
        """The id for the next document that brings ``doc_id``."""
        new, n = doc_id, 1
        while new in self.issued or (n > 1 and new in self.originals):
            n += 1
            new = f"{doc_id}~{n}"
        self.issued.add(new)
        return new


def parse_dates(
    col: Collector, raw: list[Any], groups: list[str], sources: list[str], doc_ids: list[str],
    dayfirst: bool | None,
) -> tuple[list[Any], list[str | None]]:
    """Parse publication dates per source column (day/month order decided once per column)."""
    dates: list[Any] = [None] * len(raw)
    precision: list[str | None] = [None] * len(raw)
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
                col.note(sources[i], f"unparseable date {raw[i]!r}; published left null",
                         doc_id=doc_ids[i])
    return dates, precision


def notes_frame(notes: list[tuple[str | None, str, str]]) -> pl.DataFrame:
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
        return empty_notes()
    return pl.DataFrame(rows, schema=["doc_id", "source", "note"], orient="row")


def _removed(records: list[Record], kept: list[int], doc_ids: list[str],
             cleaned: pl.DataFrame) -> pl.DataFrame:
    """What the readers (HTML extraction) and then cleaning removed, per kept document."""
    ids = pl.DataFrame({"row": pl.Series(kept, dtype=pl.UInt32), "doc_id": doc_ids})
    parts = [cleaned.with_columns(seq=pl.lit(1, pl.Int8))]
    reader = [(i, n, line, rule) for i in kept for n, line, rule in records[i].removed]
    if reader:
        parts.insert(0, pl.DataFrame(reader, schema=cleaned.schema, orient="row")
                     .with_columns(seq=pl.lit(0, pl.Int8)))
    removed = pl.concat(parts).sort("row", "seq", maintain_order=True)
    removed = removed.join(ids, on="row", how="inner", maintain_order="left")
    if not removed.height:
        return empty_removed()
    return removed.select("doc_id", "line", "text", "rule")


def _frame(docs: dict[str, Any], extras: list[dict[str, Any]]) -> pl.DataFrame:
    """The docs table: the fixed columns, then metadata columns (as text) in order of appearance.
    ``language`` is guessed where ``docs`` leaves it null."""
    frame = pl.DataFrame([v.rename(c).cast(DOC_SCHEMA[c]) if isinstance(v, pl.Series)
                          else pl.Series(c, v, dtype=DOC_SCHEMA[c]) for c, v in docs.items()])
    frame = frame.lazy().with_columns(  # one lazy context: in parallel, shared subexpressions
        n_chars=pl.col("text").str.len_chars().cast(pl.Int64),
        n_words=word_count(pl.col("text")),  # why not tokens: WORD_COUNT_PATTERN
        _key=_same_text_key(pl.col("text").str.slice(0, SAMPLE_CHARS)),  # shares the lowercase
        _english=english_at_sight(pl.col("text")),
    ).collect()
    long = (frame["n_chars"] > SAMPLE_CHARS).arg_true()
    if len(long):  # the key above saw only the start of these texts
        key = frame.select(_same_text_key(pl.col("text").gather(long))).to_series()
        frame = frame.with_columns(frame["_key"].scatter(long, key))
    frame = frame.with_columns(_first=pl.col("doc_id").first().over("_key")).with_columns(
        duplicate_of=pl.when(pl.col("_first") != pl.col("doc_id")).then(pl.col("_first"))
    )
    unknown = frame["language"].is_null()
    if unknown.any():
        index = unknown.arg_true()
        guessed = guess_language(frame["text"].gather(index),
                                 english=frame["_english"].gather(index))
        frame = frame.with_columns(frame["language"].scatter(index, guessed))
    frame = frame.drop("_key", "_first", "_english")
    fixed = [pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c)
             for c, t in DOC_SCHEMA.items()]
    if any(extras):
        meta = pl.DataFrame(extras, infer_schema_length=None)
        return pl.concat([frame.select(fixed), meta.select(pl.all().cast(pl.String))],
                         how="horizontal")
    return frame.select(fixed)


def build_corpus(
    col: Collector,
    *,
    rules: Sequence[BoilerplateRule],
    dayfirst: bool | None,
    progress: bool | None,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """``docs, skipped, notes, removed`` from the records in ``col`` (see :class:`Corpus`)."""
    records = col.records
    bar = None
    if progress or (progress is None and len(records) > 2000):
        from tqdm.auto import tqdm

        bar = tqdm(total=len(records), desc="load_corpus", unit="doc")
    cleaned = clean_texts([r.raw for r in records], rules=tuple(rules))
    if bar is not None:
        bar.update(len(records))
        bar.close()
    has_text = (cleaned.text.str.len_bytes() > 0).to_list()
    html = cleaned.html_stripped.to_list()
    ids = Ids(records)
    kept: list[int] = []
    doc_ids: list[str] = []
    for i, rec in enumerate(records):
        if not has_text[i]:
            col.skip(rec.source, NO_TEXT_LEFT)
            continue
        doc_id = ids.issue(rec.doc_id)
        if doc_id != rec.doc_id:
            col.note(rec.source, f"doc_id {rec.doc_id!r} repeated; renamed", doc_id=doc_id)
        if html[i]:
            col.note(rec.source, "HTML markup removed", doc_id=doc_id)
        if rec.encoding not in ("utf-8", "utf-8-sig"):
            col.note(rec.source, f"decoded as {rec.encoding}", doc_id=doc_id)
        for note in rec.notes:
            col.note(rec.source, note, doc_id=doc_id)
        kept.append(i)
        doc_ids.append(doc_id)
    texts = cleaned.text.gather(kept) if len(kept) < len(records) else cleaned.text
    docs = _columns(col, [records[i] for i in kept], doc_ids, texts, dayfirst)
    skipped = pl.DataFrame(col.skipped, schema=["source", "reason"], orient="row") \
        if col.skipped else empty_skipped()
    return docs, skipped, notes_frame(col.notes), _removed(records, kept, doc_ids,
                                                           cleaned.removed)


def _columns(col: Collector, records: list[Record], doc_ids: list[str], texts: pl.Series,
             dayfirst: bool | None) -> pl.DataFrame:
    """The docs table of the kept records (their ids and cleaned texts given)."""
    if not records:
        return pl.DataFrame(schema=DOC_SCHEMA)
    titles: list[str | None] = []
    outlets: list[str | None] = []
    languages: list[str | None] = []
    raw_dates: list[Any] = []
    groups: list[str] = []
    extras: list[dict[str, Any]] = []
    need_title: list[int] = []
    for i, rec in enumerate(records):
        f = rec.fields
        raw_dates.append(f.get("published"))
        groups.append(rec.date_group or rec.source)
        title = f.get("title")
        title = str(title).strip() if title not in (None, "") else None
        if title is None and rec.source.lower().endswith((".txt", ".txt.gz")):
            need_title.append(i)
        titles.append(title)
        outlet = f.get("outlet")
        outlets.append((str(outlet).strip() or None) if outlet else None)
        languages.append(f.get("language") or None)
        extras.append({k: (None if v == "" else v) for k, v in f.items() if k not in DOC_SCHEMA})
    for i, text in zip(need_title, texts.gather(need_title).to_list(), strict=True):
        titles[i] = first_line(text)
    sources = [r.source for r in records]
    dates, precision = parse_dates(col, raw_dates, groups, sources, doc_ids, dayfirst)
    docs = _frame({
        "doc_id": doc_ids, "title": titles, "outlet": outlets, "published": dates,
        "text": texts, "source": sources, "language": languages,
        "encoding": [r.encoding for r in records], "published_precision": precision,
    }, extras)
    for doc_id, source, dup in docs.filter(pl.col("duplicate_of").is_not_null()).select(
        "doc_id", "source", "duplicate_of"
    ).iter_rows():
        col.note(source, f"duplicate text of {dup}; kept, flagged", doc_id=doc_id)
    return docs
