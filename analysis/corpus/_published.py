"""Publication dates as written in metadata and tables: parsing, partial dates, day/month order.

Rules (see ``docs/loading.md``):

- A date is read as written; time and zone are dropped. Nothing is ever filled from today's date.
- Year-only (``2022``) and month-only (``May 2022``, ``2022-05``) dates resolve to the first day
  of the year or month, and their precision (``"year"``, ``"month"``; ``"day"`` for full dates)
  is kept in ``Corpus.docs["published_precision"]``. A date without a year (``May 14``,
  ``12``, ``Thursday``) is not a date: null, with a note.
- All-numeric dates that do not start with the year (``03/04/2022``) are ambiguous. Their order
  is decided once per column: from the column's unambiguous values (``31/12/2022`` says day
  first), else month first; a note says which and why. ``dayfirst=`` overrides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

Precision = Literal["day", "month", "year"]

_ISO_PREFIX = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")  # ISO 8601 basic: always Y-M-D
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_YEAR_MONTH = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})\s*$")
_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})[-/.](\d{4})\s*$")
_NUMERIC = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:$|[T\s,])")
_DEFAULTS = (datetime(2000, 1, 1), datetime(2004, 2, 2))


def parse_published(value: Any, *, dayfirst: bool = False) -> tuple[date | None, Precision | None]:
    """Parse one publication date: ``(date, precision)``, ``(None, None)`` when it is not one.

    Examples
    --------
    >>> parse_published("2022-08-01T16:23:25Z")
    (datetime.date(2022, 8, 1), 'day')
    >>> parse_published("May 2022"), parse_published("2022")
    ((datetime.date(2022, 5, 1), 'month'), (datetime.date(2022, 1, 1), 'year'))
    >>> parse_published("May 14"), parse_published("12")
    ((None, None), (None, None))

    ``YYYYMMDD`` is ISO 8601's basic form, year-month-day whatever ``dayfirst`` says:

    >>> parse_published("20230301", dayfirst=True), parse_published("20231301")
    ((datetime.date(2023, 3, 1), 'day'), (None, None))
    """
    if value is None:
        return None, None
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    text = str(value).strip()
    if not text or not re.search(r"\d", text):
        return None, None
    if text.isdigit() and len(text) not in (4, 8):
        return None, None  # a bare number is a date only as YYYY or YYYYMMDD
    try:
        if m := _ISO_PREFIX.match(text) or _COMPACT.match(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "day"
        if m := _YEAR.match(text):
            return date(int(m.group(1)), 1, 1), "year"
        if m := _YEAR_MONTH.match(text):
            return date(int(m.group(1)), int(m.group(2)), 1), "month"
        if m := _MONTH_YEAR.match(text):
            return date(int(m.group(2)), int(m.group(1)), 1), "month"
        from dateutil import parser

        first, second = (parser.parse(text, default=d, dayfirst=dayfirst) for d in _DEFAULTS)
    except (ValueError, OverflowError, TypeError):
        return None, None
    if first.year != second.year:
        return None, None  # no year written
    if first.month != second.month:
        return date(first.year, 1, 1), "year"
    if first.day != second.day:
        return date(first.year, first.month, 1), "month"
    return first.date(), "day"


def parse_date(value: Any, *, dayfirst: bool = False) -> date | None:
    """Parse one publication date written in any common format; None when it cannot be read.

    Year-first forms (``2022-08-01T16:23:25Z``, ``2022/06/23``) are read as year-month-day; other
    numeric forms follow ``dayfirst`` (``False``: ``03/04/2022`` is 4 March); written forms
    (``14 May 2024``, ``May 14, 2024``) are unambiguous. Time and zone are dropped: the date is
    the one written. Partial dates give the first day (see :func:`parse_published`).

    Examples
    --------
    >>> [parse_date(s) for s in ["2022-08-01T16:23:25Z", "2022/06/23", "14 May 2024"]]
    [datetime.date(2022, 8, 1), datetime.date(2022, 6, 23), datetime.date(2024, 5, 14)]
    >>> parse_date("not a date") is None, parse_date("31/02/2022") is None
    (True, True)
    """
    return parse_published(value, dayfirst=dayfirst)[0]


def infer_dayfirst(values: Sequence[Any]) -> tuple[bool, str | None]:
    """Decide the day/month order of a column of dates once: ``(dayfirst, note)``.

    Only all-numeric dates that do not start with the year count. Values with a first number
    above 12 say day first, a second number above 12 month first; when the column has ambiguous
    values (both numbers 12 or less) the note says how they were read.

    Examples
    --------
    >>> infer_dayfirst(["03/04/2022", "31/12/2022"])
    (True, "day/month order inferred as day first from values such as '31/12/2022'")
    >>> infer_dayfirst(["2022-04-03", "31/12/2022"])
    (True, None)
    >>> infer_dayfirst(["03/04/2022"])[0]
    False
    """
    day_first: list[str] = []
    month_first: list[str] = []
    ambiguous: list[str] = []
    for value in dict.fromkeys(v for v in values if isinstance(v, str)):
        m = _NUMERIC.match(value)
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            day_first.append(value.strip())
        elif b > 12 >= a:
            month_first.append(value.strip())
        elif a <= 12 and b <= 12:
            ambiguous.append(value.strip())
    if not ambiguous:
        return bool(day_first and not month_first), None
    if day_first and month_first:
        return False, (
            f"day/month order mixed: {day_first[0]!r} is day first, {month_first[0]!r} month "
            f"first; {len(ambiguous)} ambiguous values such as {ambiguous[0]!r} read as month "
            "first (pass dayfirst= to choose)"
        )
    if day_first:
        return True, f"day/month order inferred as day first from values such as {day_first[0]!r}"
    if month_first:
        return False, (
            f"day/month order inferred as month first from values such as {month_first[0]!r}"
        )
    return False, (
        f"day/month order ambiguous: {len(ambiguous)} values such as {ambiguous[0]!r} read as "
        "month first (pass dayfirst=True if they are day first)"
    )


def parse_published_column(
    values: Sequence[Any], *, dayfirst: bool | None = None
) -> tuple[list[date | None], list[Precision | None], str | None]:
    """Parse one column of dates: ``(dates, precisions, note about the day/month order)``.

    ``dayfirst=None`` infers the order from the column (:func:`infer_dayfirst`); each distinct
    value is parsed once.

    Examples
    --------
    >>> dates, precision, note = parse_published_column(["03/04/2022", "31/12/2022", "2022"])
    >>> [str(d) for d in dates], precision
    (['2022-04-03', '2022-12-31', '2022-01-01'], ['day', 'day', 'year'])
    """
    note = None
    if dayfirst is None:
        dayfirst, note = infer_dayfirst(values)
    cache: dict[Any, tuple[date | None, Precision | None]] = {}
    dates: list[date | None] = []
    precisions: list[Precision | None] = []
    for value in values:
        key = value if isinstance(value, (str, date)) else repr(value)
        if key not in cache:
            cache[key] = parse_published(value, dayfirst=dayfirst)
        d, p = cache[key]
        dates.append(d)
        precisions.append(p)
    return dates, precisions, note
