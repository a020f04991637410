"""Accept pandas or polars, compute in polars, return the kind the caller gave.

Every public verb in :mod:`analysis` is wrapped with :func:`tidy`, so users who work in pandas
never see polars and vice versa.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeAlias, TypeVar

import pandas as pd
import polars as pl

F = TypeVar("F", bound=Callable[..., Any])

Frame: TypeAlias = "pl.DataFrame | pd.DataFrame"
"""A table the public verbs accept: a polars or a pandas DataFrame (a type alias for
annotations; test with :func:`is_pandas` or ``isinstance(x, pl.DataFrame)``)."""


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
    if isinstance(data, pd.DataFrame):
        return pl.from_pandas(data)
    docs = getattr(data, "docs", None)  # a Corpus
    if isinstance(docs, pl.DataFrame):
        return docs
    raise TypeError(f"{what} must be a polars or pandas DataFrame, got {type(data).__name__}")


def is_pandas(data: Any) -> bool:
    """True when ``data`` is a pandas DataFrame."""
    return isinstance(data, pd.DataFrame)


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
