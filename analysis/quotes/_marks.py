"""Quote marks: pair them into quoted stretches of a text (any common style, across paragraphs).

Double quotes are paired first: straight ``"..."``, curly ``“...”``, guillemets ``«...»`` and
German ``„...“``. A paragraph that opens a quote and never closes it continues into the next
paragraph when that one opens with a quote mark (the English convention for multi-paragraph
quotations); otherwise the quote ends with its paragraph. Single quotes (British ``‘...’``,
straight ``'...'``) are paired outside double quotes only, and only where they cannot be
apostrophes: an opening mark at the start of a word, a closing mark after a non-space and not
followed by a letter ("Russia’s", "don’t" and "’90s" are never quote marks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

DOUBLE_OPEN = "“«„"
DOUBLE_CLOSE = "”»"
ANY_MARK = "\"'“”‘’«»„‚"
QUOTE_CHARS = r"[\"“”«»„]|(?:^|\W)['‘]\w"
"""Regex: a text may contain a quotation (used to skip texts without any)."""


@dataclass(frozen=True)
class Quoted:
    """A quoted stretch: ``open``/``close`` are the mark offsets, ``start:end`` the words."""

    open: int
    close: int
    start: int
    end: int
    double: bool
    paragraphs: int = 1


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] == ","):
        b -= 1
    return a, b


def _straight_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:") and not after.isspace()


def _next_paragraph_opener(text: str, i: int) -> int | None:
    """Offset of the opening mark that starts the paragraph after ``i`` (a newline), if any."""
    m = re.compile(r"\n\s*").match(text, i)
    j = m.end() if m else i
    if j < len(text) and text[j] in DOUBLE_OPEN + '"':
        return j
    return None


_DOUBLE_MARKS = re.compile("[" + re.escape(DOUBLE_OPEN + DOUBLE_CLOSE + '"') + "\n]")


def double_quotes(text: str) -> list[Quoted]:
    """Pairs of double quote marks in ``text``.

    Examples
    --------
    >>> t = 'He said: “We are open,” and „ja“ and "no" and «oui».'
    >>> [t[q.start:q.end] for q in double_quotes(t)]
    ['We are open', 'ja', 'no', 'oui']
    >>> t = "“First paragraph.\\n\\n“Second one.”\\nAfter."
    >>> [(t[q.start:q.end], q.paragraphs) for q in double_quotes(t)]
    [('First paragraph.\\n\\n“Second one.', 2)]
    """
    out: list[Quoted] = []
    opened: int | None = None
    opener = ""
    paragraphs = 1
    i = 0
    n = len(text)
    while i < n:
        mark = _DOUBLE_MARKS.search(text, i)  # every other character leaves the state as it is
        if mark is None:
            break
        i = mark.start()
        ch = text[i]
        if opened is None:
            if ch in DOUBLE_OPEN or (ch == '"' and _straight_opens(text, i)):
                opened, opener, paragraphs = i, ch, 1
        elif ch in DOUBLE_CLOSE or ch == '"' or (ch == "“" and opener == "„"):
            a, b = _trim(text, opened + 1, i)
            if b > a:
                out.append(Quoted(opened, i + 1, a, b, True, paragraphs))
            opened = None
        elif ch == "\n":
            nxt = _next_paragraph_opener(text, i)
            if nxt is not None:
                paragraphs += 1
                i = nxt + 1
                continue
            a, b = _trim(text, opened + 1, i)
            if b > a:
                out.append(Quoted(opened, i, a, b, True, paragraphs))
            opened = None
        i += 1
    if opened is not None:
        a, b = _trim(text, opened + 1, n)
        if b > a:
            out.append(Quoted(opened, n, a, b, True, paragraphs))
    return out


_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–\-/:“\"]))['‘](?=\w)", re.MULTILINE)
_SINGLE_CLOSE = re.compile(r"(?<=[^\s])['’](?![\w])")


def single_quotes(text: str, taken: list[Quoted]) -> list[Quoted]:
    """Pairs of single quote marks outside the double-quoted stretches ``taken``.

    Examples
    --------
    >>> t = "Russia’s ‘special operation’ isn’t the ’90s. He said: 'We left.'"
    >>> [t[q.start:q.end] for q in single_quotes(t, [])]
    ['special operation', 'We left.']
    """
    inside = [(q.open, q.close) for q in taken]

    def free(i: int) -> bool:
        return not any(a <= i < b for a, b in inside)

    out: list[Quoted] = []
    pos = 0
    for m in _SINGLE_OPEN.finditer(text):
        i = m.start()
        if i < pos or not free(i):
            continue
        line_end = text.find("\n", i)
        line_end = len(text) if line_end < 0 else line_end
        close = _SINGLE_CLOSE.search(text, i + 2, min(line_end, i + 400))
        if close is None or not free(close.start()):
            continue
        a, b = _trim(text, i + 1, close.start())
        if b > a:
            out.append(Quoted(i, close.end(), a, b, False))
            pos = close.end()
    return out


def quoted_stretches(text: str) -> list[Quoted]:
    """All quoted stretches of ``text`` (double, then single outside them), in text order.

    Examples
    --------
    >>> t = "“We do not accept pressure,” said Wang. Talks on ‘peace’ went on."
    >>> [t[q.start:q.end] for q in quoted_stretches(t)]
    ['We do not accept pressure', 'peace']
    """
    doubles = double_quotes(text)
    return sorted(doubles + single_quotes(text, doubles), key=lambda q: q.open)


def may_quote(docs: pl.DataFrame) -> pl.Series:
    """Boolean per document: the text has a quote mark or a speech cue worth parsing (vectorised).

    Examples
    --------
    >>> d = pl.DataFrame({"text": ["No quotes here.", "He said so.", "A “term”.", None]})
    >>> may_quote(d).to_list()
    [False, True, True, False]
    """
    cue = r"(?i)\b(?:said|says|told|according to|added|reported|warned|announced|claimed)\b"
    text = pl.col("text").fill_null("")
    return docs.select(
        (text.str.contains(QUOTE_CHARS) | text.str.contains(cue)).alias("may_quote")
    ).to_series()
