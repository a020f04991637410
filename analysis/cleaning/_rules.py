"""Boilerplate rules: the named line and span patterns cleaning removes, and step 5 per line.

A :class:`BoilerplateRule` of scope ``"line"`` removes a whole line when its pattern matches all
of it (stripped, case ignored); one of scope ``"span"`` removes each match inside a line.
:data:`BOILERPLATE_RULES` are the defaults, :data:`WIRE_CREDIT_RULES` the wire credits (not
removed by default). :func:`clean_line` applies compiled rules to one line; it is used by
:func:`analysis.cleaning._text.clean_text` and by the column-wise path
(:mod:`analysis.cleaning._column`). Patterns are written in the common subset of Python's ``re``
and Rust's ``regex`` (no look-around, no back-references), so both paths give identical
results. What each rule removes and its measured precision: ``docs/cleaning.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

RuleScope = Literal["line", "span"]
"""Where a rule applies: a whole line, or spans inside a line."""


@dataclass(frozen=True)
class BoilerplateRule:
    """A named pattern: a whole line (``scope="line"``) or a span inside a line (``"span"``).

    Line patterns must match the whole stripped line; span patterns remove every match (leading
    blanks before a match go with it). Case is ignored; use ``(?-i:...)`` for a case-sensitive
    part. Write patterns without look-around or back-references (see the module docstring).
    """

    name: str
    pattern: str
    scope: RuleScope = "line"
    hints: tuple[str, ...] = ()
    """Lower-case substrings one of which a line must contain for the rule to be tried (a fast
    pre-check; empty: always tried). A hint never changes what the pattern matches."""

    def applies(self, lowered: str) -> bool:
        """True when the rule must be tried on a line (given in lower case)."""
        return not self.hints or any(h in lowered for h in self.hints)

    def compiled(self) -> re.Pattern[str]:
        """The pattern compiled for Python (case ignored); a span pattern takes the blanks
        before a match with it."""
        if self.scope == "span":
            return re.compile(rf"[ \t]*(?:{self.pattern})", re.IGNORECASE)
        return re.compile(self.pattern, re.IGNORECASE)

    def finder(self) -> re.Pattern[str]:
        """The bare pattern compiled for Python: a fast test whether a line has a match."""
        return re.compile(self.pattern, re.IGNORECASE)

    def polars_pattern(self) -> str:
        """The same pattern for polars (Rust ``regex``): anchored for line rules."""
        if self.scope == "span":
            return rf"(?i)[ \t]*(?:{self.pattern})"
        return rf"(?i)^(?:{self.pattern})$"


_SOCIAL = (r"(?:facebook|twitter|x|whatsapp|linkedin|e-?mail|pinterest|reddit|telegram|messenger|"
           r"instagram|youtube|tiktok|flipboard|threads|bluesky|mastodon|print|copy link)")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?"
_STAMP_WORD = rf"(?:\d{{1,4}}(?:[.:]\d{{2}})*|{_MONTH}|{_DAY}|[ap]\.?m\.?|[a-z]{{1,3}}t|utc|gmt)"
_STAMP = rf"{_STAMP_WORD}(?:[ ,/-]+{_STAMP_WORD}){{0,7}}"
_CAP_NAME = r"(?-i:[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,3})"
_W = r"[^\s/,.;:]+"
_LAST = (rf"(?:(?-i:The) {_W}|{_W}(?: (?-i:Images|Photos?|Pictures|Press|Agency|Handout|News|Media"
         rf"|Service|Shutterstock))?)")
"""The last part of a photo credit ("Getty Images", "The Guardian", "AP")."""
_CREDIT_LABEL = (r"(?:photograph|photo|picture|image|illustration|composite|graphic|video|"
                 r"main image|top image|photos|pictures|images)(?: credits?)?|credits?")

BOILERPLATE_RULES: tuple[BoilerplateRule, ...] = (
    # --- web page furniture (whole lines) ---
    BoilerplateRule("amp_footer", r"exit mobile version", hints=("exit mobile",)),
    BoilerplateRule("source_link", r"source link", hints=("source link",)),
    BoilerplateRule("site_icon", r"site (?:icon|logo)\b.*", hints=("site ",)),
    BoilerplateRule("comment_form", r"leave a (?:comment|reply)(?: cancel reply)?",
                    hints=("leave a",)),
    BoilerplateRule("comment_spam_notice", r"this site uses akismet to reduce spam\..*",
                    hints=("akismet",)),
    BoilerplateRule("empty_widget", r"no (?:posts|comments|articles) to display\.?",
                    hints=("to display",)),
    BoilerplateRule(
        "related_block", r"(?:related|recommended|more) (?:articles|posts|stories)\s*:.*",
        hints=("articles", "posts", "stories"),
    ),
    BoilerplateRule(
        "read_more", r"(?:read more|continue reading|click here to read more)\s*[:.»›]*",
        hints=("read more", "continue reading"),
    ),
    BoilerplateRule(
        "share_prompt",
        rf"(?:(?:share|click to share|tweet|pin|email)(?: this(?: article| story| post| page| video"
        rf"| link)?)?(?: (?:on|via|to|with) {_SOCIAL})?(?: \(opens in new window\))?"
        rf"|(?:share|follow us) on {_SOCIAL}(?:(?:, | and | & ){_SOCIAL}){{0,6}})[\s:!.»›]*",
        hints=("share", "tweet", "pin", "email", "e-mail", "follow us"),
    ),
    BoilerplateRule(
        "social_promo",
        rf"follow [^.!?]{{1,80}} on {_SOCIAL}\b[^.!?]{{0,100}}[.!]?",
        hints=("follow",),
    ),
    BoilerplateRule(
        "advertisement", r"(?:advertisement|sponsored content|skip to (?:main )?content)",
        hints=("advertisement", "sponsored", "skip to"),
    ),
    BoilerplateRule(
        "modification_stamp", r"(?:first|last) (?:modification|modified|updated?)\s*:.*",
        hints=("modif", "update"),
    ),
    BoilerplateRule(
        "update_stamp",
        rf"(?:(?:first|last) )?(?:updated|modified|published|posted)(?: at| on)?:? ?{_STAMP}",
        hints=("updated", "modified", "published", "posted"),
    ),
    # --- subscription and newsletter promos ---
    BoilerplateRule(
        "newsletter_promo",
        r"sign up(?: now| today| here| free)?[\s.!:»›]*"
        r"|(?:sign up|subscribe|register)(?: now| today| here)?(?: to| for)? .{0,160}"
        r"\b(?:newsletters?|briefings?|bulletins?|digests?|e-?mails?|inbox(?:es)?|alerts?"
        r"|edition)\b"
        r".{0,120}"
        r"|[^.!?]{0,120}\b(?:sign(?:ed)? up|subscribe|inbox(?:es)?|e-?mail)\b.{0,120}"
        r"\bnewsletters?\b"
        r".{0,120}"
        r"|[^.!?]{0,120}\bnewsletters?\b.{0,120}"
        r"\b(?:sign(?:ed)? up|subscribe|inbox(?:es)?|e-?mail)\b"
        r".{0,120}"
        r"|[^.!?]{0,200}\b(?:subscribe now|subscribe today|already a subscriber|subscribers only"
        r"|delivered to (?:thousands of )?inboxes)\b.{0,120}",
        hints=("sign up", "subscri", "register", "newsletter", "inbox"),
    ),
    BoilerplateRule(
        "print_edition",
        r"(?:get|buy|subscribe to|read) (?:the|our|today's|today’s) (?:print|digital) edition"
        r".{0,80}"
        r"|this (?:article|story) (?:appeared|appears) in .{0,200}\bprint edition\b.{0,200}"
        r"|a version of this (?:article|story) appears in print\b.{0,300}",
        hints=("edition", "in print"),
    ),
    # --- image credits and captions ---
    BoilerplateRule(
        "image_credit",
        rf"\(?(?:{_CREDIT_LABEL}) ?: ?[^\n]{{1,100}}|\((?:{_CREDIT_LABEL})[^()]{{1,100}}\)",
        hints=("photo", "picture", "image", "illustration", "composite", "graphic", "video",
               "credit"),
    ),
    BoilerplateRule(
        "photo_caption",
        r"[^\d\s].{0,300}[.!?’”')]\s+"
        r"(?-i:Photograph|Photo|Picture|Image|Illustration|Composite)"
        r"(?: credit)?: ?[^!?]{1,80}",
        hints=("photo", "picture", "image", "illustration", "composite"),
    ),
    # --- wire agency furniture ---
    BoilerplateRule("wire_signoff", r"reuters?|\(?(?:end|ends)\)?", hints=("reuter", "end")),
    # --- embedded tweets ---
    BoilerplateRule("tweet_signature", r"[—–-]\s*.{1,80}\(@\w{1,30}\)\s+\w+ \d{1,2}, \d{4}",
                    hints=("(@",)),
    BoilerplateRule(
        "tweet_embed", r"[^\d\s].{0,400}\s[—–-]\s*.{1,80}\(@\w{1,30}\)\s+\w+ \d{1,2}, \d{4}",
        hints=("(@",),
    ),
    # --- spans inside lines ---
    BoilerplateRule("truncation_marker", r"(?:…|\.\.\.)?\s*\[\+\d+ chars?\]", "span",
                    hints=("[+",)),
    BoilerplateRule(
        "image_credit_span",
        r"\((?:image|photo|picture|photograph|video)s? (?:credit|courtesy)s?:?[^()\n]{1,80}\)"
        r"|\((?:image|photo|photograph|picture)s?(?::| by) [^()\n]{1,80}\)",
        "span",
        hints=("photo", "picture", "image", "video"),
    ),
    BoilerplateRule(
        "photo_credit",
        rf"(?-i:Photograph|Illustration|Composite): (?:{_W}(?: {_W}){{0,3}}(?:/{_W}(?: {_W})?)*/"
        rf"{_LAST}|{_W}(?: {_W}){{0,3}}\s*$|{_LAST})",
        "span",
        hints=("photograph:", "illustration:", "composite:"),
    ),
    BoilerplateRule(
        "tweet_signature_span", r"[—–]\s*[^—–\n]{1,80}\(@\w{1,30}\)\s+\w+ \d{1,2}, \d{4}", "span",
        hints=("(@",),
    ),
    BoilerplateRule(
        "newsletter_span",
        r"\b(?:sign up|subscribe) (?:to|for) (?:our|the) [^.!?\n]{0,80}\b(?:newsletters?|briefings?"
        r"|e-?mails?|alerts?)\b[^.!?\n]{0,60}[.!]?",
        "span",
        hints=("sign up", "subscribe"),
    ),
    BoilerplateRule("tweet_link", r"\b(?:pic\.twitter\.com|https?://t\.co)/\w+", "span",
                    hints=("pic.twitter.com/", "t.co/")),
    BoilerplateRule(
        "iso_timestamp",
        r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?",
        "span",
    ),
    BoilerplateRule("live_blog_stamp", rf"^\d{{1,2}} {_MONTH} \d{{4}} \d{{1,2}}[.:]\d{{2}}\b",
                    "span"),
)
"""The default rules (see the module docstring and ``docs/cleaning.md``)."""

WIRE_CREDIT_RULES: tuple[BoilerplateRule, ...] = (
    BoilerplateRule(
        "agency_credit",
        r".{0,100}\bcontributed (?:reporting )?to this (?:report|article|story)\.?"
        rf"|with {_CAP_NAME}(?:(?:, | and |, and )(?:the )?{_CAP_NAME}){{0,4}}\.?"
        r"|with agencies\.?",
        hints=("contributed", "with "),
    ),
    BoilerplateRule(
        "wire_credit",
        r"\((?:additional )?(?:reporting|writing|editing|compiled|written|edited)"
        r"(?: and (?:reporting|writing|editing))? by [^()\n]{1,200}\)",
        "span",
        hints=(" by ",),
    ),
    BoilerplateRule("wire_initials", r"\b(?-i:[A-Z]{2,6} [a-z]{2,4}(?:/[a-z]{2,4})+)\s*$", "span",
                    hints=("/",)),
)
"""Wire credit lines and spans ("With Reuters and EFE", "Reuters contributed to this report",
"(Reporting by ...; Editing by ...)", "EFE gbm/up/ssk"). Junk for term counts, but not removed by
default: :func:`analysis.wire_sources` reads them from the text to tell which documents credit
a wire service. Add them once the credits are read: ``load_corpus(...,
boilerplate=(*BOILERPLATE_RULES, *WIRE_CREDIT_RULES))``."""

LINE_RULES: tuple[BoilerplateRule, ...] = tuple(r for r in BOILERPLATE_RULES if r.scope == "line")
"""The default rules that remove whole lines."""

SPAN_RULES: tuple[BoilerplateRule, ...] = tuple(r for r in BOILERPLATE_RULES if r.scope == "span")
"""The default rules that remove spans inside lines."""


CompiledRules = tuple[
    list[tuple[BoilerplateRule, re.Pattern[str]]],
    list[tuple[BoilerplateRule, re.Pattern[str], re.Pattern[str]]],
]
"""Line rules with their compiled pattern; span rules with their pattern and finder."""


def compile_rules(rules: tuple[BoilerplateRule, ...] | list[BoilerplateRule]) -> CompiledRules:
    """The rules compiled for :func:`clean_line`: ``(line rules, span rules)``."""
    return ([(r, r.compiled()) for r in rules if r.scope == "line"],
            [(r, r.compiled(), r.finder()) for r in rules if r.scope == "span"])


def clean_line(
    number: int, line: str, compiled: CompiledRules
) -> tuple[str | None, list[tuple[int, str, str]], list[tuple[int, int, int, str, str]]]:
    """Step 5 of cleaning for one line (after steps 1-4): the line rules, then the span rules.

    Returns the kept line (right-stripped; stripped when a span was removed) or None when the
    line goes, the removal records ``(number, text, rule)`` and the span records.

    Examples
    --------
    >>> kept, removed, spans = clean_line(3, "Talks… [+41 chars]", compile_rules(SPAN_RULES))
    >>> kept, removed
    ('Talks', [(3, '… [+41 chars]', 'truncation_marker')])
    >>> spans
    [(3, 5, 18, '… [+41 chars]', 'truncation_marker')]
    """
    line_rules, span_rules = compiled
    candidate = line.strip()
    low = candidate.lower()
    rule = next((r.name for r, rx in line_rules
                 if candidate and r.applies(low) and rx.fullmatch(candidate)), None)
    if rule is not None:
        return None, [(number, candidate, rule)], []
    removed: list[tuple[int, str, str]] = []
    spans: list[tuple[int, int, int, str, str]] = []
    had_text, before = bool(candidate), line
    for r, rx, quick in span_rules:
        if not line:
            break
        if not r.applies(low) or not quick.search(line):
            continue
        name = r.name
        for m in rx.finditer(line):
            if m.group().strip():
                spans.append((number, m.start(), m.end(), m.group().strip(), name))
                removed.append((number, m.group().strip(), name))
        line = rx.sub("", line)
    if len(line) != len(before):
        if had_text and not line.strip():
            return None, removed, spans  # only removed spans were on this line
        line = line.strip()
    return line.rstrip(), removed, spans
