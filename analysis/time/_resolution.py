"""Resolution of date mentions: the calendar date a match of the grammar refers to.

The rules are a table, :data:`DATE_RULES`: one :class:`DateRule` per form of the grammar
(:data:`analysis.time._grammar.DATE_PATTERN`; the weekday with a date has two, with and without
a year), each with its name, the form, whether it is absolute or relative, how it resolves, and
an example with its anchor date and what it yields. :func:`resolve_mention` is the interpreter.
The table is documented in ``docs/dates.md`` and every rule's example is a test
(``tests/time/test_date_rules.py``).

Terms used by the rules: ``pub`` is the publication date, the anchor of relative mentions;
``future`` is a future cue (:data:`analysis.time._grammar.FUTURE_CUE`: "will", "would",
"begins", "ahead of", "scheduled", ...) in the 80 characters before the mention, in its
sentence. Relative mentions of an undated document keep a null date and the note
"unresolved: no publication date".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from analysis.time._grammar import (
    FUTURE_CUE,
    MONTHS,
    NUMBERS,
    SEASONS,
    WEEKDAYS,
    YEAR_PREPOSITIONS,
    Granularity,
    Kind,
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


def _year_ok(mention: Mention) -> bool:
    """A bare four-digit year counts after a time word, or when no lower-case word follows.

    After the weak links "of", "to" and "and", a following plural word vetoes it ("2,000
    troops and 2000 tanks").
    """
    m, text = mention.match, mention.text
    pre = (m.group("y_pre") or "").strip().lower().rstrip("-")
    after = text[m.end():m.end() + 40]
    if pre in {"of", "to", "and"}:
        return not re.match(r"\s+[a-z]+s\b", after)
    if pre in YEAR_PREPOSITIONS:
        return True
    return not re.match(r"\s*(?:[a-z]|km|m\b|kg)", after)


UNRESOLVED = "unresolved: no publication date"
"""The note of a relative mention in a document without a publication date."""


@dataclass
class Mention:
    """A match of the grammar in its document: what a rule's functions look at."""

    match: re.Match[str]
    text: str
    """The document's text."""
    sentence: str
    """The text of the sentence before the match (at most 80 characters)."""
    pub: date | None
    """The publication date."""
    prev: tuple[int, str | None]
    """The end offset and granularity of the previous mention (``(-1, None)``: none)."""

    def group(self, *names: str) -> str:
        """The first of the groups ``names`` that took part in the match ("May 16" and "16 May"
        put the month in different groups)."""
        for name in names:
            value = self.match.group(name)
            if value:
                return value
        raise KeyError(names)

    @cached_property
    def future(self) -> bool:
        """True when a future cue precedes the mention in its sentence."""
        return bool(FUTURE_CUE.search(self.sentence))

    @property
    def anchor(self) -> date:
        """The publication date (relative rules are only resolved when there is one)."""
        assert self.pub is not None
        return self.pub

    def after(self, words: str) -> bool:
        """True when one of ``words`` (a regular-expression alternation, capitalised or not)
        stands just before the mention ("by the fall", "until May")."""
        m = self.match
        lead = self.text[max(0, m.start() - 8):m.start() + 7]
        return bool(re.search(rf"\b(?:{words})\b", lead))


@dataclass(frozen=True)
class DateRule:
    """How one form of the grammar becomes a date.

    Attributes
    ----------
    name
        The rule's name.
    form
        The alternative of :data:`analysis.time._grammar.DATE_PATTERN` it applies to (the
        match's ``lastgroup``).
    kind
        ``"absolute"`` (the text fixes the date) or ``"relative"`` (resolved against ``pub``;
        unresolved when there is none).
    granularity
        The granularity of the mention's date; ``None``: the word in group ``unit``.
    resolves
        How it resolves, in words (for the documentation).
    resolve
        The mention to its date (the first day of the period), or ``None``: not a date.
    example
        A text with the mention.
    anchor
        The example's publication date (``None``: undated, which an absolute rule needs not).
    yields
        What the example gives: the mention's text, its date and its granularity.
    when
        For a form with several rules: when this one applies (``None``: otherwise).
    keep
        ``False`` drops the match before resolution: it is not a date ("2000 troops",
        "February 30").
    start
        The group where the mention starts (``None``: where the match starts).
    unit
        The group whose word is the granularity ("two weeks ago": week), for a rule whose
        ``granularity`` is ``None``.
    note
        The mention and its date to a note, or ``None``.
    """

    name: str
    form: str
    kind: Kind
    granularity: Granularity | None
    resolves: str
    resolve: Callable[[Mention], date | None]
    example: str
    anchor: date | None
    yields: tuple[str, date | None, Granularity]
    when: Callable[[re.Match[str]], bool] | None = None
    keep: Callable[[Mention], bool] | None = None
    start: str | None = None
    unit: str | None = None
    note: Callable[[Mention, date], str | None] | None = None

    def __post_init__(self) -> None:
        if (self.granularity is None) == (self.unit is None):
            raise ValueError(f"date rule {self.name!r}: give a granularity or a unit group")

    def granularity_of(self, m: re.Match[str]) -> str:
        """The granularity of a match of the rule's form."""
        return m.group(self.unit) if self.unit else str(self.granularity)


def _month(m: Mention, *groups: str) -> int:
    return _month_num(m.group(*groups))


def _month_and_day(m: Mention, prefix: str) -> tuple[int, int]:
    """The month and day of the grammar's month-and-day part whose groups start with ``prefix``
    ("May 16" fills ``<prefix>m`` and ``<prefix>d``, "16 May" ``<prefix>m2`` and
    ``<prefix>d2``)."""
    return (_month(m, f"{prefix}m", f"{prefix}m2"),
            int(m.group(f"{prefix}d", f"{prefix}d2")))


def _weekday_conflict(m: Mention, d: date) -> str | None:
    weekday = m.group("wd_wd")
    if d.weekday() == WEEKDAYS[weekday.lower()]:
        return None
    return (f"weekday conflict: the text says {weekday} but {d.isoformat()} is a "
            f"{d.strftime('%A')}; the date wins")


def _valid_month_day(prefix: str) -> Callable[[Mention], bool]:
    """A ``keep``: the month and day make a date in some year ("February 30" does not)."""
    def keep(m: Mention) -> bool:
        return _valid(2000, *_month_and_day(m, prefix)) is not None
    return keep


def _after_a_month(m: Mention) -> bool:
    """A coordinated month follows a month mention with only blanks between them."""
    end, granularity = m.prev
    return granularity == "month" and not m.text[end:m.match.start()].strip()


def _ago(m: Mention) -> date:
    word = m.group("ago_n").lower()
    n = int(word) if word.isdigit() else NUMBERS[word]
    unit, pub = m.group("ago_u"), m.anchor
    if unit == "day":
        return pub - timedelta(days=n)
    if unit == "week":
        d = pub - timedelta(days=7 * n)
        return d - timedelta(days=d.weekday())
    if unit == "month":
        return _month_start(pub, -n)
    return date(pub.year - n, 1, 1)


def _this_unit(m: Mention) -> date:
    shift = {"last": -1, "this": 0, "next": 1}[m.group("rel_rel").lower()]
    unit, pub = m.group("rel_u"), m.anchor
    if unit == "week":
        return pub - timedelta(days=pub.weekday()) + timedelta(days=7 * shift)
    if unit == "month":
        return _month_start(pub, shift)
    return date(pub.year + shift, 1, 1)


def _month_after_preposition(m: Mention) -> date:
    future = m.future or m.after("[Bb]y")
    return resolve_month(_month(m, "pm_m", "cm_m"), m.anchor, future=future)


def _season_after_preposition(m: Mention) -> date:
    future = m.future or m.after("[Bb]y|[Bb]efore|[Uu]ntil|[Tt]ill")
    return resolve_season(m.group("ps_s"), m.anchor, future=future)


DATE_RULES: tuple[DateRule, ...] = (
    DateRule(
        "weekday, date and year", "wdate", "absolute", "day",
        "the date; a weekday that contradicts it is recorded in the note",
        lambda m: _valid(int(m.group("wd_y")), *_month_and_day(m, "wd_")),
        example="The law was signed on Monday, Feb. 21, 2022.", anchor=None,
        yields=("Monday, Feb. 21, 2022", date(2022, 2, 21), "day"),
        when=lambda m: bool(m.group("wd_y")), note=_weekday_conflict),
    DateRule(
        "weekday and date", "wdate", "relative", "day",
        "as a month and day (the weekday's \"last\" or \"next\" is not read); a weekday that "
        "contradicts the date is recorded in the note",
        lambda m: resolve_month_day(*_month_and_day(m, "wd_"), m.anchor, future=m.future),
        example="Xi arrived on Monday, March 20.", anchor=date(2023, 3, 22),
        yields=("Monday, March 20", date(2023, 3, 20), "day"),
        keep=_valid_month_day("wd_"), note=_weekday_conflict),
    DateRule(
        "full date", "full", "absolute", "day", "the date",
        lambda m: _valid(int(m.group("f_y")), *_month_and_day(m, "f_")),
        example="The vote is on the 16th of May, 2024.", anchor=None,
        yields=("the 16th of May, 2024", date(2024, 5, 16), "day")),
    DateRule(
        "ISO date", "iso", "absolute", "day", "the date",
        lambda m: _valid(int(m.group("iso_y")), int(m.group("iso_m")), int(m.group("iso_d"))),
        example="Filed in Kyiv on 2024-05-16.", anchor=None,
        yields=("2024-05-16", date(2024, 5, 16), "day")),
    DateRule(
        "month and year", "my", "absolute", "month", "the month",
        lambda m: date(int(m.group("my_y")), _month(m, "my_m"), 1),
        example="He praised the plan of February 2023.", anchor=None,
        yields=("February 2023", date(2023, 2, 1), "month")),
    DateRule(
        "season and year", "sy", "absolute", "season",
        "the season of that year (meteorological: spring from 1 March, summer 1 June, "
        "autumn/fall 1 September, winter 1 December, named for the year it starts in)",
        lambda m: date(int(m.group("sy_y")), SEASONS[m.group("sy_s").lower()], 1),
        example="The dam was finished in the spring of 2019.", anchor=None,
        yields=("spring of 2019", date(2019, 3, 1), "season")),
    DateRule(
        "month and day", "md", "relative", "day",
        "the year of pub, or the previous year when that date would be more than 28 days after "
        "pub; with a future cue the first such date on or after pub; \"last\"/\"next\" strictly "
        "before/after pub. February 29 goes to the nearest leap year in that direction",
        lambda m: resolve_month_day(*_month_and_day(m, "md_"), m.anchor, future=m.future,
                                    rel=_rel(m.match, "md_rel")),
        example="The talks of December 28 failed.", anchor=date(2024, 1, 3),
        yields=("December 28", date(2023, 12, 28), "day"),
        keep=_valid_month_day("md_")),
    DateRule(
        "units ago", "ago", "relative", None,
        "pub minus N days, weeks (the Monday of that week), months (the first of that month) or "
        "years (1 January of that year)",
        _ago,
        example="Russia invaded two years ago.", anchor=date(2024, 3, 22),
        yields=("two years ago", date(2022, 1, 1), "year"), unit="ago_u"),
    DateRule(
        "this, last or next week, month, year", "rel", "relative", None,
        "the week (from Monday), month or year of pub, the one before or the one after; "
        "\"earlier this month\" is this month",
        _this_unit,
        example="Prices rose last week.", anchor=date(2023, 3, 22),
        yields=("last week", date(2023, 3, 13), "week"), unit="rel_u"),
    DateRule(
        "this, last or next season", "relseason", "relative", "season",
        "\"this\": the season containing pub; \"last\": the last one ended before pub; "
        "\"next\": the first one starting after pub",
        lambda m: resolve_season(m.group("rs_s"), m.anchor, rel=_rel(m.match, "rs_rel")),
        example="The dam broke last summer.", anchor=date(2023, 3, 22),
        yields=("last summer", date(2022, 6, 1), "season")),
    DateRule(
        "this, last or next month name", "relmonth", "relative", "month",
        "\"this May\": May of pub's year; \"last May\": the last May begun before pub's month; "
        "\"next May\": the first May starting after pub",
        lambda m: resolve_month(_month(m, "rm_m"), m.anchor, rel=_rel(m.match, "rm_rel")),
        example="The vote was held last November.", anchor=date(2023, 3, 22),
        yields=("last November", date(2022, 11, 1), "month")),
    DateRule(
        "yesterday, tomorrow", "yt", "relative", "day", "the day before or after pub",
        lambda m: m.anchor + timedelta(days=-1 if m.group("yt_w").lower() == "yesterday" else 1),
        example="He left Kyiv yesterday.", anchor=date(2023, 3, 22),
        yields=("yesterday", date(2023, 3, 21), "day")),
    DateRule(
        "season after a preposition", "pseason", "relative", "season",
        "the season containing or nearest to pub (ties: the past one); after \"by\", "
        "\"before\", \"until\", \"till\" or with a future cue the first not ended before pub",
        _season_after_preposition,
        example="Troops will leave by the fall.", anchor=date(2023, 3, 22),
        yields=("by the fall", date(2023, 9, 1), "season")),
    DateRule(
        "month after a preposition", "pmonth", "relative", "month",
        "the year of pub unless the month starts more than 31 days after pub (then the "
        "previous year); after \"by\" or with a future cue the first such month not ended "
        "before pub",
        _month_after_preposition,
        example="The offensive began in May.", anchor=date(2023, 3, 22),
        yields=("in May", date(2022, 5, 1), "month")),
    DateRule(
        "coordinated month", "cmonth", "relative", "month",
        "a month joined to a month mention just before it (\"in March and April\"): as a "
        "month after a preposition; without one it is dropped",
        _month_after_preposition,
        example="Strikes hit the grid in March and April.", anchor=date(2023, 3, 22),
        yields=("April", date(2023, 4, 1), "month"),
        keep=_after_a_month, start="cm_m"),
    DateRule(
        "weekday", "wd", "relative", "day",
        "the most recent such day on or before pub; with a future cue the first on or after; "
        "\"last\" strictly before, \"next\" strictly after, \"this\" in the week (Monday to "
        "Sunday) of pub",
        lambda m: resolve_weekday(WEEKDAYS[m.group("w_wd").lower()], m.anchor,
                                  future=m.future, rel=_rel(m.match, "w_rel")),
        example="Talks began on Tuesday.", anchor=date(2023, 3, 22),
        yields=("Tuesday", date(2023, 3, 21), "day")),
    DateRule(
        "year", "year", "absolute", "year",
        "1 January of the year; a four-digit number followed by a lower-case word only after "
        "a time preposition (\"in 2014 annexed\" yes, \"2000 troops\" no)",
        lambda m: date(int(m.group("y_y")), 1, 1),
        example="Crimea was annexed in 2014.", anchor=None,
        yields=("2014", date(2014, 1, 1), "year"),
        keep=_year_ok, start="y_y"),
)
"""The rules, one per form of the grammar (two for the weekday with a date)."""

_BY_FORM: dict[str, tuple[DateRule, ...]] = {}
for _r in DATE_RULES:
    _BY_FORM[_r.form] = (*_BY_FORM.get(_r.form, ()), _r)


def rule_for(m: re.Match[str]) -> DateRule:
    """The rule of a match of :data:`analysis.time._grammar.DATE_PATTERN`.

    Examples
    --------
    >>> from analysis.time._grammar import DATE_PATTERN
    >>> [rule_for(m).name for m in DATE_PATTERN.finditer("Monday, May 16, 2022 and two years ago")]
    ['weekday, date and year', 'units ago']
    """
    for rule in _BY_FORM[str(m.lastgroup)]:
        if rule.when is None or rule.when(m):
            return rule
    raise AssertionError(m.lastgroup)  # pragma: no cover (the last rule of a form has no when)


def resolve_mention(m: re.Match[str], text: str, sentence: str, pub: date | None,
                    prev: tuple[int, str | None]
                    ) -> tuple[int, date | None, str, str, str | None] | None:
    """(start offset, date, granularity, kind, note) of one match, or None to drop it.

    The match's rule (:func:`rule_for`) decides: a ``keep`` that fails drops it; a relative
    rule without a publication date gives a null date and the note :data:`UNRESOLVED`; else the
    rule's ``resolve`` gives the date (``None``: dropped) and its ``note`` the note.

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
    rule = rule_for(m)
    mention = Mention(m, text, sentence, pub, prev)
    if rule.keep is not None and not rule.keep(mention):
        return None
    start = m.start(rule.start) if rule.start else m.start()
    granularity = rule.granularity_of(m)
    if rule.kind == "relative" and pub is None:
        return start, None, granularity, "relative", UNRESOLVED
    d = rule.resolve(mention)
    if d is None:
        return None
    return start, d, granularity, rule.kind, rule.note(mention, d) if rule.note else None
