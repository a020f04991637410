"""Reported (indirect) speech: the clauses a sentence attributes to a speaker.

:func:`reported_clauses` finds "X said (that) ...", "X told reporters ...", "..., X said.",
"..., said X.", "According to X, ...", "..., according to X.", "..., adding that ..." and
"Reuters quoted X as saying ..." in one sentence. Used by :func:`analysis.quotes`; the cues and
speaker phrases are :mod:`analysis.quotes._cues`.

The grammar is a table, :data:`CLAUSE_RULES`: one :class:`ClauseRule` per construction (its
name, the cue words it applies to, a pattern, an action, an example and what the example
yields), tried in order on each speech cue; :func:`reported_clauses` is the interpreter. The
table is documented in ``docs/quotes.md`` and every rule's example is a test
(``tests/quotes/test_clause_rules.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

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


# --- the rules -------------------------------------------------------------------------------

Region = Literal["lead", "before", "after", "document"]
"""What a rule's pattern is searched in: ``lead``, the sentence up to the cue; ``before``, the
same without its trailing blanks; ``after``, from the cue's end to the sentence's content end;
``document``, the document up to the cue."""

NO_CLAUSE: frozenset[str] = frozenset(["read", "asked", "replied", "urged", "posted", "agreed"])
"""Cues no rule takes: they introduce a question, a request or a text, not a reported clause."""


@dataclass
class CueSite:
    """One speech cue in its sentence: what a rule looks at, with named offsets.

    Offsets are in the document's text; ``cue`` is the cue's match in the sentence (its offsets
    count from ``sentence_start``).
    """

    text: str
    cue: re.Match[str]
    sentence_start: int
    content_end: int
    """The sentence's end without its trailing white space and end marks."""
    clause_end: int
    """Where a clause after the cue ends: the next cue that opens a clause, or ``content_end``."""
    subject: Attribution | None
    """The sentence's speaker found so far (a participle continues it)."""

    @property
    def word(self) -> str:
        """The cue in lower case ("said", "according to", "adding")."""
        return self.cue.group("cue").lower()

    @property
    def cue_start(self) -> int:
        return self.sentence_start + self.cue.start()

    @property
    def cue_end(self) -> int:
        return self.sentence_start + self.cue.end()

    @property
    def lead(self) -> str:
        return self.text[self.sentence_start:self.cue_start]

    @property
    def before(self) -> str:
        return self.lead.rstrip()

    @property
    def after(self) -> str:
        return self.text[self.cue_end:self.content_end]

    def attribution(self, np_start: int, np_end: int) -> Attribution:
        """The speaker phrase ``text[np_start:np_end]`` attributed with this cue."""
        return Attribution(np_start, np_end, self.word, self.cue_start)

    def lead_np(self, hit: re.Match[str]) -> Attribution:
        """The attribution to group ``np`` of a match in the lead (or ``before``)."""
        return self.attribution(self.sentence_start + hit.start("np"),
                                self.sentence_start + hit.end("np"))

    def content_start(self) -> int:
        """Where the reported words start after the cue (after "that", a time phrase, or the
        object of "told")."""
        return _content_start(self.text, self.cue, self.sentence_start, self.clause_end)


@dataclass(frozen=True)
class Outcome:
    """What a rule that takes a cue gives: a clause or none, and the new state of the sentence.

    ``subject`` (the sentence's speaker, for later participles) and ``covered`` (the offset up
    to which the sentence is taken: later cues before it are skipped unless they open a clause)
    stay as they were when ``None``.
    """

    clause: Reported | None = None
    subject: Attribution | None = None
    covered: int | None = None


Action = Callable[[CueSite, "re.Match[str] | None"], "Outcome | None"]
"""A rule's action: the cue site and the pattern's match (``None`` for a rule without a
pattern) give an :class:`Outcome`, or ``None`` when the rule does not apply after all (the next
rule is tried)."""


@dataclass(frozen=True)
class ClauseRule:
    """A construction of reported speech, tried on a cue in the sentence.

    Attributes
    ----------
    name
        The rule's name (:attr:`Reported.rule` of the clauses it finds).
    construction
        The construction in words, for the documentation ("..., said X.").
    cues
        The cue words it applies to (lower case); ``None``: any speech verb, that is any cue that
        is not "according to", a participle (:data:`analysis.quotes._cues.PARTICIPLES`) or in
        :data:`NO_CLAUSE`.
    pattern
        Searched in ``on``; the rule applies only where it matches (``None``: the action alone
        decides).
    on
        What the pattern is searched in (:data:`Region`).
    action
        The pattern's match to an :class:`Outcome` (see :data:`Action`).
    example
        A sentence the rule reads.
    yields
        What the example gives: the clause ``text[start:end]`` (as found: the verb trims blanks
        and marks later), the speaker phrase and the cue.
    """

    name: str
    construction: str
    cues: frozenset[str] | None
    pattern: re.Pattern[str] | None
    on: Region
    action: Action
    example: str
    yields: tuple[str, str, str]

    def takes(self, word: str) -> bool:
        """True when the rule applies to the cue ``word`` (lower case)."""
        if self.cues is not None:
            return word in self.cues
        return word != "according to" and word not in PARTICIPLES and word not in NO_CLAUSE

    def apply(self, site: CueSite) -> Outcome | None:
        """The rule's outcome at ``site``, or ``None`` when it does not apply."""
        hit = None
        if self.pattern is not None:
            if self.on == "document":
                hit = self.pattern.search(site.text, 0, site.cue_start)
            else:
                hit = self.pattern.search(getattr(site, self.on))
            if hit is None:
                return None
        return self.action(site, hit)


def _according_lead(site: CueSite, comma: re.Match[str] | None) -> Outcome | None:
    """"According to X, ...": the cue opens the sentence; the speaker runs to the comma (or to
    the comma after a name in apposition: "according to its spokesman, John Kirby, ...")."""
    assert comma is not None
    if not (site.cue.start() < 3 or len(site.lead.strip(" ,").split()) < 3):
        return None
    np_start, _ = np_after(site.text, site.cue_end, site.content_end)
    np_end = site.cue_end + comma.end() - 1
    return Outcome(Reported(np_end + 1, site.content_end, site.attribution(np_start, np_end)),
                   covered=site.content_end)


def _according_trailing(site: CueSite, _: re.Match[str] | None) -> Outcome | None:
    """"..., according to X.": at least three words before the cue are the clause."""
    if len(site.lead.split()) < 3:
        return None
    np_start, np_end = np_after(site.text, site.cue_end, site.content_end)
    return Outcome(Reported(site.sentence_start, site.cue_start,
                            site.attribution(np_start, np_end)))


def _participle_clause(site: CueSite, speaker: Attribution | None) -> Outcome:
    """The clause after a participle, spoken by ``speaker`` (``None``: the sentence's
    subject): taken when it reads as a clause."""
    if speaker is None:
        subject = sentence_subject(site.text, site.sentence_start, site.cue_start)
        speaker = site.attribution(*subject) if subject else None
    content_start = site.content_start()
    if speaker is None or site.clause_end - content_start <= 8 or not _clause_like(
            site.text[content_start:site.clause_end].lstrip("“\" ")):
        return Outcome()
    speaker = site.attribution(speaker.np_start, speaker.np_end)
    return Outcome(Reported(content_start, site.clause_end, speaker), covered=site.clause_end)


def _participle_named(site: CueSite, hit: re.Match[str] | None) -> Outcome:
    """The participle's speaker is group ``np`` of the pattern ("quoted X as saying", "with X,
    speaking ..., saying")."""
    assert hit is not None
    return _participle_clause(site, site.lead_np(hit))


def _participle_continues(site: CueSite, _: re.Match[str] | None) -> Outcome:
    return _participle_clause(site, site.subject)


_WAS = re.compile(r"\s+(?:was|were|is|are)\s+")


def _what_was(site: CueSite, what: re.Match[str] | None) -> Outcome | None:
    """"what X said was Y": Y, to the next comma."""
    assert what is not None
    was = _WAS.match(site.after)
    if was is None:
        return None
    content_start = site.cue_end + was.end()
    comma = site.text.find(",", content_start, site.content_end)
    content_end = comma if comma > 0 else site.content_end
    if content_end <= content_start:
        return Outcome()
    return Outcome(Reported(content_start, content_end, site.lead_np(what)))


def _inverted(site: CueSite, _: re.Match[str] | None) -> Outcome | None:
    """"..., said X.": a clause with a finite verb, a comma, the cue and a short speaker phrase
    with none."""
    before, after = site.before, site.after
    if not before.endswith(",") or NP_VERB.search(after) or not NP_VERB.search(before):
        return None
    np_start, np_end = np_after(site.text, site.cue_end, site.content_end)
    if np_end <= np_start:
        return Outcome()
    speaker = site.attribution(np_start, np_end)
    return Outcome(Reported(site.sentence_start, site.sentence_start + len(before) - 1, speaker),
                   subject=speaker, covered=site.content_end)


def _interrupted(site: CueSite, hit: re.Match[str] | None) -> Outcome | None:
    """"X's words, he said, go on.": the whole sentence, spoken by the phrase between commas."""
    assert hit is not None
    if not site.after.startswith(",") or len(site.before[:hit.start()].split()) < 3:
        return None
    speaker = site.lead_np(hit)
    return Outcome(Reported(site.sentence_start, site.content_end, speaker),
                   subject=speaker, covered=site.content_end)


_TIME_RE = re.compile(_TIME, re.IGNORECASE)
_THAT = re.compile(r"\bthat\b")


def _final(site: CueSite, _: re.Match[str] | None) -> Outcome | None:
    """"..., the mayor of X said.": a speaker phrase after the last commas, and at most six
    words after the cue (twelve after "told" with no finite verb), none of them "that"."""
    tail = site.after
    np_comma = _final_np(site.text, site.sentence_start, site.cue_start)
    n_tail = len(_TIME_RE.sub("", tail).split())
    short = n_tail <= 6 or (site.word in ("told", "tells") and n_tail <= 12
                            and not NP_VERB.search(tail))
    if np_comma is None or not short or _THAT.search(tail) or np_comma <= site.sentence_start:
        return None
    speaker = site.attribution(*np_bounds(site.text, np_comma + 1, site.cue_start))
    return Outcome(Reported(site.sentence_start, np_comma, speaker), subject=speaker)


_THAT_END = re.compile(r"\bthat\s*$")
_PREPOSITION = re.compile(r"(?:of|over|for|on|in|to|against|with|at|by|from)\b")


def _subject_verb(site: CueSite, _: re.Match[str] | None) -> Outcome:
    """"X said (that) ...": the speaker phrase before the cue, the clause after it. Without
    "that" the words after the cue must read as a clause (strictly for verbs that also take a
    noun object, :data:`_STRICT`) and not start with a preposition; otherwise the phrase is
    only remembered as the sentence's subject."""
    text = site.text
    np = subject_before(text, site.sentence_start, site.cue_start)
    if np is None:
        return Outcome()
    speaker = site.attribution(*np)
    content_start = site.content_start()
    content = text[content_start:site.clause_end]
    has_that = bool(_THAT_END.search(text[site.cue_end:content_start]))
    body = content.lstrip("“\" ")
    reads_as_clause = _clause_strict(body) if site.word in _STRICT else _clause_like(body)
    if not content.strip() or (not has_that and (_PREPOSITION.match(body) or not reads_as_clause)):
        return Outcome(subject=site.subject or speaker)
    content_end = site.clause_end
    if content_end < site.content_end:
        content_end = len(text[:content_end].rstrip().rstrip(","))
    return Outcome(Reported(content_start, content_end, speaker), subject=speaker,
                   covered=content_end)


_SPEECH = None  # any speech verb (see ClauseRule.cues)
_PARTICIPLE_CUES = frozenset(PARTICIPLES)

CLAUSE_RULES: tuple[ClauseRule, ...] = (
    ClauseRule(
        "according to, leading", "According to X, ...", frozenset(["according to"]),
        re.compile(r",(?:\s*[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)+,)?"), "after", _according_lead,
        example="According to the mayor, the city has run out of water.",
        yields=(" the city has run out of water", "the mayor", "according to")),
    ClauseRule(
        "according to, trailing", "..., according to X.", frozenset(["according to"]),
        None, "lead", _according_trailing,
        example="The city has run out of water, according to the mayor.",
        yields=("The city has run out of water, ", "the mayor", "according to")),
    ClauseRule(
        "quoted as saying", "Reuters quoted X as saying ...", _PARTICIPLE_CUES,
        re.compile(r"(?:reported|quoted)\s+(?P<np>.{1,120}?)\s+(?:as\s+)?$"), "lead",
        _participle_named,
        example="Reuters quoted a senior official as saying the talks had failed.",
        yields=("the talks had failed", "a senior official", "saying")),
    ClauseRule(
        "with X, saying", "..., with X, speaking in Y, saying ...", _PARTICIPLE_CUES,
        re.compile(r"\bwith\s+(?P<np>[^,]{1,80}(?:,\s*[A-Z][^,]{1,40})?),\s+\w+ing\b"), "lead",
        _participle_named,
        example="Talks resumed, with Dmytro Kuleba, speaking in Kyiv, saying the war had to end.",
        yields=("the war had to end", "Dmytro Kuleba", "saying")),
    ClauseRule(
        "participle", "X ..., adding that ... (the sentence's speaker goes on)", _PARTICIPLE_CUES,
        re.compile(r"(?:,|\band)\s*$"), "document", _participle_continues,
        example="Vitali Klitschko spoke on Monday, adding that the city had run out of water.",
        yields=(" the city had run out of water", "Vitali Klitschko", "adding")),
    ClauseRule(
        "what X said was", "what X said was Y", frozenset(["said", "says", "claimed", "claims"]),
        re.compile(r"\bwhat\s+(?P<np>[^,]{1,60}?)\s*$"), "before", _what_was,
        example="In truth, what the mayor said was that the city had no water, not that it had "
                "no money.",
        yields=("that the city had no water", "the mayor", "said")),
    ClauseRule(
        "inverted", "..., said X.", _SPEECH,
        re.compile(r"^(?=\s+[A-Z]|\s+(?:the|a|an)\b)\s*[^,]{0,80}(?:,[^,]{0,80})?\Z"), "after",
        _inverted,
        example="The city has run out of water, said the mayor.",
        yields=("The city has run out of water", "the mayor", "said")),
    ClauseRule(
        "interrupted", "X's words, he said, go on.", _SPEECH, _INTERRUPT, "before", _interrupted,
        example="The city's water supply, the mayor said, has run out.",
        yields=("The city's water supply, the mayor said, has run out", "the mayor", "said")),
    ClauseRule(
        "speaker last", "..., the mayor of X said.", _SPEECH, None, "lead", _final,
        example="The city has run out of water, the mayor said.",
        yields=("The city has run out of water", "the mayor", "said")),
    ClauseRule(
        "speaker first", "X said (that) ..., X told reporters ...", _SPEECH, None, "lead",
        _subject_verb,
        example="The mayor said that the city had run out of water.",
        yields=(" the city had run out of water", "The mayor", "said")),
)
"""The rules, tried in this order on each cue; the first that applies decides (it may find no
clause). A cue that no rule takes gives nothing."""


@cache
def rules_for(word: str) -> tuple[ClauseRule, ...]:
    """The rules that apply to the cue ``word`` (lower case), in table order.

    Examples
    --------
    >>> [r.name for r in rules_for("according to")]
    ['according to, leading', 'according to, trailing']
    >>> rules_for("asked")
    ()
    """
    return tuple(r for r in CLAUSE_RULES if r.takes(word))


def _noun_use(sentence: str, cue: re.Match[str]) -> bool:
    """A cue used as a participle adjective ("the announced plan", "its estimated cost"); "said",
    "says", "told" and "according to" are never."""
    return (cue.group("cue").lower() not in ("said", "told", "says", "according to")
            and bool(_NOUN_BEFORE.search(sentence[:cue.start()])))


def reported_clauses(text: str, start: int, end: int, used: set[int]) -> list[Reported]:
    """Indirect speech in the sentence ``text[start:end]``; cues at offsets in ``used`` skipped.

    Each cue is read by the first rule of :data:`CLAUSE_RULES` that applies to it. A cue inside
    a clause already found is skipped unless it opens a clause of its own (:func:`_boundary`);
    of overlapping clauses the first found is kept.

    Examples
    --------
    >>> text = "The city has run out of water, said the mayor. He said that talks failed."
    >>> [(text[r.start:r.end], text[r.attribution.np_start:r.attribution.np_end], r.rule)
    ...  for r in reported_clauses(text, 0, 46, set())]
    [('The city has run out of water', 'the mayor', 'inverted')]
    >>> [(text[r.start:r.end], r.rule) for r in reported_clauses(text, 47, len(text), set())]
    [(' talks failed', 'speaker first')]
    """
    sentence = text[start:end]
    content_end = start + _content_length(sentence)
    cues = [m for m in CUE_RE.finditer(sentence)
            if start + m.start() not in used and not _noun_use(sentence, m)]
    opens_clause = [_boundary(sentence, m) for m in cues]
    clause_ends: list[int] = []
    next_open = content_end
    for m, opens in zip(reversed(cues), reversed(opens_clause), strict=True):
        clause_ends.append(next_open)
        if opens:
            next_open = start + m.start()
    clause_ends.reverse()
    found: list[Reported] = []
    subject: Attribution | None = None
    covered = -1
    for m, opens, clause_end in zip(cues, opens_clause, clause_ends, strict=True):
        if start + m.start() < covered and not opens:
            continue
        site = CueSite(text, m, start, content_end, clause_end, subject)
        for rule in rules_for(site.word):
            outcome = rule.apply(site)
            if outcome is None:
                continue
            if outcome.clause is not None:
                found.append(replace(outcome.clause, rule=rule.name))
            if outcome.subject is not None:
                subject = outcome.subject
            if outcome.covered is not None:
                covered = outcome.covered
            break
    kept: list[Reported] = []
    for r in found:
        if not any(k.start < r.end and r.start < k.end for k in kept):
            kept.append(r)
    return kept
