"""Reported (indirect) speech: the clauses a sentence attributes to a speaker.

:func:`reported_clauses` finds "X said (that) ...", "X told reporters ...", "..., X said.",
"..., said X.", "According to X, ...", "..., according to X.", "..., adding that ..." and
"Reuters quoted X as saying ..." in one sentence. Used by :func:`analysis.quotes`; the cues and
speaker phrases are :mod:`analysis.quotes._cues`.
"""

from __future__ import annotations

import re

from analysis.quotes._cues import (
    AUX,
    CUE_RE,
    NP_START,
    NP_VERB,
    PARTICIPLES,
    Attribution,
    Reported,
    name_like,
    np_after,
    np_bounds,
    sentence_subject,
    subject_before,
)

_NO_CLAUSE = frozenset(["read", "asked", "replied", "urged", "posted", "agreed"])
_PRONOUN_START = re.compile(r"^(?:he|she|it|they|we|i|there|this|that|its|their)\b", re.I)
_TIME = (r"(?:(?:on|last|this|late|earlier|in|at|during|over)\s+(?:\w+\s+){0,4}?"
         r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|year|night|"
         r"morning|evening|weekend|statement|interview|remarks|briefing|telegram|facebook|"
         r"twitter|television|radio|conference|call))")
_AFTER_CUE_THAT = re.compile(rf"^(?:\s*,?\s*{_TIME}\s*,?)*\s*(?:that\b)?", re.IGNORECASE)
_TOLD_OBJECT = re.compile(
    r"^\s*(?:(?:the|a|an|his|her|its|their|reporters|journalists|lawmakers|donors|parliament|"
    r"public|broadcaster|state|news|agency|counterpart|media|website|in|phone|call|US|[A-Z][\w’'.\-]*)"
    r"[\s,]+){1,9}?(?:that\s+)?(?=(?:he|she|it|they|we|the|a|an|there|his|her|its|their|"
    r"[A-Z][\w’'\-]*|\d)\b)"
)


def _clause_like(content: str) -> bool:
    head = content.split(",")[0]
    return bool(_PRONOUN_START.match(content) or AUX.search(head)
                or re.search(r"\b[A-Z][\w’'\-]+\s+[a-z]+s\b", head))


def _content_start(text: str, cue: re.Match[str], base: int, end: int) -> int:
    rest = text[base + cue.end():end]
    if cue.group("cue").lower() in ("told", "tells", "telling"):
        that = re.search(r"\bthat\b", rest[:120])
        if that and "“" not in rest[:that.start()]:
            return base + cue.end() + that.end()
        m = _TOLD_OBJECT.match(rest)
        return base + cue.end() + (m.end() if m else 0)
    m = _AFTER_CUE_THAT.match(rest)
    return base + cue.end() + (m.end() if m else 0)


_FINAL_ADVERBS = re.compile(
    r"(?:\s+(?:has|have|had|also|again|previously|recently|earlier|later|\w+ly))+$")
_ONE_RUN = re.compile(r"\s*\w*")
_TAIL, _MARGIN = 400, 100


def _drop_final_adverbs(head: str) -> str:
    """``_FINAL_ADVERBS.sub("", head)``, searching the last 400 characters only when that
    gives the same result (the text before a cue can be the whole document).

    Examples
    --------
    >>> _drop_final_adverbs("x " * 300 + "the mayor has also")[-9:]
    'the mayor'
    >>> _drop_final_adverbs("a" + " " * 500 + "had") == "a"
    True
    """
    ws = len(head) - _TAIL
    if ws <= 0:
        return _FINAL_ADVERBS.sub("", head)
    m = _FINAL_ADVERBS.search(head, ws)
    # a match starting before the window would make the window's first 100 characters part
    # of one repetition (white space then word characters), or put the window's match there
    if _ONE_RUN.fullmatch(head, ws, ws + _MARGIN) or (m is not None and m.start() - ws < _MARGIN):
        return _FINAL_ADVERBS.sub("", head)
    return head[:m.start()] if m is not None else head


def _final_np(text: str, sent_start: int, cue_at: int) -> int | None:
    """Where a sentence-final speaker phrase starts (``..., the mayor of X said.``)."""
    head = _drop_final_adverbs(text[:cue_at].rstrip().rstrip(","))
    cue_at = len(head)
    commas = [m.start() for m in re.finditer(",", text[sent_start:cue_at])]
    best = None
    for c in reversed(commas):
        np = text[sent_start + c + 1:cue_at].strip()
        if len(np.split()) > 16 or NP_VERB.search(np) or not NP_START.match(np):
            break
        if best is not None:
            current = text[best + 1:cue_at].strip()
            first = current.split(",")[0].strip()
            if not (name_like(first) and re.match(r"(?:the|a|an)\b", np)):
                break
            return sent_start + c
        best = sent_start + c
    return best


_NOUN_BEFORE = re.compile(
    r"\b(?:the|its|his|her|their|those|these|such|early|earlier|recent|new|many|some|two|"
    r"unconfirmed|media|news|and|of)\s+$", re.IGNORECASE)
_STRICT = frozenset(
    [
        "emphasised", "emphasized", "stressed", "stresses", "announced", "announces",
        "confirmed", "confirms", "noted", "notes", "warned", "warns", "denounced",
        "acknowledged", "declared", "declares", "suggested", "suggests", "signalled",
        "signaled", "reiterated", "insisted", "insists", "predicted", "maintained", "maintains",
        "recalled", "denied", "denies", "assured", "assures", "alleged", "allege", "alleges",
        "estimated", "estimate", "estimates", "complained", "concluded"
    ]
)
_INTERRUPT = re.compile(
    r",\s*(?P<np>he|she|they|it|we|(?:the|a|an)\s[\w’'\- ]{1,40}?|"
    r"[A-Z][\w’'\-.]*(?:\s[A-Z][\w’'\-]*){0,3})\s*$"
)


def _clause_strict(content: str) -> bool:
    head = " ".join(content.split(",")[0].split()[:7])
    return bool(re.search(r"\b(?:is|are|was|were|had|has|have|would|will|could|can|may|might|"
                          r"should|must|did|does|need|needed)\b", head)
                or _PRONOUN_START.match(content))


def _boundary(sent: str, m: re.Match[str]) -> bool:
    if m.group("cue").lower() in PARTICIPLES and re.search(r"(?:,|\band)\s*$", sent[:m.start()]):
        return True
    if m.group("cue").lower() == "according to":
        return sent[:m.start()].rstrip().endswith(",")
    gap = re.search(r"[,;]\s*((?:\w+\s+){0,4})$", sent[:m.start()])
    tail = re.split(r"[,;.]", sent[m.end():], maxsplit=1)[0]
    return gap is not None and not re.search(r"\bthat\b", gap.group(1)) and len(tail.split()) <= 6


_END_MARKS = frozenset(".,;:!?\"”’'…")


def _content_length(sent: str) -> int:
    """The length of ``sent`` without its trailing run of white space and end marks."""
    k = len(sent)
    while k and (sent[k - 1] in _END_MARKS or sent[k - 1].isspace()):
        k -= 1
    return k


def reported_clauses(text: str, start: int, end: int, used: set[int]) -> list[Reported]:
    """Indirect speech in the sentence ``text[start:end]``; cues at offsets in ``used`` skipped."""
    sent = text[start:end]
    stop = start + _content_length(sent)
    out: list[Reported] = []
    cues = [m for m in CUE_RE.finditer(sent) if start + m.start() not in used
            and not (m.group("cue").lower() not in ("said", "told", "says", "according to")
                     and _NOUN_BEFORE.search(sent[:m.start()]))]
    subject: Attribution | None = None
    covered = -1
    for i, m in enumerate(cues):
        cue = m.group("cue").lower()
        at = start + m.start()
        if at < covered and not _boundary(sent, m):
            continue
        later = [c for c in cues[i + 1:] if _boundary(sent, c)]
        nxt = start + later[0].start() if later else stop
        if cue in _NO_CLAUSE:
            continue
        if cue == "according to":
            a, b = np_after(text, start + m.end(), stop)
            comma = text.find(",", start + m.end(), stop)
            lead = text[start:at].strip(" ,")
            if (m.start() < 3 or len(lead.split()) < 3) and comma > 0:
                nb = comma
                name = re.match(r",\s*([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)+),", text[comma:stop])
                if name:
                    nb = comma + name.end() - 1
                out.append(Reported(nb + 1, stop, Attribution(a, nb, cue, at)))
                covered = stop
            elif len(text[start:at].split()) >= 3:
                out.append(Reported(start, at, Attribution(a, b, cue, at)))
            continue
        if cue in PARTICIPLES:
            rel = re.search(r"(?:reported|quoted)\s+(?P<np>.{1,120}?)\s+(?:as\s+)?$",
                            text[start:at])
            with_np = re.search(r"\bwith\s+(?P<np>[^,]{1,80}(?:,\s*[A-Z][^,]{1,40})?),\s+\w+ing\b",
                                text[start:at])
            att = subject
            if with_np and not rel:
                a0 = start + with_np.start("np")
                att = Attribution(a0, a0 + len(with_np.group("np")), cue, at)
            elif rel:
                a0 = start + rel.start("np")
                att = Attribution(a0, a0 + len(rel.group("np")), cue, at)
            elif not re.search(r"(?:,|\band)\s*$", text[:at]):
                continue
            if att is None:
                subj = sentence_subject(text, start, at)
                att = Attribution(subj[0], subj[1], cue, at) if subj else None
            c0 = _content_start(text, m, start, nxt)
            if att is not None:
                att = Attribution(att.np_start, att.np_end, cue, at)
            if att is not None and nxt - c0 > 8 and _clause_like(text[c0:nxt].lstrip("“\" ")):
                out.append(Reported(c0, nxt, att))
                covered = nxt
            continue
        before = text[start:at].rstrip()
        after = text[start + m.end():stop]
        what = re.search(r"\bwhat\s+(?P<np>[^,]{1,60}?)\s*$", before)
        was = re.match(r"\s+(?:was|were|is|are)\s+", after)
        if what and was and cue in ("said", "says", "claimed", "claims"):  # "what X said was Y"
            c0 = start + m.end() + was.end()
            comma = text.find(",", c0, stop)
            e = comma if comma > 0 else stop
            a = start + what.start("np")
            if e > c0:
                out.append(Reported(c0, e, Attribution(a, a + len(what.group("np")), cue, at)))
            continue
        if (before.endswith(",")  # inverted: "..., said X."
                and re.fullmatch(r"\s*[^,]{0,80}(?:,[^,]{0,80})?", after)
                and re.match(r"\s+[A-Z]|\s+(?:the|a|an)\b", after)
                and not NP_VERB.search(after) and NP_VERB.search(before)):
            a, b = np_after(text, start + m.end(), stop)
            if b > a:
                out.append(Reported(start, start + len(before) - 1, Attribution(a, b, cue, at)))
                subject = Attribution(a, b, cue, at)
                covered = stop
            continue
        inter = _INTERRUPT.search(before)
        if inter and after.startswith(",") and len(before[:inter.start()].split()) >= 3:
            a = start + inter.start("np")
            att = Attribution(a, a + len(inter.group("np")), cue, at)
            out.append(Reported(start, stop, att))
            subject, covered = att, stop
            continue
        tail = text[start + m.end():stop]
        final = _final_np(text, start, at)
        n_tail = len(re.sub(_TIME, "", tail, flags=re.I).split())
        short = n_tail <= 6 or (cue in ("told", "tells") and n_tail <= 12
                                and not NP_VERB.search(tail))
        if final is not None and short and not re.search(r"\bthat\b", tail) and final > start:
            a, b = np_bounds(text, final + 1, at)
            att = Attribution(a, b, cue, at)
            out.append(Reported(start, final, att))
            subject = att
            continue
        np = subject_before(text, start, at)
        if np is None:
            continue
        att = Attribution(np[0], np[1], cue, at)
        c0 = _content_start(text, m, start, nxt)
        content = text[c0:nxt]
        has_that = bool(re.search(r"\bthat\s*$", text[start + m.end():c0]))
        body = content.lstrip("“\" ")
        prep = re.match(r"(?:of|over|for|on|in|to|against|with|at|by|from)\b", body)
        if (not has_that and prep) or \
                not content.strip() or (not has_that and not (
                    _clause_strict(body) if cue in _STRICT else _clause_like(body))):
            subject = subject or att
            continue
        e = nxt
        if e < stop:
            e = len(text[:e].rstrip().rstrip(","))
        out.append(Reported(c0, e, att))
        subject, covered = att, e
    kept: list[Reported] = []
    for r in out:
        if not any(k.start < r.end and r.start < k.end for k in kept):
            kept.append(r)
    return kept
