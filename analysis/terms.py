"""Term counts, tf-idf and keyness: which words dominate, and which set one group apart.

Three tidy verbs build on the token table of :func:`analysis.tokenize`:

- :func:`term_frequency` counts terms per group (document, outlet, year, whole corpus);
- :func:`tf_idf` weights per-document counts by how rare a term is across documents, under three
  named conventions (tidytext, quanteda, scikit-learn);
- :func:`keyness` compares a target group against a reference with the statistics corpus
  linguists use (log-likelihood G², chi-squared, Log Ratio, %DIFF).

:func:`add_group` derives a group column (an outlet, or a period such as ``published:year``)
from the documents table and joins it onto the tokens, so any of these can run "by year";
:func:`compare_groups` does that, counts, and settles the target and reference of a keyness
comparison (with documented fallbacks), returning a :class:`GroupComparison`.
The ``plot_*`` functions turn the results into Altair charts.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast

import polars as pl

if TYPE_CHECKING:
    import altair as alt
    import numpy as np

from analysis.comparison import (  # moved to analysis.comparison; re-exported here
    GroupComparison,
    add_group,
    compare_groups,
    group_column,
)
from analysis.frames import (
    Frame,
    is_count_table,
    lexical_codes,
    require_columns,
    tidy,
    to_polars,
    with_counts,
)
from analysis.runs import frequency_table

__all__ = [
    "STAT_COLUMNS",
    "DocumentFrequency",
    "GroupComparison",
    "add_group",
    "combine_document_frequency",
    "compare_groups",
    "document_frequency_part",
    "frequency_columns",
    "group_column",
    "keyness",
    "plot_keyness",
    "plot_tf_idf",
    "plot_top_terms",
    "term_frequency",
    "tf_idf",
]

PeriodUnit = Literal["year", "quarter", "month", "week", "day"]

STAT_COLUMNS: frozenset[str] = frozenset(
    {"n", "total", "per_million", "docfreq", "rank", "tf", "idf", "tf_idf"}
)
"""Columns that :func:`term_frequency` and :func:`tf_idf` add; any other column of a counts
table (besides ``term``) is a group column."""


def _as_by(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


# --------------------------------------------------------------------------------------------
# term frequency


@tidy
def term_frequency(
    tokens: Frame,
    *,
    by: str | Sequence[str] | None = ("doc_id",),
    include_stop: bool = False,
    include_punct: bool = False,
    term_column: str = "term",
) -> Frame:
    """Count terms per group: one row per group and term.

    Parameters
    ----------
    tokens
        The token table of :func:`analysis.tokenize` (or of :func:`analysis.ngrams.ngrams` /
        :func:`analysis.ngrams.compound`): ``doc_id``, ``term``, ``is_stop``, ``is_punct``,
        plus the grouping columns; or a count table (``count_terms``, any table with ``n``),
        whose ``n`` are summed.
    by
        Grouping column(s): ``"doc_id"`` (default), ``"outlet"``, a column made by
        :func:`add_group` such as ``"published_year"``, several columns, or ``None`` for the
        whole corpus.
    include_stop, include_punct
        Count stop-words / punctuation tokens too (both excluded by default; excluded tokens
        count in neither ``n`` nor ``total``).
    term_column
        The column holding the term (``"token"`` counts case-sensitive surface forms).

    Returns
    -------
    DataFrame
        Sorted by group, ``rank`` and ``term``; columns:

        - the ``by`` columns (none for ``by=None``);
        - ``term``;
        - ``n``: occurrences of the term in the group;
        - ``total``: counted tokens in the group (the sum of ``n`` over its terms);
        - ``per_million``: ``n / total * 1_000_000``;
        - ``docfreq``: documents of the group that contain the term (1 when grouping by
          document);
        - ``rank``: 1 for the most frequent term of the group; ties share the lowest rank
          ("competition" ranking: 1, 2, 2, 4).

    Notes
    -----
    The sum of ``n`` is the number of counted tokens, so per-group counts add up to the
    counts of ``by=None``.

    Examples
    --------
    >>> import polars as pl
    >>> toks = pl.DataFrame({"doc_id": ["a", "a", "a", "b", "b"],
    ...                      "term": ["putin", "xi", "putin", "xi", "the"],
    ...                      "is_stop": [False, False, False, False, True],
    ...                      "is_punct": [False] * 5})
    >>> term_frequency(toks, by=None)
    shape: (2, 6)
    ┌───────┬─────┬───────┬─────────────┬─────────┬──────┐
    │ term  ┆ n   ┆ total ┆ per_million ┆ docfreq ┆ rank │
    │ ---   ┆ --- ┆ ---   ┆ ---         ┆ ---     ┆ ---  │
    │ str   ┆ i64 ┆ i64   ┆ f64         ┆ i64     ┆ i64  │
    ╞═══════╪═════╪═══════╪═════════════╪═════════╪══════╡
    │ putin ┆ 2   ┆ 4     ┆ 500000.0    ┆ 1       ┆ 1    │
    │ xi    ┆ 2   ┆ 4     ┆ 500000.0    ┆ 2       ┆ 1    │
    └───────┴─────┴───────┴─────────────┴─────────┴──────┘
    >>> term_frequency(toks)["n"].to_list()
    [2, 1, 1]
    """
    tokens = cast("pl.DataFrame", tokens)  # @tidy hands the body a polars DataFrame
    groups = _as_by(by)
    need = ["doc_id", term_column, *groups]
    if not include_stop:
        need.append("is_stop")
    if not include_punct:
        need.append("is_punct")
    try:
        require_columns(tokens, list(dict.fromkeys(need)), what="tokens")
    except ValueError as err:
        hint = ""
        if any(":" in g for g in groups):
            hint = " (a period such as 'published:year' is added first with add_group())"
        raise ValueError(f"{err}{hint}") from None
    kept = tokens
    if not include_stop:
        kept = kept.filter(~pl.col("is_stop"))
    if not include_punct:
        kept = kept.filter(~pl.col("is_punct"))
    keys = [*groups, term_column]
    kept = kept.select(*dict.fromkeys(["doc_id", *keys]),
                       *(["n"] if is_count_table(kept) else []))
    if is_count_table(kept):
        kept = kept.filter(pl.col("n") > 0)
    fast = frequency_table(kept, groups, term_column, is_count_table(kept))
    if fast is not None:  # one packed integer key, grouped by sorting (analysis.runs)
        out = fast
        if groups:
            out = out.with_columns(pl.col(groups[0]).set_sorted())
        return out.rename({term_column: "term"}) if term_column != "term" else out
    # group and sort on integer codes in lexical order (strings decoded at the end)
    decode: dict[str, pl.Series] = {}
    for col in dict.fromkeys(["doc_id", *keys]):
        if kept.schema[col] == pl.String:
            codes, decode[col] = lexical_codes(kept[col])
            kept = kept.with_columns(codes.alias(col))
    count = pl.col("n").sum() if is_count_table(kept) else pl.len()
    docfreq = pl.lit(1) if "doc_id" in groups else pl.col("doc_id").n_unique()
    counts = kept.group_by(keys).agg(n=count.cast(pl.Int64), docfreq=docfreq.cast(pl.Int64))
    out = frequency_columns(counts, groups, term_column)
    out = out.with_columns(decode[c].gather(out[c]).alias(c) for c in keys if c in decode)
    if groups:  # sorted by the codes, so by the decoded values too: keep polars' sorted flag
        out = out.with_columns(pl.col(groups[0]).set_sorted())
    return out.rename({term_column: "term"}) if term_column != "term" else out


def frequency_columns(counts: pl.DataFrame, groups: Sequence[str] = (),
                      term: str = "term") -> pl.DataFrame:
    """The columns of :func:`term_frequency` from counts per group and term (``groups``,
    ``term``, ``n``, ``docfreq``): ``total``, ``per_million`` and ``rank`` added, sorted by
    group, rank and term. Shared by :func:`term_frequency` and
    :func:`analysis.ngrams.ngram_frequency`.

    Examples
    --------
    >>> counts = pl.DataFrame({"term": ["xi", "putin", "un"], "n": [1, 3, 1],
    ...                        "docfreq": [1, 2, 1]})
    >>> frequency_columns(counts).select("term", "total", "rank").rows()
    [('putin', 5, 1), ('un', 5, 2), ('xi', 5, 2)]
    """
    groups = list(groups)
    total = pl.col("n").sum()
    rank = pl.col("n").rank("min", descending=True)
    if groups:
        total = total.over(groups)
        rank = rank.over(groups)
    counts = counts.with_columns(total=total.cast(pl.Int64), rank=rank.cast(pl.Int64))
    counts = counts.with_columns(per_million=pl.col("n") / pl.col("total") * 1_000_000)
    out = counts.select(*groups, term, "n", "total", "per_million", "docfreq", "rank")
    return out.sort([*groups, "rank", term])


# --------------------------------------------------------------------------------------------
# tf-idf


def _group_columns(table: pl.DataFrame) -> list[str]:
    return [c for c in table.columns if c != "term" and c not in STAT_COLUMNS]


def _infer_group(table: pl.DataFrame, given: str | None, *, what: str,
                 prefer: str | None = None) -> str:
    if given is not None:
        require_columns(table, [given], what=what)
        return given
    candidates = _group_columns(table)
    if prefer is not None and prefer in candidates:
        return prefer
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValueError(
            f"{what} has no group column (only {table.columns}); count with "
            "term_frequency(tokens, by=...) grouped by document, outlet or period"
        )
    raise ValueError(f"{what} has several group columns {candidates}; say which with by=...")


TfIdfScheme = Literal["tidytext", "quanteda", "sklearn"]


@tidy
def tf_idf(
    counts: Frame,
    *,
    scheme: TfIdfScheme = "tidytext",
    normalize: bool | None = None,
    document: str | None = None,
) -> Frame:
    """Add term frequency, inverse document frequency and their product to per-document counts.

    Parameters
    ----------
    counts
        One row per document and term with a count ``n``, as ``term_frequency(tokens)`` or
        ``count_terms(docs)`` return (extra statistic columns are ignored); a token table
        (no ``n``) is counted first, every row as one occurrence.
    scheme
        The convention (``N`` = documents in ``counts``, ``df`` = documents containing the
        term, ``n`` = count of the term in the document):

        - ``"tidytext"`` (``bind_tf_idf``): ``tf = n / sum(n of the document)``,
          ``idf = ln(N / df)``;
        - ``"quanteda"`` (``dfm_tfidf`` defaults): ``tf = n``, ``idf = log10(N / df)``;
        - ``"sklearn"`` (``TfidfVectorizer`` defaults, ``smooth_idf=True``): ``tf = n``,
          ``idf = ln((1 + N) / (1 + df)) + 1``.

        In every scheme ``tf_idf = tf * idf``.
    normalize
        Divide each document's ``tf_idf`` by its Euclidean (l2) norm. ``None`` means the
        scheme's default: on for ``"sklearn"`` (``norm="l2"``), off for the others.
    document
        The document column; default ``doc_id``, or the only group column (so counts per
        outlet treat each outlet as one document).

    Returns
    -------
    DataFrame
        One row per document and term, sorted by document, ``tf_idf`` (descending) and
        ``term``: the document column, ``term``, ``n``, ``tf``, ``idf``, ``tf_idf``.

    Warns
    -----
    UserWarning
        When ``counts`` has more than one row for a document-term pair (as tidytext warns);
        their ``n`` are summed.

    Examples
    --------
    >>> import polars as pl
    >>> counts = pl.DataFrame({"doc_id": ["a", "a", "b"], "term": ["putin", "xi", "xi"],
    ...                        "n": [3, 1, 2]})
    >>> tf_idf(counts).select("doc_id", "term", "tf", pl.col("tf_idf").round(4))
    shape: (3, 4)
    ┌────────┬───────┬──────┬────────┐
    │ doc_id ┆ term  ┆ tf   ┆ tf_idf │
    │ ---    ┆ ---   ┆ ---  ┆ ---    │
    │ str    ┆ str   ┆ f64  ┆ f64    │
    ╞════════╪═══════╪══════╪════════╡
    │ a      ┆ putin ┆ 0.75 ┆ 0.5199 │
    │ a      ┆ xi    ┆ 0.25 ┆ 0.0    │
    │ b      ┆ xi    ┆ 1.0  ┆ 0.0    │
    └────────┴───────┴──────┴────────┘
    """
    if scheme not in ("tidytext", "quanteda", "sklearn"):
        raise ValueError(f"scheme must be 'tidytext', 'quanteda' or 'sklearn', got {scheme!r}")
    counts = cast("pl.DataFrame", counts)  # @tidy hands the body a polars DataFrame
    if not is_count_table(counts):  # a token table: one occurrence per row
        require_columns(counts, [document or "doc_id", "term"], what="tokens")
        counts = counts.group_by(document or "doc_id", "term").agg(n=pl.len())
    doc = _infer_group(counts, document, what="counts", prefer="doc_id")
    require_columns(counts, [doc, "term", "n"], what="counts")
    table = counts.select(doc, "term", pl.col("n").cast(pl.Float64))
    dup = table.height - table.select(doc, "term").n_unique()
    if dup:
        warnings.warn(
            f"counts has {dup} repeated {doc}-term row(s); tf-idf expects exactly one row per "
            f"document-term pair (term_frequency(tokens, by={doc!r}) gives that). "
            "Their n were summed.",
            UserWarning,
            stacklevel=3,
        )
        table = table.group_by(doc, "term", maintain_order=True).agg(pl.col("n").sum())
    table = table.filter(pl.col("n") > 0)
    freq = document_frequency_part(table, document=doc)
    n_docs = freq.n_docs
    table = table.join(freq.table.select("term", "docfreq"), on="term", how="left")
    df = pl.col("docfreq").cast(pl.Float64)
    if scheme == "tidytext":
        tf = pl.col("n") / pl.col("n").sum().over(doc)
        idf = (pl.lit(n_docs, pl.Float64) / df).log()
    elif scheme == "quanteda":
        tf = pl.col("n")
        idf = (pl.lit(n_docs, pl.Float64) / df).log10()
    else:
        tf = pl.col("n")
        idf = ((pl.lit(n_docs, pl.Float64) + 1.0) / (df + 1.0)).log() + 1.0
    out = table.with_columns(tf=tf, idf=idf).with_columns(tf_idf=pl.col("tf") * pl.col("idf"))
    if normalize is None:
        normalize = scheme == "sklearn"
    if normalize:
        norm = (pl.col("tf_idf") ** 2).sum().over(doc).sqrt()
        out = out.with_columns(
            tf_idf=pl.when(norm > 0).then(pl.col("tf_idf") / norm).otherwise(pl.col("tf_idf"))
        )
    out = out.select(doc, "term", pl.col("n").cast(pl.Int64), "tf", "idf", "tf_idf")
    return out.sort([doc, "tf_idf", "term"], descending=[False, True, False])


class DocumentFrequency(NamedTuple):
    """The inputs of idf for one or more batches of documents.

    Attributes
    ----------
    table
        The ``by`` columns, ``term``, ``docfreq`` (documents containing the term) and ``n``
        (its occurrences), both Int64.
    n_docs
        Documents with at least one counted term (``N`` of idf).
    """

    table: pl.DataFrame
    n_docs: int


def document_frequency_part(counts: pl.DataFrame, *, document: str = "doc_id",
                            by: Sequence[str] = ()) -> DocumentFrequency:
    """Document frequency of one batch of per-document counts (one row per document and
    term with ``n > 0``; whole documents): batches split by document add up
    (:func:`combine_document_frequency`). Used by :func:`tf_idf` and the Dask verbs.

    Examples
    --------
    >>> counts = pl.DataFrame({"doc_id": ["a", "a", "b"], "term": ["putin", "xi", "xi"],
    ...                        "n": [3, 1, 2]})
    >>> part = document_frequency_part(counts)
    >>> part.table.sort("term").rows(), part.n_docs
    ([('putin', 1, 3), ('xi', 2, 3)], 2)
    """
    keys = [*by, "term"]
    table = counts.group_by(keys).agg(docfreq=pl.len().cast(pl.Int64),
                                      n=pl.col("n").sum().cast(pl.Int64))
    return DocumentFrequency(table, counts[document].n_unique())


def combine_document_frequency(a: DocumentFrequency, b: DocumentFrequency,
                               ) -> DocumentFrequency:
    """Add two batches' :func:`document_frequency_part` (associative, commutative)."""
    keys = [c for c in a.table.columns if c not in ("docfreq", "n")]
    table = pl.concat([a.table, b.table]).group_by(keys).agg(pl.col("docfreq", "n").sum())
    return DocumentFrequency(table, a.n_docs + b.n_docs)


# --------------------------------------------------------------------------------------------
# keyness

KeynessMeasure = Literal["g2", "chi2", "log_ratio", "pct_diff"]
G2Cells = Literal["4-cell", "2-cell"]
Correction = Literal["default", "yates", "none"]
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


def g2_statistic(a: np.ndarray, b: np.ndarray, total_a: np.ndarray, total_b: np.ndarray,
                 *, cells: G2Cells = "4-cell") -> np.ndarray:
    """Unsigned log-likelihood G² for counts ``a`` (target) and ``b`` (reference).

    ``4-cell``: ``2 Σ O ln(O/E)`` over the 2x2 table (a, b, total_a - a, total_b - b) with
    ``E = row total x column total / N`` (Dunning 1993). ``2-cell``: the Lancaster
    log-likelihood wizard's form, ``2 (a ln(a/E1) + b ln(b/E2))`` with
    ``E1 = total_a (a + b) / N`` and ``E2 = total_b (a + b) / N``. ``0 ln 0 = 0``.

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
        Yates' continuity correction of ``chi2`` (see :func:`chi2_statistic`): ``"default"``
        follows quanteda (only for small expected counts), ``"yates"``, ``"none"``. G² is
        never corrected.
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
    group = _infer_group(counts, by, what="counts")
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
    freq_t, freq_r = a / ta, b / tb
    log_ratio = np.log2(np.where(a > 0, a, 0.5) / ta) - np.log2(np.where(b > 0, b, 0.5) / tb)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct_diff = np.where(b > 0, 100.0 * (freq_t - freq_r) / np.where(b > 0, freq_r, 1.0),
                            math.inf)
    out = table.with_columns(
        other_target=total_t - pl.col("n_target"),
        other_reference=total_r - pl.col("n_reference"),
        total_target=pl.lit(total_t, pl.Int64),
        total_reference=pl.lit(total_r, pl.Int64),
        g2=pl.Series(g2_value, dtype=pl.Float64),
        chi2=pl.Series(chi2_value, dtype=pl.Float64),
        p=pl.Series(p, dtype=pl.Float64),
        log_ratio=pl.Series(log_ratio, dtype=pl.Float64),
        pct_diff=pl.Series(pct_diff, dtype=pl.Float64),
    )
    if adjust != "none":
        out = out.with_columns(p_adjusted=pl.Series(_adjust(p, adjust), dtype=pl.Float64))
    return out.sort([measure, "term"], descending=[True, False])


# --------------------------------------------------------------------------------------------
# charts


def _top_per_group(table: pl.DataFrame, group: str | None, value: str, top_n: int) -> pl.DataFrame:
    order = [value, "term"]
    if group is None:
        return table.sort(order, descending=[True, False]).head(top_n)
    ranked = table.sort([group, *order], descending=[False, True, False])
    return ranked.filter(pl.int_range(pl.len()).over(group) < top_n)


def plot_top_terms(
    counts: Frame,
    *,
    top_n: int = 10,
    value: Literal["n", "per_million"] = "n",
    by: str | None = None,
    columns: int = 3,
) -> alt.Chart:
    """Horizontal bars of the most frequent terms, one panel per group.

    Parameters
    ----------
    counts
        :func:`term_frequency` output (any grouping; ``by=None`` gives one panel).
    top_n
        Terms per group (ties broken alphabetically).
    value
        Bar length: raw count ``n`` or ``per_million`` (comparable across groups).
    by
        The group column to facet by; inferred (none when ``counts`` has no group column).
    columns
        Panels per row.

    Returns
    -------
    alt.Chart
        Tooltips show group, term, n, per_million, docfreq and rank.

    Examples
    --------
    >>> import polars as pl
    >>> counts = pl.DataFrame({"outlet": ["A", "A", "B"], "term": ["x", "y", "x"],
    ...                        "n": [3, 1, 2], "per_million": [7.5e5, 2.5e5, 1e6],
    ...                        "docfreq": [1, 1, 1], "rank": [1, 2, 1]})
    >>> type(plot_top_terms(counts)).__name__
    'FacetChart'
    """
    import altair as alt

    table = to_polars(counts, what="plot_top_terms()'s counts")
    require_columns(table, ["term", value], what="counts")
    groups = _group_columns(table)
    group = by if by is not None else (groups[0] if len(groups) == 1 else None)
    if by is None and len(groups) > 1:
        raise ValueError(f"counts has several group columns {groups}; say which with by=...")
    data = _top_per_group(table, group, value, top_n)
    tips = [c for c in [group, "term", "n", "per_million", "docfreq", "rank"]
            if c is not None and c in data.columns]
    tooltip = [alt.Tooltip(f"{c}:Q" if data.schema[c].is_numeric() else f"{c}:N",
                           format=",.1f" if c == "per_million" else "") for c in tips]
    base = alt.Chart(data).mark_bar().encode(
        x=alt.X(f"{value}:Q", title="occurrences" if value == "n" else "per million tokens"),
        y=alt.Y("term:N", sort="-x", title=None),
        tooltip=tooltip,
    ).properties(width=220, height=alt.Step(14))
    if group is None:
        return base.properties(title=f"Top {top_n} terms")
    return base.facet(
        facet=alt.Facet(f"{group}:N", title=group), columns=columns
    ).resolve_scale(y="independent").properties(title=f"Top {top_n} terms by {group}")


def plot_tf_idf(table: Frame, *, top_n: int = 10, document: str | None = None,
                columns: int = 3) -> alt.Chart:
    """Bars of the terms with the highest tf-idf in each document (or group).

    Parameters
    ----------
    table
        :func:`tf_idf` output.
    top_n
        Terms per document (ties broken alphabetically).
    document
        The document column; default ``doc_id`` or the only group column.
    columns
        Panels per row.

    Returns
    -------
    alt.Chart
        One panel per document; tooltips show n, tf, idf and tf_idf. Terms whose tf-idf is 0
        (used by every document or group) are not drawn: with a single group nothing is
        distinctive, and the title says so.

    Examples
    --------
    >>> import polars as pl
    >>> t = tf_idf(pl.DataFrame({"doc_id": ["a", "a", "b"], "term": ["x", "y", "y"],
    ...                          "n": [2, 1, 1]}))
    >>> type(plot_tf_idf(t)).__name__
    'FacetChart'
    """
    import altair as alt

    data = to_polars(table, what="plot_tf_idf()'s table")
    require_columns(data, ["term", "n", "tf", "idf", "tf_idf"], what="tf-idf table")
    doc = _infer_group(data, document, what="tf-idf table", prefer="doc_id")
    data = _top_per_group(data.filter(pl.col("tf_idf") > 0), doc, "tf_idf", top_n)
    title = (f"Top {top_n} terms by tf-idf" if data.height else
             "No distinctive terms: tf-idf needs at least two groups (every term here has idf 0)")
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("tf_idf:Q", title="tf-idf"),
        y=alt.Y("term:N", sort="-x", title=None),
        tooltip=[alt.Tooltip(f"{doc}:N"), alt.Tooltip("term:N"), alt.Tooltip("n:Q"),
                 alt.Tooltip("tf:Q", format=".4f"), alt.Tooltip("idf:Q", format=".4f"),
                 alt.Tooltip("tf_idf:Q", format=".4f")],
    ).properties(width=220, height=alt.Step(14)).facet(
        facet=alt.Facet(f"{doc}:N", title=doc), columns=columns
    ).resolve_scale(y="independent").properties(title=title)


def plot_keyness(
    table: Frame,
    *,
    top_n: int = 15,
    measure: KeynessMeasure = "g2",
    target_label: str = "target",
    reference_label: str = "reference",
) -> alt.Chart:
    """Diverging bars: the top key terms of the target (right) and of the reference (left).

    Parameters
    ----------
    table
        :func:`keyness` output.
    top_n
        Terms on each side (the ``top_n`` largest and ``top_n`` smallest ``measure``).
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
    data = pl.concat([pos.head(top_n), neg.head(top_n)]).with_columns(
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
