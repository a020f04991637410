"""Steps 1-4 of cleaning: line ends, HTML markup, entities and Unicode (characters).

:func:`prepare_text` runs them in order on one text (:func:`analysis.cleaning._text.clean_text` then
applies the boilerplate rules); :func:`strip_html`, :func:`decode_entities` and
:func:`normalise_unicode` are the single steps. The character classes are public so that the
column-wise path (:mod:`analysis.cleaning._column`) uses the same ones.
"""

from __future__ import annotations

import html
import re
import unicodedata

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
