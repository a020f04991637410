"""The grammar of date mentions: word tables and the regular expression of every form.

:data:`DATE_PATTERN` lists the forms a mention takes ("Thursday, May 16", "14 May 2024",
"February 2022", "summer 2022", "two years ago", "last month", "by the fall", "in May",
"on Tuesday", "in 2014"), longest first; :mod:`analysis.time._resolution` turns a match into a
date and :func:`analysis.time._dates.extract_dates` is the verb.

Examples
--------
>>> [m.lastgroup for m in DATE_PATTERN.finditer("On Monday, May 16, 2022 and two years ago")]
['wdate', 'ago']
"""

from __future__ import annotations

import re
from typing import Literal

Granularity = Literal["day", "week", "month", "season", "year"]
Kind = Literal["absolute", "relative"]

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
