"""The English stop-word list that ships with the package, and how to extend or replace it.

The list is NLTK's 179-word English list (copied into ``analysis/data/stopwords_en.txt`` so nothing
is downloaded) plus the clitics NLTK's tokenizer splits off (``'s``, ``n't``, ...). ``us`` is
deliberately *not* a stop-word: lower-cased news text turns "US" (the United States) into ``us``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Literal

from analysis.config import PACKAGE_DATA

STOPWORDS_FILE = PACKAGE_DATA / "stopwords_en.txt"

StopwordSpec = Literal["default", "none"] | Iterable[str]


@functools.cache
def default_stopwords() -> frozenset[str]:
    """Return the shipped English stop-word list (lower case).

    Examples
    --------
    >>> sw = default_stopwords()
    >>> len(sw), "the" in sw, "us" in sw, "'s" in sw
    (187, True, False, True)
    """
    lines = STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def resolve_stopwords(spec: StopwordSpec = "default", extra: Iterable[str] = ()) -> frozenset[str]:
    """Turn a stop-word option into a set of lower-case terms.

    Parameters
    ----------
    spec
        ``"default"`` for the shipped list, ``"none"`` for no stop-words, or an iterable of
        words that replaces the list.
    extra
        Words added to whichever list ``spec`` chose.

    Examples
    --------
    >>> sorted(resolve_stopwords(["The", "of"], extra=["Said"]))
    ['of', 'said', 'the']
    >>> len(resolve_stopwords("none"))
    0
    >>> resolve_stopwords("english")
    Traceback (most recent call last):
    ...
    ValueError: stopwords must be 'default', 'none' or a list of words, got 'english'
    """
    if isinstance(spec, str):
        if spec == "default":
            base: frozenset[str] = default_stopwords()
        elif spec == "none":
            base = frozenset()
        else:
            raise ValueError(
                f"stopwords must be 'default', 'none' or a list of words, got {spec!r}"
            )
    else:
        base = frozenset(w.lower() for w in spec)
    return base | frozenset(w.lower() for w in extra)
