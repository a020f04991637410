"""Sentence boundaries over a token table: rules instead of Punkt run per document.

:func:`sentence_starts` marks the first token of each sentence with polars expressions over the
whole token table (no Python loop per document or sentence);
:func:`analysis.tokens._tokenize.tokenize`
numbers the sentences from it. The rules are :data:`SENTENCE_RULES`.
"""

from __future__ import annotations

import unicodedata

import polars as pl

ABBREVIATIONS: frozenset[str] = frozenset(
    """mr mrs ms dr prof gen lt col maj capt sgt cpl adm gov sen rep rev fr hon pres st jr sr
    u.s u.k u.n u.s.a e.u u.a.e d.c a.m p.m e.g i.e etc vs v no. inc corp co ltd dept est
    jan feb mar apr jun jul aug sep sept oct nov dec mt ft approx fig vol pp""".replace("no.", "")
    .split()
)
"""Abbreviations after which a period does not end a sentence (Punkt's ``abbrev_types``)."""

TERMINALS = frozenset({".", "!", "?", "…"})
"""Tokens that can end a sentence."""
CLOSERS = frozenset({'"', "'", "”", "’", "»", ")", "]", "}"})
"""Tokens that stay with the sentence they follow when they touch its final punctuation."""
OPENERS = frozenset({'"', "'", "“", "‘", "«", "(", "[", "„"})
"""Tokens that can start a sentence besides an upper-case letter or a digit."""
WRAP_WIDTH = (50, 100)
"""Hard-wrapped text: lines of at least 50 characters in a document none of whose lines is
longer than 100 (wire archives wrap at 65-80)."""

SENTENCE_RULES = """\
A sentence ends
1. at a blank line (two or more line breaks), always;
2. at a single line break, unless the line before does not end with sentence punctuation and
   either the next line starts with a lower-case letter (hard-wrapped text continues) or the
   document is hard-wrapped (:data:`WRAP_WIDTH`) and the line before is long
   (``United\\nStates``); a short line without final punctuation followed by a capitalised line
   (a headline, a byline) always ends;
3. after ``.``, ``!``, ``?`` or ``…`` (with closing quotes or brackets that touch it) when white
   space and then an upper-case letter, a digit or an opening quote or bracket follow, unless
   the period follows an abbreviation of :data:`ABBREVIATIONS` or a single letter (an initial:
   ``John F. Kennedy``). Initialisms such as ``U.S.`` are one token and never end a sentence.
"""
"""The sentence splitter's rules, as documented in docs/engine.md."""


_UPPER, _LOWER, _LETTER = r"^[\p{Lu}\p{Lt}\p{Nd}]", r"^\p{Ll}", r"^\p{L}$"


def _flag_where(frame: pl.DataFrame, rows: pl.Expr, pattern: str, shift: int = 0) -> pl.Series:
    """True where ``rows`` holds and the token ``shift`` rows before matches ``pattern``: the
    regular expression runs on those rows only (a few percent of the tokens), not on all."""
    at = frame.select(pl.arg_where(rows)).to_series()
    hits = at.filter(frame["token"].gather(at - shift).str.contains(pattern))
    return pl.repeat(False, frame.height, dtype=pl.Boolean, eager=True).scatter(hits, True)


def sentence_starts(tokens: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``__new``: True for the first token of each sentence (:data:`SENTENCE_RULES`).

    ``tokens`` has ``doc, token, term, start, end, nl`` (line breaks before the token) in text
    order, and may carry the character-class flags of :func:`char_flags` (``__upper``,
    ``__lower``, ``__letter``); without them the classes are looked up only on the tokens a
    rule asks about (after a period, after a sentence end, after a line break). Each step is
    its own column (polars then computes each once).
    """
    doc, tok, nl = pl.col("doc"), pl.col("token"), pl.col("nl")
    given = "__upper" in tokens.collect_schema().names()
    prev_term = pl.col("term").shift(1)
    tokens = tokens.with_columns(__first=(doc != doc.shift(1)).fill_null(True)).with_columns(
        __touch=~pl.col("__first") & (pl.col("start") == pl.col("end").shift(1)),
        __line0=pl.when(pl.col("__first") | (nl > 0)).then(pl.col("start")).forward_fill())
    dot = (tok == ".") & pl.col("__touch")
    if given:
        tokens = tokens.with_columns(__abbr=dot & (
            prev_term.str.to_lowercase().is_in(list(ABBREVIATIONS)) | pl.col("__letter").shift(1)))
    else:  # the period follows an abbreviation or a single letter (an initial)
        frame = tokens.collect(engine="in-memory")
        at = frame.select(pl.arg_where(dot)).to_series()
        abbr = at.filter(frame["term"].gather(at - 1).str.to_lowercase()
                         .is_in(list(ABBREVIATIONS)))
        flags = _flag_where(frame, dot, _LETTER, shift=1).scatter(abbr, True)
        tokens = frame.with_columns(__abbr=flags).lazy()
    steps = [
        {"__term": tok.is_in(list(TERMINALS)) & ~pl.col("__abbr"),
         "__linelen": pl.col("end") - pl.col("__line0")},
        {"__close1": tok.is_in(list(CLOSERS)) & pl.col("__touch")
         & pl.col("__term").shift(1).fill_null(False),
         "__wrapped": pl.col("__linelen").max().over("doc") <= WRAP_WIDTH[1]},
        {"__ends": pl.col("__term") | pl.col("__close1")
         | (tok.is_in(list(CLOSERS)) & pl.col("__touch")
            & pl.col("__close1").shift(1).fill_null(False))},
        {"__prev_ends": pl.col("__ends").shift(1).fill_null(False) & ~pl.col("__first")},
    ]
    for step in steps:
        tokens = tokens.with_columns(**step)
    after_end = pl.col("__prev_ends") & ~pl.col("__touch")
    if not given:
        frame = tokens.collect(engine="in-memory")
        tokens = frame.with_columns(__upper=_flag_where(frame, after_end, _UPPER),
                                    __lower=_flag_where(frame, nl == 1, _LOWER)).lazy()
    hard_wrap = pl.col("__wrapped") & (pl.col("__linelen").shift(1) >= WRAP_WIDTH[0])
    continues = (nl == 1) & ~pl.col("__prev_ends") & (pl.col("__lower") | hard_wrap)
    new = (pl.col("__first") | (nl >= 2) | ((nl == 1) & ~continues)
           | (after_end & (pl.col("__upper") | tok.is_in(list(OPENERS)))))
    return tokens.with_columns(__new=new).drop(
        "__first", "__touch", "__line0", "__abbr", "__term", "__linelen", "__close1",
        "__wrapped", "__ends", "__prev_ends", "__upper", "__lower", "__letter", strict=False)


def char_flags(token: str) -> tuple[bool, bool, bool]:
    """``(__upper, __lower, __letter)`` of one token in Python, as :func:`sentence_starts`
    computes them in polars: starts with an upper-case/title-case letter or a digit; starts
    with a lower-case letter; is a single letter.

    Examples
    --------
    >>> char_flags("Kyiv"), char_flags("war"), char_flags("J"), char_flags("1")
    ((True, False, False), (False, True, False), (True, False, True), (True, False, False))
    """
    cat = unicodedata.category(token[0]) if token else ""
    return (cat in ("Lu", "Lt", "Nd"), cat == "Ll", len(token) == 1 and cat.startswith("L"))
