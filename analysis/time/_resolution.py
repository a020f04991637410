"""Resolution of date mentions: the calendar date a match of the grammar refers to.

Resolution rules (``pub`` = publication date; ``future`` = a future cue such as "will",
"would", "begins", "ahead of", "scheduled" in the 80 characters before the mention, in its
sentence):

- full dates ("May 16, 2024", "14 May 2024", "2024-05-16") are absolute;
- month and day without a year ("May 15"): the year of ``pub``, or the previous year when
  that date would be more than 28 days after ``pub``; with a future cue, the first such date on
  or after ``pub``. "February 29" goes to the nearest leap year in that direction;
- a weekday ("on Tuesday"): the most recent such day on or before ``pub``; with a future cue,
  the first on or after; "last Tuesday" strictly before, "next Tuesday" strictly after, "this
  Tuesday" in the week (Monday to Sunday) of ``pub``;
- weekday with a date ("Monday, February 22"): the date wins; a contradicting weekday is
  recorded in ``note``;
- a month ("in May", "since March", "in March and April"): month granularity, the year of
  ``pub`` unless the month starts more than 31 days after ``pub`` (then the previous year);
  after "by" or with a future cue the first such month not ended before ``pub``; "last May" /
  "next May" / "this May" literally;
- a season ("by the fall", "last winter", "summer 2022"): meteorological seasons (spring from
  1 March, summer 1 June, autumn/fall 1 September, winter 1 December, named for the year it
  starts in): the one containing or nearest to ``pub`` (ties: the past one); after "by",
  "before", "until" or with a future cue the first not ended before ``pub``; "last", "this",
  "next" literally;
- "this/last/next week|month|year", "earlier/later this ...", "N days/weeks/months/years ago",
  "yesterday", "tomorrow": calendar arithmetic on ``pub`` (weeks start on Monday);
- a year alone ("in 2014", "2014's", "since 2014,") is absolute; a four-digit number followed
  by a lower-case word is accepted only after a time preposition ("in 2014 annexed" yes,
  "2000 troops" no).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from analysis.time._grammar import (
    FUTURE_CUE,
    MONTHS,
    NUMBERS,
    SEASONS,
    WEEKDAYS,
    YEAR_PREPOSITIONS,
)

FEW_WEEKS = timedelta(days=28)


def _month_num(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _month_start(d: date, shift: int = 0) -> date:
    n = d.year * 12 + d.month - 1 + shift
    return date(n // 12, n % 12 + 1, 1)


def _month_end(d: date) -> date:
    return _month_start(d, 1) - timedelta(days=1)


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def resolve_month_day(month: int, day: int, pub: date, *, future: bool = False,
                      rel: str | None = None) -> date | None:
    """The date of "<month> <day>" written on ``pub`` (see the module notes).

    Examples
    --------
    >>> resolve_month_day(12, 28, date(2024, 1, 3))
    datetime.date(2023, 12, 28)
    >>> resolve_month_day(5, 15, date(2024, 5, 16))
    datetime.date(2024, 5, 15)
    >>> resolve_month_day(2, 29, date(2023, 3, 1))
    datetime.date(2020, 2, 29)
    >>> resolve_month_day(2, 30, date(2023, 3, 1)) is None
    True
    """
    if _valid(2000, month, day) is None:
        return None
    years = range(pub.year + 8, pub.year - 9, -1)
    cands = [c for y in years if (c := _valid(y, month, day)) is not None]
    if rel in {"last", "next"} or future:
        if rel == "last":
            past = [c for c in cands if c < pub]
            return past[0] if past else None
        ahead = [c for c in cands if (c > pub if rel == "next" else c >= pub)]
        return ahead[-1] if ahead else None
    ok = [c for c in cands if c <= pub + FEW_WEEKS]
    return ok[0] if ok else None


def resolve_weekday(weekday: int, pub: date, *, future: bool = False,
                    rel: str | None = None) -> date:
    """The date of a weekday (Monday = 0) mentioned in an article of ``pub``.

    Examples
    --------
    >>> resolve_weekday(1, date(2023, 3, 22))  # "on Tuesday" in a Wednesday article
    datetime.date(2023, 3, 21)
    >>> resolve_weekday(3, date(2024, 5, 15), future=True)  # "begins Thursday"
    datetime.date(2024, 5, 16)
    >>> resolve_weekday(0, date(2023, 2, 20), rel="last")
    datetime.date(2023, 2, 13)
    """
    delta = (pub.weekday() - weekday) % 7
    if rel == "this":
        return pub - timedelta(days=pub.weekday()) + timedelta(days=weekday)
    if rel == "last":
        return pub - timedelta(days=delta or 7)
    ahead = (weekday - pub.weekday()) % 7
    if rel == "next":
        return pub + timedelta(days=ahead or 7)
    if future:
        return pub + timedelta(days=ahead)
    return pub - timedelta(days=delta)


def resolve_month(month: int, pub: date, *, future: bool = False,
                  rel: str | None = None) -> date:
    """First day of the month "<month>" mentioned in an article of ``pub``.

    Examples
    --------
    >>> resolve_month(5, date(2023, 3, 22), future=True)
    datetime.date(2023, 5, 1)
    >>> resolve_month(11, date(2023, 3, 22))
    datetime.date(2022, 11, 1)
    """
    here = date(pub.year, month, 1)
    cands = [date(pub.year + k, month, 1) for k in (1, 0, -1, -2)]
    if rel == "this":
        return here
    if rel == "last":
        return next(c for c in cands if c < _month_start(pub))
    if rel == "next":
        return [c for c in cands if c > pub][-1]
    if future:
        return [c for c in cands if _month_end(c) >= pub][-1]
    return next(c for c in cands if c <= pub + timedelta(days=31))


def _season_bounds(start: date) -> tuple[date, date]:
    return start, _month_start(start, 3) - timedelta(days=1)


def resolve_season(season: str, pub: date, *, future: bool = False,
                   rel: str | None = None) -> date:
    """First day of the season mentioned in an article of ``pub`` (meteorological seasons).

    Examples
    --------
    >>> resolve_season("fall", date(2023, 3, 22), future=True)
    datetime.date(2023, 9, 1)
    >>> resolve_season("winter", date(2023, 1, 15), rel="this")
    datetime.date(2022, 12, 1)
    >>> resolve_season("summer", date(2022, 8, 1), rel="last")
    datetime.date(2021, 6, 1)
    >>> resolve_season("winter", date(2022, 7, 27))  # "over the winter": the nearer one
    datetime.date(2022, 12, 1)
    >>> resolve_season("spring", date(2022, 7, 27))
    datetime.date(2022, 3, 1)
    """
    m = SEASONS[season.lower()]
    cands = [date(pub.year + k, m, 1) for k in (1, 0, -1, -2)]
    if rel == "this":
        inside = [c for c in cands if c <= pub <= _season_bounds(c)[1]]
        return inside[0] if inside else date(pub.year, m, 1)
    if rel == "last":
        return next(c for c in cands if _season_bounds(c)[1] < pub
                    and not (c <= pub <= _season_bounds(c)[1]))
    if rel == "next":
        return [c for c in cands if c > pub][-1]
    if future:
        return [c for c in cands if _season_bounds(c)[1] >= pub][-1]

    def distance(c: date) -> tuple[int, int]:
        first, last = _season_bounds(c)
        gap = (first - pub).days if pub < first else max(0, (pub - last).days)
        return gap, 0 if c <= pub else 1  # ties: the past one

    return min(cands, key=distance)


def _rel(m: re.Match[str], group: str) -> str | None:
    v = m.group(group)
    return v.lower() if v else None


def _year_ok(m: re.Match[str], text: str) -> bool:
    """A bare four-digit year counts after a time word, or when no lower-case word follows.

    After the weak links "of", "to" and "and", a following plural word vetoes it ("2,000
    troops and 2000 tanks").
    """
    pre = (m.group("y_pre") or "").strip().lower().rstrip("-")
    after = text[m.end():m.end() + 40]
    if pre in {"of", "to", "and"}:
        return not re.match(r"\s+[a-z]+s\b", after)
    if pre in YEAR_PREPOSITIONS:
        return True
    return not re.match(r"\s*(?:[a-z]|km|m\b|kg)", after)


def resolve_mention(m: re.Match[str], text: str, sentence: str, pub: date | None,
                    prev: tuple[int, str | None]
                    ) -> tuple[int, date | None, str, str, str | None] | None:
    """(start offset, date, granularity, kind, note) of one match, or None to drop it.

    Parameters
    ----------
    m
        A match of :data:`analysis.time._grammar.DATE_PATTERN` in ``text``.
    text
        The document's text.
    sentence
        The text of the sentence before the match (at most 80 characters), searched for a
        future cue (:data:`analysis.time._grammar.FUTURE_CUE`).
    pub
        The publication date (``None``: relative mentions stay unresolved).
    prev
        The end offset and granularity of the previous mention (``(-1, None)`` for the first):
        a coordinated month ("in March and April") needs a month just before it.

    Returns
    -------
    tuple or None
        ``(start, date, granularity, kind, note)``; ``None`` when the match is not a date
        ("2000 troops", "February 30").

    Examples
    --------
    >>> from analysis.time._grammar import DATE_PATTERN
    >>> text = "Talks on Tuesday, then 2000 troops."
    >>> [resolve_mention(m, text, text[:m.start()], date(2023, 3, 22), (-1, None))
    ...  for m in DATE_PATTERN.finditer(text)]
    [(9, datetime.date(2023, 3, 21), 'day', 'relative', None), None]
    """
    kind_ = m.lastgroup
    future = bool(FUTURE_CUE.search(sentence))
    if kind_ == "cmonth":
        if prev[1] != "month" or text[prev[0]:m.start()].strip():
            return None
        kind_, start_ = "pmonth", m.start("cm_m")
    else:
        start_ = m.start()
    lead = text[max(0, m.start() - 8):m.start() + 7]
    if (kind_ == "pmonth" and re.search(r"\b[Bb]y\b", lead)) or (
            kind_ == "pseason" and re.search(r"\b(?:[Bb]y|[Bb]efore|[Uu]ntil|[Tt]ill)\b", lead)):
        future = True
    unresolved = "unresolved: no publication date"
    start = start_
    if kind_ == "year":
        if not _year_ok(m, text):
            return None
        start = m.start("y_y")
        return start, date(int(m.group("y_y")), 1, 1), "year", "absolute", None
    if kind_ == "iso":
        d = _valid(int(m.group("iso_y")), int(m.group("iso_m")), int(m.group("iso_d")))
        return (start, d, "day", "absolute", None) if d else None
    if kind_ == "full":
        mon = _month_num(m.group("f_m") or m.group("f_m2"))
        d = _valid(int(m.group("f_y")), mon, int(m.group("f_d") or m.group("f_d2")))
        return (start, d, "day", "absolute", None) if d else None
    if kind_ == "my":
        return start, date(int(m.group("my_y")), _month_num(m.group("my_m")), 1), \
            "month", "absolute", None
    if kind_ == "sy":
        return start, date(int(m.group("sy_y")), SEASONS[m.group("sy_s").lower()], 1), \
            "season", "absolute", None
    if kind_ == "wdate":
        mon = _month_num(m.group("wd_m") or m.group("wd_m2"))
        day = int(m.group("wd_d") or m.group("wd_d2"))
        wd = WEEKDAYS[m.group("wd_wd").lower()]
        if m.group("wd_y"):
            d = _valid(int(m.group("wd_y")), mon, day)
            kind = "absolute"
        elif pub is None:
            return (start, None, "day", "relative", unresolved) \
                if _valid(2000, mon, day) else None
        else:
            d = resolve_month_day(mon, day, pub, future=future)
            kind = "relative"
        if d is None:
            return None
        note = None
        if d.weekday() != wd:
            note = (f"weekday conflict: the text says {m.group('wd_wd')} but "
                    f"{d.isoformat()} is a {d.strftime('%A')}; the date wins")
        return start, d, "day", kind, note
    if kind_ == "md":
        mon = _month_num(m.group("md_m") or m.group("md_m2"))
        day = int(m.group("md_d") or m.group("md_d2"))
        if _valid(2000, mon, day) is None:
            return None
        if pub is None:
            return start, None, "day", "relative", unresolved
        d = resolve_month_day(mon, day, pub, future=future, rel=_rel(m, "md_rel"))
        return (start, d, "day", "relative", None) if d else None
    if pub is None:
        if kind_ == "ago":
            gran = m.group("ago_u")
        elif kind_ == "rel":
            gran = m.group("rel_u")
        else:
            gran_of: dict[str | None, str] = {
                "relseason": "season", "relmonth": "month", "cmonth": "month",
                "yt": "day", "pseason": "season", "pmonth": "month", "wd": "day"}
            gran = gran_of[kind_]
        return start, None, gran, "relative", unresolved
    if kind_ == "wd":
        d = resolve_weekday(WEEKDAYS[m.group("w_wd").lower()], pub, future=future,
                            rel=_rel(m, "w_rel"))
        return start, d, "day", "relative", None
    if kind_ == "yt":
        step = -1 if m.group("yt_w").lower() == "yesterday" else 1
        return start, pub + timedelta(days=step), "day", "relative", None
    if kind_ == "ago":
        word = m.group("ago_n").lower()
        n = int(word) if word.isdigit() else NUMBERS[word]
        unit = m.group("ago_u")
        if unit == "day":
            return start, pub - timedelta(days=n), "day", "relative", None
        if unit == "week":
            d = pub - timedelta(days=7 * n)
            return start, d - timedelta(days=d.weekday()), "week", "relative", None
        if unit == "month":
            return start, _month_start(pub, -n), "month", "relative", None
        return start, date(pub.year - n, 1, 1), "year", "relative", None
    if kind_ == "rel":
        shift = {"last": -1, "this": 0, "next": 1}[m.group("rel_rel").lower()]
        unit = m.group("rel_u")
        if unit == "week":
            monday = pub - timedelta(days=pub.weekday())
            return start, monday + timedelta(days=7 * shift), "week", "relative", None
        if unit == "month":
            return start, _month_start(pub, shift), "month", "relative", None
        return start, date(pub.year + shift, 1, 1), "year", "relative", None
    if kind_ == "relseason":
        d = resolve_season(m.group("rs_s"), pub, rel=_rel(m, "rs_rel"))
        return start, d, "season", "relative", None
    if kind_ == "relmonth":
        d = resolve_month(_month_num(m.group("rm_m")), pub, rel=_rel(m, "rm_rel"))
        return start, d, "month", "relative", None
    if kind_ == "pseason":
        return start, resolve_season(m.group("ps_s"), pub, future=future), "season", \
            "relative", None
    if kind_ == "pmonth":
        name = m.group("pm_m") or m.group("cm_m")
        d = resolve_month(_month_num(name), pub, future=future)
        return start, d, "month", "relative", None
    raise AssertionError(kind_)  # pragma: no cover
