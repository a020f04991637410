"""Keyness: which terms set a target group (an outlet, a period) apart from a reference.

:func:`keyness` compares term counts of a target group with a reference, term by term, with the
statistics corpus linguists use: log-likelihood G² (4-cell or 2-cell), Pearson's chi-squared
(with Yates' correction for small expected counts), Log Ratio and %DIFF (defined, with their
conventions, in :mod:`analysis.engine._measures`), with optional Bonferroni or Holm adjustment
of the p-values. :func:`plot_keyness` draws the result. The counts
usually come from :func:`analysis.compare_groups` (or :func:`analysis.term_frequency` grouped by
one column).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, cast

import polars as pl

if TYPE_CHECKING:
    import altair as alt
    import numpy as np

from analysis.engine._frames import Frame, require_columns, tidy, to_polars, with_counts
from analysis.engine._measures import (
    Correction,
    G2Cells,
    chi2_statistic,
    g2_statistic,
    log_ratio,
    pct_diff,
)
from analysis.engine._options import renamed
from analysis.terms._frequency import infer_group

KeynessMeasure = Literal["g2", "chi2", "log_ratio", "pct_diff"]
Adjust = Literal["none", "bonferroni", "holm"]


def _values(x: Any) -> list[Any]:
    if isinstance(x, (str, bytes)) or not isinstance(x, Iterable):
        return [x]
    return list(x)


def _match_values(values: list[Any], column: pl.Series, *, what: str) -> list[Any]:
    present = column.unique().to_list()
    if column.dtype == pl.String:
        values = [str(v) for v in values]
    missing = [v for v in values if v not in present]
    if missing:
        shown = sorted(present, key=str)[:20]
        raise ValueError(
            f"{what} {missing} not found in column {column.name!r}; its values are {shown}"
        )
    return values


def _adjust(p: np.ndarray, method: str) -> np.ndarray:
    import numpy as np
    m = len(p)
    if method == "bonferroni":
        return np.minimum(p * m, 1.0)
    order = np.lexsort((np.arange(m), p))  # stable: ties keep input order
    scaled = p[order] * (m - np.arange(m))
    holm = np.minimum(np.maximum.accumulate(scaled), 1.0)
    out = np.empty(m)
    out[order] = holm
    return out


@tidy
def keyness(
    counts: Frame,
    *,
    target: Any,
    reference: Any = None,
    by: str | None = None,
    measure: KeynessMeasure = "g2",
    g2: G2Cells = "4-cell",
    correction: Correction = "default",
    min_n: int = 1,
    adjust: Adjust = "none",
) -> Frame:
    """Compare term frequencies in a target group with a reference: one row per term.

    Parameters
    ----------
    counts
        :func:`term_frequency` output grouped by one column (document, outlet, period).
    target
        A value (or list of values) of the group column: the target corpus.
    reference
        Value(s) of the group column forming the reference; ``None`` = all other groups.
    by
        The group column; inferred when ``counts`` has only one.
    measure
        The statistic that orders the rows (descending; key terms of the target first, of
        the reference last) and, for ``"g2"``/``"chi2"``, gives ``p``. With ``"log_ratio"``
        or ``"pct_diff"``, ``p`` comes from G².
    g2
        ``"4-cell"`` (default; Dunning's G² over the full 2x2 table, as scipy's
        ``chi2_contingency(..., lambda_="log-likelihood", correction=False)``) or
        ``"2-cell"`` (the Lancaster log-likelihood wizard, Rayson & Garside 2000).
    correction
        Yates' continuity correction of ``chi2``
        (:func:`analysis.engine._measures.chi2_statistic`): ``"default"`` follows quanteda
        (only for small expected counts), ``"yates"``, ``"none"``. G² is never corrected.
    min_n
        Keep terms with at least this many occurrences in target and reference together.
    adjust
        Multiple-testing adjustment of ``p`` over the terms kept: ``"bonferroni"`` or
        ``"holm"`` add a column ``p_adjusted``.

    Returns
    -------
    DataFrame
        One row per term occurring in target or reference:

        - ``term``;
        - ``n_target`` (a), ``n_reference`` (b): occurrences of the term;
        - ``other_target`` (c), ``other_reference`` (d): the other tokens of each side;
        - ``total_target`` (a + c), ``total_reference`` (b + d): the sums of ``n`` over all
          rows of the target / reference groups in ``counts`` (so tokens filtered out before
          counting, such as stop-words, are not in the totals);
        - ``g2``: log-likelihood G², signed: positive when the term is relatively more frequent
          in the target (``a / (a+c) > b / (b+d)``), negative when less;
        - ``chi2``: Pearson chi-squared, signed the same way;
        - ``p``: ``P(χ²₁ >= |statistic|)``;
        - ``log_ratio``: Hardie's Log Ratio ``log2((a / (a+c)) / (b / (b+d)))``, a zero count
          replaced by 0.5; +1 means twice as frequent in the target;
        - ``pct_diff``: Gabrielatos & Marchi's %DIFF,
          ``100 (a/(a+c) - b/(b+d)) / (b/(b+d))``; ``inf`` when ``b = 0``;
        - ``p_adjusted``: only with ``adjust``.

    Notes
    -----
    With ``N = a+b+c+d`` and expected counts ``E = row total x column total / N``:
    ``G² = 2 Σ O ln(O / E)`` (``0 ln 0 = 0``); ``chi2 = Σ (O - E)² / E``. Both have one degree
    of freedom. G² is the usual keyness statistic (reliable for rare words); 3.84 is p < 0.05,
    10.83 is p < 0.001. Log Ratio is an effect size: it says how much more frequent, where
    G² says how sure.

    Examples
    --------
    >>> import polars as pl
    >>> counts = pl.DataFrame({"year": ["2024"] * 2 + ["2023"] * 2,
    ...                        "term": ["putin", "xi", "putin", "xi"], "n": [30, 10, 10, 30]})
    >>> keyness(counts, target="2024").select("term", "n_target", "n_reference", "g2",
    ...                                       "log_ratio").with_columns(pl.col("g2").round(3))
    shape: (2, 5)
    ┌───────┬──────────┬─────────────┬────────┬───────────┐
    │ term  ┆ n_target ┆ n_reference ┆ g2     ┆ log_ratio │
    │ ---   ┆ ---      ┆ ---         ┆ ---    ┆ ---       │
    │ str   ┆ i64      ┆ i64         ┆ f64    ┆ f64       │
    ╞═══════╪══════════╪═════════════╪════════╪═══════════╡
    │ putin ┆ 30       ┆ 10          ┆ 20.93  ┆ 1.584963  │
    │ xi    ┆ 10       ┆ 30          ┆ -20.93 ┆ -1.584963 │
    └───────┴──────────┴─────────────┴────────┴───────────┘
    """
    import numpy as np
    from scipy import stats

    if measure not in ("g2", "chi2", "log_ratio", "pct_diff"):
        raise ValueError(
            f"measure must be 'g2', 'chi2', 'log_ratio' or 'pct_diff', got {measure!r}"
        )
    if adjust not in ("none", "bonferroni", "holm"):
        raise ValueError(f"adjust must be 'none', 'bonferroni' or 'holm', got {adjust!r}")
    if g2 not in ("4-cell", "2-cell"):
        raise ValueError(f"g2 must be '4-cell' or '2-cell', got {g2!r}")
    if correction not in ("default", "yates", "none"):
        raise ValueError(f"correction must be 'default', 'yates' or 'none', got {correction!r}")
    if not isinstance(min_n, int) or min_n < 1:
        raise ValueError(f"min_n must be a positive integer, got {min_n!r}")
    counts = with_counts(cast("pl.DataFrame", counts))  # a token table: one occurrence per row
    group = infer_group(counts, by, what="counts")
    require_columns(counts, [group, "term", "n"], what="counts")
    targets = _match_values(_values(target), counts[group], what="target")
    if reference is None:
        references = [v for v in counts[group].unique().to_list() if v not in targets]
        if not references:
            raise ValueError(f"no reference: every value of {group!r} is in the target")
    else:
        references = _match_values(_values(reference), counts[group], what="reference")
        overlap = sorted(set(targets) & set(references), key=str)
        if overlap:
            raise ValueError(f"{overlap} are in both target and reference")
    side = (
        pl.when(pl.col(group).is_in(targets)).then(pl.lit("t"))
        .when(pl.col(group).is_in(references)).then(pl.lit("r"))
    )
    rows = counts.select(pl.col("term"), pl.col("n").cast(pl.Int64), side.alias("side"))
    rows = rows.filter(pl.col("side").is_not_null())
    total_t = int(rows.filter(pl.col("side") == "t")["n"].sum())
    total_r = int(rows.filter(pl.col("side") == "r")["n"].sum())
    if total_t == 0 or total_r == 0:
        raise ValueError(
            f"the {'target' if total_t == 0 else 'reference'} has no counted tokens"
        )
    table = rows.group_by("term").agg(
        n_target=pl.col("n").filter(pl.col("side") == "t").sum(),
        n_reference=pl.col("n").filter(pl.col("side") == "r").sum(),
    ).with_columns(pl.col("n_target", "n_reference").cast(pl.Int64))
    table = table.filter(pl.col("n_target") + pl.col("n_reference") >= min_n).sort("term")
    a = table["n_target"].to_numpy().astype(float)
    b = table["n_reference"].to_numpy().astype(float)
    ta = np.full_like(a, total_t)
    tb = np.full_like(b, total_r)
    sign = np.where(a * tb >= b * ta, 1.0, -1.0)
    g2_value = sign * g2_statistic(a, b, ta, tb, cells=g2)
    chi2_value = sign * chi2_statistic(a, b, ta, tb, correction=correction)
    test = chi2_value if measure == "chi2" else g2_value
    p = stats.chi2.sf(np.abs(test), df=1)
    out = table.with_columns(
        other_target=total_t - pl.col("n_target"),
        other_reference=total_r - pl.col("n_reference"),
        total_target=pl.lit(total_t, pl.Int64),
        total_reference=pl.lit(total_r, pl.Int64),
        g2=pl.Series(g2_value, dtype=pl.Float64),
        chi2=pl.Series(chi2_value, dtype=pl.Float64),
        p=pl.Series(p, dtype=pl.Float64),
        log_ratio=pl.Series(log_ratio(a, b, ta, tb), dtype=pl.Float64),
        pct_diff=pl.Series(pct_diff(a, b, ta, tb), dtype=pl.Float64),
    )
    if adjust != "none":
        out = out.with_columns(p_adjusted=pl.Series(_adjust(p, adjust), dtype=pl.Float64))
    return out.sort([measure, "term"], descending=[True, False])


@renamed(top_n="top")
def plot_keyness(
    table: Frame,
    *,
    top: int = 15,
    measure: KeynessMeasure = "g2",
    target_label: str = "target",
    reference_label: str = "reference",
) -> alt.Chart:
    """Diverging bars: the top key terms of the target (right) and of the reference (left).

    Parameters
    ----------
    table
        :func:`keyness` output.
    top
        Terms on each side (the ``top`` largest and ``top`` smallest ``measure``).
    measure
        Bar length: ``g2``, ``chi2``, ``log_ratio`` or ``pct_diff`` (infinite %DIFF values
        are not drawn).
    target_label, reference_label
        Names for the two sides in the legend and title (e.g. ``"2024"``, ``"2023"``).

    Returns
    -------
    alt.Chart
        Bars coloured by the side the term is key for; tooltips show both counts, G², chi²,
        p, Log Ratio and %DIFF.

    Examples
    --------
    >>> import polars as pl
    >>> counts = pl.DataFrame({"year": ["2024"] * 2 + ["2023"] * 2,
    ...                        "term": ["putin", "xi", "putin", "xi"], "n": [30, 10, 10, 30]})
    >>> type(plot_keyness(keyness(counts, target="2024"))).__name__
    'Chart'
    """
    import altair as alt

    data = to_polars(table, what="plot_keyness()'s table")
    require_columns(data, ["term", "n_target", "n_reference", measure], what="keyness table")
    data = data.filter(pl.col(measure).is_finite())
    pos = data.filter(pl.col(measure) > 0).sort([measure, "term"], descending=[True, False])
    neg = data.filter(pl.col(measure) < 0).sort([measure, "term"], descending=[False, False])
    data = pl.concat([pos.head(top), neg.head(top)]).with_columns(
        key_for=pl.when(pl.col(measure) > 0).then(pl.lit(target_label))
        .otherwise(pl.lit(reference_label))
    )
    tips = [alt.Tooltip("term:N"), alt.Tooltip("key_for:N", title="key for"),
            alt.Tooltip("n_target:Q", title=f"n {target_label}"),
            alt.Tooltip("n_reference:Q", title=f"n {reference_label}")]
    for col, fmt in [("g2", ".2f"), ("chi2", ".2f"), ("p", ".2g"), ("log_ratio", ".2f"),
                     ("pct_diff", ",.0f")]:
        if col in data.columns:
            tips.append(alt.Tooltip(f"{col}:Q", format=fmt))
    data = data.with_columns(
        pl.when(pl.col("pct_diff").is_finite()).then(pl.col("pct_diff"))
    ) if "pct_diff" in data.columns else data
    titles = {"g2": "log-likelihood G² (signed)", "chi2": "chi-squared (signed)",
              "log_ratio": "Log Ratio (log2 of the relative-frequency ratio)",
              "pct_diff": "%DIFF"}
    return alt.Chart(data).mark_bar().encode(
        x=alt.X(f"{measure}:Q", title=titles[measure]),
        y=alt.Y("term:N", sort="-x", title=None),
        color=alt.Color("key_for:N", title="key for",
                        scale=alt.Scale(domain=[target_label, reference_label],
                                        range=["#c0392b", "#2e6da4"])),
        tooltip=tips,
    ).properties(width=420, height=alt.Step(14),
                 title=f"Keyness: {target_label} vs {reference_label}")
