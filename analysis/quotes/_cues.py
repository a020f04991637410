"""Speech cues and the speaker's noun phrase, shared by direct and reported attributions.

:data:`CUES` and :data:`PARTICIPLES` are the speech verbs, :data:`CUE_RE` finds them;
:func:`subject_before` (the phrase before a cue: "the Chinese diplomat said"), :func:`np_after`
(after an inverted cue: "said Oleg Paroev") and :func:`sentence_subject` find the speaker.
Used by :mod:`analysis.quotes._attribution` (quotes) and :mod:`analysis.quotes._reported` (indirect
speech).
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

CUE_PATTERN = r"(?:" + "|".join(CUES) + r")"
"""The speech cues as one regular-expression alternation (no group)."""
_CUE_FIRST = "".join(sorted({w[0] for w in (*CUES, "according to", *PARTICIPLES)}))
# the lookahead on the first letters skips most positions before the alternation is tried
# (the same matches, about twice as fast)
CUE_RE = re.compile(
    rf"\b(?=[{_CUE_FIRST}])(?P<cue>{CUE_PATTERN}|according to|{'|'.join(PARTICIPLES)})\b",
    re.IGNORECASE)
CUE_SCAN = "(?i)(?:" + "|".join(
    w.replace("i", "[iİı]") for w in (*CUES, "according to", *PARTICIPLES)) + ")"
"""A polars (Rust ``regex``) pattern finding every :data:`CUE_RE` match (and more): the cues
without the word boundaries. Python's case-insensitive ``i`` also matches ``İ`` and ``ı``;
Rust's does not, hence the class. A sentence in which it finds nothing has no cue, so
:func:`analysis.quotes` skips the Python search for indirect speech there.

Examples
--------
>>> import polars as pl
>>> pl.Series(["He SAID so.", "No cue here.", "saİd"]).str.contains(CUE_SCAN).to_list()
[True, False, True]
"""
AUX = re.compile(
    r"\b(?:is|are|was|were|be|been|had|has|have|would|will|could|can|may|might|should|must|"
    r"did|does|do|need|needed|shall|\w{3,}ed|\w+n[’']t)\b"
)
"""Auxiliaries and past forms: a phrase containing one is a clause, not a speaker."""
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


@dataclass(frozen=True)
class Attribution:
    """A speaker phrase ``np_start:np_end`` and the cue that attributes words to it."""

    np_start: int
    np_end: int
    cue: str
    cue_start: int


@dataclass(frozen=True)
class Reported:
    """An indirect (reported) clause ``start:end``, its attribution and the name of the rule
    that found it (:data:`analysis.quotes._reported.CLAUSE_RULES`)."""

    start: int
    end: int
    attribution: Attribution
    rule: str = ""


_AUX_TAIL = re.compile(
    r"(?:\s+(?:has|have|had|also|again|previously|recently|earlier|later|then|\w+ly))+\s*$")


def np_bounds(text: str, a: int, b: int) -> tuple[int, int]:
    """``text[a:b]`` trimmed to a phrase: blanks and punctuation at both ends and a trailing run
    of auxiliaries and adverbs ("has also") dropped.

    Examples
    --------
    >>> text = ", the mayor has also said"
    >>> a, b = np_bounds(text, 0, text.index(" said"))
    >>> text[a:b]
    'the mayor'
    """
    while a < b and text[a] in " ,—–-:":
        a += 1
    while b > a and text[b - 1] in " ,—–-:.":
        b -= 1
    m = _AUX_TAIL.search(text, a, b)
    if m and m.start() > a and m.end() == b:
        b = m.start()
    return a, b


NP_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|had|has|have|would|will|could|can|may|might|should|must|"
    r"did|does|do|need|shall|(?<![-‐])[a-z]{3,}ed)\b"
)
"""A finite verb (auxiliary or ``-ed`` form): a speaker phrase has none."""
NP_START = re.compile(
    r"^(?:the|a|an|one|another|some|two|three|local|officials|he|she|it|they|we|"
    r"[A-Z\u00C0-\u00DE0-9])"
)
"""How a speaker phrase starts: a determiner, a pronoun, a capital or a digit."""


def name_like(seg: str) -> bool:
    """One to five words, each capitalised or a name particle ("of", "van", "von", "der", "de").

    Examples
    --------
    >>> name_like("Ursula von der Leyen"), name_like("the mayor")
    (True, False)
    """
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
        a, b = np_bounds(text, start + cut + p0, cue_at)
        m = tail.search(text[a:b])
        return (a, a + m.start()) if m else (a, b)

    last = parts[-1].group().strip()
    last_np = tail.sub("", " " + last).strip()
    if last.lower() in ("he", "she", "it", "they", "we", "i") or (
            len(parts) > 1 and name_like(last_np)):
        return bounds(parts[-1].start())
    a, b = bounds(parts[0].start())
    whole = text[a:b]
    first = parts[0].group().strip()
    if (not NP_VERB.search(whole) and len(whole.split()) <= 25 and len(parts) <= 3
            and ((len(parts) == 1 and len(first.split()) <= 8) or name_like(first))):
        return a, b
    a, b = bounds(parts[-1].start())
    if NP_VERB.search(text[a:b]) or len(text[a:b].split()) > 12 or not NP_START.match(text[a:b]):
        return None
    if len(parts) >= 2:
        prev = parts[-2].group().strip()
        if (not NP_VERB.search(prev) and len(prev.split()) <= 8 and NP_START.match(prev)
                and (name_like(last) or name_like(prev))):
            return bounds(parts[-2].start())[0], b
    return a, b


def np_after(text: str, a: int, end: int) -> tuple[int, int]:
    """The speaker phrase after an inverted cue ("said Oleg Paroev, chief executive of ...")."""
    seg = text[a:end]
    seg = _NP_STOP.sub("", seg.split(";")[0])
    return np_bounds(text, a, a + len(seg))


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
