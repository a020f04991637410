"""Sentences and words with character offsets: the token store every other verb builds on.

A corpus is tokenised in one pass of compiled code (polars/Rust expressions), with no Python loop
per document, sentence or token:

- **Words** come from one pattern, :data:`TOKEN_PATTERN`, written so that Python's ``re`` and the
  Rust ``regex`` engine inside polars read it the same way (NLTK's ``RegexpTokenizer`` with this
  pattern gives the same tokens; tested). The pattern keeps initialisms (``U.S.``, ``e.g.``),
  numbers (``15.6``, ``1,000``, ``50%``) and hyphenated words (``four-and-a-half``) whole, splits
  clitics (``Russia’s`` -> ``Russia`` + ``’s``; ``didn't`` -> ``didn`` + ``'t``) and makes every
  other non-space character a token of its own.
- **Three words, one place**: a token of :data:`TOKEN_PATTERN` is the unit of analysis
  (counts, ``n_tokens`` of the timeline: tokens that are not punctuation); ``n_words`` of
  ``Corpus.docs`` counts :data:`WORD_COUNT_PATTERN` (:func:`word_count`); near-duplicate
  shingles are words of :data:`SHINGLE_WORD_PATTERN`. All three are defined here; each
  docstring says why the other two differ from a token (they are not one definition because
  their values are part of report pages and of near-duplicate decisions).
- **Offsets** come from matching ``\\s*`` plus a token: every non-space character belongs to a
  token, so the matches tile the text and the cumulative length of the matches is each token's
  ``end`` (``start = end - len(token)``).
- **Sentences** come from a rule-based splitter over the token table
  (:func:`analysis.tokens._sentences.sentence_starts`, rules in
  :data:`analysis.tokens._sentences.SENTENCE_RULES`).

:func:`analysis.tokens._store.token_store` returns the compact form (integer ids, offsets,
flags; strings once in a vocabulary table); :func:`tokenize` returns the tidy token table all
verbs accept. The text is never joined onto the token rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, Final

import polars as pl

from analysis.engine._codes import sort_codes
from analysis.engine._frames import as_kind, is_pandas, require_columns, to_polars
from analysis.engine._options import removed
from analysis.tokens._sentences import char_flags, sentence_starts
from analysis.tokens._stopwords import StopwordSpec, resolve_stopwords

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
"""The token pattern, the unit of analysis: the same tokens under Python ``re`` and polars
(Rust ``regex``). (``n_words`` and near-duplicate shingles count words otherwise, on purpose:
:data:`WORD_COUNT_PATTERN`, :data:`SHINGLE_WORD_PATTERN`.)

Alternatives are tried in order (leftmost-first in both engines). Text is NFC-normalised and
stripped of variation selectors by the loader; combining marks that survive NFC are the one
known difference between the engines (Rust's ``\\w`` includes them, Python's does not).
"""

WORD_COUNT_PATTERN = r"\w+(?:['’]\w+)*"
"""What ``n_words`` of ``Corpus.docs`` counts (:func:`word_count`): runs of word characters
with inner apostrophes, as a reader (or a word processor) counts words.

It differs from a :data:`TOKEN_PATTERN` word token in two ways: a clitic stays in its word
(``Russia’s`` is 1 word, 2 tokens) and hyphens, periods and commas inside a token split it
(``four-and-a-half`` 4 words, 1 token; ``U.S.``, ``15.6``, ``1,000`` 2 words, 1 token). On the
bundled article ``004_d9b8ad50303839cf`` that is 1,342 words against 1,350 word tokens (21
clitic tokens are no words; ten hyphenated words and one number make 13 words more).

It stays a second definition because ``n_words`` is counted by the loader in one regex pass
over the text, before and without any tokenisation (``load_corpus`` does not tokenise), and
its values are on the report pages (the corpus overview, the length histogram) and in the
loader's hand-worked fixtures: counting tokens instead would change them.
"""

SHINGLE_WORD_PATTERN = r"[^\W_]+"
"""A word of a near-duplicate shingle (:func:`analysis.copies._minhash.normalised_words`, after
NFKC and lower-casing): a run of letters and digits.

It differs from :data:`TOKEN_PATTERN` and :data:`WORD_COUNT_PATTERN` on purpose: every
apostrophe, hyphen, period, comma and underscore splits, and punctuation is dropped, so
copies of one story that differ only in typography (``Putin’s`` against ``Putin's``, ``‐``
against ``-``, ``U.S.`` against ``U.S``) have the same shingles. Its values decide which
documents are near-duplicates (MinHash signatures and the Jaccard threshold are over these
shingles), so it stays as it is: another word definition would change the duplicates found.
"""

ENGINE: Final = "in-memory"
"""The polars engine the tokenizer collects with: faster than the streaming default for the
token table, and much faster on small inputs (one text). Counting (group-bys) keeps the
default engine, which is faster there."""

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
"""Columns of :func:`tokenize` (a token table: one row per token)."""


_CLITIC_ALT = r"(?i:['’](?:s|re|ve|ll|d|m|t)\b)"
_CLITICS = frozenset({"s", "ſ", "re", "ve", "ll", "d", "m", "t"})
_SWALLOW_ALT = r"['’](?:[sSſ]|[rR][eE]|[vV][eE]|[lL][lL]|[dD]|[mM]|[tT])(?:\w+(?:[-‐]\w+)*)?"
if _CLITIC_ALT not in TOKEN_PATTERN:  # pragma: no cover - guards an edit of the pattern
    raise RuntimeError("TOKEN_PATTERN changed: update the clitic alternative in tokenize.py")
MATCH_PATTERN = TOKEN_PATTERN.replace(_CLITIC_ALT, _SWALLOW_ALT)
SCAN_PATTERN = r"\s*(?:" + MATCH_PATTERN + ")"
r"""What polars matches: white space, then a token of :data:`TOKEN_PATTERN`.

The clitic alternative has no ``\b`` here (Rust's fast engines give up on a Unicode word
boundary in non-ASCII text): a clitic swallows a following word (``'sorry``), and such a match
is split back into ``'`` and the word, which is what ``TOKEN_PATTERN`` gives there (tested
against Python's ``re``).
"""




def _spans(frame: pl.LazyFrame, text: pl.Expr) -> pl.LazyFrame:
    """``doc, token, start, end, nl`` (line breaks before the token), one row per token."""
    chunks = (
        frame.select("doc", chunk=text.str.extract_all(SCAN_PATTERN))
        .explode("chunk")
        .filter(pl.col("chunk").is_not_null())
        .with_columns(token=pl.col("chunk").str.strip_chars_start())
        .select(
            "doc",
            "token",
            end=pl.col("chunk").str.len_chars().cum_sum().over("doc").cast(pl.UInt32),
            tlen=pl.col("token").str.len_chars().cast(pl.UInt32),
            nl=pl.col("chunk").str.count_matches("\n", literal=True).cast(pl.UInt32),
        )
        .with_columns(start=pl.col("end") - pl.col("tlen"))
        .collect(engine=ENGINE)
    )
    tok = pl.col("token")
    flags = swallowed(chunks)
    if flags is None:  # the common case: nothing to split, no sort
        return chunks.lazy().select("doc", "token", "start", "end", "nl")
    chunks = chunks.with_row_index("__pos")
    common = chunks.filter(~flags).with_columns(__sub=pl.lit(0, dtype=pl.UInt32))
    split = (
        chunks.filter(flags)
        .with_columns(
            token=pl.concat_list(tok.str.slice(0, 1), tok.str.slice(1)),
            start=pl.concat_list("start", pl.col("start") + 1),
            end=pl.concat_list(pl.col("start") + 1, "end"),
            nl=pl.concat_list("nl", pl.lit(0, dtype=pl.UInt32)),
            __sub=pl.concat_list(pl.lit(0, dtype=pl.UInt32), pl.lit(1, dtype=pl.UInt32)),
        )
        .explode("token", "start", "end", "nl", "__sub")
    )
    return (pl.concat([common, split], how="diagonal")
            .sort("__pos", "__sub")
            .select("doc", "token", "start", "end", "nl")).lazy()


def swallowed(tokens: pl.DataFrame) -> pl.Series | None:
    """Flags of the tokens (column ``token``) a clitic swallowed (``'sorry``), None when there
    are none. The clitic check runs only on the tokens that start with an apostrophe.

    Examples
    --------
    >>> swallowed(pl.DataFrame({"token": ["'sorry", "’s", "'", "x"]})).to_list()
    [True, False, False, False]
    >>> swallowed(pl.DataFrame({"token": ["’S", "'re", "x"]})) is None
    True
    """
    tok = pl.col("token")
    at = tokens.select(pl.arg_where(tok.str.starts_with("'") | tok.str.starts_with("’")))
    if at.height == 0:
        return None
    rows = at.to_series()
    quoted = tokens["token"].gather(rows)
    hits = rows.filter((quoted.str.len_chars() > 1)
                       & ~quoted.str.slice(1).str.to_lowercase().is_in(list(_CLITICS)))
    if hits.len() == 0:
        return None
    return pl.repeat(False, tokens.height, dtype=pl.Boolean, eager=True).scatter(hits, True)


def _split_swallowed(tokens: pl.DataFrame) -> pl.DataFrame:
    """Split the tokens a clitic swallowed (``'sorry`` -> ``'`` + ``sorry``), order not kept."""
    tok = pl.col("token")
    flags = swallowed(tokens)
    if flags is None:
        return tokens
    split = tokens.filter(flags).with_columns(
        token=pl.concat_list(tok.str.slice(0, 1), tok.str.slice(1))).explode("token")
    return pl.concat([tokens.filter(~flags), split])


def term_of(token: pl.Expr, *, lowercase: bool) -> pl.Expr:
    """The ``term`` of a token: curly quotes straightened (:data:`QUOTE_MAP`), lower-cased
    when ``lowercase``. A function of the token's characters alone, so it can run once per
    distinct token.

    Examples
    --------
    >>> pl.select(term_of(pl.lit("’S"), lowercase=True)).item()
    "'s"
    """
    term = token.str.replace_many(list(QUOTE_MAP), list(QUOTE_MAP.values()))
    return term.str.to_lowercase() if lowercase else term


def scan_tokens(frame: pl.LazyFrame, text: pl.Expr, keys: list[str]) -> pl.DataFrame:
    """``keys`` and ``token`` for every token of ``text`` (no offsets, no sentences, rows not
    in text order): the tokens of :func:`tokenize`, for counting.

    Examples
    --------
    >>> docs = pl.LazyFrame({"d": [1], "text": ["Putin’s 'sorry"]})
    >>> scan_tokens(docs, pl.col("text"), ["d"])["token"].sort().to_list()
    ["'", 'Putin', 'sorry', '’s']
    """
    tokens = (frame.select(*keys, token=text.str.extract_all(MATCH_PATTERN))
              .explode("token").filter(pl.col("token").is_not_null()).collect())
    return _split_swallowed(tokens)


def _token_query(frame: pl.LazyFrame, text_column: str, lowercase: bool,
                 stop: frozenset[str]) -> pl.LazyFrame:
    """The token table of one slice of documents (``doc`` is the row number of the input).

    ``term``, ``is_stop`` and ``is_punct`` are functions of the token's characters: they are
    computed once per distinct token and gathered (not once per token)."""
    spans = _spans(frame, pl.col(text_column)).collect()
    codes, forms = sort_codes(spans["token"], runs=False)
    term = term_of(pl.col("token"), lowercase=lowercase)
    per_form = forms.to_frame("token").select(
        term=term,
        is_stop=term.is_in(sorted(stop)) if stop else pl.repeat(False, pl.len()),
        is_punct=pl.col("token").str.contains(PUNCT_PATTERN),
    )
    spans = spans.with_columns(per_form.select(pl.all().gather(codes)))
    return (
        sentence_starts(spans.lazy())
        .select(
            "doc",
            sentence_id=pl.col("__new").cum_sum().over("doc").cast(pl.UInt32),
            token_id=pl.int_range(1, pl.len() + 1, dtype=pl.UInt32).over("doc"),
            token="token",
            term="term",
            start="start",
            end="end",
            is_stop="is_stop",
            is_punct="is_punct",
        )
    )


def run_in_slices(frame: pl.DataFrame, query: Any, *, min_rows: int = 500,
                  engine: Any = "auto") -> pl.DataFrame:
    """Run ``query`` (LazyFrame -> LazyFrame) on row slices of ``frame`` in threads, in order.

    Polars runs a string function over one column chunk in one thread; slices let every core
    work (polars releases the GIL). Rows must be independent (documents never span slices).
    """
    from concurrent.futures import ThreadPoolExecutor

    workers = max(1, pl.thread_pool_size())
    parts = max(1, min(2 * workers, frame.height // min_rows))
    size = max(1, -(-frame.height // parts))
    slices = [frame.slice(i, size) for i in range(0, max(frame.height, 1), size)]
    if len(slices) == 1:
        return query(slices[0].lazy()).collect(engine=engine)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda piece: query(piece.lazy()).collect(engine=engine),
                                slices))
    return pl.concat(results)


def token_frame(table: pl.DataFrame, *, lowercase: bool, stop: frozenset[str],
                 text_column: str) -> pl.DataFrame:
    """The token table with ``doc`` (input row number) in place of ``doc_id`` (shared by
    :func:`tokenize` and :func:`analysis.tokens._store.token_store`)."""
    frame = table.select(pl.col(text_column).cast(pl.String)).rechunk().with_row_index("doc")
    return run_in_slices(frame, lambda part: _token_query(part, text_column, lowercase, stop),
                         engine=ENGINE)


@removed(progress="tokenize() runs in compiled code, in one pass, and shows no progress bar")
def tokenize(
    docs: Any,
    *,
    lowercase: bool = True,
    stopwords: StopwordSpec = "default",
    extra_stopwords: Iterable[str] = (),
    text_column: str = "text",
) -> Any:
    """Split documents into sentences and tokens: one row per token.

    Parameters
    ----------
    docs
        A :class:`~analysis.corpus._load.Corpus`, or a polars/pandas table with ``doc_id`` and
        ``text`` columns (``Corpus.docs``).
    lowercase
        Lower-case ``term`` (``token`` always keeps the original characters).
    stopwords
        ``"default"`` (the shipped list, see :mod:`analysis.tokens._stopwords`), ``"none"``, or
        your own
        list of words.
    extra_stopwords
        Words added to the stop-word list.
    text_column
        The column holding the text.

    ``progress=`` is gone (it had no effect: tokenising runs in compiled code, in one pass);
    for one release it is still accepted, with a DeprecationWarning.

    Returns
    -------
    DataFrame
        The same kind as the input (a Corpus gives polars), one row per token, in text order
        (a token table: it has no ``n`` column; see docs/engine.md):

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
    frame = token_frame(table, lowercase=lowercase, stop=stop, text_column=text_column)
    doc_ids = table.get_column("doc_id").cast(pl.String).rechunk()
    out = frame.with_columns(doc=doc_ids.gather(frame["doc"])).rename({"doc": "doc_id"})
    return as_kind(out.select(list(TOKEN_SCHEMA)), pandas)


def word_count(text: pl.Expr) -> pl.Expr:
    """The number of words of each text, as ``n_words`` of ``Corpus.docs`` counts them: matches
    of :data:`WORD_COUNT_PATTERN` (Int64; null for a null text).

    Examples
    --------
    The three word definitions on one text: ``n_words``, tokens (:data:`TOKEN_PATTERN`, all
    five are word tokens) and shingle words (:data:`SHINGLE_WORD_PATTERN`):

    >>> text = "Putin’s four-and-a-half U.S. 1,000"
    >>> pl.select(word_count(pl.lit(text))).item()
    9
    >>> re.findall(TOKEN_PATTERN, text)
    ['Putin', '’s', 'four-and-a-half', 'U.S.', '1,000']
    >>> re.findall(SHINGLE_WORD_PATTERN, text.lower())
    ['putin', 's', 'four', 'and', 'a', 'half', 'u', 's', '1', '000']
    """
    return text.str.count_matches(WORD_COUNT_PATTERN).cast(pl.Int64)


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Character spans of the sentences of ``text``
    (:data:`analysis.tokens._sentences.SENTENCE_RULES`).

    Examples
    --------
    >>> t = "Mr. Putin met the U.S. envoy. He left.\\nA headline\\nNext line."
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['Mr. Putin met the U.S. envoy.', 'He left.', 'A headline', 'Next line.']
    """
    if not text:
        return iter(())
    # one text: Python's cached ``re`` finds the tokens (compiling the pattern in polars for
    # every call would cost more than the work); the sentence rules are the same expressions
    matches = list(_WORD_RE.finditer(text))
    if not matches:
        return iter(())
    starts = [m.start() for m in matches]
    ends = [m.end() for m in matches]
    gaps = [0, *ends[:-1]]
    spans = pl.LazyFrame({
        "doc": pl.Series([0] * len(matches), dtype=pl.UInt32),
        "token": [m.group() for m in matches],
        "start": pl.Series(starts, dtype=pl.UInt32),
        "end": pl.Series(ends, dtype=pl.UInt32),
        "nl": pl.Series([text.count("\n", g, s) for g, s in zip(gaps, starts, strict=True)],
                        dtype=pl.UInt32),
        **dict(zip(("__upper", "__lower", "__letter"),
                   map(list, zip(*(char_flags(m.group()) for m in matches), strict=True)),
                   strict=True)),
    }).with_columns(term=pl.col("token").str.replace_many(list(QUOTE_MAP),
                                                          list(QUOTE_MAP.values())))
    table = sentence_starts(spans).select(
        sid=pl.col("__new").cum_sum(), start="start", end="end").collect(engine=ENGINE)
    bounds = table.group_by("sid", maintain_order=True).agg(pl.col("start").first(),
                                                              pl.col("end").last())
    return iter(zip(bounds["start"].to_list(), bounds["end"].to_list(), strict=True))


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` (:data:`TOKEN_PATTERN`, Python's ``re``).

    Examples
    --------
    >>> s = "Russia’s “no-limits” ties with the U.S. didn't end."
    >>> [s[a:b] for a, b in word_spans(s)]
    ['Russia', '’s', '“', 'no-limits', '”', 'ties', 'with', 'the', 'U.S.', 'didn', "'t", 'end', '.']
    """
    return [m.span() for m in _WORD_RE.finditer(text)]


_WORD_RE = re.compile(TOKEN_PATTERN)
