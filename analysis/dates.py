"""Dates the articles talk about: temporal expressions, resolved against the publication date.

:func:`extract_dates` finds temporal expressions ("Thursday, May 16", "February 2022", "on
Tuesday", "last month", "by the fall") with a regular-expression grammar and resolves each to a
calendar date with an explicit granularity, using the document's publication date as the anchor
for partial and relative expressions. :func:`events` turns the mentions into a chronology (one
row per referred date with the sentences and documents behind it); :func:`plot_events` draws
the news cycle against the chronology.

Why a grammar and not ``dateparser``: ``dateparser.search.search_dates`` (and
``dateutil.parser.parse(fuzzy=True)``) turn numbers that are not dates into dates ("12-point
plan", "31 Abrams tanks", "$15.6 billion", "100 years") and resolve "on Tuesday" or "May 15"
without the rules news needs (most recent past weekday, previous year for dates far in the
future, a weekday contradicting the date; it even reads "we" as Wednesday). On the 166
hand-labelled mentions in ``tests/data/`` the grammar has precision 0.976 and recall 0.970,
``search_dates`` 0.491 and 0.657 (``bench/date_parsers.py``). Calendar arithmetic uses
the standard library.

Granularities are day, week, month, season and year: "this week" and "last week" need a week.

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
from bisect import bisect_right
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

if TYPE_CHECKING:
    import altair as alt

from analysis.frames import require_columns, tidy, to_polars
from analysis.tokenize import tokenize

if TYPE_CHECKING:
    import altair as alt

Granularity = Literal["day", "week", "month", "season", "year"]
Kind = Literal["absolute", "relative"]

DATE_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String(),
    "sentence_id": pl.UInt32(),
    "start": pl.UInt32(),
    "end": pl.UInt32(),
    "text": pl.String(),
    "date": pl.Date(),
    "granularity": pl.String(),
    "kind": pl.String(),
    "anchor": pl.Date(),
    "note": pl.String(),
}
"""The columns of :func:`extract_dates`, in order."""

GRANULARITY_ORDER = {"year": 0, "season": 1, "month": 2, "week": 3, "day": 4}

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

_MONTH = (r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|"
          r"November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")
_MONTH_FULL = (r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|"
               r"November|December)")
_DAY = r"(?P<{0}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:.,]\d|%|-\w)"
_YEAR = r"(?P<{0}>(?:1[89]|20)\d\d)(?![\d%]|s\b|-\d|[.,]\d)"
_WEEKDAY = r"(?P<{0}>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_SEASON = r"(?P<{0}>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)"
_REL = r"(?P<{0}>last|this|next|Last|This|Next)"


def _g(pattern: str, name: str) -> str:
    return pattern.format(name)


_MD = (rf"(?:{_g(_MONTH, '{0}m')}\s+{_g(_DAY, '{0}d')}"
       rf"|(?:the\s+)?{_g(_DAY, '{0}d2')}\s+(?:of\s+)?{_g(_MONTH, '{0}m2')})")


def _md(prefix: str) -> str:
    return _MD.replace("{0}", prefix)


_ALTERNATIVES: list[tuple[str, str]] = [
    # weekday + date: "Thursday, May 16", "last Monday, February 20", "Monday, Feb. 22, 2023"
    ("wdate", rf"(?:{_g(_REL, 'wd_rel')}\s+)?{_g(_WEEKDAY, 'wd_wd')},?\s+{_md('wd_')}"
              rf"(?:,?\s+{_g(_YEAR, 'wd_y')})?\b"),
    # full date: "May 16, 2024", "14 May 2024", "the 24th of February, 2022"
    ("full", rf"{_md('f_')},?\s+{_g(_YEAR, 'f_y')}"),
    ("iso", r"(?<![\d-])(?P<iso_y>(?:19|20)\d\d)-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>[0-3]\d)"
            r"(?![\d-])"),
    # month and year: "February 2022", "March of 2023"
    ("my", rf"{_g(_MONTH, 'my_m')},?\s+(?:of\s+)?{_g(_YEAR, 'my_y')}"),
    # season and year: "summer 2022", "the spring of 2023"
    ("sy", rf"{_g(_SEASON, 'sy_s')}\s+(?:of\s+)?{_g(_YEAR, 'sy_y')}"),
    # month and day: "May 15", "Feb. 24", "24 February", "the 24th of February"
    ("md", rf"(?:{_g(_REL, 'md_rel')}\s+)?{_md('md_')}\b"),
    # N units ago: "two years ago", "a week ago"
    ("ago", r"\b(?P<ago_n>\d{1,3}|[Aa]n?|one|two|three|four|five|six|seven|eight|nine|ten|"
            r"eleven|twelve)\s+(?P<ago_u>day|week|month|year)s?\s+ago\b"),
    # this/last/next week|month|year, earlier this month
    ("rel", r"(?<!the\s)(?<!The\s)\b(?:(?P<rel_mod>[Ee]arlier|[Ll]ater|[Ee]arly|[Ll]ate)\s+)?"
            r"(?P<rel_rel>last|this|next|Last|This|Next)\s+(?:coming\s+)?(?P<rel_u>week|month|year)\b"),
    ("relseason", rf"\b{_g(_REL, 'rs_rel')}\s+(?:coming\s+)?{_g(_SEASON, 'rs_s')}\b"),
    ("relmonth", rf"\b{_g(_REL, 'rm_rel')}\s+{_g(_MONTH_FULL, 'rm_m')}\b(?!\s+\d)"),
    ("yt", r"\b(?P<yt_w>[Yy]esterday|[Tt]omorrow)\b"),
    # preposition + season: "by the fall", "in the spring", "during winter"
    ("pseason", r"\b(?:[Ii]n|[Bb]y|[Dd]uring|[Uu]ntil|[Tt]ill|[Ss]ince|[Tt]hroughout|[Bb]efore|"
                rf"[Aa]fter|[Oo]ver)\s+(?:the\s+)?(?:(?:early|late|mid-?)\s*)?{_g(_SEASON, 'ps_s')}"
                r"\b(?!\s+of\b|-|\s+\d|\s+(?:war|olympics|games|palace|solstice|term|session|"
                r"school|holidays?|break|collection|wheat|crops?)\b)"),
    # preposition + month: "in May", "since March", "in early February", "mid-March"
    ("pmonth", r"(?:\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Tt]ill|[Ff]rom|[Bb]efore|[Aa]fter|"
               r"[Dd]uring|[Tt]hroughout|[Tt]hrough|(?:end|beginning|start|middle)\s+of)\s+"
               r"(?:(?:early|late|mid-?)\s*)?|\b(?:[Ee]arly|[Ll]ate)\s+|\b[Mm]id-)"
               rf"{_g(_MONTH_FULL, 'pm_m')}\b(?!\s+\d|'|\s+of\s+\d)"),
    # a month coordinated with the previous one: "in March and April" (checked in code)
    ("cmonth", rf"\b(?:and|or|to|through)\s+{_g(_MONTH_FULL, 'cm_m')}\b(?!\s+\d|'|\s+of\s+\d)"),
    # weekday: "on Tuesday", "last Monday", "Thursday"
    ("wd", rf"(?:\b{_g(_REL, 'w_rel')}\s+)?\b{_g(_WEEKDAY, 'w_wd')}\b"),
    # year alone, filtered in code: "in 2014", "2014's"
    ("year", rf"(?<![\d$£€.,/#-])(?<!No\.\s)(?P<y_pre>\b\w+\s+)?\b{_g(_YEAR, 'y_y')}"),
]

DATE_PATTERN = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _ALTERNATIVES))
"""The grammar: alternatives tried left to right at each position (longest forms first)."""

FUTURE_CUE = re.compile(
    r"\b(?:will|won't|shall|going\s+to|to\s+be\s+held|is\s+due|are\s+due|(?:is|are)\s+set\s+to|"
    r"scheduled|expected\s+to|plans?\s+to|planning\s+to|begins|starts|opens|upcoming|"
    r"ahead\s+of|would|beginning|starting)\b|'ll\b|’ll\b",
    re.IGNORECASE,
)
"""Words that make an undated expression point forward from the publication date."""

YEAR_PREPOSITIONS = frozenset([
    "in", "since", "by", "until", "till", "from", "before", "after", "during", "of", "to", "and",
    "between", "through", "throughout", "early", "late", "mid", "around", "circa", "year",
    "summer", "spring", "autumn", "fall", "winter", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december"
])
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


def _mention(m: re.Match[str], text: str, sentence: str, pub: date | None,
             prev: tuple[int, str | None]
             ) -> tuple[int, date | None, str, str, str | None] | None:
    """(start offset, date, granularity, kind, note) of one match, or None to drop it.

    ``sentence`` is the text of the sentence before the match (at most 80 characters);
    ``prev`` the end offset and granularity of the previous mention.
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
        gran = {"ago": None, "rel": None, "relseason": "season", "relmonth": "month",
                "cmonth": "month",
                "yt": "day", "pseason": "season", "pmonth": "month", "wd": "day"}[kind_]
        if kind_ == "ago":
            gran = m.group("ago_u")
        if kind_ == "rel":
            gran = m.group("rel_u")
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


ANCHOR_PATTERN = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter|[Yy]esterday|[Tt]omorrow|ago"
    r"|(?:last|this|next|Last|This|Next)\s+(?:coming\s+)?(?:week|month|year)"
    r"|(?:1[89]|20)\d\d"
)
"""Words every mention contains (a month, weekday, season, year, "ago", "last week", ...).

Found for all documents at once by polars (Rust ``regex``); the grammar
(:data:`DATE_PATTERN`, Python ``re``) then runs only in a window around each of them, so no
Python regular expression scans the whole text.
"""
LOOK_BEFORE = 32
"""Characters before an anchor word where a mention may start ("in the beginning of early
February": 25)."""
LOOK_AFTER = 48
"""Characters after an anchor word's start searched for the rest of the mention."""


def anchor_offsets(texts: pl.Series) -> pl.Series:
    """Character offsets (list per text) where :data:`ANCHOR_PATTERN` matches, in text order.

    Examples
    --------
    >>> anchor_offsets(pl.Series(["Talks on Monday, May 16.", "no dates", None])).to_list()
    [[9, 17], [], []]
    """
    pieces = texts.fill_null("").str.extract_all(f"(?s).*?(?:{ANCHOR_PATTERN})")
    anchors = texts.fill_null("").str.extract_all(ANCHOR_PATTERN)
    frame = pl.DataFrame({"pieces": pieces, "anchors": anchors})
    ends = pl.col("pieces").list.eval(pl.element().str.len_chars().cum_sum())
    lengths = pl.col("anchors").list.eval(pl.element().str.len_chars())
    return frame.select(
        offsets=pl.concat_list(ends, lengths).list.eval(  # [e1..en, l1..ln] -> e_i - l_i
            pl.element().slice(0, pl.element().len() // 2)
            - pl.element().slice(pl.element().len() // 2)
        )
    )["offsets"].fill_null([]).alias("offsets")


def _matches(text: str, anchors: list[int]) -> list[re.Match[str]]:
    """What ``DATE_PATTERN.finditer(text)`` gives, searching only near the anchors.

    Every match contains an anchor word, starts at most :data:`LOOK_BEFORE` characters before
    it and is complete within :data:`LOOK_AFTER` characters after it (else the search is
    repeated on the rest of the text), so scanning from the last match's end, window by window,
    finds the same leftmost, non-overlapping matches as a scan of every character.
    """
    out: list[re.Match[str]] = []
    pos = 0
    for a in anchors:
        if a < pos:
            continue
        lo = max(pos, a - LOOK_BEFORE)
        hi = a + LOOK_AFTER
        while True:
            m = DATE_PATTERN.search(text, lo, hi)
            if m is not None and m.end() + 16 > hi and hi < len(text):
                m = DATE_PATTERN.search(text, lo)  # near the window's edge: no cut-off
            if m is None or m.start() > a:
                break
            out.append(m)
            pos = lo = m.end()
            if pos > a:
                break
    return out


BATCH_DOCS = 5_000
"""Documents scanned for anchor words at a time (bounds the memory of the polars pass)."""


def _sentence_starts(tokens: Any) -> dict[str, list[int]] | None:
    """``{doc_id: [start offset of sentence 1, 2, ...]}`` from a token table, or ``None``."""
    if tokens is None:
        return None
    table = to_polars(tokens, what="extract_dates()'s tokens")
    require_columns(table, ["doc_id", "sentence_id", "start"], what="tokens")
    firsts = (
        table.group_by("doc_id", "sentence_id")
        .agg(pl.col("start").min())
        .sort("doc_id", "sentence_id")
        .group_by("doc_id", maintain_order=True)
        .agg(pl.col("start"), pl.col("sentence_id"))
    )
    out: dict[str, list[int]] = {}
    for doc_id, starts, sids in firsts.iter_rows():
        if sids != list(range(1, len(sids) + 1)):
            raise ValueError(f"tokens: sentence ids of document {doc_id!r} are not 1, 2, ...; "
                             "pass the unfiltered table of analysis.tokenize")
        out[doc_id] = starts
    return out


def _doc_mentions(doc_id: str, text: str, pub: date | None, anchors: list[int],
                  starts: list[int]) -> list[tuple[Any, ...]]:
    matches = _matches(text, anchors)
    if not matches:
        return []
    rows: list[tuple[Any, ...]] = []
    prev: tuple[int, str | None] = (-1, None)
    for m in matches:
        sid = max(bisect_right(starts, m.start()), 1)
        s_start = starts[sid - 1] if starts else 0
        before = text[max(s_start, m.start() - 80):m.start()]
        got = _mention(m, text, before, pub, prev)
        if got is None:
            continue
        start, d, gran, kind, note = got
        prev = (m.end(), gran)
        sid = max(bisect_right(starts, start), 1)
        rows.append((doc_id, sid, start, m.end(), text[start:m.end()], d, gran, kind, pub, note))
    return rows


@tidy
def extract_dates(
    docs: pl.DataFrame,
    *,
    text_column: str = "text",
    date_column: str = "published",
    tokens: Any = None,
) -> pl.DataFrame:
    """Temporal expressions in the text, one row per mention, resolved to calendar dates.

    Parameters
    ----------
    docs
        Documents: ``doc_id``, the text column and the publication date column (``pl.Date``
        or datetime; null where unknown). ``Corpus.docs`` or any table with these columns.
    text_column
        The column holding the text.
    date_column
        The publication date column, the anchor of relative expressions. If the table has no
        such column, every document is treated as undated.
    tokens
        The token table of :func:`analysis.tokenize` for these documents (``doc_id``,
        ``sentence_id``, ``start``), e.g. a cached one: its sentences are used instead of
        splitting the documents into sentences again. ``None``: the documents that may
        mention a date are tokenised here (:func:`analysis.tokenize`, for the sentences).

    Returns
    -------
    DataFrame
        One row per mention, sorted by ``doc_id`` and ``start``:

        - ``doc_id``: the document.
        - ``sentence_id``: the sentence (from 1), as in :func:`analysis.tokenize`.
        - ``start``, ``end``: character offsets, ``text[start:end]`` is the mention.
        - ``text``: the mention ("Thursday, May 16", "by the fall", "last month").
        - ``date``: the first day of the referred period (``pl.Date``); null when a relative
          expression cannot be resolved (no publication date).
        - ``granularity``: ``"day"``, ``"week"`` (weeks start on Monday), ``"month"``,
          ``"season"`` or ``"year"``.
        - ``kind``: ``"absolute"`` (the text fixes the date) or ``"relative"`` (resolved
          against the publication date).
        - ``anchor``: the document's publication date (null when unknown).
        - ``note``: null, or why the row is special: a weekday that contradicts the date
          ("weekday conflict: ..."), or "unresolved: no publication date".

    Notes
    -----
    The resolution rules are listed in the module documentation (:mod:`analysis.dates`).
    Not handled: times of day, "today", "now", "the weekend", "last night", holidays and named
    days ("Victory Day"), decades ("the 1990s"), date ranges as one mention ("20–22 March" gives
    no mention; "from March to May" gives only "from March"), numeric dates other than ISO
    ("22/02/2023"), and expressions anchored on another event ("the day before", "a day after").

    Speed: the words every mention contains (:data:`ANCHOR_PATTERN`) are found by polars for
    all documents at once; the grammar runs only in a window around each, and sentences are
    split only for documents with an anchor word (or taken from ``tokens``).

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> docs = pl.DataFrame({"doc_id": ["a"], "published": [date(2023, 3, 22)],
    ...     "text": ["Xi arrived on Monday, March 20. He praised the 12-point plan of "
    ...              "February 2023 and will leave by the fall."]})
    >>> extract_dates(docs).select("sentence_id", "text", "date", "granularity", "kind")
    shape: (3, 5)
    ┌─────────────┬──────────────────┬────────────┬─────────────┬──────────┐
    │ sentence_id ┆ text             ┆ date       ┆ granularity ┆ kind     │
    │ ---         ┆ ---              ┆ ---        ┆ ---         ┆ ---      │
    │ u32         ┆ str              ┆ date       ┆ str         ┆ str      │
    ╞═════════════╪══════════════════╪════════════╪═════════════╪══════════╡
    │ 1           ┆ Monday, March 20 ┆ 2023-03-20 ┆ day         ┆ relative │
    │ 2           ┆ February 2023    ┆ 2023-02-01 ┆ month       ┆ absolute │
    │ 2           ┆ by the fall      ┆ 2023-09-01 ┆ season      ┆ relative │
    └─────────────┴──────────────────┴────────────┴─────────────┴──────────┘
    """
    require_columns(docs, ["doc_id", text_column], what="docs")
    if date_column in docs.columns:
        dtype = docs.schema[date_column]
        if not (dtype == pl.Date or isinstance(dtype, pl.Datetime) or dtype == pl.Null):
            raise ValueError(
                f"docs column {date_column!r} must hold dates (pl.Date), found {dtype}; "
                "parse it first or load the corpus with analysis.load_corpus"
            )
        pub = pl.col(date_column).cast(pl.Date)
    else:
        pub = pl.lit(None, dtype=pl.Date)
    if docs["doc_id"].is_duplicated().any():
        dupes = docs.filter(pl.col("doc_id").is_duplicated())["doc_id"].unique().sort()
        raise ValueError(f"docs: doc_id must be unique (sentences are per document); "
                         f"repeated: {dupes.head(5).to_list()}")
    sentence_starts = _sentence_starts(tokens)
    rows: list[tuple[Any, ...]] = []
    for first in range(0, docs.height, BATCH_DOCS):
        batch = docs.slice(first, BATCH_DOCS).select(
            "doc_id", pl.col(text_column).alias("__text"), pub.alias("__pub"))
        batch = batch.with_columns(__anchors=anchor_offsets(batch["__text"])).filter(
            pl.col("__anchors").list.len() > 0)
        known = sentence_starts
        if known is None:  # sentences of the documents that may mention a date, in one pass
            known = _sentence_starts(tokenize(batch.select("doc_id", text=pl.col("__text")),
                                              stopwords="none"))
        for doc_id, text, day, anchors in batch.iter_rows():
            starts = known.get(doc_id)
            if starts is None:
                raise ValueError(f"document {doc_id!r} is not in tokens; pass the token "
                                 "table of these documents")
            rows.extend(_doc_mentions(doc_id, text, day, anchors, starts))
    out = pl.DataFrame(rows, schema=DATE_SCHEMA, orient="row")
    return out.sort("doc_id", "start", maintain_order=True)


def _sentences(docs: pl.DataFrame, text_column: str = "text") -> pl.DataFrame:
    """``doc_id, sentence_id, sentence`` for every sentence (as :func:`analysis.tokenize`).

    The sentences come from one :func:`analysis.tokenize` pass over the documents (a sentence
    runs from its first token's start to its last token's end), not from splitting each
    document in Python.
    """
    schema = {"doc_id": pl.String, "sentence_id": pl.UInt32, "sentence": pl.String}
    texts = docs.select("doc_id", text=pl.col(text_column)).filter(
        pl.col("text").is_not_null() & (pl.col("text") != "")).unique("doc_id", keep="first")
    if texts.height == 0:
        return pl.DataFrame(schema=schema)
    bounds = (
        tokenize(texts, stopwords="none")
        .group_by("doc_id", "sentence_id")
        .agg(pl.col("start").min(), pl.col("end").max())
    )
    return (
        bounds.join(texts, on="doc_id", how="left")
        .select("doc_id", "sentence_id",
                sentence=pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")))
        .sort("doc_id", "sentence_id")
        .cast(schema)  # type: ignore[arg-type]
    )


@tidy
def date_sentences(dates: pl.DataFrame, docs: Any, *, text_column: str = "text"
                      ) -> pl.DataFrame:
    """The mentions of :func:`extract_dates` with their sentence and document metadata.

    Parameters
    ----------
    dates
        The output of :func:`extract_dates`.
    docs
        The documents the dates were extracted from (``doc_id``, text; ``title`` and
        ``outlet`` are carried along when present).
    text_column
        The column holding the text.

    Returns
    -------
    DataFrame
        The columns of ``dates`` plus ``sentence`` (the sentence's text) and, when ``docs`` has
        them, ``title`` and ``outlet``; same row order.
    """
    doc_table = to_polars(docs, what="docs")
    require_columns(dates, ["doc_id", "sentence_id"], what="dates")
    require_columns(doc_table, ["doc_id", text_column], what="docs")
    wanted = doc_table.filter(pl.col("doc_id").is_in(dates["doc_id"].unique().implode()))
    sents = _sentences(wanted, text_column)
    out = dates.join(sents, on=["doc_id", "sentence_id"], how="left", maintain_order="left")
    extra = [c for c in ("title", "outlet") if c in doc_table.columns and c not in out.columns]
    if extra:
        meta = doc_table.select("doc_id", *extra).unique("doc_id", keep="first")
        out = out.join(meta, on="doc_id", how="left", maintain_order="left")
    return out


@tidy
def events(dates: pl.DataFrame, docs: Any, *, text_column: str = "text",
           min_docs: int = 1) -> pl.DataFrame:
    """One row per distinct referred date: the sentences that mention it and the citing docs.

    Parameters
    ----------
    dates
        The output of :func:`extract_dates` (rows with a null ``date`` are left out).
    docs
        The documents (``doc_id`` and text).
    text_column
        The column holding the text.
    min_docs
        Keep only dates cited by at least this many documents.

    Returns
    -------
    DataFrame
        Sorted chronologically (by ``date``, then coarser granularity first):

        - ``date``, ``granularity``: the referred period.
        - ``n_mentions``: mentions of it.
        - ``n_docs``: documents citing it.
        - ``first_cited``, ``last_cited``: earliest and latest publication date (``anchor``)
          of the citing documents.
        - ``doc_ids``: the citing documents (sorted list).
        - ``mentions``: the distinct mention texts (sorted list).
        - ``sentences``: the distinct sentences mentioning it, in document and text order.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> docs = pl.DataFrame({"doc_id": ["a", "b"],
    ...     "published": [date(2024, 5, 16), date(2023, 3, 1)],
    ...     "text": ["The invasion began in February 2022. Talks on Thursday.",
    ...              "Since February 2022, war."]})
    >>> ev = events(extract_dates(docs), docs)
    >>> ev.select("date", "granularity", "n_docs", "doc_ids")
    shape: (2, 4)
    ┌────────────┬─────────────┬────────┬────────────┐
    │ date       ┆ granularity ┆ n_docs ┆ doc_ids    │
    │ ---        ┆ ---         ┆ ---    ┆ ---        │
    │ date       ┆ str         ┆ u32    ┆ list[str]  │
    ╞════════════╪═════════════╪════════╪════════════╡
    │ 2022-02-01 ┆ month       ┆ 2      ┆ ["a", "b"] │
    │ 2024-05-16 ┆ day         ┆ 1      ┆ ["a"]      │
    └────────────┴─────────────┴────────┴────────────┘
    """
    require_columns(dates, ["doc_id", "sentence_id", "start", "text", "date", "granularity",
                            "anchor"], what="dates")
    if min_docs < 1:
        raise ValueError(f"min_docs must be at least 1, got {min_docs}")
    m = date_sentences(dates.filter(pl.col("date").is_not_null()), to_polars(docs),
                          text_column=text_column).sort("doc_id", "start")
    out = m.group_by("date", "granularity").agg(
        n_mentions=pl.len().cast(pl.UInt32),
        n_docs=pl.col("doc_id").n_unique().cast(pl.UInt32),
        first_cited=pl.col("anchor").min(),
        last_cited=pl.col("anchor").max(),
        doc_ids=pl.col("doc_id").unique().sort(),
        mentions=pl.col("text").unique().sort(),
        sentences=pl.col("sentence").unique(maintain_order=True),
    )
    out = out.filter(pl.col("n_docs") >= min_docs)
    order = pl.col("granularity").replace_strict(GRANULARITY_ORDER, return_dtype=pl.Int8)
    return out.sort(pl.col("date"), order).select(
        "date", "granularity", "n_mentions", "n_docs", "first_cited", "last_cited", "doc_ids",
        "mentions", "sentences")


def plot_events(
    dates: Any,
    docs: Any,
    *,
    start: date | None = None,
    end: date | None = None,
    years_before: float | None = 2,
    years_after: float | None = 1,
    max_points: int = 5000,
    title: str = "Referred dates against publication dates",
) -> alt.LayerChart:
    """Event timeline: each mention as a point, referred date on x, publication date on y.

    Points on the diagonal are news of the day; points far left of it are the past events the
    articles look back to; vertical stripes are events many articles cite.

    Parameters
    ----------
    dates
        The output of :func:`extract_dates` (unresolved and undated rows are left out).
    docs
        The documents (for the sentences shown in the tooltips).
    start, end
        Limit the referred dates shown (x-axis).
    years_before, years_after
        When ``start`` (``end``) is not given, show referred dates from this many years before
        the first publication date (up to this many after the last); ``None``: no limit. A
        corpus that mentions 1941 and 2030 would otherwise squeeze its news into a sliver; the
        subtitle says how many mentions fall outside.
    max_points
        At most this many mentions are drawn (the chronologically first, by document).
    title
        Chart title.

    Returns
    -------
    alt.LayerChart
        Points coloured by granularity over a dashed diagonal (referred date =
        publication date); tooltip with referred date, granularity, mention, publication date,
        document and the sentence (cut at 300 characters).
    """
    import altair as alt

    d = to_polars(dates, what="plot_events()'s dates")
    d = d.filter(pl.col("date").is_not_null() & pl.col("anchor").is_not_null())
    n_all = d.height
    if start is None and years_before is not None and n_all:
        start = d["anchor"].min() - timedelta(days=round(365.25 * years_before))
    if end is None and years_after is not None and n_all:
        end = d["anchor"].max() + timedelta(days=round(365.25 * years_after))
    if start is not None:
        d = d.filter(pl.col("date") >= start)
    if end is not None:
        d = d.filter(pl.col("date") <= end)
    d = d.sort("date", "doc_id", "start").head(max_points)
    m = date_sentences(d, docs).with_columns(
        sentence=pl.when(pl.col("sentence").str.len_chars() > 300)
        .then(pl.col("sentence").str.slice(0, 300) + "…").otherwise(pl.col("sentence"))
    )
    cols = ["doc_id", "text", "date", "granularity", "anchor", "sentence"]
    cols += [c for c in ("outlet", "note") if c in m.columns]
    points = (
        alt.Chart(m.select(cols).to_pandas())
        .mark_point(filled=True, opacity=0.6, size=60)
        .encode(
            x=alt.X("date:T", title="Referred date", axis=alt.Axis(format="%b %Y", labelAngle=-40)),
            y=alt.Y("anchor:T", title="Publication date", axis=alt.Axis(format="%b %Y")),
            color=alt.Color("granularity:N", sort=list(GRANULARITY_ORDER)),
            tooltip=[alt.Tooltip("date:T", title="referred date", format="%Y-%m-%d"),
                     alt.Tooltip("granularity:N"),
                     alt.Tooltip("text:N", title="mention"),
                     alt.Tooltip("anchor:T", title="published", format="%Y-%m-%d"),
                     alt.Tooltip("doc_id:N", title="document"),
                     *([alt.Tooltip("outlet:N")] if "outlet" in cols else []),
                     alt.Tooltip("sentence:N")],
        )
    )
    lo, hi = m["anchor"].min() or date.today(), m["anchor"].max() or date.today()
    diagonal = (
        alt.Chart(pl.DataFrame({"date": [lo, hi], "anchor": [lo, hi]}).to_pandas())
        .mark_line(color="lightgray", strokeDash=[4, 4])
        .encode(x="date:T", y="anchor:T")
    )
    subtitle = f"{m.height} of {n_all} resolved mentions"
    if start is not None or end is not None:
        subtitle += (f" (referred dates {start.isoformat() if start else '…'} to "
                     f"{end.isoformat() if end else '…'})")
    return alt.layer(diagonal, points).properties(
        width=600, height=320, title=alt.TitleParams(title, subtitle=subtitle))
