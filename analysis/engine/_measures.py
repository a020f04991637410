"""Every association and keyness measure, defined once, each with its convention named.

Two families, each written in the form its verbs compute in:

- **Pair association** (polars expressions; :func:`analysis.pairs._collocations.collocations`,
  :func:`analysis.pairs._cooccurrence.cooccurrence`, :func:`analysis.pairs._cooccurrence_counts.
  cooccurrence_counts` and the Dask verbs build their columns from them): arguments are
  float expressions for the joint count ``n`` (:math:`o_{11}`), the marginal counts ``n1``,
  ``n2`` and the total ``N``. :func:`pmi`, :func:`dice`, :func:`log_dice`, and NLTK's
  contingency-table measures :func:`nltk_log_likelihood`, :func:`student_t`,
  :func:`chi_squared` (``nltk.metrics.association.BigramAssocMeasures``, its
  :data:`NLTK_SMALL` guard included).
- **Keyness of a target against a reference** (numpy functions over arrays of counts ``a``
  (target), ``b`` (reference) and the totals of each side; used by
  :func:`analysis.terms._keyness.keyness`): :func:`g2_statistic` (4-cell or 2-cell),
  :func:`chi2_statistic` (quanteda's Yates rule), :func:`log_ratio`, :func:`pct_diff`. They use
  scipy's ``xlogy`` for the exact :math:`0 \\ln 0 = 0` the keyness references (scipy,
  the Lancaster wizard) assume.

Conventions, as the references compute them (tests compare with NLTK and scipy):

- :func:`pmi`: log base 2, :math:`\\log_2(nN) - \\log_2(n_1 n_2)` (NLTK's form), no smoothing.
- :func:`dice`; :func:`log_dice`: :math:`14 + \\log_2` Dice (log base 2, Rychlý 2008).
- :func:`nltk_log_likelihood`: natural log, 4-term G², :math:`10^{-20}` added inside (NLTK).
- :func:`g2_statistic`: natural log, 4-term (Dunning) or 2-term (Lancaster) G², exact
  :math:`0 \\ln 0 = 0`, never negative.
- :func:`student_t`: :math:`10^{-20}` under the root (NLTK).
- :func:`chi_squared`: no continuity correction, null for a margin equal to ``N`` (NLTK's).
- :func:`chi2_statistic`: Yates' 1/2 by quanteda's rule (or always, or never).
- :func:`log_ratio`: log base 2, a zero count replaced by 0.5 (Hardie 2014).
- :func:`pct_diff`: no smoothing, ``inf`` for a zero reference count.

The two G² are one statistic under two conventions (NLTK's smoothing against the exact
form), kept apart because each verb's values are checked against its reference bit for bit.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

import polars as pl

if TYPE_CHECKING:
    import numpy as np

G2Cells = Literal["4-cell", "2-cell"]
Correction = Literal["default", "yates", "none"]

NLTK_SMALL = 1e-20
"""NLTK's guard against division by zero and log of zero (``nltk.metrics.association._SMALL``)."""


# --------------------------------------------------------------------------------------------
# pair association: polars expressions of n, n1, n2, N


def pmi(n: pl.Expr, n1: pl.Expr, n2: pl.Expr, big_n: pl.Expr | float) -> pl.Expr:
    """Pointwise mutual information, :math:`\\log_2 (n N) - \\log_2 (n_1 n_2)` (NLTK's form).

    Log base 2; no smoothing (``-inf`` for ``n = 0``).

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
    """logDice (Rychlý 2008), :math:`14 + \\log_2` Dice (log base 2); at most 14.

    Examples
    --------
    >>> pl.select(log_dice(pl.lit(2.0), pl.lit(2.0), pl.lit(2.0))).item()
    14.0
    """
    return 14 + dice(n, n1, n2).log(2)


def _contingency(n: pl.Expr, n1: pl.Expr, n2: pl.Expr,
                 big_n: pl.Expr) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """NLTK's 2x2 table of a pair, ``(observed, expected)`` in its order
    ``(n_ii, n_oi, n_io, n_oo)``, expected :math:`e_{ij} = R_i C_j / N`."""
    n_oi = n2 - n
    n_io = n1 - n
    n_oo = big_n - n - n_oi - n_io
    expected = [n1 * n2 / big_n, n2 * (big_n - n1) / big_n, (big_n - n2) * n1 / big_n,
                (big_n - n2) * (big_n - n1) / big_n]
    return [n, n_oi, n_io, n_oo], expected


def nltk_log_likelihood(n: pl.Expr, n1: pl.Expr, n2: pl.Expr, big_n: pl.Expr) -> pl.Expr:
    """Log-likelihood G² of a pair as NLTK's ``likelihood_ratio``:
    :math:`2 \\sum_{ij} o_{ij} \\ln(o_{ij} / (e_{ij} + 10^{-20}) + 10^{-20})`.

    Natural log; the 4-term form (all four cells of the 2x2 table); :data:`NLTK_SMALL` added
    inside, so a zero cell gives 0 and the value may be a hair from the exact G² of
    :func:`g2_statistic`; unsigned.

    Examples
    --------
    >>> e = nltk_log_likelihood(pl.lit(2.0), pl.lit(2.0), pl.lit(2.0), pl.lit(4.0))
    >>> round(pl.select(e).item(), 6)  # 2 * (2 ln 2 + 2 ln 2)
    5.545177
    """
    observed, expected = _contingency(n, n1, n2, big_n)
    return 2 * pl.sum_horizontal(
        [o * ((o / (e + NLTK_SMALL) + NLTK_SMALL).log())
         for o, e in zip(observed, expected, strict=True)]
    )


def student_t(n: pl.Expr, n1: pl.Expr, n2: pl.Expr, big_n: pl.Expr) -> pl.Expr:
    """Student's t of a pair as NLTK's ``student_t``:
    :math:`(n - n_1 n_2 / N) / \\sqrt{n + 10^{-20}}` (:data:`NLTK_SMALL` under the root).

    Examples
    --------
    >>> pl.select(student_t(pl.lit(4.0), pl.lit(4.0), pl.lit(4.0), pl.lit(16.0))).item()
    1.5
    """
    return (n - n1 * n2 / big_n) / (n + NLTK_SMALL).sqrt()


def chi_squared(n: pl.Expr, n1: pl.Expr, n2: pl.Expr, big_n: pl.Expr) -> pl.Expr:
    """Pearson's chi-squared of a pair as NLTK's ``chi_sq``:
    :math:`N (o_{11} o_{22} - o_{12} o_{21})^2 / (R_1 R_2 C_1 C_2)`.

    No continuity correction (unlike :func:`chi2_statistic`); null when a margin fills the
    table (``n1`` or ``n2`` equal to ``N``), where NLTK divides by zero.

    Examples
    --------
    >>> pl.select(chi_squared(pl.lit(2.0), pl.lit(2.0), pl.lit(2.0), pl.lit(4.0))).item()
    4.0
    >>> pl.select(chi_squared(pl.lit(2.0), pl.lit(4.0), pl.lit(2.0), pl.lit(4.0))).item()
    """
    (n_ii, n_oi, n_io, n_oo), _ = _contingency(n, n1, n2, big_n)
    value = big_n * (n_ii * n_oo - n_oi * n_io) ** 2 / (
        (n_ii + n_oi) * (n_ii + n_io) * (n_oi + n_oo) * (n_io + n_oo)
    )
    return pl.when((n1 < big_n) & (n2 < big_n)).then(value).otherwise(None)


# --------------------------------------------------------------------------------------------
# keyness: numpy functions of a (target), b (reference) and the totals of each side


def g2_statistic(a: np.ndarray, b: np.ndarray, total_a: np.ndarray, total_b: np.ndarray,
                 *, cells: G2Cells = "4-cell") -> np.ndarray:
    """Unsigned log-likelihood G² for counts ``a`` (target) and ``b`` (reference).

    Natural log; ``0 ln 0 = 0`` exactly (scipy's ``xlogy``); never negative (rounding below
    zero is clipped). ``4-cell``: the 4-term ``2 Σ O ln(O/E)`` over the 2x2 table
    (a, b, total_a - a, total_b - b) with ``E = row total x column total / N`` (Dunning 1993;
    scipy's ``chi2_contingency(..., lambda_="log-likelihood", correction=False)``).
    ``2-cell``: the 2-term form of the Lancaster log-likelihood wizard,
    ``2 (a ln(a/E1) + b ln(b/E2))`` with ``E1 = total_a (a + b) / N`` and
    ``E2 = total_b (a + b) / N`` (Rayson & Garside 2000).

    Examples
    --------
    >>> import numpy as np
    >>> g = g2_statistic(np.array([10]), np.array([0]), np.array([100]), np.array([100]),
    ...                  cells="2-cell")
    >>> round(float(g[0]), 6)  # 2 * 10 * ln(10 / 5)
    13.862944
    """
    import numpy as np
    from scipy import special

    a, b = np.asarray(a, float), np.asarray(b, float)
    ta, tb = np.asarray(total_a, float), np.asarray(total_b, float)
    n = ta + tb
    e_a = ta * (a + b) / n
    e_b = tb * (a + b) / n
    g2 = special.xlogy(a, a / e_a) + special.xlogy(b, b / e_b)
    if cells == "4-cell":
        c, d = ta - a, tb - b
        e_c = ta * (c + d) / n
        e_d = tb * (c + d) / n
        g2 = g2 + special.xlogy(c, c / e_c) + special.xlogy(d, d / e_d)
    elif cells != "2-cell":
        raise ValueError(f"g2 must be '4-cell' or '2-cell', got {cells!r}")
    return np.maximum(2.0 * g2, 0.0)


def chi2_statistic(a: np.ndarray, b: np.ndarray, total_a: np.ndarray, total_b: np.ndarray,
                   *, correction: Correction = "default") -> np.ndarray:
    """Unsigned Pearson chi-squared for the 2x2 table (a, b, total_a - a, total_b - b).

    ``chi2 = N (|ad - bc| - N δ)² / ((a+b)(c+d)(a+c)(b+d))`` with Yates' ``δ = 1/2`` applied
    as quanteda's ``textstat_keyness`` does: with ``"default"`` only when some expected count
    is below 5 *and* ``|ad - bc| >= N/2``; with ``"yates"`` whenever ``|ad - bc| >= N/2``;
    never with ``"none"``.

    Examples
    --------
    >>> import numpy as np
    >>> x = chi2_statistic(np.array([10]), np.array([0]), np.array([100]), np.array([100]),
    ...                    correction="none")
    >>> round(float(x[0]), 6)  # 200 * (10 * 100 - 0 * 90)**2 / (10 * 190 * 100 * 100)
    10.526316
    """
    import numpy as np

    a, b = np.asarray(a, float), np.asarray(b, float)
    ta, tb = np.asarray(total_a, float), np.asarray(total_b, float)
    c, d = ta - a, tb - b
    n = ta + tb
    ad_bc = np.abs(a * d - b * c)
    if correction == "none":
        delta = np.zeros_like(a)
    elif correction in ("default", "yates"):
        apply = ad_bc >= n / 2
        if correction == "default":
            small = ((a + b) * ta / n < 5) | ((a + b) * tb / n < 5) | (
                (c + d) * ta / n < 5) | ((c + d) * tb / n < 5)
            apply = apply & small
        delta = np.where(apply, 0.5, 0.0)
    else:
        raise ValueError(f"correction must be 'default', 'yates' or 'none', got {correction!r}")
    return n * (ad_bc - n * delta) ** 2 / ((a + b) * (c + d) * ta * tb)


def log_ratio(a: np.ndarray, b: np.ndarray, total_a: np.ndarray,
              total_b: np.ndarray) -> np.ndarray:
    """Hardie's Log Ratio, :math:`\\log_2((a / T_a) / (b / T_b))`, signed.

    Log base 2 (+1: twice as frequent in the target); a zero count is replaced by 0.5 (so the
    value stays finite).

    Examples
    --------
    >>> import numpy as np
    >>> r = log_ratio(np.array([10.0, 0.0]), np.array([5.0, 4.0]), np.array([1000.0] * 2),
    ...               np.array([2000.0] * 2))
    >>> r.round(12).tolist()  # log2(0.01 / 0.0025); log2(0.0005 / 0.002): 0 read as 0.5
    [2.0, -2.0]
    """
    import numpy as np

    return np.log2(np.where(a > 0, a, 0.5) / total_a) - np.log2(np.where(b > 0, b, 0.5) / total_b)


def pct_diff(a: np.ndarray, b: np.ndarray, total_a: np.ndarray,
             total_b: np.ndarray) -> np.ndarray:
    """Gabrielatos & Marchi's %DIFF, :math:`100 (a/T_a - b/T_b) / (b/T_b)`, signed.

    No smoothing: ``inf`` when ``b = 0``.

    Examples
    --------
    >>> import numpy as np
    >>> pct_diff(np.array([10.0, 1.0]), np.array([5.0, 0.0]), np.array([100.0] * 2),
    ...          np.array([100.0] * 2)).tolist()
    [100.0, inf]
    """
    import numpy as np

    freq_t, freq_r = a / total_a, b / total_b
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, 100.0 * (freq_t - freq_r) / np.where(b > 0, freq_r, 1.0),
                        math.inf)
