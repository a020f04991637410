"""Association measures for pairs, defined once as polars expressions.

Every verb that scores pairs (:func:`analysis.pairs._collocations.collocations`,
:func:`analysis.pairs._cooccurrence.cooccurrence`,
:func:`analysis.pairs._cooccurrence_counts.cooccurrence_counts` and
the Dask verbs) builds its columns from these functions, so a measure has one definition. The
arguments are expressions for the joint count ``n``, the two marginal counts ``n1``, ``n2`` and
the total ``N`` (floats). The keyness statistics (G², chi-squared, Log Ratio, %DIFF) live with
:func:`analysis.terms._keyness.keyness` (``g2_statistic``, ``chi2_statistic``).
"""

from __future__ import annotations

import polars as pl


def pmi(n: pl.Expr, n1: pl.Expr, n2: pl.Expr, big_n: pl.Expr | float) -> pl.Expr:
    """Pointwise mutual information, :math:`\\log_2 (n N) - \\log_2 (n_1 n_2)` (NLTK's form).

    Examples
    --------
    >>> df = pl.DataFrame({"n": [2.0], "n1": [2.0], "n2": [4.0]})
    >>> df.select(pmi(pl.col("n"), pl.col("n1"), pl.col("n2"), 16.0)).item()
    2.0
    """
    return (n * big_n).log(2) - (n1 * n2).log(2)


def dice(n: pl.Expr, n1: pl.Expr, n2: pl.Expr) -> pl.Expr:
    """Dice coefficient, :math:`2 n / (n_1 + n_2)`.

    Examples
    --------
    >>> pl.select(dice(pl.lit(2.0), pl.lit(2.0), pl.lit(3.0))).item()
    0.8
    """
    return 2 * n / (n1 + n2)


def log_dice(n: pl.Expr, n1: pl.Expr, n2: pl.Expr) -> pl.Expr:
    """logDice (Rychlý 2008), :math:`14 + \\log_2` Dice; at most 14.

    Examples
    --------
    >>> pl.select(log_dice(pl.lit(2.0), pl.lit(2.0), pl.lit(2.0))).item()
    14.0
    """
    return 14 + dice(n, n1, n2).log(2)
