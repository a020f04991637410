"""Attribution grammar: speech cues, the speaker's noun phrase, and reported clauses.

Rule-based, on one sentence at a time (sentences from :func:`analysis.tokenize`). Used by
:func:`analysis.quotes`:

- :func:`after_quote`: ``,” Mr. Putin said`` / ``,” said the Chinese diplomat``;
- :func:`before_quote`: ``Von der Leyen said: “`` / ``Putin – at a meeting with Wang Yi: “``;
- :func:`reported_clauses`: indirect speech ("X said (that) ...", "X told reporters ...",
  "..., X said.", "..., said X.", "According to X, ...", "..., according to X.", "..., adding
  that ...", "Reuters quoted X as saying ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CUES: tuple[str, ...] = tuple(
    [
        "said", "says", "say", "told", "tells", "added", "adds", "warned", "warns", "stressed",
        "stresses", "insisted", "insists", "claimed", "claims", "announced", "announces",
        "confirmed", "confirms", "noted", "notes", "assured", "assures", "maintained",
        "maintains", "argued", "argues", "recalled", "explained", "explains", "asked", "asks",
        "replied", "replies", "wrote", "writes", "tweeted", "posted", "reported", "reports",
        "denounced", "declared", "declares", "acknowledged", "admitted", "alleged", "allege",
        "alleges", "estimated", "estimate", "estimates", "suggested", "suggests", "signalled",
        "signaled", "reiterated", "emphasised", "emphasized", "predicted", "complained",
        "concluded", "responded", "cautioned", "conceded", "countered", "boasted", "denied",
        "denies", "agreed", "pointed out", "made it clear", "urged", "read",
    ]
)
"""Speech cues (verb forms) recognised in attributions."""

PARTICIPLES: tuple[str, ...] = tuple(
    [
        "saying", "adding", "insisting", "arguing", "claiming", "warning", "noting", "telling",
        "boasting", "stressing"
    ]
)
"""Participles that continue the sentence subject's speech ("..., adding that ...")."""

_NO_CLAUSE = frozenset(["read", "asked", "replied", "urged", "posted", "agreed"])
_CUE = r"(?:" + "|".join(CUES) + r")"
_CUE_FIRST = "".join(sorted({w[0] for w in (*CUES, "according to", *PARTICIPLES)}))
# the lookahead on the first letters skips most positions before the alternation is tried
# (the same matches, about twice as fast)
CUE_RE = re.compile(rf"\b(?=[{_CUE_FIRST}])(?P<cue>{_CUE}|according to|{'|'.join(PARTICIPLES)})\b",
                    re.IGNORECASE)
_AUX = re.compile(
    r"\b(?:is|are|was|were|be|been|had|has|have|would|will|could|can|may|might|should|must|"
    r"did|does|do|need|needed|shall|\w{3,}ed|\w+n[’']t)\b"
)
_PRONOUN_START = re.compile(r"^(?:he|she|it|they|we|i|there|this|that|its|their)\b", re.I)
_ADVERBIAL = re.compile(
    r"^(?:in|on|at|speaking|citing|noting|during|after|before|earlier|with|despite|although|"
    r"when|as|according|meanwhile|however|but|and|then|also|yet|so|while|if|from|by|for)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r"(?:;|(?<=[a-z]{3})\.\s+(?=[A-Z])|,\s+(?:but|and|while|as|which|who|where)\s|\s(?:but|while|when|after|as|that|"
    r"which|who|because|and)\s)"
)
_NP_STOP = re.compile(
    r"\s(?:to|in|on|at|during|from|after|before|via|for|while|referring|citing|speaking|"
    r"pointing|when|as|who|which|quoted|according|adding|saying|of the situation)\b.*$"
)
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
_FIRST_SEGMENT = re.compile(r"^[^,]*")


@dataclass(frozen=True)
class Attribution:
    """A speaker phrase ``np_start:np_end`` and the cue that attributes words to it."""

    np_start: int
    np_end: int
    cue: str
    cue_start: int


@dataclass(frozen=True)
class Reported:
    """An indirect (reported) clause ``start:end`` and its attribution."""

    start: int
    end: int
    attribution: Attribution


_AUX_TAIL = re.compile(
    r"(?:\s+(?:has|have|had|also|again|previously|recently|earlier|later|then|\w+ly))+\s*$")


def _np_bounds(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " ,—–-:":
        a += 1
    while b > a and text[b - 1] in " ,—–-:.":
        b -= 1
    m = _AUX_TAIL.search(text, a, b)
    if m and m.start() > a and m.end() == b:
        b = m.start()
    return a, b


_NP_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|had|has|have|would|will|could|can|may|might|should|must|"
    r"did|does|do|need|shall|(?<![-‐])[a-z]{3,}ed)\b"
)
_NP_START = re.compile(
    r"^(?:the|a|an|one|another|some|two|three|local|officials|he|she|it|they|we|"
    r"[A-Z\u00C0-\u00DE0-9])"
)


def _name_like(seg: str) -> bool:
    words = seg.split()
    return 0 < len(words) <= 5 and all(w[:1].isupper() or w in ("of", "van", "von", "der", "de")
                                       for w in words)


def subject_before(text: str, start: int, cue_at: int) -> tuple[int, int] | None:
    """The speaker phrase that ends at a cue: its clause start, leading adverbials dropped."""
    seg = text[start:cue_at]
    m_aux = _AUX_TAIL.search(seg)
    if m_aux and m_aux.start() > 0:
        seg = seg[:m_aux.start()]
        cue_at = start + len(seg)
    appo = re.match(r"\s*([A-Z][\w’'\-.]*(?:\s+[A-Z][\w’'\-.]*){1,3}),\s[a-z].*,\s*$", seg)
    if appo:  # "Name, description (that ...), said": the name
        return start + appo.start(1), start + appo.end(1)
    rel = re.search(r",\s+(?:who|which|whose)\b", seg)
    if rel and seg.rstrip().endswith(","):
        seg = seg[:rel.start()]
        cue_at = start + len(seg)
    cut = 0
    for m in _CLAUSE_BREAK.finditer(seg):
        cut = m.end()
    parts = [p for p in re.finditer(r"[^,]+", seg[cut:]) if p.group().strip()]
    while len(parts) > 1 and _ADVERBIAL.match(parts[0].group().strip()):
        parts.pop(0)
    if not parts:
        return None
    tail = re.compile(r"(?:\s+(?:has|have|had|also|again|previously|recently|earlier|then|"
                      r"would|later|reportedly))+\s*$")

    def bounds(p0: int) -> tuple[int, int]:
        a, b = _np_bounds(text, start + cut + p0, cue_at)
        m = tail.search(text[a:b])
        return (a, a + m.start()) if m else (a, b)

    last = parts[-1].group().strip()
    last_np = tail.sub("", " " + last).strip()
    if last.lower() in ("he", "she", "it", "they", "we", "i") or (
            len(parts) > 1 and _name_like(last_np)):
        return bounds(parts[-1].start())
    a, b = bounds(parts[0].start())
    whole = text[a:b]
    first = parts[0].group().strip()
    if (not _NP_VERB.search(whole) and len(whole.split()) <= 25 and len(parts) <= 3
            and ((len(parts) == 1 and len(first.split()) <= 8) or _name_like(first))):
        return a, b
    a, b = bounds(parts[-1].start())
    if _NP_VERB.search(text[a:b]) or len(text[a:b].split()) > 12 or not _NP_START.match(text[a:b]):
        return None
    if len(parts) >= 2:
        prev = parts[-2].group().strip()
        if (not _NP_VERB.search(prev) and len(prev.split()) <= 8 and _NP_START.match(prev)
                and (_name_like(last) or _name_like(prev))):
            return bounds(parts[-2].start())[0], b
    return a, b


def np_after(text: str, a: int, end: int) -> tuple[int, int]:
    """The speaker phrase after an inverted cue ("said Oleg Paroev, chief executive of ...")."""
    seg = text[a:end]
    seg = _NP_STOP.sub("", seg.split(";")[0])
    return _np_bounds(text, a, a + len(seg))


def after_quote(text: str, at: int, end: int) -> Attribution | None:
    """An attribution right after a closing quote mark: ``,” he said`` / ``,” said X``."""
    seg = text[at:end]
    dash = re.match(r"^\s*[—–]\s*(?P<np>[^,“”\"]{1,80}?)(?:\s+(?P<cue>" + _CUE + r"))?"
                    r"(?:[,.][^“”\"]{0,60})?$", seg)
    if dash and (dash.group("cue") or _NP_START.match(dash.group("np"))):
        a, b = np_after(text, at + dash.start("np"), at + dash.end("np"))
        if b > a:
            return Attribution(a, b, dash.group("cue") or "—", at + dash.start("np") - 1)
    lead = len(seg) - len(seg.lstrip(" \t\n,"))
    m = re.match(rf"(?P<cue>{_CUE})\b\s+", seg[lead:], re.IGNORECASE)
    if m:
        a, b = np_after(text, at + lead + m.end(), end)
        if b > a:
            return Attribution(a, b, m.group("cue"), at + lead)
        return None
    m = re.match(
        rf"(?P<np>[^“”\"]{{1,160}}?)\s+(?:(?:has|have|had|also|then|later)\s+)*(?P<cue>{_CUE})\b",
        seg[lead:], re.IGNORECASE,
    )
    conj = re.compile(r"(?:while|as|and|but|when|after|before|because|although|though|if)\b",
                      re.IGNORECASE)
    if m and not _AUX.search(m.group("np")) and len(m.group("np").split()) <= 22 \
            and not conj.match(m.group("np")):
        a, b = _np_bounds(text, at + lead, at + lead + m.end("np"))
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
        a, b = _np_bounds(text, start, start + len(first))
        if b > a and len(text[a:b].split()) <= 12:
            return Attribution(a, b, ":", start + len(seg) - 1)
    return None


def _clause_like(content: str) -> bool:
    head = content.split(",")[0]
    return bool(_PRONOUN_START.match(content) or _AUX.search(head)
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
        if len(np.split()) > 16 or _NP_VERB.search(np) or not _NP_START.match(np):
            break
        if best is not None:
            current = text[best + 1:cue_at].strip()
            first = current.split(",")[0].strip()
            if not (_name_like(first) and re.match(r"(?:the|a|an)\b", np)):
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


def sentence_subject(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The noun phrase a sentence opens with (after leading adverbials): its subject."""
    seg = text[start:end]
    lead = re.match(r"^(?:(?:In|On|At|During|After|Before|Earlier|Meanwhile|However|But|And|"
                    r"Speaking|Despite|Since|Then)\b[^,]{0,80},\s*)*", seg)
    a = lead.end() if lead else 0
    m = re.match(r"(?:(?:the|a|an|The|A|An)\s+)?(?:[A-Z\u00C0-\u00DE][\w’'\-.]*|of|and|de|von|der)"
                 r"(?:\s+(?:[A-Z\u00C0-\u00DE][\w’'\-.]*|of|and|de|von|der|the))*", seg[a:])
    if not m or not m.group().strip():
        return None
    return start + a, start + a + len(m.group().rstrip())


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
                and not _NP_VERB.search(after) and _NP_VERB.search(before)):
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
                                and not _NP_VERB.search(tail))
        if final is not None and short and not re.search(r"\bthat\b", tail) and final > start:
            a, b = _np_bounds(text, final + 1, at)
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
