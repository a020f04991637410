"""Attribution grammar: speech cues, the speaker's noun phrase, and reported clauses.

Rule-based, on one sentence at a time (sentences from :func:`analysis.tokenize`). Used by
:func:`analysis.quotes`:

- :func:`after_quote`: ``,” Mr. Putin said`` / ``,” said the Chinese diplomat``;
- :func:`before_quote`: ``Von der Leyen said: “`` / ``Putin – at a meeting with Wang Yi: “``;
- :func:`reported_clauses` (:mod:`analysis.quotes._reported`): indirect speech ("X said (that)
  ...", "X told reporters ...", "..., X said.", "..., said X.", "According to X, ...", "...,
  according to X.", "..., adding that ...", "Reuters quoted X as saying ...").

The speech cues and the speaker's noun phrase are :mod:`analysis.quotes._cues`.
"""

from __future__ import annotations

import re

from analysis.quotes._cues import (
    AUX,
    CUE_PATTERN,
    CUE_RE,
    NP_START,
    PARTICIPLES,
    Attribution,
    np_after,
    np_bounds,
    sentence_subject,
    subject_before,
)


def after_quote(text: str, at: int, end: int) -> Attribution | None:
    """An attribution right after a closing quote mark: ``,” he said`` / ``,” said X``."""
    seg = text[at:end]
    dash = re.match(r"^\s*[—–]\s*(?P<np>[^,“”\"]{1,80}?)(?:\s+(?P<cue>" + CUE_PATTERN + r"))?"
                    r"(?:[,.][^“”\"]{0,60})?$", seg)
    if dash and (dash.group("cue") or NP_START.match(dash.group("np"))):
        a, b = np_after(text, at + dash.start("np"), at + dash.end("np"))
        if b > a:
            return Attribution(a, b, dash.group("cue") or "—", at + dash.start("np") - 1)
    lead = len(seg) - len(seg.lstrip(" \t\n,"))
    m = re.match(rf"(?P<cue>{CUE_PATTERN})\b\s+", seg[lead:], re.IGNORECASE)
    if m:
        a, b = np_after(text, at + lead + m.end(), end)
        if b > a:
            return Attribution(a, b, m.group("cue"), at + lead)
        return None
    m = re.match(
        rf"(?P<np>[^“”\"]{{1,160}}?)\s+(?:(?:has|have|had|also|then|later)\s+)*(?P<cue>{CUE_PATTERN})\b",
        seg[lead:], re.IGNORECASE,
    )
    conj = re.compile(r"(?:while|as|and|but|when|after|before|because|although|though|if)\b",
                      re.IGNORECASE)
    if m and not AUX.search(m.group("np")) and len(m.group("np").split()) <= 22 \
            and not conj.match(m.group("np")):
        a, b = np_bounds(text, at + lead, at + lead + m.end("np"))
        return Attribution(a, b, m.group("cue"), at + lead + m.start("cue"))
    return None


def before_quote(text: str, start: int, at: int) -> Attribution | None:
    """An attribution that leads into a quote: ``X said: “`` / ``X told Y, “`` / ``X: “``."""
    seg = text[start:at].rstrip()
    if not seg:
        return None
    cues = list(CUE_RE.finditer(seg))
    colon = seg.endswith(":")
    if cues:
        m = cues[-1]
        tail = seg[m.end():]
        if colon or (re.fullmatch(r"[^“”\"]{0,120}?,?", tail) and len(tail.split()) <= 7
                     and (not tail.strip() or tail.rstrip().endswith(","))):
            if m.group("cue").lower() in PARTICIPLES:
                subj = sentence_subject(text, start, start + m.start())
                if subj:
                    return Attribution(subj[0], subj[1], m.group("cue"), start + m.start())
            if m.group("cue").lower() == "according to":
                a, b = np_after(text, start + m.end(), start + len(seg))
                return Attribution(a, b, "according to", start + m.start())
            bounds = subject_before(text, start, start + m.start())
            if bounds:
                return Attribution(bounds[0], bounds[1], m.group("cue"), start + m.start())
    if colon:
        first = re.split(r"\s+[–—-]\s+|,\s+|\s+(?:held|left|posted|wrote|said|read)\b", seg)[0]
        a, b = np_bounds(text, start, start + len(first))
        if b > a and len(text[a:b].split()) <= 12:
            return Attribution(a, b, ":", start + len(seg) - 1)
    return None
