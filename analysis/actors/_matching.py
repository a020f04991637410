"""Actor matching: the per-batch functions behind :func:`analysis.actors`.

An alias is the token sequence it must match (:func:`alias_key`). A batch of whole documents of
a token table is cut into matching units (tokens, hyphenated ones split at the hyphen) and every
alias is found with one join per alias length (:func:`match_batch`). The context rules that
need only the batch are applied to its candidates at once (:func:`batch_rules`); so are the
valid periods (:func:`in_period`) and the overlap resolution (:func:`select_matches`: matches
never cross a sentence), except in the few sentences where a capitalised-neighbour rule needs
the whole corpus (which words occur in lower case anywhere): :func:`analysis.actors` settles
those once every batch has been seen.
"""

from __future__ import annotations

import itertools
import re
from typing import Any, NamedTuple

import polars as pl

from analysis.engine._frames import require_columns, to_polars
from analysis.tokens._tokenize import QUOTE_MAP, word_spans

_HYPHEN_PART = re.compile(r"[^-‐]+")
_SEP = "\x1f"

def _quote_table() -> dict[int, str]:
    return str.maketrans(QUOTE_MAP)


def _parts(text: str, start: int, split_hyphens: bool) -> list[tuple[str, int, int]]:
    """A token as matching units ``(normalised text, start, end)``: split at inner hyphens."""
    norm = text.translate(_quote_table())
    if split_hyphens and len(norm) > 1 and ("-" in norm or "‐" in norm):
        found = [(m.group(), start + m.start(), start + m.end())
                 for m in _HYPHEN_PART.finditer(norm)]
        if found:
            return found
    return [(norm, start, start + len(text))]


def alias_key(alias: str, *, split_hyphens: bool = True) -> tuple[str, ...]:
    """The token sequence an alias must match (the tokenizer's words, hyphens split).

    Examples
    --------
    >>> alias_key("People’s Republic of China")
    ('People', "'s", 'Republic', 'of', 'China')
    >>> alias_key("Kim Jong-un"), alias_key("U.S.")
    (('Kim', 'Jong', 'un'), ('U.S.',))
    """
    out: list[str] = []
    for a, b in word_spans(alias):
        out.extend(p for p, _, _ in _parts(alias[a:b], a, split_hyphens))
    return tuple(out)


def _units(t: pl.DataFrame, split_hyphens: bool) -> pl.DataFrame:
    """One row per matching unit (a token, or a part of a hyphenated token) of the sorted
    tokens ``t``: ``tr`` (the token's row in ``t``), ``u`` (the position in the sentence)."""
    t = t.with_row_index("tr").with_columns(norm=pl.col("token").str.replace_many(QUOTE_MAP))
    if split_hyphens:
        dash = pl.col("norm").str.contains("-", literal=True) \
            | pl.col("norm").str.contains("‐", literal=True)
        split = t.filter(dash).filter(
            (pl.col("norm").str.len_chars() > 1) & pl.col("norm").str.contains("[^-‐]")
        )
        if split.height:
            plen = pl.col("norm").str.len_chars().cast(pl.UInt32)
            step = (plen + 1).cum_sum() - (plen + 1)
            first = (pl.col("tr") != pl.col("tr").shift(1)).fill_null(True)
            split = split.with_columns(
                norm=pl.col("norm").str.replace_all("‐", "-", literal=True).str.split("-")
            ).explode("norm").with_columns(
                offset=step - pl.when(first).then(step).forward_fill()
            ).filter(pl.col("norm") != "").with_columns(
                start=(pl.col("start") + pl.col("offset")).cast(pl.UInt32),
                end=(pl.col("start") + pl.col("offset") + plen).cast(pl.UInt32),
            ).drop("offset")
            t = pl.concat([t.join(split.select("tr").unique(), on="tr", how="anti"), split]) \
                .sort("tr", "start")
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    new = ((pl.col("doc_id") != pl.col("doc_id").shift(1))
           | (pl.col("sentence_id") != pl.col("sentence_id").shift(1))).fill_null(True)
    return t.select(
        "tr", "doc_id", "sentence_id", "token_id", "start", "end", "norm",
        u=row - pl.when(new).then(row).forward_fill(),
    )



def alias_keys(table: pl.DataFrame, *, split_hyphens: bool = True) -> pl.DataFrame:
    """The dictionary table (:func:`analysis.actor_dictionary`) with each alias's match key.

    Adds ``key`` (the alias's units joined by a separator), ``n`` (its number of units) and
    ``first`` (its first unit); aliases with no units are left out, and of aliases with the same
    key the first is kept.

    Examples
    --------
    >>> t = pl.DataFrame({"actor": ["China", "China"], "alias": ["PRC", "People's Republic"]})
    >>> alias_keys(t).select("alias", "n", "first").rows()
    [('PRC', 1, 'PRC'), ("People's Republic", 3, 'People')]
    """
    return table.with_columns(
        key=pl.col("alias").map_elements(
            lambda a: _SEP.join(alias_key(a, split_hyphens=split_hyphens)),
            return_dtype=pl.String,
        )
    ).filter(pl.col("key") != "").with_columns(
        n=(pl.col("key").str.count_matches(_SEP, literal=True) + 1).cast(pl.Int64),
        first=pl.col("key").str.split(_SEP).list.first(),
    ).unique(subset="key", keep="first", maintain_order=True)


def _candidates(units: pl.DataFrame, keys: pl.DataFrame) -> pl.DataFrame:
    """Every place where an alias matches: one join per alias length, on the word sequence."""
    height = units.height
    norm, u, end, tr = units["norm"], units["u"], units["end"], units["tr"]
    starts = units.with_row_index("r").filter(pl.col("norm").is_in(keys["first"].unique()
                                                                   .implode()))
    found = []
    for n in sorted(set(keys["n"].to_list())):
        of_n = keys.filter(pl.col("n") == n)
        at = starts.filter(pl.col("norm").is_in(of_n["first"].unique().implode()))
        r = at["r"].cast(pl.Int64)
        last = (r + n - 1).clip(upper_bound=height - 1)
        after = (r + n).clip(upper_bound=height - 1)
        within = (u.gather(last) == at["u"] + n - 1) & (r + n - 1 < height)
        cand = at.with_columns(
            key=pl.concat_str([norm.gather((r + k).clip(upper_bound=height - 1))
                               for k in range(n)], separator=_SEP),
            last_end=end.gather(last), last_tr=tr.gather(last),
            prev=pl.when(pl.col("u") > 0).then(norm.gather((r - 1).clip(lower_bound=0))),
            next=pl.when((u.gather(after) == at["u"] + n) & (r + n < height))
            .then(norm.gather(after)),
        ).filter(within)
        found.append(cand.join(of_n.drop("first"), on="key", how="inner"))
    return pl.concat(found) if found else pl.DataFrame()


class BatchMatches(NamedTuple):
    """What :func:`match_batch` finds in one batch."""

    candidates: pl.DataFrame
    """One row per alias match (see :func:`match_batch`)."""
    lower: pl.Series
    """The distinct matching units that start with a lower-case letter."""
    units: int
    """The number of matching units (the next batch's ``offset`` grows by it)."""


def match_batch(tokens: pl.DataFrame, keys: pl.DataFrame, *, split_hyphens: bool = True,
                offset: int = 0, text: bool = True) -> BatchMatches:
    """Every alias match in a batch of whole documents, and the batch's lower-case words.

    Parameters
    ----------
    tokens
        Token rows (``doc_id``, ``sentence_id``, ``token_id``, ``token``, ``start``, ``end``)
        of whole documents, each document's rows contiguous and in text order.
    keys
        :func:`alias_keys` of the dictionary.
    split_hyphens
        As in :func:`analysis.actors`.
    offset
        Added to the unit row ``r`` so that rows stay increasing across batches.
    text
        Rebuild each match's text from the tokens (``matched``); ``False`` when the caller
        cuts it from the documents' text instead.

    Returns
    -------
    BatchMatches
        ``candidates``: one row per match (``r`` the first unit's row plus ``offset``, ``n``
        the alias's units, ``u`` its position in the sentence, ``prev``/``next`` the units
        around it, the token span ``start``/``last_end``, ``matched`` (the text, one space
        wherever the text had a gap; only with ``text``) and the dictionary columns);
        ``lower``: the distinct units that start with a lower-case letter; ``units``: the
        number of units.

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["a"] * 3, "sentence_id": [1] * 3, "token_id": [1, 2, 3],
    ...                   "token": ["Xi", "Jinping", "spoke"], "start": [0, 3, 11],
    ...                   "end": [2, 10, 16]})
    >>> keys = alias_keys(pl.DataFrame({"actor": ["Xi"], "alias": ["Xi Jinping"]}))
    >>> found = match_batch(t, keys, offset=10)
    >>> found.candidates.select("r", "n", "matched", "next").rows(), found.lower.to_list()
    ([(10, 2, 'Xi Jinping', 'spoke')], ['spoke'])
    """
    t = tokens.select("doc_id", "sentence_id", "token_id", "token", "start", "end").filter(
        pl.col("token").is_not_null()
    )
    units = _units(t, split_hyphens)
    lower = units.filter(pl.col("norm").str.contains(r"^\p{Ll}"))["norm"].unique()
    cand = _candidates(units, keys)
    if cand.height:
        if text:
            cand = cand.with_columns(matched=_rebuilt_text(cand, t))
        cand = cand.with_columns(r=pl.col("r") + offset).drop("tr", "last_tr")
    return BatchMatches(cand, lower, units.height)


def select_matches(cand: pl.DataFrame) -> pl.DataFrame:
    """The matches kept: the longest at each position, then left to right without overlaps.

    ``r`` is the unit's row (increasing across batches): matches never cross a sentence, so a
    running maximum of the rows reached works across sentences and batches.

    Examples
    --------
    >>> cand = pl.DataFrame({"r": [0, 0, 1, 5], "n": [1, 2, 1, 1], "actor": list("ABCD")})
    >>> select_matches(cand)["actor"].to_list()  # B (longest at 0) covers C's unit 1
    ['B', 'D']
    """
    best = cand.sort(["r", "n"], descending=[False, True]).unique(
        subset="r", keep="first", maintain_order=True
    ).with_columns(reach=(pl.col("r") + pl.col("n")).cum_max().shift(1))
    if not best.filter(pl.col("r") < pl.col("reach")).height:
        return best
    # Rare: aliases overlap. Resolve them in order, as a left-to-right scan would.
    keep: list[bool] = []
    reach = 0
    for r, n in best.select("r", "n").iter_rows():
        keep.append(r >= reach)
        if r >= reach:
            reach = r + n
    return best.filter(pl.Series(keep, dtype=pl.Boolean))


def batch_rules(cand: pl.DataFrame) -> tuple[pl.Series, pl.DataFrame]:
    """A batch's candidates (:func:`match_batch`) after the context rules that need no more
    than the batch, and the words that open a sentence before a candidate (lower-cased).

    The ``not_followed_by``/``not_preceded_by`` words veto a candidate here. The
    ``*_capitalised`` rules depend on the whole corpus (see :func:`analysis.actors`), so a
    candidate keeps only the lower-cased neighbour that may veto it (``next_cap``, ``prev_cap``:
    a capitalised word next to an alias with that rule, else null) and the columns used later.

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["a"] * 3, "sentence_id": [1] * 3, "token_id": [1, 2, 3],
    ...                   "token": ["The", "West", "Germany"], "start": [0, 4, 9],
    ...                   "end": [3, 8, 16]})
    >>> keys = alias_keys(pl.DataFrame({"actor": ["West"], "type": ["bloc"], "alias": ["West"],
    ...     "not_followed_by": [["Bank"]], "not_preceded_by": [[]],
    ...     "not_followed_by_capitalised": [True], "not_preceded_by_capitalised": [False],
    ...     "valid_from": [None], "valid_to": [None]}))
    >>> first, cand = batch_rules(match_batch(t, keys).candidates)
    >>> first.to_list(), cand.select("actor", "next_cap", "prev_cap").rows()
    (['the'], [('West', 'germany', None)])
    """
    first = cand.filter(pl.col("u") == 1)["prev"].drop_nulls().str.to_lowercase().unique()
    upper = r"^\p{Lu}"
    slim = cand.filter(
        ~(pl.col("not_followed_by").list.contains(pl.col("next")).fill_null(False)
          | pl.col("not_preceded_by").list.contains(pl.col("prev")).fill_null(False))
    ).select(
        "r", "n", "doc_id", "sentence_id", "token_id", "start", "last_end", "actor", "type",
        *(["matched"] if "matched" in cand.columns else []), "valid_from", "valid_to",
        next_cap=pl.when(pl.col("not_followed_by_capitalised")
                         & pl.col("next").str.contains(upper))
        .then(pl.col("next").str.to_lowercase()),
        prev_cap=pl.when(pl.col("not_preceded_by_capitalised")
                         & pl.col("prev").str.contains(upper))
        .then(pl.col("prev").str.to_lowercase()),
    )
    return first, slim


def in_period(cand: pl.DataFrame, published: pl.DataFrame | None) -> pl.DataFrame:
    """The candidates whose alias is valid when their document was published.

    ``published``: ``doc_id``, ``published`` (a date); undated documents (or ``None``) match
    every alias.

    Examples
    --------
    >>> import datetime as dt
    >>> cand = pl.DataFrame({"doc_id": ["a", "b", "c"], "valid_from": [dt.date(2020, 1, 1)] * 3,
    ...                      "valid_to": [None, None, None]})
    >>> pub = pl.DataFrame({"doc_id": ["a", "b"],
    ...                     "published": [dt.date(2019, 5, 1), dt.date(2021, 5, 1)]})
    >>> in_period(cand, pub)["doc_id"].to_list()
    ['b', 'c']
    """
    if not cand.filter(pl.col("valid_from").is_not_null()
                       | pl.col("valid_to").is_not_null()).height:
        return cand
    if published is None:
        return cand
    dated = cand.join(published, on="doc_id", how="left", maintain_order="left")
    return dated.filter(
        pl.col("published").is_null()
        | ((pl.col("valid_from").is_null() | (pl.col("published") >= pl.col("valid_from")))
           & (pl.col("valid_to").is_null() | (pl.col("published") <= pl.col("valid_to"))))
    ).drop("published")


def published_dates(dates: Any) -> pl.DataFrame | None:
    """``doc_id``, ``published`` (a date) of the first row per document of ``dates``.

    Examples
    --------
    >>> import datetime as dt
    >>> published_dates(pl.DataFrame({"doc_id": ["a", "a"],
    ...                               "published": [dt.date(2022, 5, 1), dt.date(2023, 1, 1)]}))
    shape: (1, 2)
    ┌────────┬────────────┐
    │ doc_id ┆ published  │
    │ ---    ┆ ---        │
    │ str    ┆ date       │
    ╞════════╪════════════╡
    │ a      ┆ 2022-05-01 │
    └────────┴────────────┘
    """
    if dates is None:
        return None
    dated = to_polars(dates, what="dates")
    require_columns(dated, ["doc_id", "published"], what="dates")
    return dated.select("doc_id", pl.col("published").cast(pl.Date, strict=False)) \
        .unique("doc_id", keep="first")


def settle_matches(cand: pl.DataFrame, published: pl.DataFrame | None) -> pl.DataFrame:
    """The mentions kept of the candidates of whole sentences that passed the context rules:
    those in their valid period (:func:`in_period`), the longest, left to right
    (:func:`select_matches`).

    Examples
    --------
    >>> cand = pl.DataFrame({"r": [0, 0], "n": [1, 2], "doc_id": ["a", "a"],
    ...     "sentence_id": [1, 1], "token_id": [1, 1], "start": [0, 0], "last_end": [2, 10],
    ...     "actor": ["Xi", "Xi Jinping"], "type": ["person"] * 2,
    ...     "valid_from": [None, None], "valid_to": [None, None]})
    >>> settle_matches(cand, None)["actor"].to_list()
    ['Xi Jinping']
    """
    columns = ["doc_id", "sentence_id", "token_id", "start", "last_end", "actor", "type",
               *(["matched"] if "matched" in cand.columns else [])]
    cand = in_period(cand, published)
    return select_matches(cand).select(columns) if cand.height else cand.select(columns)


def in_sequence(parts: list[pl.DataFrame], order: list[str]) -> bool:
    """Whether each part's last row comes before the next non-empty part's first row in
    ``order`` (no nulls).

    Examples
    --------
    >>> a, b = pl.DataFrame({"k": [1, 2]}), pl.DataFrame({"k": [3]})
    >>> in_sequence([a, b.head(0), b], ["k"]), in_sequence([b, a], ["k"])
    (True, False)
    """
    bounds = [(part.select(order).row(0), part.select(order).row(-1))
              for part in parts if part.height]
    if any(v is None for first, last in bounds for v in (*first, *last)):
        return False
    return all(a[1] < b[0] for a, b in itertools.pairwise(bounds))

def _rebuilt_text(found: pl.DataFrame, t: pl.DataFrame) -> pl.Series:
    """The matched text from the sorted tokens ``t``: one space wherever the text had a gap."""
    span = found.select(
        "start", "last_end", pl.int_range(pl.len()).alias("m"),
        pl.int_ranges("tr", pl.col("last_tr") + 1).alias("tr"),
    ).explode("tr")
    idx = span["tr"]
    tok = t["token"].gather(idx)
    ts = t["start"].gather(idx).cast(pl.Int64)
    te = ts + tok.str.len_chars().cast(pl.Int64)
    span = span.with_columns(tok=tok, ts=ts, te=te)
    a = pl.max_horizontal("start", "ts") - pl.col("ts")
    b = pl.min_horizontal("last_end", "te") - pl.col("ts")
    span = span.with_columns(
        piece=pl.col("tok").str.slice(a, b - a),
        sep=pl.when((pl.col("m") == pl.col("m").shift(1)) & (pl.col("ts") > pl.col("te").shift(1)))
        .then(pl.lit(" ")).otherwise(pl.lit("")),
    )
    return span.group_by("m", maintain_order=True).agg(
        pl.concat_str("sep", "piece").str.join("").alias("matched")
    )["matched"]
