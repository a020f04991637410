"""Sentences and words with character offsets: the token table every other verb builds on.

Sentences come from NLTK's Punkt sentence tokenizer, built from shipped parameters (a list of
English abbreviations, :data:`ABBREVIATIONS`) so nothing is downloaded; a line break always ends a
sentence (headlines and paragraphs are never joined).

Words come from NLTK's ``RegexpTokenizer`` with one pattern, :data:`TOKEN_PATTERN`, written so
that Python's ``re`` and the Rust ``regex`` engine inside polars read it the same way. That is
what lets the fast counting path (:func:`analysis.fastcount.count_terms`, polars
``str.extract_all`` over millions of documents) give exactly the term counts of this
full-fidelity path. NLTK's Treebank tokenizer (behind ``word_tokenize``) was not used: its
context-dependent rules (sentence-final periods, quote rewriting, look-ahead clitic splitting)
have no vectorised equivalent. The pattern keeps initialisms (``U.S.``, ``e.g.``), numbers
(``15.6``, ``1,000``, ``50%``) and hyphenated words (``four-and-a-half``) whole, splits clitics
(``Russia’s`` -> ``Russia`` + ``’s``; ``didn't`` -> ``didn`` + ``'t``) and makes every other
non-space character a token of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

import polars as pl
from nltk.tokenize import RegexpTokenizer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from analysis.frames import as_kind, is_pandas, require_columns, to_polars
from analysis.stopwords import StopwordSpec, resolve_stopwords

ABBREVIATIONS: frozenset[str] = frozenset(
    """mr mrs ms dr prof gen lt col maj capt sgt cpl adm gov sen rep rev fr hon pres st jr sr
    u.s u.k u.n u.s.a e.u u.a.e d.c a.m p.m e.g i.e etc vs v no. inc corp co ltd dept est
    jan feb mar apr jun jul aug sep sept oct nov dec mt ft approx fig vol pp""".replace("no.", "")
    .split()
)
"""Abbreviations after which a period does not end a sentence (Punkt's ``abbrev_types``)."""

QUOTE_MAP: dict[str, str] = {"’": "'", "‘": "'", "‚": "'", "“": '"', "”": '"', "„": '"',
                             "«": '"', "»": '"', "′": "'", "″": '"'}
"""Curly quotes and primes, and the straight character each is treated as (a ``term`` has
them straightened; patterns and phrases are matched through the same map)."""
_QUOTE_SHADOW = str.maketrans(QUOTE_MAP)
TOKEN_PATTERN = (
    r"(?:[^\W\d_]\.){2,}"  # initialisms: U.S., U.N., e.g.
    r"|\d+(?:[.,:]\d+)*%?"  # numbers: 15.6, 1,000, 4:30, 50%
    r"|\w+(?:[-‐]\w+)*"  # words, with inner hyphens: no-limits, four-and-a-half
    r"|(?i:['’](?:s|re|ve|ll|d|m|t)\b)"  # clitics: 's, 're, 've, 'll, 'd, 'm, 't
    r"|[^\w\s]"  # any other non-space character on its own: punctuation, symbols
)
"""The word pattern: the same tokens under Python ``re`` and polars (Rust ``regex``).

Alternatives are tried in order (leftmost-first in both engines). Text is NFC-normalised and
stripped of variation selectors by the loader; combining marks that survive NFC are the one
known difference between the engines (Rust's ``\\w`` includes them, Python's does not).
"""

PUNCT_PATTERN = r"^[\p{P}\p{S}]+$"
"""A token is punctuation when every character is Unicode punctuation or a symbol."""

TOKEN_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String(),
    "sentence_id": pl.UInt32(),
    "token_id": pl.UInt32(),
    "token": pl.String(),
    "term": pl.String(),
    "start": pl.UInt32(),
    "end": pl.UInt32(),
    "is_stop": pl.Boolean(),
    "is_punct": pl.Boolean(),
}


@cache
def sentence_splitter() -> PunktSentenceTokenizer:
    """NLTK's Punkt sentence tokenizer with the shipped English abbreviations (no download)."""
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


@cache
def word_splitter() -> RegexpTokenizer:
    """NLTK's regular-expression tokenizer with :data:`TOKEN_PATTERN`."""
    return RegexpTokenizer(TOKEN_PATTERN)


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Character spans of the sentences of ``text``; a line break always ends a sentence.

    Examples
    --------
    >>> t = "Mr. Putin met the U.S. envoy. He left.\\nA headline\\nNext line."
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['Mr. Putin met the U.S. envoy.', 'He left.', 'A headline', 'Next line.']
    """
    shadow = text.translate(_QUOTE_SHADOW)
    punkt = sentence_splitter()
    for line in re.finditer(r"[^\n]+", shadow):
        if not line.group().strip():
            continue
        offset = line.start()
        for a, b in punkt.span_tokenize(line.group()):
            yield offset + a, offset + b


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` (:data:`TOKEN_PATTERN`).

    Examples
    --------
    >>> s = "Russia’s “no-limits” ties with the U.S. didn't end."
    >>> [s[a:b] for a, b in word_spans(s)]
    ['Russia', '’s', '“', 'no-limits', '”', 'ties', 'with', 'the', 'U.S.', 'didn', "'t", 'end', '.']
    """
    return list(word_splitter().span_tokenize(text))


def _doc_tokens(text: str) -> Iterator[tuple[int, int, int]]:
    """(sentence number, start, end) for every token of a document.

    Words are found in the whole text and assigned to the sentence that contains their first
    character; tokens never contain white space, so no token straddles a sentence boundary.
    """
    starts = [a for a, _ in sentence_spans(text)]
    for a, b in word_splitter().span_tokenize(text):
        yield max(bisect_right(starts, a), 1), a, b


def tokenize(
    docs: Any,
    *,
    lowercase: bool = True,
    stopwords: StopwordSpec = "default",
    extra_stopwords: Iterable[str] = (),
    text_column: str = "text",
    progress: bool | None = None,
) -> Any:
    """Split documents into sentences and tokens: one row per token.

    Parameters
    ----------
    docs
        A :class:`~analysis.corpus.Corpus`, or a polars/pandas table with ``doc_id`` and
        ``text`` columns (``Corpus.docs``).
    lowercase
        Lower-case ``term`` (``token`` always keeps the original characters).
    stopwords
        ``"default"`` (the shipped list, see :mod:`analysis.stopwords`), ``"none"``, or your own
        list of words.
    extra_stopwords
        Words added to the stop-word list.
    text_column
        The column holding the text.
    progress
        Show a progress bar (tqdm); default: only for more than 2,000 documents.

    Returns
    -------
    DataFrame
        The same kind as the input (a Corpus gives polars), one row per token, in text order:

        - ``doc_id``: the document.
        - ``sentence_id``: sentence number within the document, from 1.
        - ``token_id``: token number within the document, from 1 (differences are distances).
        - ``token``: the characters of the text, ``text[start:end]``.
        - ``term``: the normalised form counted by later verbs: curly quotes and apostrophes
          straightened, lower-cased when ``lowercase``.
        - ``start``, ``end``: character offsets into the document's text.
        - ``is_stop``: ``term`` is in the stop-word list.
        - ``is_punct``: the token is only punctuation or symbols.

    Examples
    --------
    >>> import polars as pl
    >>> docs = pl.DataFrame({"doc_id": ["a"], "text": ["Mr. Xi met Putin’s aide. They talked."]})
    >>> tokenize(docs).select("sentence_id", "token", "term", "start", "is_stop").head(7)
    shape: (7, 5)
    ┌─────────────┬───────┬───────┬───────┬─────────┐
    │ sentence_id ┆ token ┆ term  ┆ start ┆ is_stop │
    │ ---         ┆ ---   ┆ ---   ┆ ---   ┆ ---     │
    │ u32         ┆ str   ┆ str   ┆ u32   ┆ bool    │
    ╞═════════════╪═══════╪═══════╪═══════╪═════════╡
    │ 1           ┆ Mr    ┆ mr    ┆ 0     ┆ false   │
    │ 1           ┆ .     ┆ .     ┆ 2     ┆ false   │
    │ 1           ┆ Xi    ┆ xi    ┆ 4     ┆ false   │
    │ 1           ┆ met   ┆ met   ┆ 7     ┆ false   │
    │ 1           ┆ Putin ┆ putin ┆ 11    ┆ false   │
    │ 1           ┆ ’s    ┆ 's    ┆ 16    ┆ true    │
    │ 1           ┆ aide  ┆ aide  ┆ 19    ┆ false   │
    └─────────────┴───────┴───────┴───────┴─────────┘
    >>> tokenize(docs)["sentence_id"].to_list()[-3:]  # "Mr." did not end the sentence
    [2, 2, 2]
    """
    pandas = is_pandas(docs)
    table = to_polars(docs, what="tokenize()'s docs")
    require_columns(table, ["doc_id", text_column], what="docs")
    stop = resolve_stopwords(stopwords, extra_stopwords)
    pairs = table.select("doc_id", text_column).iter_rows()
    if progress is None:
        progress = table.height > 2000
    if progress:
        from tqdm.auto import tqdm

        pairs = tqdm(pairs, total=table.height, desc="tokenize", unit="doc")
    doc_ids: list[str] = []
    sids: list[int] = []
    tids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for doc_id, text in pairs:
        if not text:
            continue
        n = 0
        for n, (sid, a, b) in enumerate(_doc_tokens(text), start=1):
            sids.append(sid)
            starts.append(a)
            ends.append(b)
            tids.append(n)
        doc_ids.extend([doc_id] * n)
    spans = pl.DataFrame(
        {"doc_id": doc_ids, "sentence_id": sids, "token_id": tids, "start": starts, "end": ends},
        schema={"doc_id": pl.String, "sentence_id": pl.UInt32, "token_id": pl.UInt32,
                "start": pl.UInt32, "end": pl.UInt32},
    )
    texts = table.select(pl.col("doc_id"), pl.col(text_column).alias("__text"))
    tokens = spans.join(texts, on="doc_id", how="left", maintain_order="left").with_columns(
        token=pl.col("__text").str.slice(pl.col("start"), pl.col("end") - pl.col("start"))
    )
    term = pl.col("token").str.replace_many(list(QUOTE_MAP), list(QUOTE_MAP.values()))
    if lowercase:
        term = term.str.to_lowercase()
    tokens = tokens.with_columns(term=term).with_columns(
        is_stop=pl.col("term").is_in(list(stop)) if stop else pl.lit(False),
        is_punct=pl.col("token").str.contains(PUNCT_PATTERN),
    )
    return as_kind(tokens.select(list(TOKEN_SCHEMA)), pandas)

