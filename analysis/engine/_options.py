"""Deprecated option names: one small helper so every verb retires an old name the same way.

The option vocabulary (``docs/options.md``) gives each idea one name. An old name stays for one
release as a keyword alias: :func:`renamed` maps it to the new name (optionally converting its
value, as ``span`` becomes ``window = span - 1``) and emits a :class:`DeprecationWarning` naming
the new spelling. :func:`removed` retires an option that never had an effect. Where an old name
now means something else (``by`` in :func:`analysis.quote_shares`), the verb itself says so.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])

Rename = str | tuple[str, Callable[[Any], Any], str]
"""The new name, or the new name, a function turning an old value into a new one, and a note
saying how (``"window = span - 1"``)."""


def warn_renamed(verb: str, old: str, new: str, note: str = "", *, stacklevel: int = 3) -> None:
    """Emit the one DeprecationWarning for an old option name (by default at the caller of the
    function that calls this one)."""
    warnings.warn(
        f"{verb}(): {old}= is deprecated; use {new}={' (' + note + ')' if note else ''}"
        f" ({old}= will be removed in the next release)",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def renamed(**renames: Rename) -> Callable[[F], F]:
    """Accept old option names as deprecated keyword aliases of new ones.

    Examples
    --------
    >>> import warnings
    >>> @renamed(top_n="top", span=("window", lambda span: span - 1, "window = span - 1"))
    ... def verb(*, top=None, window=1):
    ...     return top, window
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     verb(top_n=3, span=4)
    (3, 3)
    >>> [str(w.message).split(";")[0] for w in seen]
    ['verb(): top_n= is deprecated', 'verb(): span= is deprecated']
    >>> verb(top=1, top_n=2)
    Traceback (most recent call last):
    TypeError: verb(): pass top= only (top_n= is its deprecated name)
    """

    def decorate(func: F) -> F:
        verb = func.__name__

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, spec in renames.items():
                if old not in kwargs:
                    continue
                new, convert, note = (spec, None, "") if isinstance(spec, str) else spec
                if new in kwargs:
                    raise TypeError(f"{verb}(): pass {new}= only ({old}= is its deprecated name)")
                value = kwargs.pop(old)
                warn_renamed(verb, old, new, note)
                kwargs[new] = value if convert is None else convert(value)
            return func(*args, **kwargs)

        wrapper.__renamed__ = {  # type: ignore[attr-defined]  # read by tests/test_options.py
            old: spec if isinstance(spec, str) else spec[0] for old, spec in renames.items()}
        return cast("F", wrapper)

    return decorate


def removed(**reasons: str) -> Callable[[F], F]:
    """Accept, with a DeprecationWarning, options that had no effect and are gone.

    Examples
    --------
    >>> import warnings
    >>> @removed(progress="it never reported progress")
    ... def verb(x):
    ...     return x
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     verb(1, progress=True)
    1
    >>> str(seen[0].message).split(";")[0]
    'verb(): progress= has no effect and is deprecated'
    """

    def decorate(func: F) -> F:
        verb = func.__name__

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, why in reasons.items():
                if old in kwargs:
                    kwargs.pop(old)
                    warnings.warn(
                        f"{verb}(): {old}= has no effect and is deprecated; {why}; leave it "
                        f"out ({old}= will be removed in the next release)",
                        DeprecationWarning,
                        stacklevel=2,
                    )
            return func(*args, **kwargs)

        wrapper.__removed__ = dict(reasons)  # type: ignore[attr-defined]
        return cast("F", wrapper)

    return decorate
