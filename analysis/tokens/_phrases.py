"""Multi-word expressions ("Security Council") joined into one token: :func:`compound`.

:func:`phrase_keys` and :func:`token_key` give the keys phrases and tokens are matched on
(also by :func:`analysis.terms._kwic.kwic`). The output is a token table (``doc_id, sentence_id,
token_id, token, term, start, end, is_stop, is_punct``), so every token verb works on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import polars as pl

from analysis.engine._batches import document_slices, in_text_order
from analysis.engine._frames import Frame, require_columns, require_tokens, tidy
from analysis.tokens._tokenize import QUOTE_MAP, TOKEN_SCHEMA, word_spans

_STRAIGHT_QUOTES = str.maketrans(QUOTE_MAP)  # curly quotes -> straight, as in `term`

_TOKEN_COLUMNS = list(TOKEN_SCHEMA)


def phrase_keys(phrase: str, *, case_sensitive: bool = False) -> tuple[str, ...]:
    """Split a phrase into the token keys :func:`compound` and ``kwic`` match on.

    The phrase is split with the tokenizer's own pattern, curly quotes are straightened and,
    unless ``case_sensitive``, it is lower-cased.

    Examples
    --------
    >>> phrase_keys("U.S. Security  Council")
    ('u.s.', 'security', 'council')
    """
    text = phrase.translate(_STRAIGHT_QUOTES)
    keys = tuple(text[a:b] for a, b in word_spans(text))
    return keys if case_sensitive else tuple(k.lower() for k in keys)


def token_key(*, case_sensitive: bool = False) -> pl.Expr:
    """The expression giving each token's match key (quotes straightened, maybe lower-cased)."""
    key = pl.col("token").str.replace_many(list(QUOTE_MAP), list(QUOTE_MAP.values()))
    return key if case_sensitive else key.str.to_lowercase()


@tidy
def compound(
    tokens: Frame,
    phrases: Iterable[str],
    *,
    sep: str = " ",
    case_sensitive: bool = False,
) -> Frame:
    """Join multi-word expressions ("Xi Jinping", "Security Council") into single tokens.

    Parameters
    ----------
    tokens
        The token table of :func:`analysis.tokenize`.
    phrases
        The expressions, as plain text; each is split with the tokenizer's pattern, so
        ``"U.S. Congress"`` is two tokens and ``"Russia’s army"`` three.
    sep
        Joins the component tokens and terms (``"_"`` gives quanteda-style ``xi_jinping``).
    case_sensitive
        Match the tokens' exact case (default: ignore case; quotes are always straightened).

    Returns
    -------
    DataFrame
        ``tokens`` with every match replaced by one row, in text order. Matches are found left
        to right, the longest phrase first, without overlaps, and never across sentences. The
        joined row keeps the first component's ``doc_id``, ``sentence_id``, ``token_id`` and
        other columns, and has:

        - ``token``, ``term``: the components joined by ``sep``;
        - ``start``: start of the first component, ``end``: end of the last, so
          ``text[start:end]`` is the whole expression as written;
        - ``is_stop``, ``is_punct``: ``False``.

        ``token_id`` values of the absorbed tokens disappear (ids keep their meaning as
        positions in the original token sequence).

    Examples
    --------
    >>> import polars as pl
    >>> import analysis
    >>> text = "Xi Jinping met the UN Security Council."
    >>> toks = analysis.tokenize(pl.DataFrame({"doc_id": ["a"], "text": [text]}))
    >>> out = compound(toks, ["xi jinping", "Security Council"])
    >>> out.select("token_id", "term", "start", "end").head(5)
    shape: (5, 4)
    ┌──────────┬──────────────────┬───────┬─────┐
    │ token_id ┆ term             ┆ start ┆ end │
    │ ---      ┆ ---              ┆ ---   ┆ --- │
    │ u32      ┆ str              ┆ u32   ┆ u32 │
    ╞══════════╪══════════════════╪═══════╪═════╡
    │ 1        ┆ xi jinping       ┆ 0     ┆ 10  │
    │ 3        ┆ met              ┆ 11    ┆ 14  │
    │ 4        ┆ the              ┆ 15    ┆ 18  │
    │ 5        ┆ un               ┆ 19    ┆ 21  │
    │ 6        ┆ security council ┆ 22    ┆ 38  │
    └──────────┴──────────────────┴───────┴─────┘
    >>> text[22:38]
    'Security Council'
    """
    tokens = cast("pl.DataFrame", tokens)  # @tidy hands the body a polars DataFrame
    require_tokens(tokens, verb="compound()")
    require_columns(tokens, _TOKEN_COLUMNS, what="tokens")
    if isinstance(phrases, str):
        phrases = [phrases]
    keyed = sorted(
        {k for p in phrases if (k := phrase_keys(p, case_sensitive=case_sensitive))},
        key=lambda k: (-len(k), k),
    )
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for k in keyed:
        by_first.setdefault(k[0], []).append(k)
    table = tokens if in_text_order(tokens) else tokens.sort("doc_id", "token_id",
                                                                 maintain_order=True)
    if not by_first or table.height == 0:
        return table
    # phrases never cross documents: join them a slice of whole documents at a time, so the
    # Python lists below hold one slice (memory), not the whole token table
    parts = [_compound_slice(part, by_first, sep, case_sensitive)
             for part in document_slices(table, rows=COMPOUND_ROWS)]
    return pl.concat(parts) if len(parts) > 1 else parts[0]


COMPOUND_ROWS = 500_000
"""Token rows :func:`compound` joins at a time (cut at document boundaries)."""


def _compound_slice(table: pl.DataFrame, by_first: dict[str, list[tuple[str, ...]]], sep: str,
                    case_sensitive: bool) -> pl.DataFrame:
    """:func:`compound` on ``table`` (whole documents, sorted by doc_id and token_id).

    Only the rows whose key starts a phrase are visited in Python; the table is rebuilt with
    column operations.
    """
    key = table.select(token_key(case_sensitive=case_sensitive))["token"]
    starts = table.select(pl.arg_where(key.is_in(list(by_first)))).to_series().to_list()
    if not starts:
        return table
    keys = key.to_list()
    docs = table["doc_id"].to_list()
    sents = table["sentence_id"].to_list()
    size = table.height
    matches: list[tuple[int, int]] = []
    done = 0
    for i in starts:
        if i < done:
            continue
        for cand in by_first[keys[i]]:
            j = i + len(cand)
            if (j <= size and tuple(keys[i:j]) == cand
                    and docs[j - 1] == docs[i] and sents[j - 1] == sents[i]):
                if len(cand) > 1:  # a one-word "phrase" leaves the token as it is
                    matches.append((i, j))
                    done = j
                break
    if not matches:
        return table
    tok = table["token"]
    term = table["term"]
    rows = [i for i, _ in matches]
    absorbed = [r for i, j in matches for r in range(i + 1, j)]
    joined = pl.Series([False] * size).scatter(rows, True)
    keep = pl.Series([True] * size).scatter(absorbed, False)
    out = table.with_columns(
        token=tok.scatter(rows, [sep.join(tok.slice(i, j - i).to_list()) for i, j in matches]),
        term=term.scatter(rows, [sep.join(term.slice(i, j - i).to_list()) for i, j in matches]),
        end=table["end"].scatter(rows, table["end"].gather([j - 1 for _, j in matches])),
        is_stop=pl.col("is_stop") & ~joined,
        is_punct=pl.col("is_punct") & ~joined,
    )
    return out.filter(keep)
