"""Clean a whole column of texts at once: :func:`clean_texts`, the loader's cleaning.

The result is exactly :func:`analysis.cleaning._text.clean_text` of every text (tested on the
bundled
and the 2022 corpus, the labelled texts and random messy text). Most of the work is polars
(Rust) string expressions over the whole column; Python runs only where a vectorised test says
it may be needed:

1. **Which texts go to Python whole** (:func:`clean_text`): texts with HTML structure, with
   something that may be an HTML entity (``&amp;``, ``&#8217;``), or with a character outside
   :data:`SAFE_CHARS`. Safe characters are those on which Python's ``re`` and polars' Rust
   ``regex`` agree (``\\w``, ``\\s``, ``\\d``, ``\\b``, case-insensitive ASCII letters), whose
   ``str.strip``/``str.lower`` agree with polars', that NFC leaves alone in any context, and
   that are not bidi controls or joiners: ASCII, Latin, Greek, Cyrillic and CJK letters, common
   punctuation, currency signs, symbols and emoji (``tests/corpus/test_columns.py`` checks
   every code point). Combining marks, joiners, superscript digits, bidi controls and the
   like send their text to Python.
2. **Steps 1-4 for the others** are plain character replacements (line ends, escaped line
   ends, wide spaces, invisible and control characters): NFC and entity decoding leave them
   unchanged, so polars gives the same text.
3. **Which lines a rule may touch**: a line rule is tried only on lines that contain one of its
   hints (one Aho-Corasick pass over all lines finds every hint) and whose stripped text its
   pattern matches with ``\\b`` left out (a superset of the lines it removes); a span rule
   likewise. The few lines that pass go through :func:`analysis.cleaning._text.clean_line` in
   Python, which decides exactly; every other line is only right-stripped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from analysis.cleaning._normalise import (
    CONTROL_CLASS,
    ESCAPED_EOL,
    INVISIBLE_CHARS,
    SPACE_CHARS,
    STRUCTURE_TAG,
)
from analysis.cleaning._rules import BOILERPLATE_RULES, BoilerplateRule, clean_line, compile_rules
from analysis.cleaning._text import clean_text

SAFE_CHARS = (
    "\\x00-\\x7f"  # ASCII (controls and CR are replaced like step 1 and 4 do)
    "\u00a0-\u00b1\u00b4-\u00b8\u00ba\u00bb\u00bf-\u012f\u0132-\u024f"  # Latin-1, Latin Ext.
    "\u02b0-\u02ff"  # modifier letters
    "\u0386\u0388-\u038a\u038c\u038e-\u03a1\u03a3-\u03ce"  # Greek letters
    "\u0400-\u0482\u048a-\u04ff"  # Cyrillic letters
    "\u2002-\u200b\u2010-\u2027\u202f-\u203e\u2041-\u2053\u2055-\u2060"  # punctuation
    "\u20a0-\u20c0\u2116\u2122\u2190-\u21ff\u2212"  # currency, No., TM, arrows, minus
    "\u2500-\u2775\u2794-\u27bf\u3000\u4e00-\u9fff\ufeff"  # symbols, dingbats, CJK
    "\U0001f1e6-\U0001f1ff"  # regional indicators (flags)
    "\U0001f300-\U0001f5ff\U0001f600-\U0001f64f\U0001f680-\U0001f6ff\U0001f900-\U0001f9ff"
)
"""The characters the column path handles itself (a regex class body); a text with any
other character is cleaned by :func:`analysis.cleaning._text.clean_text` (see the module
docstring)."""

_ENTITY = r"&(?:#[0-9]|#[xX][0-9a-fA-F]|[A-Za-z][A-Za-z0-9])"
"""Where ``html.unescape`` may change a text: every HTML5 entity name starts with a letter
followed by a letter or digit; numeric references start with a digit or ``x``."""


@dataclass(frozen=True)
class CleanedColumn:
    """What :func:`clean_texts` returns: one entry per input text, in input order."""

    text: pl.Series
    """The cleaned texts."""
    removed: pl.DataFrame
    """``row`` (0-based position of the text in the input), ``line``, ``text``, ``rule``: the
    records :func:`analysis.cleaning._text.clean_text` gives, in the same order."""
    html_stripped: pl.Series
    """Whether HTML markup was removed from each text."""


def without_word_boundaries(pattern: str) -> str:
    """``pattern`` with ``\\b`` and ``\\B`` left out: it matches wherever ``pattern`` does (and
    maybe more), and Rust's fast regex engines can run it on non-ASCII text.

    Examples
    --------
    >>> without_word_boundaries(r"\\bsign up\\b|a\\\\b[\\b]")
    'sign up|a\\\\\\\\b[\\\\b]'
    """
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            if pattern[i + 1] in "bB" and not in_class:
                i += 2
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def _prefilter(rule: BoilerplateRule) -> str:
    loose = without_word_boundaries(rule.pattern)
    return f"(?i)^(?:{loose})$" if rule.scope == "line" else f"(?i){loose}"


def column_rules(rules: Sequence[BoilerplateRule]) -> bool:
    """True when the column path can pre-check ``rules``: ASCII hints and no letter outside ASCII
    in the patterns (case folding differs between the engines). A pattern polars cannot compile
    sends every text to Python too (see :func:`clean_texts`)."""
    return all(
        all(h.isascii() for h in r.hints)
        and not any(not c.isascii() and c.lower() != c.upper() for c in r.pattern)
        for r in rules
    )


def needs_python(texts: pl.Series) -> pl.Series:
    """The texts :func:`clean_texts` gives to :func:`analysis.cleaning._text.clean_text` whole: HTML
    structure, a possible entity, or a character outside :data:`SAFE_CHARS`.

    Examples
    --------
    >>> needs_python(pl.Series(["Kyiv’s “talks” – €5", "<p>x</p>", "AT&amp;T", "x\\u0301",
    ...                         "AT&T and S&P"])).to_list()
    [False, True, True, True, False]
    """
    structure = STRUCTURE_TAG.pattern
    return texts.str.contains(f"[^{SAFE_CHARS}]|{_ENTITY}|(?i:{structure})").fill_null(False)


_REPLACED = f"[\r\\\\{SPACE_CHARS}{INVISIBLE_CHARS}{CONTROL_CLASS}]"
"""The characters steps 1-4 replace or remove in a safe text (a regex class)."""


def _classify(texts: pl.Series) -> tuple[pl.Series, pl.Series]:
    """``(needs_python(texts), has a character steps 1-4 replace)``: one pass over all texts
    finds the few that are either, the two tests then run on those only."""
    slow = pl.Series("slow", [False] * len(texts), dtype=pl.Boolean)
    fix = pl.Series("fix", [False] * len(texts), dtype=pl.Boolean)
    either = texts.str.contains(
        f"[^[{SAFE_CHARS}]--{_REPLACED}]|{_ENTITY}|(?i:{STRUCTURE_TAG.pattern})")
    index = either.fill_null(False).arg_true()
    if len(index):
        some = texts.gather(index)
        slow = slow.scatter(index, needs_python(some))
        fix = fix.scatter(index, some.str.contains(_REPLACED).fill_null(False))
    return slow, fix


def _prepare(texts: pl.Series, fix: pl.Series) -> pl.Series:
    """Steps 1-4 of cleaning for texts of safe characters only (no markup, no entities); only
    the texts marked in ``fix`` have a character to replace."""
    if not fix.any():
        return texts
    index = fix.arg_true()
    fixed = (
        texts.gather(index)
        .str.replace_all("\r\n", "\n", literal=True)
        .str.replace_all("\r", "\n", literal=True)
        .str.replace_all(ESCAPED_EOL, "\n")
        .str.replace_all(f"[{SPACE_CHARS}]", " ")
        .str.replace_all(f"[{INVISIBLE_CHARS}]|{CONTROL_CLASS}", "")
    )
    return texts.clone().scatter(index, fixed)


def _flagged_lines(lines: pl.DataFrame, rules: Sequence[BoilerplateRule]) -> pl.Series:
    """Indices ``li`` of the lines some rule may change (a superset; see the module docstring)."""
    hinted = [(h.lower(), k) for k, r in enumerate(rules) for h in r.hints]
    found = pl.DataFrame(schema={"li": pl.UInt32, "k": pl.Int64})
    if hinted:
        hints = sorted({h for h, _ in hinted})
        with_hint = lines.filter(pl.col("stripped") != "").select(
            "li", hint=pl.col("stripped").str.extract_many(
                hints, ascii_case_insensitive=True, overlapping=True).list.unique()
        ).filter(pl.col("hint").list.len() > 0).explode("hint").with_columns(
            pl.col("hint").str.to_lowercase())
        table = pl.DataFrame(hinted, schema={"hint": pl.String, "k": pl.Int64}, orient="row")
        found = with_hint.join(table, on="hint").select("li", "k").unique()
    by_rule = {key[0]: part["li"].sort() for key, part in found.partition_by("k", as_dict=True)
               .items()}
    flagged: list[pl.Series] = []
    for k, r in enumerate(rules):
        if r.hints and k not in by_rule:
            continue
        todo = lines.gather(by_rule[k]) if r.hints else lines  # li is the row number
        if not todo.height:
            continue
        target = "stripped" if r.scope == "line" else "text"
        hit = todo.filter(pl.col(target).str.contains(_prefilter(r)))
        if hit.height:
            flagged.append(hit["li"])
    if not flagged:
        return pl.Series("li", [], dtype=pl.UInt32)
    return pl.concat(flagged).unique()


def _lines(prepared: pl.Series, rows: pl.Series) -> pl.DataFrame:
    """The lines of prepared texts: ``row``, ``text``, ``line`` (from 1), ``li`` (the row number
    in this table), ``stripped``."""
    return (
        pl.DataFrame({"row": rows, "text": prepared.str.split("\n")})
        .explode("text")
        .with_columns(
            line=pl.int_range(pl.len(), dtype=pl.Int64).over("row") + 1,
            li=pl.int_range(pl.len(), dtype=pl.UInt32),
        )
        .with_columns(stripped=pl.col("text").str.strip_chars())
    )


def _finish(texts: pl.Series) -> pl.Series:
    """Lines right-stripped, blank-line runs folded, ends stripped (white space in prepared
    safe texts is only space, tab and line end)."""
    return texts.str.replace_all(r"[ \t]+\n", "\n").str.replace_all(r"\n{3,}", "\n\n") \
        .str.strip_chars()


def _column_path(
    series: pl.Series, slow: pl.Series, fix: pl.Series, rules: tuple[BoilerplateRule, ...],
    records: list[tuple[int, int, str, str]],
) -> tuple[pl.Series, pl.Series]:
    """The texts that are not ``slow``: their rows and cleaned texts; removal records appended
    to ``records``. Raises polars' ``ComputeError`` when a pattern is not valid in Rust."""
    rows = (~slow).arg_true().cast(pl.UInt32)
    whole = len(rows) == len(series)
    prepared = _prepare(series if whole else series.gather(rows),
                        fix if whole else fix.gather(rows))
    lines = _lines(prepared, rows)
    todo = lines.gather(_flagged_lines(lines, rules).sort())
    lines = lines.select("row", "text", "li")  # free the stripped copy
    changed: list[tuple[int, str | None]] = []
    compiled = compile_rules(rules)
    for li, row, number, line in todo.select("li", "row", "line", "text").iter_rows():
        out, gone, _ = clean_line(number, line, compiled)
        records.extend((row, k, t, rule) for k, t, rule in gone)
        changed.append((li, out))
    some = None
    if changed:  # texts with a changed line: joined again from their lines
        update = pl.DataFrame(changed, schema={"li": pl.UInt32, "out": pl.String},
                              orient="row").with_columns(flag=pl.lit(True))
        touched = todo.select("row").unique()
        some = lines.join(touched, on="row", how="semi") \
            .join(update, on="li", how="left", maintain_order="left") \
            .filter(pl.col("flag").is_null() | pl.col("out").is_not_null()) \
            .select("row", text=pl.when(pl.col("flag")).then("out")
                    .otherwise(pl.col("text").str.strip_chars_end())) \
            .group_by("row", maintain_order=True).agg(pl.col("text").str.join("\n"))
        some = some.join(touched, on="row", how="right").fill_null("")  # all lines removed: ""
    del lines, todo  # before the texts are finished: peak memory
    cleaned = _finish(prepared)
    if some is not None:
        cleaned = cleaned.scatter(rows.search_sorted(some["row"]), _finish(some["text"]))
    return rows, cleaned


def clean_texts(
    texts: pl.Series | Sequence[str | None],
    *,
    rules: tuple[BoilerplateRule, ...] | list[BoilerplateRule] = BOILERPLATE_RULES,
) -> CleanedColumn:
    """Clean a whole column of texts: :func:`analysis.cleaning._text.clean_text` of each, mostly as
    polars expressions over all texts and lines at once (a missing text counts as empty).

    Examples
    --------
    >>> out = clean_texts(["Body.\\nShare on Facebook", "Talks… [+12 chars]", "<p>a &amp; b</p>"])
    >>> out.text.to_list()
    ['Body.', 'Talks', 'a & b']
    >>> out.removed.rows()
    [(0, 2, 'Share on Facebook', 'share_prompt'), (1, 1, '… [+12 chars]', 'truncation_marker')]
    >>> out.html_stripped.to_list()
    [False, False, True]
    """
    series = texts if isinstance(texts, pl.Series) else pl.Series(list(texts), dtype=pl.String)
    series = series.cast(pl.String).fill_null("").rename("text")
    n = len(series)
    rules = tuple(rules)
    everything = pl.Series([True] * n, dtype=pl.Boolean)
    slow, fix = _classify(series) if column_rules(rules) else (everything, ~everything)
    records: list[tuple[int, int, str, str]] = []
    try:
        rows, cleaned = _column_path(series, slow, fix, rules, records)
    except pl.exceptions.ComputeError:  # a pattern polars' regex does not take: all in Python
        slow, records = everything, []
        rows, cleaned = _column_path(series, slow, fix, (), records)
    slow_rows = slow.arg_true()
    html: list[bool] = [False] * n
    slow_text: list[str] = []
    raw = series.gather(slow_rows).to_list() if len(slow_rows) else []
    for row, text in zip(slow_rows.to_list(), raw, strict=True):
        result = clean_text(text, rules=rules)
        records.extend((row, number, line, rule) for number, line, rule in result.removed)
        html[row] = result.html_stripped
        slow_text.append(result.text)
    if len(slow_rows):
        cleaned = pl.Series("text", [""] * n, dtype=pl.String) \
            .scatter(rows, cleaned).scatter(slow_rows, pl.Series(slow_text, dtype=pl.String))
    records.sort(key=lambda x: x[0])  # stable: each text's records stay in order
    removed = pl.DataFrame(
        records, schema={"row": pl.UInt32, "line": pl.Int64, "text": pl.String,
                         "rule": pl.String}, orient="row",
    )
    return CleanedColumn(text=cleaned.rename("text"), removed=removed,
                         html_stripped=pl.Series("html_stripped", html, dtype=pl.Boolean))
