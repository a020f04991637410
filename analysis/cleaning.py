"""Text cleaning: Unicode normalisation, HTML markup, and web boilerplate lines.

Cleaning never hides what it did: :func:`clean_text` returns the removed lines with the rule that
removed each, and :func:`analysis.load_corpus` collects them in ``Corpus.removed``.

Boilerplate rules
-----------------
A rule is a name and a regular expression that must match a *whole line* (stripped, case
ignored). The default set, :data:`BOILERPLATE_RULES`, covers the furniture that scraped news pages
carry into text (WordPress and AMP footers, comment forms, share and newsletter prompts,
"related articles" blocks, embedded-tweet signatures). Pass your own with ``rules=`` or extend
the default: ``[*BOILERPLATE_RULES, BoilerplateRule("byline", r"by [a-z ]+")]``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class BoilerplateRule:
    """A named pattern that removes a whole line when it matches all of it (case ignored)."""

    name: str
    pattern: str

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.IGNORECASE)


BOILERPLATE_RULES: tuple[BoilerplateRule, ...] = (
    BoilerplateRule("amp_footer", r"exit mobile version"),
    BoilerplateRule("source_link", r"source link"),
    BoilerplateRule("site_icon", r"site (icon|logo)\b.*"),
    BoilerplateRule("comment_form", r"leave a (comment|reply)( cancel reply)?"),
    BoilerplateRule(
        "comment_spam_notice", r"this site uses akismet to reduce spam\..*"
    ),
    BoilerplateRule("empty_widget", r"no (posts|comments|articles) to display\.?"),
    BoilerplateRule("related_block", r"(related|recommended|more) (articles|posts|stories)\s*:.*"),
    BoilerplateRule("read_more", r"(read more|continue reading|click here to read more)\s*[:.»›]*"),
    BoilerplateRule(
        "share_prompt",
        r"(share (this|on \w+)|click to share on \w+|follow us on \w+|tweet this)\b.*",
    ),
    BoilerplateRule(
        "newsletter_prompt",
        r"(subscribe to|sign up for) (our|the) \w*\s*newsletter.*",
    ),
    BoilerplateRule("advertisement", r"(advertisement|sponsored content|skip to (main )?content)"),
    BoilerplateRule("modification_stamp", r"(first|last) (modification|modified|updated?)\s*:.*"),
    BoilerplateRule(
        "tweet_signature",
        r"[—–-]\s*.{1,80}\(@\w{1,30}\)\s+\w+ \d{1,2}, \d{4}",
    ),
)
"""The default boilerplate rules (see the module docstring)."""

_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005"
                                    "\u2006\u2008\u2009\u200a\u205f\u3000"), " ")
_INVISIBLE = dict.fromkeys(
    [*map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), *range(0xFE00, 0xFE10)], None
)  # zero-width characters, soft hyphen, BOM, emoji variation selectors
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLOCK_TAG = re.compile(
    r"<\s*(p|div|br|html|body|article|section|span|h[1-6]|li|ul|ol|a|em|strong|b|i)\b[^>]*>",
    re.IGNORECASE,
)
_BLOCK_ELEMENTS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
                   "article", "blockquote", "header", "footer", "title"}


def normalise_unicode(text: str) -> str:
    """NFC-normalise, turn no-break and other wide spaces into spaces, drop invisible characters,
    control characters and normalise line ends to ``\\n``. Curly quotes are kept.

    Examples
    --------
    >>> normalise_unicode("Caf\\u0065\\u0301\\u00a0“ok”\\r\\n\\u200bx")
    'Café “ok”\\nx'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_SPACE_LIKE).translate(_INVISIBLE)
    return _CONTROL.sub("", text)


def looks_like_html(text: str) -> bool:
    """True when ``text`` carries HTML markup (block or inline tags), not just an angle bracket.

    Examples
    --------
    >>> looks_like_html("<p>Hello <b>world</b></p>"), looks_like_html("2 < 3 and 4 > 1")
    (True, False)
    """
    return _BLOCK_TAG.search(text) is not None


class _TextExtractor(HTMLParser):
    """Collect the text of an HTML document, one line per block element; drop script/style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """Return the visible text of HTML markup: tags removed, entities decoded, one line per block,
    ``<script>``/``<style>`` content dropped.

    Examples
    --------
    >>> strip_html("<p>Putin &amp; Xi</p><script>alert(1)</script><p>met</p>")
    'Putin & Xi\\n\\nmet'
    """
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    out = html.unescape("".join(parser.parts))
    lines = [ln.strip() for ln in out.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@dataclass(frozen=True)
class CleanResult:
    """What :func:`clean_text` returns: the text and an account of what was removed."""

    text: str
    removed: list[tuple[int, str, str]]
    """(1-based line number in the normalised input, the line, the rule name)."""
    html_stripped: bool


def clean_text(
    raw: str, *, rules: tuple[BoilerplateRule, ...] | list[BoilerplateRule] = BOILERPLATE_RULES
) -> CleanResult:
    """Normalise Unicode, strip HTML markup when present, and drop boilerplate lines.

    Blank-line runs are folded to one blank line and the ends stripped; every other character of
    a kept line is kept, so curly quotes and the article's own punctuation survive.

    Examples
    --------
    >>> r = clean_text("Title\\n\\nBody text.\\n\\n\\n\\nExit mobile version\\n")
    >>> r.text
    'Title\\n\\nBody text.'
    >>> r.removed
    [(7, 'Exit mobile version', 'amp_footer')]
    """
    text = normalise_unicode(raw)
    stripped = False
    if looks_like_html(text):
        text = strip_html(text)
        stripped = True
    compiled = [(r.name, r.compiled()) for r in rules]
    kept: list[str] = []
    removed: list[tuple[int, str, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        candidate = line.strip()
        rule = next((name for name, rx in compiled if candidate and rx.fullmatch(candidate)), None)
        if rule is None:
            kept.append(line.rstrip())
        else:
            removed.append((number, candidate, rule))
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return CleanResult(cleaned, removed, stripped)
