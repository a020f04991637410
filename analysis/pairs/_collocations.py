"""Collocations: word pairs that occur together within a small window more often than chance.

One row per ordered pair ``(term1, term2)``, where ``term2`` follows ``term1`` within a span of
``span`` tokens of the same sentence, scored with the association measures of NLTK's
:class:`nltk.metrics.BigramAssocMeasures`, computed exactly as
``BigramCollocationFinder.from_words(words, window_size=span)`` does when ``words`` is the
token sequence with ``span - 1`` empty slots between sentences (so no span crosses a
sentence boundary). The counting lives in :mod:`analysis.pairs._collocation_counts`; here are the
measures, the order, the verb and its views.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, get_args

import polars as pl

if TYPE_CHECKING:
    import altair as alt

from analysis.engine import _measures as measures
from analysis.engine._batches import document_batches
from analysis.engine._frames import require_columns, require_tokens, tidy, to_polars
from analysis.engine._options import renamed
from analysis.pairs._collocation_counts import (
    SkipHow,
    collocation_join,
    collocation_parts,
    collocation_table,
    combine_collocation_parts,
)

Measure = Literal["pmi", "ll", "t", "chi2", "dice", "logdice"]
"""Association measures :func:`collocations` can compute."""

MEASURES: tuple[Measure, ...] = get_args(Measure)
"""All measures, in the order they appear as columns."""

OLD_SPAN = ("window", lambda span: span - 1, "window = span - 1: span counted both ends")
"""``span=`` (NLTK's ``window_size``) as a deprecated alias of ``window=`` (the distance)."""


def window_span(window: int) -> int:
    """NLTK's ``window_size`` of a ``window`` (the largest distance between the two words).

    >>> window_span(1)  # adjacent words
    2
    """
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ValueError(f"window must be an integer of at least 1 (1 = adjacent), got {window!r}")
    return window + 1


def check_options(span: int, measures: Sequence[str], min_n: int, skip_how: str) -> list[str]:
    if isinstance(span, bool) or not isinstance(span, int) or span < 2:
        raise ValueError(f"span must be an integer of at least 2 (2 = adjacent), got {span!r}")
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        raise ValueError(f"min_n must be a positive integer, got {min_n!r}")
    if skip_how not in get_args(SkipHow):
        raise ValueError(f"skip_how must be one of {list(get_args(SkipHow))}, got {skip_how!r}")
    return _measure_list(measures)


def _measure_list(measures: str | Sequence[str]) -> list[str]:
    """The measures asked for, de-duplicated in order; a clear error for unknown names."""
    chosen = list(dict.fromkeys([measures] if isinstance(measures, str) else measures))
    if not chosen or any(m not in MEASURES for m in chosen):
        raise ValueError(
            f"measures must be a non-empty list from {list(MEASURES)}, got {measures!r}"
        )
    return chosen


def measure_exprs(span: int) -> dict[str, pl.Expr]:
    """Polars expressions for each measure on the scaled count :math:`o = n / (w - 1)`, from
    :mod:`analysis.engine._measures` in NLTK's formulation (see :func:`collocations`): the
    one definition used by the local and the Dask verbs. Columns used: ``n``, ``n1``, ``n2``
    and ``__N``."""
    n_ii = pl.col("n").cast(pl.Float64) / (span - 1)
    n1 = pl.col("n1").cast(pl.Float64)
    n2 = pl.col("n2").cast(pl.Float64)
    big_n = pl.col("__N").cast(pl.Float64)
    return {
        "pmi": measures.pmi(n_ii, n1, n2, big_n),
        "ll": measures.nltk_log_likelihood(n_ii, n1, n2, big_n),
        "t": measures.student_t(n_ii, n1, n2, big_n),
        "chi2": measures.chi_squared(n_ii, n1, n2, big_n),
        "dice": measures.dice(n_ii, n1, n2),
        "logdice": measures.log_dice(n_ii, n1, n2),
    }


@renamed(span=OLD_SPAN)
@tidy
def collocations(
    tokens: Any,
    *,
    window: int = 1,
    measures: Sequence[Measure] = MEASURES,
    min_n: int = 1,
    include_stop: bool = True,
    include_punct: bool = False,
    skip_how: SkipHow = "filter",
) -> Any:
    """Score word pairs that occur at most ``window`` tokens apart within a sentence.

    Parameters
    ----------
    tokens
        A token table from :func:`analysis.tokenize` (columns ``doc_id``, ``sentence_id``,
        ``token_id``, ``term``; ``is_stop`` / ``is_punct`` when the include options need them).
        A count table (with ``n``) is refused: pairs need token positions.
    window
        The largest distance between the two words: 1 pairs adjacent tokens; 4 pairs each
        token with the next four (NLTK's ``window_size`` is ``window + 1``; ``span=``, that
        size, is the deprecated name). Windows never cross a sentence boundary.
    measures
        Which association columns to add (any of ``"pmi"``, ``"ll"``, ``"t"``, ``"chi2"``,
        ``"dice"``, ``"logdice"``); the table is sorted by the first one.
    min_n
        Keep pairs seen at least this often (``n``; NLTK's ``apply_freq_filter``).
    include_stop, include_punct
        Keep pairs with a stop-word (``is_stop``) / a punctuation token (``is_punct``); by
        default stop-words are kept and punctuation is left out.
    skip_how
        ``"filter"`` (default): count every token, then drop the pairs (NLTK's
        ``apply_word_filter``: ``N``, ``n1`` and ``n2`` still count the skipped tokens).
        ``"remove"``: delete the skipped tokens before windows are formed, so the words either
        side of a stop-word become neighbours and ``N`` counts only the remaining tokens.

    Returns
    -------
    DataFrame
        One row per ordered pair, sorted by the first measure (descending), then ``term1``,
        ``term2``:

        - ``term1``, ``term2``: the pair, ``term2`` following ``term1`` in the window.
        - ``n``: how many times ``term2`` occurs within the ``window`` tokens after ``term1``.
        - ``n1``, ``n2``: frequencies of ``term1`` and ``term2`` (all tokens counted in ``N``).
        - ``pmi``, ``ll``, ``t``, ``chi2``, ``dice``, ``logdice``: the chosen measures (floats).

    Notes
    -----
    With :math:`N` the number of tokens, :math:`o = n / (w - 1)` the observed count scaled by
    NLTK's window size :math:`w` = ``window + 1`` (Church and Hanks 1990, as NLTK's
    ``score_ngram``), and the
    contingency table :math:`o_{11} = o`, :math:`o_{12} = n_2 - o`, :math:`o_{21} = n_1 - o`,
    :math:`o_{22} = N - o_{11} - o_{12} - o_{21}` with expected counts
    :math:`e_{ij} = R_i C_j / N`:

    - ``pmi`` :math:`= \\log_2 (o N) - \\log_2 (n_1 n_2)`
    - ``ll`` :math:`= 2 \\sum_{ij} o_{ij} \\ln(o_{ij} / (e_{ij} + 10^{-20}) + 10^{-20})`
      (NLTK's ``likelihood_ratio``)
    - ``t`` :math:`= (o - n_1 n_2 / N) / \\sqrt{o + 10^{-20}}` (``student_t``)
    - ``chi2`` :math:`= N (o_{11} o_{22} - o_{12} o_{21})^2 / (R_1 R_2 C_1 C_2)` (``chi_sq``;
      null when a margin is zero, where NLTK divides by zero)
    - ``dice`` :math:`= 2 o / (n_1 + n_2)`; ``logdice`` :math:`= 14 + \\log_2` ``dice``
      (Rychlý 2008).

    Examples
    --------
    >>> import polars as pl
    >>> from analysis import tokenize
    >>> docs = pl.DataFrame({"doc_id": ["a"], "text": ["Peace plan. A peace plan now. Plan!"]})
    >>> collocations(tokenize(docs), measures=["pmi", "dice"], min_n=2)  # N = 10 tokens
    shape: (1, 7)
    ┌───────┬───────┬─────┬─────┬─────┬──────────┬──────┐
    │ term1 ┆ term2 ┆ n   ┆ n1  ┆ n2  ┆ pmi      ┆ dice │
    │ ---   ┆ ---   ┆ --- ┆ --- ┆ --- ┆ ---      ┆ ---  │
    │ str   ┆ str   ┆ u32 ┆ u32 ┆ u32 ┆ f64      ┆ f64  │
    ╞═══════╪═══════╪═════╪═════╪═════╪══════════╪══════╡
    │ peace ┆ plan  ┆ 2   ┆ 2   ┆ 3   ┆ 1.736966 ┆ 0.8  │
    └───────┴───────┴─────┴─────┴─────┴──────────┴──────┘
    """
    span = window_span(window)
    chosen = check_options(span, measures, min_n, skip_how)
    require_tokens(tokens, verb="collocations()")
    pairs, words, big_n = _counted_parts(to_polars(tokens, what="tokens"), span=span,
                                         include_stop=include_stop,
                                         include_punct=include_punct, skip_how=skip_how)
    return collocation_scores(pairs, words, big_n, span=span, measures=chosen, min_n=min_n)


def _counted_parts(table: pl.DataFrame, *, span: int, include_stop: bool, include_punct: bool,
                   skip_how: SkipHow) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """The summed :func:`analysis.pairs._collocation_counts.collocation_parts` of a token table:
    per batch of whole documents (zero-copy slices; one batch when documents are not
    contiguous), the batches' counts added up."""
    parts = [collocation_parts(collocation_table(batch, include_stop=include_stop,
                                                 include_punct=include_punct,
                                                 skip_how=skip_how), span, skip_how)
             for batch in (list(document_batches(table)) or [table])]
    return combine_collocation_parts(*parts)


@renamed(span=OLD_SPAN)
def collocation_counts(
    tokens: Any,
    *,
    window: int = 1,
    min_n: int = 1,
    include_stop: bool = True,
    include_punct: bool = False,
    skip_how: SkipHow = "filter",
) -> tuple[pl.DataFrame, int]:
    """The pair and word counts behind :func:`collocations` (same options, same counting),
    without the measures: the local counterpart of ``analysis.distributed.collocation_counts``.

    Returns
    -------
    (DataFrame, int)
        The table ``term1, term2, n, n1, n2`` of the pairs with ``n >= min_n`` (unsorted) and
        ``N``, the number of tokens counted in ``n1`` / ``n2`` (punctuation included with
        ``skip_how="filter"``, as NLTK's word filter keeps it in the word counts).

    Examples
    --------
    >>> from analysis import tokenize
    >>> docs = pl.DataFrame({"doc_id": ["a"], "text": ["Peace plan. A peace plan now."]})
    >>> counts, big_n = collocation_counts(tokenize(docs), min_n=2)
    >>> counts.rows(), big_n
    ([('peace', 'plan', 2, 2, 2)], 8)
    """
    span = window_span(window)
    check_options(span, ["ll"], min_n, skip_how)
    table = to_polars(tokens, what="tokens")
    require_tokens(table, verb="collocation_counts()")
    pairs, words, big_n = _counted_parts(table, span=span, include_stop=include_stop,
                                         include_punct=include_punct, skip_how=skip_how)
    return collocation_join(pairs.filter(pl.col("n") >= min_n), words), big_n


# --------------------------------------------------------------------------------------------
# scoring: the counts of analysis.collocation_counts (local and Dask verbs), measures and order


def collocation_scores(pairs: pl.DataFrame, words: pl.DataFrame, big_n: int, *, span: int,
                       measures: Sequence[str], min_n: int) -> pl.DataFrame:
    """The table of :func:`collocations` from (summed) counts: measures and order. Only the
    measures asked for are computed, on the pairs kept; the terms are looked up last."""
    chosen = list(measures)
    kept = pairs.filter(pl.col("n") >= min_n)
    nt = words["nt"]
    exprs = measure_exprs(span)
    table = (kept.with_columns(nt.gather(kept["code1"]).alias("n1"),
                               nt.gather(kept["code2"]).alias("n2"),
                               __N=pl.lit(big_n, dtype=pl.Int64))
             .select("code1", "code2", "n", "n1", "n2", **{m: exprs[m] for m in chosen}))
    # rows are in (term1, term2) order: a stable sort on the first measure breaks its ties so
    # (nulls_last only when needed: polars' sort is slower with it)
    table = table.sort(chosen[0], descending=True, maintain_order=True,
                       nulls_last=table[chosen[0]].null_count() > 0)
    return collocation_join(table, words).with_columns(table.select(chosen))


@renamed(top_n="top")
def plot_collocations(table: Any, *, measure: Measure = "ll", top: int = 20) -> alt.Chart:
    """Bar chart of the ``top`` pairs of :func:`collocations` by one measure.

    Parameters
    ----------
    table
        :func:`collocations` output (polars or pandas) holding the ``measure`` column.
    measure
        The column that ranks and sizes the bars.
    top
        How many pairs to show (ties broken by ``term1``, ``term2``).

    Returns
    -------
    altair.Chart
        One bar per pair ("term1 term2"), longest first; tooltips with ``n``, ``n1``, ``n2``
        and the measure.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"term1": ["peace", "joint"], "term2": ["plan", "statement"],
    ...                   "n": [3, 2], "n1": [4, 2], "n2": [3, 2], "ll": [9.5, 7.25]})
    >>> plot_collocations(t, measure="ll").to_dict()["mark"]["type"]
    'bar'
    """
    import altair as alt

    data = to_polars(table, what="collocations table")
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    require_columns(data, ["term1", "term2", "n", "n1", "n2", measure], what="collocations table")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    best = (
        data.filter(pl.col(measure).is_not_null())
        .sort([measure, "term1", "term2"], descending=[True, False, False])
        .head(top)
        .with_columns(pair=pl.concat_str("term1", "term2", separator=" "))
        .select("pair", "term1", "term2", "n", "n1", "n2", measure)
    )
    return (
        alt.Chart(best.to_pandas())
        .mark_bar()
        .encode(
            x=alt.X(f"{measure}:Q", title=measure),
            y=alt.Y("pair:N", sort=best["pair"].to_list(), title=None),
            tooltip=["pair", "n", "n1", "n2", alt.Tooltip(f"{measure}:Q", format=",.3f")],
        )
        .properties(title=f"Top {best.height} collocations by {measure}")
    )


@renamed(top_n="top")
@tidy
def top_collocations(
    colloc: Any,
    *,
    measures: Sequence[Measure] | None = None,
    top: int = 15,
) -> Any:
    """The ``top`` pairs of :func:`collocations` by each measure, side by side.

    Parameters
    ----------
    colloc
        :func:`collocations` output (``term1``, ``term2`` and the measure columns).
    measures
        The measures to rank by, one output column each, in this order; ``None`` (default):
        every measure column the table has, in the order of :data:`MEASURES`.
    top
        Rows of the table (fewer when the table has fewer pairs).

    Returns
    -------
    DataFrame
        One row per rank, ``min(top, number of pairs)`` rows:

        - ``rank``: 1, 2, ... (``Int64``).
        - one column per measure: the pair (``"term1 term2"``) at that rank by that measure.

    Notes
    -----
    Each column sorts the pairs by the measure (descending), ties broken by ``term1`` then
    ``term2`` (ascending); a null score (``chi2`` where a margin is zero) ranks last.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"term1": ["a", "b", "c"], "term2": ["x", "y", "z"],
    ...                   "pmi": [1.0, 3.0, 3.0], "ll": [9.0, 2.0, 5.0]})
    >>> top_collocations(t, measures=["ll", "pmi"], top=2)
    shape: (2, 3)
    ┌──────┬─────┬─────┐
    │ rank ┆ ll  ┆ pmi │
    │ ---  ┆ --- ┆ --- │
    │ i64  ┆ str ┆ str │
    ╞══════╪═════╪═════╡
    │ 1    ┆ a x ┆ b y │
    │ 2    ┆ c z ┆ c z │
    └──────┴─────┴─────┘
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    if measures is None:
        chosen: list[str] = [m for m in MEASURES if m in colloc.columns]
        if not chosen:
            raise ValueError(
                f"collocations table has no measure column (one of {list(MEASURES)}); "
                f"found {colloc.columns}"
            )
    else:
        chosen = _measure_list(measures)
    require_columns(colloc, ["term1", "term2", *chosen], what="collocations table")
    rows = min(top, colloc.height)
    columns = [pl.Series("rank", range(1, rows + 1), dtype=pl.Int64)]
    for m in chosen:
        ranked = colloc.sort([m, "term1", "term2"], descending=[True, False, False],
                             nulls_last=True).head(top)
        columns.append(
            ranked.select(pl.concat_str("term1", "term2", separator=" ").alias(m)).to_series()
        )
    return pl.DataFrame(columns)
