"""Text cleaning: Unicode, markup, entities, and the junk that news exports carry into text.

Cleaning never hides what it did: :func:`clean_text` returns every removed line and span with
the rule that removed it, and :func:`analysis.load_corpus` collects them in ``Corpus.removed``.
:func:`analysis.cleaning._column.clean_texts` does the same for a whole column at once (polars
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

The rules are :mod:`analysis.cleaning._rules`, steps 1-4 :mod:`analysis.cleaning._normalise`; this
module
puts them together for one document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.cleaning._normalise import (
    prepare_text,
)
from analysis.cleaning._rules import (
    BOILERPLATE_RULES,
    BoilerplateRule,
    clean_line,
    compile_rules,
)


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


def clean_text(
    raw: str, *, rules: tuple[BoilerplateRule, ...] | list[BoilerplateRule] = BOILERPLATE_RULES
) -> CleanResult:
    """Clean one document: line ends, markup, entities, Unicode, then the line and span rules.

    Blank-line runs are folded to one blank line and the ends stripped; every other character of
    a kept line is kept, so curly quotes and the article's own punctuation survive.
    :func:`analysis.cleaning._column.clean_texts` gives the same for a whole column at once.

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
