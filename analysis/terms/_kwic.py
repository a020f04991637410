"""Where exactly a word is used: keyword in context, and lexical dispersion.

Patterns are matched token by token (glob like ``russia*``, regular expressions, or fixed
strings); a pattern with spaces (``"security council"``, ``"xi *"``) matches that many
consecutive tokens, and a word the tokenizer splits (``"China's"`` is ``China`` + ``'s``) is
split the same way unless it holds a wildcard. Matching ignores case by default and always
treats curly and straight quotes alike.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, cast

import polars as pl

if TYPE_CHECKING:
    import altair as alt

from analysis.engine._batches import BATCH_ROWS, document_slices, document_starts, in_document_order
from analysis.engine._frames import Frame, require_columns, require_tokens, tidy, to_polars
from analysis.tokens._phrases import token_key
from analysis.tokens._tokenize import QUOTE_MAP, word_spans

_STRAIGHT_QUOTES = str.maketrans(QUOTE_MAP)  # curly quotes -> straight, as in `term`

ValueType = Literal["glob", "regex", "fixed"]


def _compile(element: str, valuetype: str, case_sensitive: bool) -> re.Pattern[str]:
    flags = 0 if case_sensitive else re.IGNORECASE
    if valuetype == "glob":
        return re.compile(fnmatch.translate(element), flags)
    if valuetype == "regex":
        return re.compile(element, flags)
    if valuetype == "fixed":
        return re.compile(re.escape(element) + r"\Z", flags)
    raise ValueError(f"valuetype must be 'glob', 'regex' or 'fixed', got {valuetype!r}")


def _split(pattern: str, valuetype: str) -> list[str]:
    """One pattern per token: split on white space; a glob or fixed word without wildcards is
    split further the way the tokenizer splits text (``"China's"`` -> ``China``, ``'s``)."""
    if valuetype == "regex":
        return pattern.split()
    out: list[str] = []
    for element in pattern.translate(_STRAIGHT_QUOTES).split():
        if valuetype == "glob" and any(ch in element for ch in "*?["):
            out.append(element)
        else:
            out.extend(element[a:b] for a, b in word_spans(element))
    return out


def _patterns(pattern: str | Iterable[str]) -> list[str]:
    items = [pattern] if isinstance(pattern, str) else list(pattern)
    if not items or not all(isinstance(p, str) and p.strip() for p in items):
        raise ValueError(f"pattern must be a non-empty string or list of strings, got {pattern!r}")
    return list(dict.fromkeys(items))


def _matches(
    batches: list[pl.DataFrame], patterns: list[str], valuetype: str, case_sensitive: bool
) -> list[tuple[str, list[pl.Series]]]:
    """For each pattern (those that split into at least one token pattern), the tokens as
    written that each of its token patterns matches.

    Each distinct token of the ``batches`` (:func:`_batches`) is matched once, on its key
    (quotes straightened), so the batches only look tokens up.
    """
    distinct = pl.concat([batch["token"].unique() for batch in batches]).unique()
    written = distinct.to_list()
    keys = distinct.to_frame("token").select(token_key(case_sensitive=True))["token"].to_list()
    found: list[tuple[str, list[pl.Series]]] = []
    for pattern in patterns:
        elements = _split(pattern, valuetype)
        if not elements:
            continue
        sets = []
        for element in elements:
            rx = _compile(element, valuetype, case_sensitive)
            search = rx.search if valuetype == "regex" else rx.match
            sets.append(pl.Series([w for w, k in zip(written, keys, strict=True) if search(k)],
                                  dtype=distinct.dtype))
        found.append((pattern, sets))
    return found


def _batches(table: pl.DataFrame) -> list[pl.DataFrame]:
    """``table`` (documents contiguous) as zero-copy slices of whole documents; an empty table
    is one (empty) batch."""
    return list(document_slices(table, rows=BATCH_ROWS)) or [table]


def _hits(batch: pl.DataFrame, matchers: list[tuple[str, list[pl.Series]]]) -> pl.DataFrame:
    """Every match in one batch of whole documents: ``first``, ``last`` (row indices in the
    batch), ``pattern``, and the first and last row of the match's document (``doc_start``,
    ``doc_end``), all Int64 but ``pattern``. A match never runs past its document's end."""
    import numpy as np

    n = batch.height
    firsts = document_starts(batch).arg_true().to_numpy().astype(np.int64)
    lasts = np.append(firsts[1:], n).astype(np.int64) - 1
    token = batch["token"]
    found: list[pl.DataFrame] = []
    for pattern, sets in matchers:
        hit = None
        for k, ok in enumerate(sets):
            this = token.is_in(ok.implode()).shift(-k, fill_value=False)
            hit = this if hit is None else hit & this
        rows = cast("pl.Series", hit).arg_true().to_numpy().astype(np.int64)
        doc = np.searchsorted(firsts, rows, side="right") - 1
        span = len(sets)
        keep = rows + span - 1 <= lasts[doc]
        rows, doc = rows[keep], doc[keep]
        found.append(pl.DataFrame({
            "first": rows, "last": rows + span - 1,
            "pattern": pl.Series([pattern] * len(rows), dtype=pl.String),
            "doc_start": firsts[doc], "doc_end": lasts[doc],
        }, schema=_HITS))
    return pl.concat(found) if found else pl.DataFrame(schema=_HITS)


_HITS = {"first": pl.Int64, "last": pl.Int64, "pattern": pl.String, "doc_start": pl.Int64,
         "doc_end": pl.Int64}


def _prepare(tokens: pl.DataFrame) -> pl.DataFrame:
    """The columns kwic and dispersion read, each document's rows contiguous and in text
    order (a tokenize() table already is: then nothing is copied)."""
    require_tokens(tokens, verb="kwic() and dispersion()")
    require_columns(tokens, ["doc_id", "token_id", "token", "start", "end"], what="tokens")
    table = tokens.select("doc_id", "token_id", "token", "start", "end")
    if not in_document_order(table, order=["start"]):
        table = table.sort("doc_id", "start", maintain_order=True)
    return table


_SPACE = re.compile(r"\s+")


def _texts(docs: pl.DataFrame, text_column: str, ids: pl.Series) -> dict[str, str]:
    """The texts of the documents ``ids`` (only those go to Python)."""
    wanted = docs.filter(pl.col("doc_id").is_in(ids.cast(docs.schema["doc_id"]).implode()))
    return dict(wanted.select("doc_id", text_column).iter_rows())


def _kwic_rows(batch: pl.DataFrame, hits: pl.DataFrame,
               schema: dict[str, pl.DataType | type[pl.DataType]], *, window: int,
               docs: pl.DataFrame | None, text_column: str) -> pl.DataFrame:
    """The :func:`kwic` rows (unsorted) of the matches ``hits`` in one batch: only the rows
    around the matches go to Python, not the whole batch."""
    rows: dict[str, list[Any]] = {c: [] for c in schema}
    if hits.height == 0:
        return pl.DataFrame(rows, schema=schema)
    texts = (_texts(docs, text_column, batch["doc_id"].gather(hits["first"]).unique())
             if docs is not None else None)
    span = hits.select(
        "first", "last", "pattern",
        lo=pl.max_horizontal("doc_start", pl.col("first") - window),
        hi=pl.min_horizontal("doc_end", pl.col("last") + window),
    )
    needed = span.select(pl.int_ranges("lo", pl.col("hi") + 1)).explode("lo")["lo"].unique()
    picked = batch.select("doc_id", "token", "start", "end", "token_id").gather(needed)
    at = {row: i for i, row in enumerate(needed.to_list())}
    doc, tok, start, end, tid = (picked[c].to_list() for c in picked.columns)
    for first, last, pat, lo, hi in span.iter_rows():
        f, la = at[first], at[last]
        if texts is not None:
            text = texts.get(doc[f])
            if text is None:
                raise ValueError(f"docs has no text for doc_id {doc[f]!r}")
            left = text[start[at[lo]]:start[f]] if lo < first else ""
            right = text[end[la]:end[at[hi]]] if hi > last else ""
            keyword = text[start[f]:end[la]]
        else:
            left = " ".join(tok[at[r]] for r in range(lo, first))
            right = " ".join(tok[at[r]] for r in range(last + 1, hi + 1))
            keyword = " ".join(tok[at[r]] for r in range(first, last + 1))
        rows["doc_id"].append(doc[f])
        rows["token_id"].append(tid[f])
        rows["pattern"].append(pat)
        rows["left"].append(_SPACE.sub(" ", left).strip())
        rows["keyword"].append(keyword)
        rows["right"].append(_SPACE.sub(" ", right).strip())
        rows["start"].append(start[f])
        rows["end"].append(end[la])
    return pl.DataFrame(rows, schema=schema)


@tidy
def kwic(
    tokens: Frame,
    pattern: str | Iterable[str],
    *,
    docs: Any = None,
    window: int = 5,
    valuetype: ValueType = "glob",
    case_sensitive: bool = False,
    text_column: str = "text",
) -> Frame:
    """Keyword in context: every match of ``pattern`` with ``window`` tokens either side.

    Parameters
    ----------
    tokens
        The token table of :func:`analysis.tokenize` (or :func:`analysis.tokens._phrases.compound`).
    pattern
        A pattern or a list of patterns. Each is split on white space into one pattern per
        token, so ``"security council"`` matches two consecutive tokens.
    docs
        The documents (a :class:`~analysis.corpus._load.Corpus` or a table with ``doc_id`` and
        ``text``). With them, ``left``/``keyword``/``right`` are cut from the original text;
        without them, they are the tokens joined by single spaces.
    window
        Tokens shown on each side (punctuation tokens count; the window stops at the
        document's edges, not at sentence ends).
    valuetype
        ``"glob"`` (default; ``*`` any characters, ``?`` one character, the whole token must
        match), ``"regex"`` (Python regular expression, found anywhere in the token unless
        anchored with ``^``/``$``), ``"fixed"`` (the whole token, literally).
    case_sensitive
        Match case exactly (default: ignore case).
    text_column
        The text column of ``docs``.

    Returns
    -------
    DataFrame
        One row per match, sorted by ``doc_id``, ``start`` and ``pattern``:

        - ``doc_id``;
        - ``token_id``: the first matched token;
        - ``pattern``: the pattern that matched;
        - ``left``: the context before the match (white space runs shown as one space);
        - ``keyword``: the match; with ``docs``, exactly ``text[start:end]``;
        - ``right``: the context after the match;
        - ``start``, ``end``: character offsets of the match in the document text.

    Examples
    --------
    >>> import polars as pl
    >>> import analysis
    >>> docs = pl.DataFrame({"doc_id": ["a"],
    ...     "text": ["Putin met Xi Jinping in Beijing; Xi  Jinping smiled."]})
    >>> toks = analysis.tokenize(docs)
    >>> kwic(toks, "xi jinping", docs=docs, window=2).select("left", "keyword", "right", "start")
    shape: (2, 4)
    ┌───────────┬─────────────┬────────────┬───────┐
    │ left      ┆ keyword     ┆ right      ┆ start │
    │ ---       ┆ ---         ┆ ---        ┆ ---   │
    │ str       ┆ str         ┆ str        ┆ u32   │
    ╞═══════════╪═════════════╪════════════╪═══════╡
    │ Putin met ┆ Xi Jinping  ┆ in Beijing ┆ 10    │
    │ Beijing;  ┆ Xi  Jinping ┆ smiled.    ┆ 33    │
    └───────────┴─────────────┴────────────┴───────┘
    >>> kwic(toks, "bei*", window=2)["right"].to_list()  # without docs: tokens joined
    ['; Xi']
    """
    if not isinstance(window, int) or window < 0:
        raise ValueError(f"window must be a non-negative integer, got {window!r}")
    if valuetype not in ("glob", "regex", "fixed"):
        raise ValueError(f"valuetype must be 'glob', 'regex' or 'fixed', got {valuetype!r}")
    patterns = _patterns(pattern)
    table = _prepare(cast("pl.DataFrame", tokens))  # @tidy hands the body a polars DataFrame
    batches = _batches(table)
    matchers = _matches(batches, patterns, valuetype, case_sensitive)
    doc_table = None
    if docs is not None:
        doc_table = to_polars(docs, what="kwic()'s docs")
        require_columns(doc_table, ["doc_id", text_column], what="docs")
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        "doc_id": table.schema["doc_id"], "token_id": table.schema["token_id"],
        "pattern": pl.String, "left": pl.String, "keyword": pl.String,
        "right": pl.String, "start": table.schema["start"], "end": table.schema["end"]}
    # matches never cross documents: one batch of whole documents at a time
    parts = [_kwic_rows(batch, _hits(batch, matchers), schema, window=window, docs=doc_table,
                        text_column=text_column) for batch in batches]
    return pl.concat(parts).sort("doc_id", "start", "pattern")


@tidy
def dispersion(
    tokens: Frame,
    terms: str | Iterable[str],
    *,
    valuetype: ValueType = "glob",
    case_sensitive: bool = False,
) -> Frame:
    """Where in each document the given terms occur: one row per occurrence.

    Parameters
    ----------
    tokens
        The token table of :func:`analysis.tokenize` (all tokens, so that positions are
        positions in the running text).
    terms
        Terms or patterns, matched as in :func:`kwic` (multi-word patterns allowed).
    valuetype, case_sensitive
        As in :func:`kwic`.

    Returns
    -------
    DataFrame
        Sorted by ``term``, ``doc_id`` and ``token_id``:

        - ``doc_id``;
        - ``term``: the pattern as given;
        - ``token_id``: the position of the (first) matched token, from 1;
        - ``n_tokens``: the document's length in tokens (its largest ``token_id``);
        - ``position``: ``(token_id - 1) / n_tokens``, from 0 (the first token) to just
          below 1 (the last), so documents of any length share one axis.

    Examples
    --------
    >>> import polars as pl
    >>> import analysis
    >>> toks = analysis.tokenize(pl.DataFrame({"doc_id": ["a"], "text": ["Xi met Putin and Xi"]}))
    >>> dispersion(toks, ["xi", "putin"]).select("term", "token_id", "position")
    shape: (3, 3)
    ┌───────┬──────────┬──────────┐
    │ term  ┆ token_id ┆ position │
    │ ---   ┆ ---      ┆ ---      │
    │ str   ┆ u32      ┆ f64      │
    ╞═══════╪══════════╪══════════╡
    │ putin ┆ 3        ┆ 0.4      │
    │ xi    ┆ 1        ┆ 0.0      │
    │ xi    ┆ 5        ┆ 0.8      │
    └───────┴──────────┴──────────┘
    """
    if valuetype not in ("glob", "regex", "fixed"):
        raise ValueError(f"valuetype must be 'glob', 'regex' or 'fixed', got {valuetype!r}")
    patterns = _patterns(terms)
    table = _prepare(cast("pl.DataFrame", tokens))  # @tidy hands the body a polars DataFrame
    batches = _batches(table)
    matchers = _matches(batches, patterns, valuetype, case_sensitive)
    # matches never cross documents: one batch of whole documents at a time
    out = pl.concat([_dispersion_rows(batch, _hits(batch, matchers)) for batch in batches])
    return out.sort("term", "doc_id", "token_id")


def _dispersion_rows(batch: pl.DataFrame, hits: pl.DataFrame) -> pl.DataFrame:
    """The :func:`dispersion` rows (unsorted) of the matches ``hits`` in one batch."""
    import numpy as np

    token_id = batch["token_id"]
    firsts = document_starts(batch).arg_true().cast(pl.Int64)
    # each document's length: its largest token_id, taken per document from the batch
    longest = (pl.Series(np.maximum.reduceat(token_id.to_numpy(), firsts.to_numpy()))
               if batch.height else token_id.head(0))
    doc = firsts.search_sorted(hits["doc_start"])  # the match's document among the batch's
    return pl.DataFrame({
        "doc_id": batch["doc_id"].gather(hits["first"]),
        "term": hits["pattern"],
        "token_id": token_id.gather(hits["first"]),
        "n_tokens": longest.gather(doc).cast(pl.Int64),
    }).with_columns(position=(pl.col("token_id").cast(pl.Float64) - 1.0) / pl.col("n_tokens"))


def plot_dispersion(table: Frame, *, labels: Frame | None = None, max_docs: int = 25) -> alt.Chart:
    """Lexical dispersion plot: a tick for every occurrence, one row per document and term.

    Parameters
    ----------
    table
        :func:`dispersion` output.
    labels
        Optional table with ``doc_id`` and ``label`` (e.g. titles) shown instead of doc ids.
    max_docs
        Show only the documents with the most occurrences (ties broken by ``doc_id``); the
        title says how many documents were left out.

    Returns
    -------
    alt.Chart
        x: relative position in the document (0 = start, 1 = end); y: document; one panel row
        per term; tooltips show document, term, token position and document length.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"doc_id": ["a"], "term": ["xi"], "token_id": [3], "n_tokens": [10],
    ...                   "position": [0.2]})
    >>> type(plot_dispersion(t)).__name__
    'FacetChart'
    """
    import altair as alt

    data = to_polars(table, what="plot_dispersion()'s table")
    require_columns(data, ["doc_id", "term", "token_id", "n_tokens", "position"],
                    what="dispersion table")
    y_field = "doc_id"
    if labels is not None:
        lab = to_polars(labels, what="labels")
        require_columns(lab, ["doc_id", "label"], what="labels")
        data = data.join(lab.select("doc_id", "label").unique("doc_id"), on="doc_id",
                         how="left").with_columns(pl.col("label").fill_null(pl.col("doc_id")))
        y_field = "label"
    per_doc = data.group_by("doc_id").agg(hits=pl.len())
    shown = per_doc.sort(["hits", "doc_id"], descending=[True, False]).head(max_docs)["doc_id"]
    title = "Lexical dispersion"
    if per_doc.height > shown.len():
        title += f" (the {shown.len()} of {per_doc.height} documents with most occurrences)"
    data = data.filter(pl.col("doc_id").is_in(shown.implode())).sort("term", "doc_id", "token_id")
    return alt.Chart(data).mark_tick(thickness=2).encode(
        x=alt.X("position:Q", scale=alt.Scale(domain=[0, 1]),
                title="position in document (0 = start, 1 = end)"),
        y=alt.Y(f"{y_field}:N", title=None),
        color=alt.Color("term:N", legend=None),
        tooltip=[alt.Tooltip("doc_id:N"), alt.Tooltip("term:N"),
                 alt.Tooltip("token_id:Q", title="token"),
                 alt.Tooltip("n_tokens:Q", title="tokens in document"),
                 alt.Tooltip("position:Q", format=".3f")],
    ).properties(width=480, height=alt.Step(16)).facet(
        row=alt.Row("term:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left"))
    ).properties(title=title)
