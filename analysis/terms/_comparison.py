"""Comparing groups of documents: a group column per token, and the two sides of a keyness table.

:func:`add_group` derives a group column (an outlet, or a period such as ``published:year``)
from the documents table and joins it onto the tokens, so any counting verb can run "by year";
:func:`compare_groups` does that, counts, and settles the target and reference of a keyness
comparison (with documented fallbacks), returning a :class:`GroupComparison`.

(Moved here from :mod:`analysis.terms._frequency`, which re-exports these names.)
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import polars as pl

from analysis.engine._frames import (
    MISSING_GROUP,
    as_kind,
    is_pandas,
    require_columns,
    tidy,
    to_polars,
)
from analysis.engine._options import warn_renamed
from analysis.engine._term_counts import term_counts
from analysis.terms._frequency import frequency_columns

if TYPE_CHECKING:
    from analysis.engine._frames import Frame



# --------------------------------------------------------------------------------------------
# grouping


def group_column(by: str) -> str:
    """The name of the column :func:`add_group` creates for the grouping ``by``.

    ``"outlet"`` stays ``"outlet"``; a period ``"published:year"`` becomes ``"published_year"``
    (a colon would clash with Altair's ``field:type`` shorthand).

    Examples
    --------
    >>> group_column("published:month"), group_column("outlet")
    ('published_month', 'outlet')
    """
    return by.replace(":", "_")


EVERY_UNITS = {"1y": "year", "1q": "quarter", "1mo": "month", "1w": "week", "1d": "day"}
"""The periods a grouping can take (``every=``, polars duration syntax) and their label unit."""


def resolve_grouping(verb: str, by: str | None, every: str | None,
                     date_column: str = "published", *, default: str | None = None,
                     stacklevel: int = 4) -> str | None:
    """The grouping ``by=`` / ``every=`` ask for, in the internal ``"column[:unit]"`` form.

    ``by`` names a document column (``"outlet"``); ``every`` a calendar period of
    ``date_column`` (``"1y"``, ``"1q"``, ``"1mo"``, ``"1w"``, ``"1d"``; labelled ``"2024"``,
    ``"2024-Q2"``, ``"2024-05"``, ``"2024-W20"``, ``"2024-05-16"``). The old period spelling
    ``by="published:year"`` still works for one release, with a DeprecationWarning.

    Examples
    --------
    >>> (resolve_grouping("add_group", None, "1mo"),
    ...  resolve_grouping("add_group", "outlet", None))
    ('published:month', 'outlet')
    """
    if by is not None and not isinstance(by, str):
        raise TypeError(f"{verb}(): by must be a column name such as 'outlet'; got {by!r}")
    if by and ":" in by:
        column, _, unit = by.partition(":")
        old = {u: e for e, u in EVERY_UNITS.items()}.get(unit)
        if old is None or every is not None:
            raise ValueError(f"{verb}(): by names a column; give a period as every= "
                             f"(one of {list(EVERY_UNITS)}); got by={by!r}")
        note = f"every={old!r}" + ("" if column == "published" else f", date_column={column!r}")
        warn_renamed(verb, "by", "every", f"by= names columns now; by={by!r} is {note}",
                     stacklevel=stacklevel)
        return by
    if by and every is not None:
        raise ValueError(f"{verb}(): give by= (a column) or every= (a period), not both")
    if every is not None:
        if every not in EVERY_UNITS:
            raise ValueError(f"{verb}(): every must be a period unit of {list(EVERY_UNITS)}; "
                             f"got {every!r}")
        return f"{date_column}:{EVERY_UNITS[every]}"
    return by or default


def _period_expr(col: str, unit: str) -> pl.Expr:
    """A string label for the period of a date column: 2024, 2024-Q2, 2024-05, 2024-W20, ..."""
    c = pl.col(col)
    if unit == "year":
        return c.dt.year().cast(pl.String)
    if unit == "quarter":
        return pl.format("{}-Q{}", c.dt.year(), c.dt.quarter())
    if unit == "month":
        return c.dt.strftime("%Y-%m")
    if unit == "week":
        return pl.format("{}-W{}", c.dt.iso_year(), c.dt.week().cast(pl.String).str.zfill(2))
    if unit == "day":
        return c.dt.strftime("%Y-%m-%d")
    raise ValueError(
        f"period unit must be one of year, quarter, month, week, day; got {unit!r}"
    )


@tidy
def add_group(tokens: Frame, docs: Any, *, by: str | None = None, every: str | None = None,
              date_column: str = "published", name: str | None = None) -> Frame:
    """Join a group column, taken or derived from the documents table, onto the tokens.

    Parameters
    ----------
    tokens
        Any table with a ``doc_id`` column (tokens, n-grams, ...).
    docs
        A :class:`~analysis.corpus._load.Corpus` or its ``docs`` table (``doc_id`` plus the column
        named in ``by``, or ``date_column``).
    by
        A document column to copy (``"outlet"``).
    every
        A period of ``date_column`` instead: ``"1y"`` (``"2024"``), ``"1q"`` (``"2024-Q2"``),
        ``"1mo"`` (``"2024-05"``), ``"1w"`` (ISO week, ``"2024-W20"``) or ``"1d"``
        (``"2024-05-16"``). Neither ``by`` nor ``every``: ``every="1y"``. (The old spelling
        ``by="published:year"`` still works for one release, with a DeprecationWarning.)
    date_column
        The date column ``every`` reads.
    name
        Name of the new column; default the column's name, or ``<date_column>_<unit>`` for a
        period (``published_year``).

    Returns
    -------
    DataFrame
        ``tokens`` with one more column (String). Documents without a value (or tokens whose
        ``doc_id`` is not in ``docs``) get ``"(none)"``. Row order is kept.

    Examples
    --------
    >>> import polars as pl, datetime as dt
    >>> docs = pl.DataFrame({"doc_id": ["a", "b"], "outlet": ["EFE", None],
    ...                      "published": [dt.date(2024, 5, 16), dt.date(2023, 2, 22)]})
    >>> toks = pl.DataFrame({"doc_id": ["a", "b", "b"], "term": ["x", "y", "z"]})
    >>> add_group(toks, docs, every="1mo")["published_month"].to_list()
    ['2024-05', '2023-02', '2023-02']
    >>> add_group(toks, docs, by="outlet")["outlet"].to_list()
    ['EFE', '(none)', '(none)']
    """
    tokens = cast("pl.DataFrame", tokens)  # @tidy hands the body a polars DataFrame
    grouping = cast("str", resolve_grouping("add_group", by, every, date_column,
                                            default=f"{date_column}:year", stacklevel=5))
    return _add_group(tokens, docs, by=grouping, name=name)


def _add_group(tokens: pl.DataFrame, docs: Any, *, by: str, name: str | None) -> pl.DataFrame:
    """:func:`add_group` of a grouping in the internal ``"column[:unit]"`` form."""
    table = to_polars(docs, what="add_group()'s docs")
    column, _, unit = by.partition(":")
    require_columns(tokens, ["doc_id"], what="tokens")
    require_columns(table, ["doc_id", column], what="docs")
    out_name = name or group_column(by)
    if out_name in tokens.columns:
        raise ValueError(f"tokens already has a column {out_name!r}; pass another name=")
    if unit:
        dtype = table.schema[column]
        if dtype == pl.String:
            parsed = table[column].str.to_date(strict=False)
            bad = table[column].filter(parsed.is_null() & table[column].is_not_null())
            if bad.len():
                raise ValueError(
                    f"docs column {column!r} is not a date column: cannot read "
                    f"{bad.unique().sort().head(3).to_list()} as dates (YYYY-MM-DD); "
                    f"a period grouping ('{column}:{unit}') needs dates"
                )
            table = table.with_columns(parsed)
        elif not dtype.is_temporal():
            raise ValueError(
                f"docs column {column!r} is {dtype}, not a date; a period grouping "
                f"('{column}:{unit}') needs dates"
            )
        value = _period_expr(column, unit)
    else:
        value = pl.col(column).cast(pl.String)
    groups = table.select(pl.col("doc_id"), value.alias(out_name)).unique("doc_id", keep="first")
    out = tokens.join(groups, on="doc_id", how="left", maintain_order="left")
    return out.with_columns(pl.col(out_name).fill_null(MISSING_GROUP))


# --------------------------------------------------------------------------------------------
# comparing groups


@dataclass(frozen=True, eq=False)
class GroupComparison:
    """What :func:`compare_groups` resolved: the counts, the grouping and the two sides.

    Attributes
    ----------
    counts
        :func:`term_frequency` output grouped by ``group_column`` (ready for :func:`keyness`,
        :func:`tf_idf` and :func:`plot_top_terms`).
    by
        The grouping used: the one asked for, or the fallback.
    group_column
        The column of ``counts`` holding the group (:func:`group_column` of ``by``).
    target
        The target group.
    reference
        The reference groups, in sort order.
    sizes
        One row per group, sorted by group: the group column, ``documents`` (documents of
        ``docs`` in the group), ``tokens`` (counted tokens, the sum of ``n``),
        ``distinct_terms`` and ``role`` (``"target"``, ``"reference"`` or ``"not compared"``).
    statement
        One sentence for a report saying which comparison this is and why
        (:func:`analysis.report.choose.choose_comparison` fills it; empty otherwise).
    possible
        False when no comparison could be made (then ``target`` is ``""``).
    """

    counts: Frame
    by: str
    group_column: str
    target: str
    reference: tuple[str, ...]
    sizes: Frame
    statement: str = ""
    possible: bool = True

    @property
    def reference_label(self) -> str:
        """The reference groups joined with ``" + "``, for chart legends and titles."""
        return " + ".join(self.reference)


def _names(value: str | Sequence[str] | None, *, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return [v for v in value if v]
    raise TypeError(f"{what} must be a group name (str), a list of them or None; got {value!r}")


def compare_groups(
    tokens: Frame,
    docs: Any,
    *,
    by: str | None = None,
    every: str | None = None,
    date_column: str = "published",
    target: str | None = None,
    reference: str | Sequence[str] | None = None,
    fallback: str | None = "1mo",
) -> GroupComparison:
    """Group the tokens, count terms per group and settle which groups :func:`keyness` compares.

    The steps a report takes before a keyness table, with its fallbacks spelled out:
    :func:`add_group` then :func:`term_frequency` by the group column, then the choice of the
    target and reference groups.

    Parameters
    ----------
    tokens
        The token table of :func:`analysis.tokenize` (or :func:`analysis.tokens._phrases.compound`).
    docs
        A :class:`~analysis.corpus._load.Corpus` or its ``docs`` table (see :func:`add_group`).
    by, every, date_column
        The grouping, as in :func:`add_group`: a column (``by="outlet"``) or a period
        (``every="1y"``, the default when neither is given).
    target
        The group to compare (a value of the group column, e.g. ``"2024"``). ``None`` or ``""``:
        the last group in sort order (the latest period; for outlets, the alphabetically last).
        A name that is not a group falls back the same way, with a warning.
    reference
        The group(s) to compare against. ``None``, ``""`` or ``[]``: all groups but the target.
        Names that are not groups, or that equal the target, are dropped with a warning; if
        none is left, all groups but the target are used.
    fallback
        The period (``every=`` syntax, ``"1mo"``) or column to group by instead when the
        grouping puts every counted token in one group (a corpus from a single year), with a
        warning; ``None`` for no fallback.

    Returns
    -------
    GroupComparison
        ``counts``, ``by``, ``group_column``, ``target``, ``reference`` (a tuple) and
        ``sizes``; ``counts`` and ``sizes`` are pandas when ``tokens`` is.

    Raises
    ------
    ValueError
        When the grouping (and the fallback) gives fewer than two groups with counted tokens,
        or when a column is missing (from :func:`add_group` / :func:`term_frequency`).
    TypeError
        When ``by``, ``fallback``, ``target`` or ``reference`` is not text.

    Warns
    -----
    UserWarning
        Naming the grouping, target or reference actually used whenever a fallback applies.

    Notes
    -----
    Groups are the values of the group column that have at least one counted token
    (stop-words and punctuation excluded), sorted as text. Documents without a value (undated
    documents for a period grouping, documents without an outlet) are labelled ``"(none)"`` by
    :func:`add_group` but never form a group of the comparison: they are listed in ``sizes``
    with the role ``"not compared"`` and counted on neither side.

    Examples
    --------
    >>> import polars as pl, datetime as dt
    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c"],
    ...                      "published": [dt.date(2023, 2, 1), dt.date(2024, 5, 1),
    ...                                    dt.date(2024, 6, 1)]})
    >>> toks = pl.DataFrame({"doc_id": ["a", "a", "b", "c"],
    ...                      "term": ["xi", "putin", "putin", "putin"],
    ...                      "is_stop": [False] * 4, "is_punct": [False] * 4})
    >>> cmp = compare_groups(toks, docs, target="2024")
    >>> cmp.group_column, cmp.target, cmp.reference
    ('published_year', '2024', ('2023',))
    >>> cmp.sizes
    shape: (2, 5)
    ┌────────────────┬───────────┬────────┬────────────────┬───────────┐
    │ published_year ┆ documents ┆ tokens ┆ distinct_terms ┆ role      │
    │ ---            ┆ ---       ┆ ---    ┆ ---            ┆ ---       │
    │ str            ┆ i64       ┆ i64    ┆ i64            ┆ str       │
    ╞════════════════╪═══════════╪════════╪════════════════╪═══════════╡
    │ 2023           ┆ 1         ┆ 2      ┆ 2              ┆ reference │
    │ 2024           ┆ 2         ┆ 2      ┆ 1              ┆ target    │
    └────────────────┴───────────┴────────┴────────────────┴───────────┘
    """
    pandas = is_pandas(tokens)
    table = to_polars(tokens, what="compare_groups()'s tokens")
    documents = to_polars(docs, what="compare_groups()'s docs")
    if by is not None and (not isinstance(by, str) or not by):
        raise TypeError(f"by must be a column name such as 'outlet' or None; got {by!r}")
    by = cast("str", resolve_grouping("compare_groups", by, every, date_column,
                              default=f"{date_column}:year"))
    if fallback is not None and not isinstance(fallback, str):
        raise TypeError(f"fallback must be a period such as '1mo', a column or None; "
                        f"got {fallback!r}")
    if fallback in EVERY_UNITS:
        fallback = resolve_grouping("compare_groups", None, fallback, date_column)
    elif fallback:
        fallback = resolve_grouping("compare_groups", fallback, None, date_column)
    if target is not None and not isinstance(target, str):
        raise TypeError(f"target must be a group name (str) or None; got {target!r}")
    wanted_refs = _names(reference, what="reference")

    require_columns(table, ["doc_id", "term", "is_stop", "is_punct"], what="tokens")

    def grouped(grouping: str) -> tuple[pl.DataFrame, list[str]]:
        column = group_column(grouping)

        def label(rows: pl.DataFrame) -> pl.DataFrame:
            return _add_group(rows, documents, by=grouping, name=None)

        # term_frequency by the group, counted per batch of whole documents
        counts = frequency_columns(term_counts(table, [column], prepare=label), [column])
        return counts, sorted(g for g in counts[column].unique().to_list() if g != MISSING_GROUP)

    tried = [by]
    counts, groups = grouped(by)
    if len(groups) == 1 and fallback and fallback != by:
        only = groups[0]
        counts, groups = grouped(fallback)
        warnings.warn(
            f"every counted token is in one {group_column(by)} group ({only!r}); "
            f"grouping by {fallback!r} instead",
            UserWarning,
            stacklevel=2,
        )
        by = fallback
        tried.append(fallback)
    column = group_column(by)
    if len(groups) < 2:
        raise ValueError(
            "comparing groups needs at least two groups with counted tokens; grouping by "
            f"{' then '.join(map(repr, tried))} gives {groups}"
        )
    chosen = groups[-1]
    if target and target in groups:
        chosen = target
    elif target:
        warnings.warn(
            f"target {target!r} is not a {column} group (groups: {groups}); "
            f"comparing {chosen!r}, the last group, instead",
            UserWarning,
            stacklevel=2,
        )
    others = [g for g in groups if g != chosen]
    refs = sorted({r for r in wanted_refs if r in others})
    dropped = [r for r in wanted_refs if r not in refs]
    if not refs:
        refs = others
    if dropped:
        warnings.warn(
            f"reference {dropped} not usable (not a {column} group other than the target "
            f"{chosen!r}; groups: {groups}); comparing against {refs}",
            UserWarning,
            stacklevel=2,
        )
    ids = _add_group(documents.select("doc_id"), documents, by=by, name=None)
    role = (pl.when(pl.col(column) == chosen).then(pl.lit("target"))
            .when(pl.col(column).is_in(refs)).then(pl.lit("reference"))
            .otherwise(pl.lit("not compared")))
    sizes = (
        ids.group_by(column).agg(documents=pl.len().cast(pl.Int64))
        .join(counts.group_by(column).agg(tokens=pl.col("n").sum().cast(pl.Int64),
                                          distinct_terms=pl.len().cast(pl.Int64)),
              on=column, how="full", coalesce=True)
        .with_columns(pl.col("documents", "tokens", "distinct_terms").fill_null(0), role=role)
        .sort(column)
    )
    return GroupComparison(counts=as_kind(counts, pandas), by=by, group_column=column,
                           target=chosen, reference=tuple(refs), sizes=as_kind(sizes, pandas))
