"""Text cleaning: Unicode, markup, entities, and the junk that news exports carry into text.

Cleaning never hides what it did: :func:`clean_text` returns every removed line and span with
the rule that removed it, and :func:`analysis.load_corpus` collects them in ``Corpus.removed``.
:func:`analysis.cleaning_column.clean_texts` does the same for a whole column at once (polars
expressions; the loader's path). The rules, what each removes and their measured precision are
in ``docs/cleaning.md``.

Steps, in order
---------------
1. Line ends: ``\\r\\n`` and ``\\r`` become ``\\n``; so do *literal* escaped ``\\r\\n``,
   ``\\n`` and ``\\r`` (two characters, backslash and letter) that API dumps leave in text.
2. Markup: when the text carries HTML structure (block or inline tags such as ``<p>``), known
   HTML tags are removed (one line per block element) and ``<script>``/``<style>`` content is
   dropped (recorded). Angle-bracketed text that is not a known tag stays: "<Sale Tilney Plc>".
3. Entities are always decoded (``&amp;`` -> ``&``), in HTML or not.
4. Unicode: NFC; wide and no-break spaces become spaces; zero-width spaces, soft hyphens, BOMs
   and control characters go; joiners (ZWJ, ZWNJ) and variation selectors are kept inside words
   and emoji sequences ("❤️‍🔥", Persian spellings) and dropped at word edges; bidi controls
   (U+202A-U+202E, U+2066-U+2069) are removed and recorded (rule ``bidi_control``).
5. Rules: a :class:`BoilerplateRule` of scope ``"line"`` removes a whole line when its pattern
   matches all of it (stripped, case ignored); one of scope ``"span"`` removes each match inside
   a line. Line rules run first, then span rules on the kept lines.

Patterns are written in the common subset of Python's ``re`` and Rust's ``regex`` (polars), so
the per-document and the column-wise paths give identical results: no look-around, no
back-references. Extend the default: ``[*BOILERPLATE_RULES, BoilerplateRule("byline",
r"by [a-z ]+")]``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
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

# --------------------------------------------------------------------------------------------
# Characters

SPACE_CHARS = "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a" \
              "\u205f\u3000"
"""No-break and wide spaces: each becomes a space."""
_SPACE_LIKE = re.compile(f"[{SPACE_CHARS}]")
INVISIBLE_CHARS = "\u200b\u2060\ufeff\u00ad"
"""Zero-width space, word joiner, BOM and soft hyphen: always removed."""
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
_JOINERS = "\u200c\u200d\ufe00-\ufe0f"
"""ZWNJ, ZWJ and the variation selectors: kept inside words and emoji sequences."""
_JOINER = re.compile(f"[{_JOINERS}]")
_EDGE_JOINER = re.compile(rf"(?:(?<=\s)|^)[{_JOINERS}]+|[\u200c\u200d]+(?=\s|$)", re.MULTILINE)
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Bidi embedding, override and isolate controls: removed and recorded (rule ``bidi_control``)."""
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
CONTROL_CLASS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
"""Control characters other than tab and line ends: removed."""
_CONTROL = re.compile(CONTROL_CLASS)
ESCAPED_EOL = r"\\r\\n|\\n|\\r"
"""Literal escaped line ends (backslash and letter) that API dumps leave in text."""
_ESCAPED_EOL = re.compile(ESCAPED_EOL)

# --------------------------------------------------------------------------------------------
# HTML

HTML_TAGS: frozenset[str] = frozenset(
    ["a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "base",
     "basefont", "bdi", "bdo", "big", "blink", "blockquote", "body", "br", "button", "canvas",
     "caption", "center", "cite", "code", "col", "colgroup", "data", "datalist", "dd", "del",
     "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em", "embed", "fieldset",
     "figcaption", "figure", "font", "footer", "form", "frame", "frameset", "h1", "h2", "h3",
     "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "i", "iframe", "img", "input",
     "ins", "kbd", "label", "legend", "li", "link", "main", "map", "mark", "marquee", "menu",
     "meta", "meter", "nav", "nobr", "noframes", "noscript", "object", "ol", "optgroup",
     "option", "output", "p", "param", "picture", "pre", "progress", "q", "rp", "rt", "ruby",
     "s", "samp", "script", "search", "section", "select", "small", "source", "span", "strike",
     "strong", "style", "sub", "summary", "sup", "svg", "table", "tbody", "td", "template",
     "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt", "u", "ul", "var",
     "video", "wbr"]
)
"""Element names treated as HTML markup; anything else in angle brackets is text."""

_BLOCK_ELEMENTS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "br", "dd", "div", "dl", "dt",
     "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
     "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td",
     "tfoot", "th", "thead", "title", "tr", "ul"]
)
STRUCTURE_TAG = re.compile(
    r"<\s*/?\s*(p|div|br|html|body|article|section|span|h[1-6]|li|ul|ol|a|em|strong|b|i|table|td"
    r"|tr|blockquote|figure|figcaption)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-\w:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'"
    r"|[^\s\"'=<>`]+))?)*)\s*/?>"
)
_BARE_ATTR = re.compile(r"(?:^|\s)([A-Za-z_:][-\w:.]*)(?=\s|$)")
_HIDDEN = re.compile(r"<(script|style|noscript|template)\b[^>]*>(.*?)</\1\s*>",
                     re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->|<!doctype[^>]*>", re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str) -> bool:
    """True when ``text`` carries HTML structure (block or inline tags), not just angle brackets.

    Examples
    --------
    >>> looks_like_html("<p>Hello <b>world</b></p>"), looks_like_html("2 < 3 and 4 > 1")
    (True, False)
    >>> looks_like_html("<Sale Tilney Plc> said"), looks_like_html("<A.H. Belo Corp> said")
    (False, False)
    """
    return STRUCTURE_TAG.search(text) is not None


def _is_markup(match: re.Match[str]) -> bool:
    """A tag of a known element whose bare attributes are lower case (not "<Mark Twain Co>")."""
    closing, name, attrs = match.group(1), match.group(2), match.group(3)
    if name.lower() not in HTML_TAGS:
        return False
    if closing:
        return not attrs.strip()
    no_values = re.sub(r"\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+)", "", attrs)
    return all(word.islower() for word in _BARE_ATTR.findall(no_values))


def _strip_markup(text: str) -> tuple[str, list[str]]:
    """Remove known tags and hidden content; return the text and the hidden content removed."""
    hidden = [m.group(2).strip() for m in _HIDDEN.finditer(text) if m.group(2).strip()]
    text = _COMMENT.sub("", _HIDDEN.sub("", text))

    def replace(m: re.Match[str]) -> str:
        if not _is_markup(m):
            return m.group(0)
        return "\n" if m.group(2).lower() in _BLOCK_ELEMENTS else ""

    return _TAG.sub(replace, text), hidden


def decode_entities(text: str) -> str:
    """Decode HTML entities, twice when the text was encoded twice (``&amp;amp;``).

    Examples
    --------
    >>> decode_entities("Marks &amp; Spencer &mdash; AT&T &amp;amp; R&D")
    'Marks & Spencer — AT&T & R&D'
    """
    if "&" not in text:
        return text
    once = html.unescape(text)
    if re.search(r"&(?:amp|lt|gt|quot|#\d+|#x[0-9a-f]+);", once, re.IGNORECASE) and re.search(
        r"&amp;(?:amp|lt|gt|quot|#\d+|#x[0-9a-f]+);", text, re.IGNORECASE
    ):
        once = html.unescape(once)
    return once


def strip_html(text: str) -> str:
    """Return the visible text of HTML markup: known tags removed, entities decoded, one line
    per block, ``<script>``/``<style>`` content dropped. Unknown "<tags>" stay as text.

    Examples
    --------
    >>> strip_html("<p>Putin &amp; Xi</p><script>alert(1)</script><p>met</p>")
    'Putin & Xi\\n\\nmet'
    >>> strip_html("<p><Sale Tilney Plc> said <b>profit</b> rose</p>")
    '<Sale Tilney Plc> said profit rose'
    """
    out, _ = _strip_markup(text)
    out = decode_entities(out)
    lines = [ln.strip() for ln in out.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def normalise_unicode(text: str) -> str:
    """NFC-normalise, turn no-break and other wide spaces into spaces, drop invisible and control
    characters and bidi controls, normalise line ends to ``\\n``. Joiners and variation
    selectors inside words and emoji stay. Curly quotes are kept.

    Examples
    --------
    >>> normalise_unicode("Caf\\u0065\\u0301\\u00a0“ok”\\r\\n\\u200bx")
    'Café “ok”\\nx'
    >>> normalise_unicode("\\u2764\\ufe0f\\u200d\\U0001f525 \\u200dx \\u202eabc")
    '❤️‍🔥 x abc'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", _SPACE_LIKE.sub(" ", text))
    if _BIDI.search(text):
        text = _BIDI.sub("", text)
    if _JOINER.search(text):
        text = _EDGE_JOINER.sub("", text)
    return _CONTROL.sub("", text)


# --------------------------------------------------------------------------------------------
# One document


@dataclass(frozen=True)
class CleanResult:
    """What :func:`clean_text` returns: the text and an account of what was removed."""

    text: str
    removed: list[tuple[int, str, str]]
    """(1-based line number, the removed line or span, the rule name), in text order. Line
    numbers count lines of the text after steps 1-4 (markup, entities, Unicode)."""
    html_stripped: bool
    spans: list[tuple[int, int, int, str, str]] = field(default_factory=list)
    """The span removals among ``removed``: (line, start, end, text, rule); ``start``/``end`` are
    character offsets in the line as that rule saw it (after the spans of earlier rules)."""


def prepare_text(raw: str) -> tuple[str, bool, list[tuple[int, str, str]]]:
    """Steps 1-4 of cleaning: line ends, markup, entities, Unicode.

    Returns the text, whether HTML markup was removed, and the removal records of these steps
    (``html_hidden`` for script/style content, ``bidi_control`` for bidi controls).

    Examples
    --------
    >>> prepare_text("A\\\\r\\\\nB &amp; C")
    ('A\\nB & C', False, [])
    """
    text = _ESCAPED_EOL.sub("\n", raw.replace("\r\n", "\n").replace("\r", "\n"))
    records: list[tuple[int, str, str]] = []
    stripped = looks_like_html(text)
    if stripped:
        text, hidden = _strip_markup(text)
        records.extend((0, h[:300], "html_hidden") for h in hidden)
    text = decode_entities(text)
    if _BIDI.search(text):
        for number, line in enumerate(text.split("\n"), start=1):
            records.extend((number, f"U+{ord(c):04X}", "bidi_control") for c in _BIDI.findall(line))
    text = normalise_unicode(text)
    if stripped:
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(ln.strip() for ln in text.split("\n"))).strip()
    return text, stripped, records


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


def clean_text(
    raw: str, *, rules: tuple[BoilerplateRule, ...] | list[BoilerplateRule] = BOILERPLATE_RULES
) -> CleanResult:
    """Clean one document: line ends, markup, entities, Unicode, then the line and span rules.

    Blank-line runs are folded to one blank line and the ends stripped; every other character of
    a kept line is kept, so curly quotes and the article's own punctuation survive.
    :func:`analysis.cleaning_column.clean_texts` gives the same for a whole column at once.

    Examples
    --------
    >>> r = clean_text("Title\\n\\nBody text.\\n\\n\\n\\nExit mobile version\\n")
    >>> r.text
    'Title\\n\\nBody text.'
    >>> r.removed
    [(7, 'Exit mobile version', 'amp_footer')]
    >>> r = clean_text("Talks on&hellip; [+2841 chars]\\nshare on revenues of 3.49 billion dlrs.")
    >>> r.text
    'Talks on\\nshare on revenues of 3.49 billion dlrs.'
    >>> r.removed
    [(1, '… [+2841 chars]', 'truncation_marker')]
    """
    text, stripped, removed = prepare_text(raw)
    compiled = compile_rules(rules)
    kept: list[str] = []
    spans: list[tuple[int, int, int, str, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        out, gone, line_spans = clean_line(number, line, compiled)
        removed.extend(gone)
        spans.extend(line_spans)
        if out is not None:
            kept.append(out)
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return CleanResult(cleaned, removed, stripped, spans)
