"""N-grams within sentences (multi-word expressions joined into one term:
:mod:`analysis.tokens._phrases`).

The verbs return a token-shaped table (``doc_id, sentence_id, token_id, token, term, start,
end, is_stop, is_punct``), so :func:`analysis.terms._frequency.term_frequency`,
:func:`analysis.terms._kwic.kwic`
and the other token verbs work on their output unchanged.
"""

from __future__ import annotations

from typing import Literal, cast

import polars as pl

from analysis.engine._batches import BATCH_ROWS, document_slices, in_text_order
from analysis.engine._codes import codes_in, sort_codes
from analysis.engine._frames import Frame, require_columns, require_tokens, tidy
from analysis.engine._term_counts import combine_term_counts, term_counts_part
from analysis.terms._frequency import DocumentFrequency, document_frequency_part, frequency_columns
from analysis.tokens._phrases import compound as compound  # re-exported
from analysis.tokens._phrases import phrase_keys as phrase_keys  # re-exported
from analysis.tokens._phrases import token_key as token_key  # re-exported
from analysis.tokens._tokenize import TOKEN_SCHEMA

_TOKEN_COLUMNS = list(TOKEN_SCHEMA)

PunctHandling = Literal["break", "skip", "keep"]


@tidy
def ngrams(
    tokens: Frame,
    *,
    n: int = 2,
    punct: PunctHandling = "break",
    sep: str = " ",
) -> Frame:
    """Sequences of ``n`` consecutive tokens within a sentence: one row per n-gram occurrence.

    Parameters
    ----------
    tokens
        The token table of :func:`analysis.tokenize` (or :func:`compound`).
    n
        Tokens per n-gram (2 = bigrams, 3 = trigrams; 1 gives the tokens back).
    punct
        ``"break"`` (default): punctuation ends an n-gram, so "Moscow, Beijing" gives no
        bigram; ``"skip"``: punctuation tokens are removed first and n-grams run across them
        (tidytext's behaviour); ``"keep"``: punctuation tokens are words like any other.
    sep
        Joins the component tokens and terms.

    Returns
    -------
    DataFrame
        In text order; n-grams never cross a sentence boundary:

        - ``doc_id``, ``sentence_id``;
        - ``token_id``: the id of the first token;
        - ``token``, ``term``: the component tokens / terms joined by ``sep``;
        - ``start``: start of the first token, ``end``: end of the last token;
        - ``is_stop``: any component is a stop-word (so ``term_frequency`` drops "of the",
          "president of" by default, as tidytext's bigram recipes do);
        - ``is_punct``: every component is punctuation (only possible with ``"keep"``).

        Other columns of ``tokens`` are dropped (join a group with
        :func:`analysis.terms._frequency.add_group` afterwards).

    Examples
    --------
    >>> import polars as pl
    >>> import analysis
    >>> toks = analysis.tokenize(pl.DataFrame({"doc_id": ["a"],
    ...                          "text": ["Xi met Putin, Russia's leader. Xi left."]}))
    >>> ngrams(toks)["term"].to_list()
    ['xi met', 'met putin', "russia 's", "'s leader", 'xi left']
    >>> ngrams(toks, punct="skip")["term"].to_list()
    ['xi met', 'met putin', 'putin russia', "russia 's", "'s leader", 'xi left']
    """
    tokens = cast("pl.DataFrame", tokens)  # @tidy hands the body a polars DataFrame
    check_ngram_options(n, punct)
    require_tokens(tokens, verb="ngrams()")
    require_columns(tokens, _TOKEN_COLUMNS, what="tokens")
    return ngram_rows(tokens, n=n, punct=punct, sep=sep)


@tidy
def ngram_frequency(
    tokens: Frame,
    *,
    n: int = 2,
    punct: PunctHandling = "break",
    sep: str = " ",
    include_stop: bool = False,
    include_punct: bool = False,
) -> Frame:
    """Corpus-wide n-gram counts: ``term_frequency(ngrams(tokens, ...), by=None)`` without
    the table of n-gram occurrences.

    The n-grams are those of :func:`ngrams` (same ``n``, ``punct`` and ``sep``); each is
    counted as one integer key made of its terms' codes, and its text is built once per
    distinct n-gram, so the memory is that of the distinct n-grams, not of every occurrence.

    Parameters
    ----------
    tokens
        The token table of :func:`analysis.tokenize` (or :func:`compound`).
    n, punct, sep
        As in :func:`ngrams`.
    include_stop, include_punct
        As in :func:`analysis.terms._frequency.term_frequency`: count n-grams with a stop-word
        component
        / made of punctuation only (both left out by default).

    Returns
    -------
    DataFrame
        The table of :func:`analysis.terms._frequency.term_frequency` with ``by=None``: ``term``,
        ``n``,
        ``total``, ``per_million``, ``docfreq``, ``rank``, sorted by rank and term.

    Examples
    --------
    >>> import polars as pl
    >>> import analysis
    >>> toks = analysis.tokenize(pl.DataFrame({"doc_id": ["a", "b"],
    ...                          "text": ["Xi met Putin. Xi met Biden.", "Xi met Putin."]}))
    >>> ngram_frequency(toks).select("term", "n", "docfreq", "rank").rows()
    [('xi met', 3, 2, 1), ('met putin', 2, 2, 2), ('met biden', 1, 1, 3)]
    """
    tokens = cast("pl.DataFrame", tokens)  # @tidy hands the body a polars DataFrame
    check_ngram_options(n, punct)
    require_tokens(tokens, verb="ngram_frequency()")
    require_columns(tokens, _TOKEN_COLUMNS, what="tokens")
    table = tokens.select("doc_id", "sentence_id", "token_id", "term", "is_stop", "is_punct")
    if not in_text_order(table):
        table = table.sort("doc_id", "token_id", maintain_order=True)
    batches = list(document_slices(table, rows=BATCH_ROWS)) or [table]
    # the terms n-grams are made of, coded once for all batches (sorted, as sort_codes does)
    kept = pl.col("term") if punct == "keep" else pl.col("term").filter(~pl.col("is_punct"))
    distinct = pl.concat([b.select(kept.unique())["term"] for b in batches]).unique().sort()
    bits = max(1, distinct.len().bit_length())
    if n * bits > 64:  # the term codes of an n-gram do not fit one integer: count strings
        part = _counts_of_rows(ngram_rows(tokens, n=n, punct=punct, sep=sep),
                               include_stop=include_stop, include_punct=include_punct)
        return frequency_columns(part.table)
    # n-grams never cross documents: count them one batch of whole documents at a time, by key
    keyed = [_key_counts(_in_runs(b, punct), _term_codes(b, punct, distinct), n=n, bits=bits,
                         include_stop=include_stop, include_punct=include_punct)
             for b in batches]
    counts = combine_term_counts([k.table for k in keyed])  # docfreq and n summed per key
    return frequency_columns(_with_terms(counts, distinct, n=n, bits=bits, sep=sep))


def check_ngram_options(n: int, punct: str) -> None:
    """The option checks of :func:`ngrams` (also run by the Dask verb before any work)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if punct not in ("break", "skip", "keep"):
        raise ValueError(f"punct must be 'break', 'skip' or 'keep', got {punct!r}")


def ngram_rows(tokens: pl.DataFrame, *, n: int = 2, punct: PunctHandling = "break",
               sep: str = " ") -> pl.DataFrame:
    """The n-grams of one batch of whole documents (a token table; options checked): the
    table of :func:`ngrams`. N-grams never cross documents, so the rows of batches split by
    document simply follow each other (:func:`combine_ngram_rows`)."""
    table = _in_runs(tokens.select(_TOKEN_COLUMNS), punct)

    def ahead(col: str, k: int) -> pl.Expr:
        return pl.col(col).shift(-k)

    out = table.with_columns(
        token=pl.concat_str([ahead("token", k) for k in range(n)], separator=sep),
        term=pl.concat_str([ahead("term", k) for k in range(n)], separator=sep),
        end=ahead("end", n - 1),
        is_stop=pl.any_horizontal([ahead("is_stop", k) for k in range(n)]),
        is_punct=pl.all_horizontal([ahead("is_punct", k) for k in range(n)]),
    ).filter(_starts_ngram(n))
    return out.select(_TOKEN_COLUMNS)


def _in_runs(table: pl.DataFrame, punct: PunctHandling) -> pl.DataFrame:
    """``table`` in text order with the rows n-grams are made of (punctuation left out unless
    ``punct="keep"``) and ``__run``: consecutive rows with the same ``__run`` may form an
    n-gram. A run ends at a document or sentence boundary and, with ``punct="break"``, at a
    punctuation token. This is the one definition of the n-gram windows."""
    if not in_text_order(table):
        table = table.sort("doc_id", "token_id", maintain_order=True)
    doc, sent = pl.col("doc_id"), pl.col("sentence_id")
    new = (doc != doc.shift(1)).fill_null(True) | (sent != sent.shift(1)).fill_null(True)
    if punct == "break":
        new = new | pl.col("is_punct")
    table = table.with_columns(__run=new.cast(pl.UInt32).cum_sum())
    return table if punct == "keep" else table.filter(~pl.col("is_punct"))


def _starts_ngram(n: int) -> pl.Expr:
    """True on the rows of :func:`_in_runs` that begin an n-gram (``n - 1`` rows follow in the
    same run; runs are contiguous, so the last one being in the run is enough)."""
    run = pl.col("__run")
    return (run.shift(-(n - 1)) == run).fill_null(False)


def combine_ngram_rows(a: pl.DataFrame, b: pl.DataFrame) -> pl.DataFrame:
    """The n-grams of two batches of documents, one after the other (associative)."""
    return pl.concat([a, b])


def ngram_counts_part(tokens: pl.DataFrame, *, n: int = 2, punct: PunctHandling = "break",
                      sep: str = " ", include_stop: bool = False,
                      include_punct: bool = False) -> DocumentFrequency:
    """N-gram totals of one batch of whole documents (a token table): ``term``, ``docfreq``,
    ``n`` and the number of documents with a counted n-gram, as
    ``term_frequency(ngrams(tokens), by=None)`` counts them (stop-word n-grams, those with any
    stop-word component, left out unless ``include_stop``). Batches add up with
    :func:`analysis.terms._frequency.combine_document_frequency`.

    Examples
    --------
    >>> import analysis
    >>> toks = analysis.tokenize(pl.DataFrame({"doc_id": ["a", "b"],
    ...                          "text": ["Xi met Putin.", "Xi met Biden."]}))
    >>> ngram_counts_part(toks).table.sort("term").rows()
    [('met biden', 1, 1), ('met putin', 1, 1), ('xi met', 2, 2)]
    """
    table = _in_runs(tokens.select("doc_id", "sentence_id", "token_id", "term", "is_stop",
                                   "is_punct"), punct)
    codes, distinct = sort_codes(table["term"], runs=False)
    bits = max(1, distinct.len().bit_length())
    if n * bits > 64:  # the term codes of an n-gram do not fit one integer: count strings
        return _counts_of_rows(ngram_rows(tokens, n=n, punct=punct, sep=sep),
                               include_stop=include_stop, include_punct=include_punct)
    keyed = _key_counts(table, codes, n=n, bits=bits, include_stop=include_stop,
                        include_punct=include_punct)
    return DocumentFrequency(_with_terms(keyed.table, distinct, n=n, bits=bits, sep=sep),
                             keyed.n_docs)


def _key_counts(table: pl.DataFrame, codes: pl.Series, *, n: int, bits: int, include_stop: bool,
                include_punct: bool) -> DocumentFrequency:
    """The counting step of :func:`ngram_counts_part`: ``table`` (of :func:`_in_runs`, whole
    documents) with its terms' ``codes`` (``bits`` wide); the n-grams counted by one integer
    key each (``__key``, ``docfreq``, ``n``). Documents in different batches add up."""
    u64 = pl.UInt64
    code = pl.col("__code")
    # the n-gram as one integer: the first term's code in the high bits
    key = pl.sum_horizontal(code.shift(-k).cast(u64) * pl.lit(1 << (bits * (n - 1 - k)), u64)
                            for k in range(n))
    keep = _starts_ngram(n)
    if not include_stop:
        keep = keep & ~pl.any_horizontal([pl.col("is_stop").shift(-k) for k in range(n)])
    if not include_punct:
        keep = keep & ~pl.all_horizontal([pl.col("is_punct").shift(-k) for k in range(n)])
    doc_codes, _ = sort_codes(table["doc_id"])
    keys = table.select("__run", "is_stop", "is_punct").with_columns(
        __code=codes, __doc=doc_codes).select(pl.col("__doc"), __key=key, __keep=keep)
    keys = keys.filter(pl.col("__keep")).select(doc_id="__doc", __key="__key")
    counts = term_counts_part(keys, [], term_column="__key", include_stop=True,
                              include_punct=True)  # the engine's one n / docfreq count
    return DocumentFrequency(counts.select("__key", "docfreq", "n"), keys["doc_id"].n_unique())


def _term_codes(batch: pl.DataFrame, punct: PunctHandling, distinct: pl.Series) -> pl.Series:
    """The codes of the terms of ``_in_runs(batch, punct)`` in the sorted ``distinct``
    (:func:`analysis.engine._codes.codes_in`), without coding the batch's terms anew."""
    terms = batch["term"] if punct == "keep" else batch.filter(~pl.col("is_punct"))["term"]
    return codes_in(terms, distinct)


def _with_terms(counts: pl.DataFrame, distinct: pl.Series, *, n: int, bits: int,
                sep: str) -> pl.DataFrame:
    """``term``, ``docfreq``, ``n`` from counts by n-gram key: the text built once per key."""
    mask = (1 << bits) - 1
    parts = [distinct.gather((counts["__key"] // (1 << (bits * (n - 1 - k))) & mask)
                             .cast(pl.UInt32)) for k in range(n)]
    term = pl.DataFrame({f"__{k}": part for k, part in enumerate(parts)}).select(
        term=pl.concat_str([pl.col(f"__{k}") for k in range(n)], separator=sep))["term"]
    return counts.select(term, "docfreq", "n")


def _counts_of_rows(rows: pl.DataFrame, *, include_stop: bool,
                    include_punct: bool) -> DocumentFrequency:
    """:func:`ngram_counts_part` from the n-gram rows (for codes wider than 64 bits)."""
    if not include_stop:
        rows = rows.filter(~pl.col("is_stop"))
    if not include_punct:
        rows = rows.filter(~pl.col("is_punct"))
    per_doc = rows.group_by("doc_id", "term").agg(n=pl.len())
    return document_frequency_part(per_doc)
