"""Term counts without a token table: per-document counts and slim sentence token tables.

The tokens are those of :func:`analysis.tokenize` (the same tokenizer,
:func:`analysis.tokens._tokenize.scan_tokens`, without offsets or sentences). Each capability is one
per-batch function that the local verb and :mod:`analysis.scale._dask` both call; documents never
span batches, so combining batches is concatenation:

- :func:`count_batch` -> :func:`count_terms`: one row per document and term (``doc_id, term,
  n, is_stop, is_punct``), a count table (see docs/engine.md); equal to counting
  ``tokenize(docs)``.
- :func:`count_terms_to_parquet`: the same, streamed from a Parquet file to a Parquet file.
- :func:`sentence_batch` -> :func:`sentence_terms`: ``tokenize(docs)`` with the columns
  sentence-level verbs need.

Every verb shows a tqdm progress bar over its batches when there are more than 2,000
documents (``progress=False`` switches it off, ``True`` forces it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from analysis.engine._codes import sort_codes
from analysis.engine._frames import as_kind, is_pandas, require_columns, to_polars
from analysis.engine._runs import count_keys
from analysis.tokens._stopwords import StopwordSpec, resolve_stopwords
from analysis.tokens._tokenize import PUNCT_PATTERN, run_in_slices, scan_tokens, term_of, tokenize

COUNT_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String(),
    "term": pl.String(),
    "n": pl.UInt32(),
    "is_stop": pl.Boolean(),
    "is_punct": pl.Boolean(),
}
"""Columns of :func:`count_terms`."""

SENTENCE_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String(),
    "sentence_id": pl.UInt32(),
    "token_id": pl.UInt32(),
    "term": pl.String(),
    "is_stop": pl.Boolean(),
    "is_punct": pl.Boolean(),
}
"""Columns of :func:`sentence_terms` (a subset of
:data:`analysis.tokens._tokenize.TOKEN_SCHEMA`)."""

PROGRESS_THRESHOLD = 2_000
"""Documents above which a progress bar is shown by default (as :func:`analysis.tokenize`)."""

Source = Any
"""A Corpus, a polars/pandas DataFrame, a polars LazyFrame, or a path to a Parquet file."""


# ----------------------------------------------------------------------------------------------
# input in batches


def _is_path(docs: Any) -> bool:
    return isinstance(docs, str | Path)


def _n_docs(docs: Any) -> int:
    if _is_path(docs):
        import pyarrow.parquet as pq

        return pq.ParquetFile(docs).metadata.num_rows
    if isinstance(docs, pl.LazyFrame):
        return docs.select(pl.len()).collect().item()
    return to_polars(docs).height


def _batches(docs: Any, columns: list[str], batch_size: int) -> Iterator[pl.DataFrame]:
    """``docs`` in batches of at most ``batch_size`` rows with ``columns`` (checked)."""
    if _is_path(docs):
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(docs)
        found = pf.schema_arrow.names
        require_columns(pl.DataFrame(schema=dict.fromkeys(found, pl.String)), columns,
                        what=f"Parquet file {str(docs)!r}")
        for batch in pf.iter_batches(batch_size=batch_size, columns=columns):
            yield pl.from_arrow(batch)  # type: ignore[misc]
        return
    if isinstance(docs, pl.LazyFrame):
        require_columns(pl.DataFrame(schema=docs.collect_schema()), columns, what="docs")
        docs = docs.select(columns).collect()
    table = to_polars(docs, what="docs")
    require_columns(table, columns, what="docs")
    table = table.select(columns)
    for start in range(0, max(table.height, 1), batch_size):
        yield table.slice(start, batch_size)


def _progress(batches: Iterable[pl.DataFrame], total: int, progress: bool | None,
              desc: str) -> Iterable[pl.DataFrame]:
    if progress is None:
        progress = total > PROGRESS_THRESHOLD
    if not progress:
        return batches
    from tqdm.auto import tqdm

    def gen() -> Iterator[pl.DataFrame]:
        with tqdm(total=total, desc=desc, unit="doc") as bar:
            for batch in batches:
                yield batch
                bar.update(batch.height)

    return gen()


def _check_batch_size(batch_size: int) -> None:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")


# ----------------------------------------------------------------------------------------------
# term counts


def _flags(stop: frozenset[str]) -> dict[str, pl.Expr]:
    return {
        "is_stop": pl.col("term").is_in(sorted(stop)) if stop else pl.lit(False),
        # punctuation status does not change with quote straightening or lower-casing
        "is_punct": pl.col("term").str.contains(PUNCT_PATTERN),
    }


def _slice_counts(part: pl.DataFrame, text_column: str, lowercase: bool,
                  stop: frozenset[str]) -> pl.DataFrame:
    """``__doc, term, n, is_stop, is_punct`` of one slice, sorted by ``__doc`` and ``term``.

    The tokens are :func:`analysis.tokens._tokenize.scan_tokens` (the tokenizer's own pattern),
    normalised (:func:`analysis.tokens._tokenize.term_of`) once per distinct token. Terms become
    integer codes in sort order, ``(document, code)`` one UInt64, and one sort of it with run
    lengths (:func:`analysis.engine._runs.count_keys`, the engine's integer count) gives the
    counts already in output order (no hash group-by, no string sort); flags are looked up
    once per distinct term.

    Why not :func:`analysis.engine._term_counts.term_counts_part`: there is no token table to
    count (the tokens exist only as this slice's codes), the document is part of the key (so
    ``docfreq`` is 1 and batches are concatenated, never combined), and the output is the
    count table itself, in (document, term) order.
    """
    tokens = scan_tokens(part.lazy(), pl.col(text_column), ["__doc"])
    if tokens.height == 0:
        return pl.DataFrame(schema={"__doc": pl.UInt32, "term": pl.String, "n": pl.UInt32,
                                    "is_stop": pl.Boolean, "is_punct": pl.Boolean})
    # normalised once per distinct token (the term is a function of the token alone)
    form_codes, forms = sort_codes(tokens["token"], runs=False)
    form_terms, terms = sort_codes(
        forms.to_frame("token").select(term_of(pl.col("token"), lowercase=lowercase))
        .to_series())
    codes = form_terms.gather(form_codes)
    width = 1 << max(1, terms.len().bit_length())
    keys, n = count_keys(tokens["__doc"].cast(pl.UInt64) * width + codes.cast(pl.UInt64))
    code = (keys % width).cast(pl.UInt32)
    vocab = pl.DataFrame({"term": terms}).with_columns(**_flags(stop))
    return pl.DataFrame({"__doc": (keys // width).cast(pl.UInt32),
                         "n": n.cast(pl.UInt32)}).with_columns(
        vocab.select(pl.all().gather(code)))


def count_batch(batch: pl.DataFrame, text_column: str, lowercase: bool,
                stop: frozenset[str], include_stop: bool, include_punct: bool) -> pl.DataFrame:
    """The count table (:data:`COUNT_SCHEMA`) of one batch of documents (``doc_id`` and
    ``text_column``): the per-batch function of :func:`count_terms` and of
    :mod:`analysis.scale._dask`. Rows by input document, then ``term``.

    Examples
    --------
    >>> batch = pl.DataFrame({"doc_id": ["b", "a"], "text": ["No, no.", "Kyiv"]})
    >>> count_batch(batch, "text", True, frozenset({"no"}), False, True).rows()
    [('b', ',', 1, False, True), ('b', '.', 1, False, True), ('a', 'kyiv', 1, False, False)]
    """
    def query(part: pl.LazyFrame) -> pl.LazyFrame:
        counts = _slice_counts(part.collect(), text_column, lowercase, stop)
        if not include_stop:
            counts = counts.filter(~pl.col("is_stop"))
        if not include_punct:
            counts = counts.filter(~pl.col("is_punct"))
        return counts.lazy()

    # documents never span slices, so each slice's counts are final; input order kept
    counts = run_in_slices(batch.select(text_column).with_row_index("__doc"), query)
    counts = counts.with_columns(doc_id=batch["doc_id"].gather(counts["__doc"]))
    return counts.select(list(COUNT_SCHEMA))


def _count_all(docs: Source, *, lowercase: bool, stopwords: StopwordSpec,
                   extra_stopwords: Iterable[str], include_stop: bool, include_punct: bool,
                   text_column: str, batch_size: int, progress: bool | None,
                   ) -> Iterator[pl.DataFrame]:
    _check_batch_size(batch_size)
    stop = resolve_stopwords(stopwords, extra_stopwords)
    batches = _batches(docs, ["doc_id", text_column], batch_size)
    total = _n_docs(docs) if progress is not False else 0
    for batch in _progress(batches, total, progress, "count terms"):
        yield count_batch(batch, text_column, lowercase, stop, include_stop, include_punct)


def count_terms(
    docs: Source,
    *,
    lowercase: bool = True,
    stopwords: StopwordSpec = "default",
    extra_stopwords: Iterable[str] = (),
    include_stop: bool = True,
    include_punct: bool = True,
    text_column: str = "text",
    batch_size: int = 20_000,
    progress: bool | None = None,
) -> Any:
    """Count the terms of each document: one row per document and term, without a token table.

    Parameters
    ----------
    docs
        A :class:`~analysis.corpus._load.Corpus`, a polars or pandas table with ``doc_id`` and
        ``text`` columns, a polars ``LazyFrame``, or the path of a Parquet file (read in
        batches).
    lowercase, stopwords, extra_stopwords
        As in :func:`analysis.tokenize` (same defaults, same terms).
    include_stop, include_punct
        Keep stop-word / punctuation terms (kept by default, flagged in ``is_stop`` and
        ``is_punct``, so the counts add up to the number of tokens).
    text_column
        The column holding the text.
    batch_size
        Documents processed at a time (bounds the memory used).
    progress
        Show a progress bar (tqdm); default: only for more than 2,000 documents.

    Returns
    -------
    DataFrame
        pandas when ``docs`` is pandas, otherwise polars; sorted by batch (input order), then
        ``doc_id`` and ``term`` (so globally by ``doc_id`` when the input is sorted by it):

        - ``doc_id``: the document (documents without tokens have no rows).
        - ``term``: the term, exactly as :func:`analysis.tokenize` writes it.
        - ``n``: occurrences of the term in the document.
        - ``is_stop``: ``term`` is a stop-word.
        - ``is_punct``: the term is only punctuation or symbols.

    Notes
    -----
    ``n`` equals ``tokenize(docs).group_by("doc_id", "term").len()``: the same regular
    expression (:data:`~analysis.tokens._tokenize.TOKEN_PATTERN`) read by polars' Rust ``regex``
    instead of Python's ``re``, and the same normalisation. Documents are independent, so
    batches need no merging.

    Examples
    --------
    >>> docs = pl.DataFrame({"doc_id": ["a", "b"],
    ...                      "text": ["Putin’s plan. Putin's PLAN!", "The U.S. plan"]})
    >>> count_terms(docs)
    shape: (8, 5)
    ┌────────┬───────┬─────┬─────────┬──────────┐
    │ doc_id ┆ term  ┆ n   ┆ is_stop ┆ is_punct │
    │ ---    ┆ ---   ┆ --- ┆ ---     ┆ ---      │
    │ str    ┆ str   ┆ u32 ┆ bool    ┆ bool     │
    ╞════════╪═══════╪═════╪═════════╪══════════╡
    │ a      ┆ !     ┆ 1   ┆ false   ┆ true     │
    │ a      ┆ 's    ┆ 2   ┆ true    ┆ false    │
    │ a      ┆ .     ┆ 1   ┆ false   ┆ true     │
    │ a      ┆ plan  ┆ 2   ┆ false   ┆ false    │
    │ a      ┆ putin ┆ 2   ┆ false   ┆ false    │
    │ b      ┆ plan  ┆ 1   ┆ false   ┆ false    │
    │ b      ┆ the   ┆ 1   ┆ true    ┆ false    │
    │ b      ┆ u.s.  ┆ 1   ┆ false   ┆ false    │
    └────────┴───────┴─────┴─────────┴──────────┘
    """
    pandas = is_pandas(docs)
    parts = list(_count_all(
        docs, lowercase=lowercase, stopwords=stopwords, extra_stopwords=extra_stopwords,
        include_stop=include_stop, include_punct=include_punct, text_column=text_column,
        batch_size=batch_size, progress=progress,
    ))
    out = pl.concat(parts) if parts else pl.DataFrame(schema=COUNT_SCHEMA)
    return as_kind(out, pandas)


def count_terms_to_parquet(
    source: str | Path,
    out: str | Path,
    *,
    lowercase: bool = True,
    stopwords: StopwordSpec = "default",
    extra_stopwords: Iterable[str] = (),
    include_stop: bool = True,
    include_punct: bool = True,
    text_column: str = "text",
    batch_size: int = 20_000,
    progress: bool | None = None,
) -> dict[str, int]:
    """Stream :func:`count_terms` from one Parquet file to another, one batch at a time.

    Memory stays bounded by ``batch_size`` whatever the corpus size (a million documents of
    600 words run in a few GB). Options as in :func:`count_terms`; the output has its columns.

    Returns
    -------
    dict
        ``{"docs": documents read, "rows": rows written, "tokens": sum of n}``.
    """
    import pyarrow.parquet as pq

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    writer: pq.ParquetWriter | None = None
    rows = tokens = 0
    try:
        for part in _count_all(
            source, lowercase=lowercase, stopwords=stopwords, extra_stopwords=extra_stopwords,
            include_stop=include_stop, include_punct=include_punct, text_column=text_column,
            batch_size=batch_size, progress=progress,
        ):
            table = part.to_arrow()
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table)
            rows += part.height
            tokens += int(part["n"].sum() or 0)
        if writer is None:
            pl.DataFrame(schema=COUNT_SCHEMA).write_parquet(tmp)
    finally:
        if writer is not None:
            writer.close()
    tmp.replace(out)
    return {"docs": _n_docs(source), "rows": rows, "tokens": tokens}


# ----------------------------------------------------------------------------------------------
# sentence-level token table


def sentence_batch(batch: pl.DataFrame, text_column: str, lowercase: bool,
                   stop: frozenset[str]) -> pl.DataFrame:
    """The slim token table (:data:`SENTENCE_SCHEMA`) of one batch: :func:`analysis.tokenize`
    (the one tokenizer), the per-batch function of :func:`sentence_terms`.

    Examples
    --------
    >>> batch = pl.DataFrame({"doc_id": ["a"], "text": ["Hi. Bye."]})
    >>> sentence_batch(batch, "text", True, frozenset())["sentence_id"].to_list()
    [1, 1, 2, 2]
    """
    tokens = tokenize(batch, lowercase=lowercase, stopwords=sorted(stop),
                      text_column=text_column)
    return tokens.select(list(SENTENCE_SCHEMA))


def sentence_terms(
    docs: Source,
    *,
    lowercase: bool = True,
    stopwords: StopwordSpec = "default",
    extra_stopwords: Iterable[str] = (),
    text_column: str = "text",
    batch_size: int = 20_000,
    progress: bool | None = None,
) -> Any:
    """A slim token table with sentence ids: what sentence-level counting needs, fast.

    Parameters
    ----------
    docs, lowercase, stopwords, extra_stopwords, text_column, batch_size, progress
        As in :func:`count_terms`.

    Returns
    -------
    DataFrame
        One row per token in text order, the columns ``doc_id, sentence_id, token_id, term,
        is_stop, is_punct`` of :func:`analysis.tokenize` with the same values (no ``token``,
        ``start``, ``end``).

    Notes
    -----
    Each batch is :func:`analysis.tokenize` (the one tokenizer and sentence splitter,
    :mod:`analysis.tokens._sentences`) with the columns sentence-level counting does not need
    dropped,
    so ids and terms are those of the full token table (the equality is tested).

    Examples
    --------
    >>> docs = pl.DataFrame({"doc_id": ["a"], "text": ["Mr. Xi met Putin’s aide. They talked."]})
    >>> sentence_terms(docs)["sentence_id"].to_list()
    [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2]
    >>> sentence_terms(docs)["term"].to_list()[:7]
    ['mr', '.', 'xi', 'met', 'putin', "'s", 'aide']
    """
    _check_batch_size(batch_size)
    pandas = is_pandas(docs)
    stop = resolve_stopwords(stopwords, extra_stopwords)
    batches = _batches(docs, ["doc_id", text_column], batch_size)
    total = _n_docs(docs) if progress is not False else 0
    parts = [
        sentence_batch(batch, text_column, lowercase, stop)
        for batch in _progress(batches, total, progress, "sentences")
    ]
    out = pl.concat(parts) if parts else pl.DataFrame(schema=SENTENCE_SCHEMA)
    return as_kind(out, pandas)
