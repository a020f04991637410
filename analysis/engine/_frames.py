"""Accept pandas or polars, compute in polars, return the kind the caller gave.

Every public verb in :mod:`analysis` is wrapped with :func:`tidy`, so users who work in pandas
never see polars and vice versa.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import polars as pl

if TYPE_CHECKING:
    import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])

MISSING_GROUP = "(none)"
"""The one label every verb gives a missing group value (no outlet, no date, ...)."""

Frame: TypeAlias = "pl.DataFrame | pd.DataFrame"
"""A table the public verbs accept: a polars or a pandas DataFrame (pandas is imported only
when the caller has imported it: a pandas table cannot exist otherwise)."""


def to_polars(data: Any, *, what: str = "input") -> pl.DataFrame:
    """Return ``data`` as a polars DataFrame, refusing anything that is not a table.

    Examples
    --------
    >>> import pandas as pd
    >>> to_polars(pd.DataFrame({"a": [1, 2]})).shape
    (2, 1)
    >>> to_polars("some text")
    Traceback (most recent call last):
    ...
    TypeError: input must be a polars or pandas DataFrame, got str
    """
    if isinstance(data, pl.DataFrame):
        return data
    if isinstance(data, pl.LazyFrame):
        return data.collect()
    if is_pandas(data):
        return pl.from_pandas(data)
    docs = getattr(data, "docs", None)  # a Corpus
    if isinstance(docs, pl.DataFrame):
        return docs
    raise TypeError(f"{what} must be a polars or pandas DataFrame, got {type(data).__name__}")


def is_pandas(data: Any) -> bool:
    """True when ``data`` is a pandas DataFrame (without importing pandas)."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(data, pd.DataFrame)


def as_kind(result: pl.DataFrame, pandas: bool) -> Frame:
    """Convert a polars result back to pandas when the caller gave pandas."""
    return result.to_pandas() if pandas else result


def require_columns(df: pl.DataFrame, columns: list[str] | tuple[str, ...], *, what: str) -> None:
    """Raise a ``ValueError`` naming the missing columns and the ones that were found.

    Examples
    --------
    >>> require_columns(pl.DataFrame({"doc_id": ["a"]}), ["doc_id", "term"], what="tokens")
    Traceback (most recent call last):
    ...
    ValueError: tokens is missing column(s) ['term']; found ['doc_id']
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} is missing column(s) {missing}; found {df.columns}")


def tidy(func: F) -> F:
    """Decorate a verb whose first argument is a table: polars in, same kind out.

    The wrapped function receives a polars DataFrame and returns one; when the caller passed
    pandas, the result is converted with ``to_pandas()``.
    """

    @functools.wraps(func)
    def wrapper(data: Any, *args: Any, **kwargs: Any) -> Any:
        pandas = is_pandas(data)
        result = func(to_polars(data, what=f"{func.__name__}()'s first argument"), *args, **kwargs)
        if isinstance(result, pl.DataFrame):
            return as_kind(result, pandas)
        return result

    return wrapper  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# the table contract: token tables and count tables

COUNT_COLUMN = "n"
"""The column that makes a table a *count table*: each row stands for ``n`` occurrences."""


def is_count_table(table: pl.DataFrame) -> bool:
    """True for a count table (it has an ``n`` column), False for a token table (one row per
    occurrence, as :func:`analysis.tokenize` returns).

    Examples
    --------
    >>> is_count_table(pl.DataFrame({"doc_id": ["a"], "term": ["x"], "n": [3]}))
    True
    >>> is_count_table(pl.DataFrame({"doc_id": ["a"], "term": ["x"]}))
    False
    """
    return COUNT_COLUMN in table.columns


def with_counts(table: pl.DataFrame) -> pl.DataFrame:
    """``table`` with an Int64 ``n``: its own for a count table, 1 per row for a token table.

    Examples
    --------
    >>> with_counts(pl.DataFrame({"term": ["x", "x"]}))["n"].to_list()
    [1, 1]
    >>> with_counts(pl.DataFrame({"term": ["x"], "n": [3]}))["n"].to_list()
    [3]
    """
    if is_count_table(table):
        return table.with_columns(pl.col(COUNT_COLUMN).cast(pl.Int64))
    return table.with_columns(pl.lit(1, dtype=pl.Int64).alias(COUNT_COLUMN))


def require_tokens(table: pl.DataFrame, *, verb: str) -> None:
    """Refuse a count table where a verb needs token positions (one row per token).

    Examples
    --------
    >>> require_tokens(pl.DataFrame({"term": ["x"], "n": [2]}), verb="kwic()")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: kwic() needs a token table (one row per token, from tokenize()); got a count ...
    """
    if is_count_table(table):
        raise ValueError(
            f"{verb} needs a token table (one row per token, from tokenize()); got a count "
            "table (it has an 'n' column), which has no token positions"
        )
