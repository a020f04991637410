"""Speakers of quotations: the name in an attribution, pronouns and titles resolved, actors.

Rule-based helpers behind :func:`analysis.quotes`: :func:`speaker_name` picks the source out of
the noun phrase of an attribution ("Maria Zakharova, a spokeswoman for the Russian foreign
ministry" -> "Maria Zakharova"; "the highest representative of Chinese diplomacy, Wang Yi" ->
"Wang Yi"), :class:`SpeakerResolver` resolves pronouns ("he", "she", "it") and short titles
("the Chinese diplomat", "the Russian president") to the nearest preceding source of the right
kind in the article, and names a person by the fullest form the article used ("Zakharova" ->
"Maria Zakharova"). The actor comes from the actor dictionary (:func:`analysis.actor_dictionary`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import polars as pl

from analysis.actors._dictionary import actor_dictionary

PRONOUNS: dict[str, str] = {"he": "person", "she": "person", "him": "person", "her": "person",
                            "i": "person", "it": "group", "they": "group", "we": "group"}
"""Pronoun speakers and the kind of antecedent each is resolved to."""

TITLES: frozenset[str] = frozenset(
    [
        "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.", "sir", "dame",
        "capt", "capt.", "gen", "gen.", "lt", "col", "maj", "adm", "president", "vice", "prime",
        "minister", "foreign", "defence", "defense", "secretary", "general", "chancellor",
        "senator", "sen.", "rep.", "governor", "mayor", "ambassador", "spokesman",
        "spokeswoman", "spokesperson", "chief", "head", "deputy", "first", "lady", "lieutenant",
        "commander", "colonel", "captain", "lord", "king", "queen", "pope", "state", "of", "the"
    ]
)
"""Words stripped from the front of a name ("US Secretary of State Antony Blinken")."""

ROLE_HEADS: frozenset[str] = frozenset(
    [
        "president", "leader", "diplomat", "minister", "premier", "chancellor", "secretary",
        "spokesman", "spokeswoman", "spokesperson", "representative", "envoy", "official",
        "head", "chief", "general", "commander", "ambassador", "governor", "mayor"
    ]
)
"""Heads of short definite descriptions resolved to a person named earlier."""

HIGH_OFFICE: frozenset[str] = frozenset(
    ["president", "leader", "diplomat", "minister", "premier", "chancellor"])
"""Role heads that refer back to a person even without a qualifier ("the president")."""

PERSON_HEADS: frozenset[str] = ROLE_HEADS | frozenset(
    ["adviser", "advisor", "analyst", "expert", "soldier", "resident", "officer", "lawmaker",
     "scientist", "economist", "professor", "researcher", "journalist", "woman", "man",
     "director"])
"""Heads of descriptions of one person ("a military adviser"): antecedents for "he"/"she"."""

GROUP_WORDS: frozenset[str] = frozenset(
    [
        "ministry", "agency", "council", "command", "service", "office", "department",
        "government", "administration", "committee", "commission", "army", "military", "police",
        "statement", "text", "report", "authorities", "officials", "embassy", "kremlin",
        "organisation", "organization", "union", "nato", "un", "eu", "court", "company",
        "group", "independent", "times", "post", "news", "press", "reuters", "afp", "bloomberg",
        "politico", "interfax", "tass", "ria", "xinhua", "efe", "bbc", "cnn", "guardian",
        "journal", "telegraph", "media", "tv", "radio", "website", "channel", "forces",
        "force", "guard", "staff", "party", "parliament", "senate", "congress", "house",
        "institute", "university", "school", "foundation", "center", "centre", "bank", "fund",
        "association", "network", "studies",
    ]
)
"""Words that make a noun phrase a group or institution rather than a person."""

_CAP = (r"(?:(?:Mr|Mrs|Ms|Dr|Gen|Capt|Lt|Col|Sen|Rep|St)\.|[A-Z](?:\.[A-Z])+\.?|[A-Z]\.(?=\s+[A-Z])"
        r"|[A-Z\u00C0-\u00DE][\w’'\-]*)")
_NAME = re.compile(rf"{_CAP}(?:\s+(?:{_CAP}|van|von|der|de|al-\w+|bin))*")
_LEADING = re.compile(
    r"^(?:(?:and|but|so|yet|while|as|then|meanwhile|earlier|later|however|also)\b[\s,]*)+",
    re.IGNORECASE,
)
_NATIONAL = re.compile(
    r"^(?:US|U\.S\.|UK|U\.K\.|EU|UN|Nato|NATO|American|British|Chinese|Russian|Ukrainian|French|"
    r"German|Italian|Japanese|Polish|Turkish|Iranian|Indian|Israeli|Syrian|Belarusian|European|"
    r"Western|Canadian|Australian|Hungarian|Serbian|Spanish|Dutch|Swedish|Finnish|Norwegian|"
    r"Estonian|Latvian|Lithuanian|Moldovan|Georgian|Korean|Taiwanese|Saudi|Irish|Austrian|Swiss|"
    r"Belgian|Czech|Slovak|Romanian|Bulgarian|Greek|Portuguese|Mexican|Brazilian|Kremlin|Soviet|"
    r"Palestinian|Egyptian|Pakistani|Afghan|Scottish|Danish|Croatian|Kazakh|Armenian)$"
)


_FUNCTION_CAPS = frozenset(
    [
        "On", "In", "At", "But", "And", "The", "A", "An", "When", "After", "Before", "Already",
        "Since", "Then", "While", "As", "For", "With", "From", "By", "Meanwhile", "However",
        "Earlier", "Later", "This", "That", "Today", "Yesterday", "Monday", "Tuesday",
        "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
        "April", "May", "June", "July", "August", "September", "October", "November",
        "December", "Despite", "Although", "If", "Speaking", "According", "Last", "Next", "It",
        "He", "She", "They", "We", "I"
    ]
)


@lru_cache(maxsize=1 << 16)  # a pure function of the name, called per capitalised run
def _clean_name(name: str) -> str:
    words = name.split()
    while words and words[0] in _FUNCTION_CAPS:
        words.pop(0)
    name = " ".join(words)
    return re.sub(r"[’']s$", "", strip_titles(name)) if name else ""


def _words(text: str) -> list[str]:
    return text.split()


def strip_titles(name: str) -> str:
    """Drop leading titles and offices from a capitalised name.

    Examples
    --------
    >>> strip_titles("US Secretary of State Antony Blinken"), strip_titles("Mr. Putin")
    ('Antony Blinken', 'Putin')
    >>> strip_titles("Capt Svyatoslav Palamar"), strip_titles("President")
    ('Svyatoslav Palamar', 'President')
    """
    words = _words(name)
    i = 0
    while i < len(words) - 1 and (
        words[i].lower().rstrip(",") in TITLES or _NATIONAL.match(words[i])
    ):
        i += 1
    return " ".join(words[i:])


def _is_person_name(seg: str) -> str | None:
    """The person's name in a segment that ends with a capitalised name of 1-4 words."""
    seg = seg.strip().rstrip(",")
    found = None
    for m in _NAME.finditer(seg):
        found = m
    if found is None or found.end() < len(seg.rstrip(" .")) - 1:
        return None
    before = seg[:found.start()].split()
    if before and before[-1] in ("of", "in", "for", "from", "at", "to", "on", "by", "with"):
        return None
    name = strip_titles(found.group().rstrip("."))
    words = name.split()
    if not words or any(w.lower() in GROUP_WORDS for w in words) or len(words) > 4:
        return None
    if len(words) == 1 and (_NATIONAL.match(words[0]) or words[0] in ("The", "It", "A")):
        return None
    return name


def speaker_name(phrase: str) -> str:
    """The speaker named by the noun phrase of an attribution.

    A person's name wins over its description (apposition after a comma, or titles before);
    otherwise the phrase itself, without leading conjunctions, is the speaker.

    Examples
    --------
    >>> speaker_name("the highest representative of Chinese diplomacy, Wang Yi")
    'Wang Yi'
    >>> speaker_name("Maria Zakharova, a spokeswoman for the Russian foreign ministry")
    'Maria Zakharova'
    >>> speaker_name("Nato secretary general Jens Stoltenberg")
    'Jens Stoltenberg'
    >>> speaker_name("Ukraine’s main domestic security agency"), speaker_name("he")
    ('Ukraine’s main domestic security agency', 'he')
    """
    text = _LEADING.sub("", phrase.strip().strip(",").strip())
    text = re.sub(r"(?:\s+\w+ly)+$", "", text)
    segments = [s for s in re.split(r",\s*|\s+[–—-]\s+", text) if s.strip()]
    for seg in segments:
        name = _is_person_name(seg)
        if name and (seg is segments[0] or seg.strip()[0].isupper()):
            return name
    return segments[0].strip() if segments else text


@lru_cache(maxsize=1 << 16)
def is_person_like(speaker: str) -> bool:
    """A speaker that names one person (not a pronoun, group or institution)."""
    if speaker.lower() in PRONOUNS:
        return False
    words = speaker.split()
    if any(re.sub(r"[’']s$", "", w.lower()) in GROUP_WORDS for w in words):
        return False
    return bool(words) and all(w[:1].isupper() for w in words) and len(words) <= 4


@dataclass
class SpeakerResolver:
    """Resolve speakers within one article, in text order (call :meth:`resolve` in order).

    Examples
    --------
    >>> putin = {"Putin": "Vladimir Putin", "Russian President": "Vladimir Putin"}
    >>> r = SpeakerResolver(aliases=putin, persons=frozenset(putin))
    >>> r.note_names("Russian President Vladimir Putin met Maria Zakharova.", 0)
    >>> r.resolve("Zakharova", 60), r.resolve("he", 70), r.resolve("the Russian president", 80)
    (('Maria Zakharova', True), ('Maria Zakharova', False), ('Vladimir Putin', False))
    """

    aliases: dict[str, str] = field(default_factory=dict)
    persons: frozenset[str] = frozenset()
    names: list[tuple[int, str]] = field(default_factory=list)
    subjects: list[tuple[int, str]] = field(default_factory=list)
    text: str = ""
    history: list[tuple[int, str, str]] = field(default_factory=list)

    def note_names(self, text: str, offset: int, sentences: Sequence[tuple[int, int]] = ()) -> None:
        """Record the person names of a stretch of text (candidate antecedents).

        With the ``sentences`` of the text, only names in subject position (the first name of a
        sentence, within its first 60 characters) are kept.
        """
        starts = {a for a, _ in sentences}
        seen: set[int] = set()
        order = sorted(starts)
        for m in _NAME.finditer(text):
            name = _clean_name(m.group().rstrip(".’'"))
            if not name or text[m.end():m.end() + 1] == "/":  # photo credits: "Ed Ram/Agency"
                continue
            if name in self.aliases and name not in self.persons:
                continue
            if name in self.persons or (len(name.split()) >= 2 and is_person_like(name)
                                        and not any(w in self.aliases for w in name.split())):
                at = offset + m.start() + max(m.group().find(name.split()[0]), 0)
                self.names.append((at, name))
                if order:
                    s0 = order[max(bisect_right(order, m.start()) - 1, 0)]
                    if s0 in seen or m.start() - s0 > 130:
                        continue
                    seen.add(s0)
                self.subjects.append((at, name))

    def _fullest(self, name: str, pos: int) -> str:
        last = name.split()[-1]
        best = name
        for at, cand in self.names:
            same = cand.split()[-1] == last or (len(name.split()) == 1
                                                and cand.split()[0] == name)  # Wang -> Wang Yi
            if at <= pos and same and len(cand) > len(best):
                best = cand
        return best

    def _actor_person(self, name: str) -> bool:
        return name in self.persons or (name not in self.aliases and is_person_like(name))

    def resolve(self, speaker: str, pos: int, sent_start: int = -1) -> tuple[str, bool]:
        """``(speaker, as_written)``: the resolved speaker; False when taken from elsewhere.

        A person pronoun goes to the last person named earlier in its own sentence, else the
        last person quoted, else the last person named.
        """
        low = speaker.lower()
        kind = PRONOUNS.get(low)
        words = low.split()
        head = (words[-1] if "of" not in words else words[words.index("of") - 1]) if words else ""
        qualified = any(_NATIONAL.match(w) for w in speaker.split()[1:]) or head in HIGH_OFFICE \
            or bool(words and re.search(r"[’']s$", words[0]))
        role = (
            kind is None and 2 <= len(words) <= 5 and head in ROLE_HEADS and qualified
            and (words[0] == "the" or (len(words) == 2 and re.search(r"[’']s$", words[0])))
            and all(_NATIONAL.match(w) or w.islower() for w in speaker.split()[1:-1])
            and not any(w in GROUP_WORDS for w in words)
        )
        if kind == "person" or role:
            if role and self._canonical(speaker):
                return self._remember(self._canonical(speaker) or speaker, pos, "person"), False
            same = [name for at, name in self.names if sent_start <= at < pos]
            if kind == "person" and same:
                return self._remember(self._fullest(same[-1], pos), pos, "person"), False
            cands = [(at, name) for at, name, k in self.history if k == "person"]
            cands += [(at, name) for at, name in (self.names if role else self.subjects)
                      if at < pos]
            nats = [w for w in speaker.split()[1:] if _NATIONAL.match(w)]
            if role and nats and self.text:
                near = [c for c in cands if any(
                    n in self.text[max(c[0] - 25, 0):c[0]] for n in nats)]
                cands = near or cands
            if cands:
                name = max(cands, key=lambda c: c[0])[1]
                return self._remember(self._fullest(name, pos), pos, "person"), False
            return self._remember(speaker, pos, "unknown"), True
        if kind == "group":
            for _at, name, k in reversed(self.history):
                if k == "group":
                    return self._remember(name, pos, "group"), False
            return self._remember(speaker, pos, "unknown"), True
        if self._actor_person(speaker):
            full = self._fullest(speaker, pos)
            return self._remember(full, pos, "person"), True
        one = bool(re.match(r"(?:a|an|the|one)\s", low)) and head in PERSON_HEADS
        return self._remember(speaker, pos, "person" if one else "group"), True

    def _canonical(self, description: str) -> str | None:
        key = re.sub(r"^the\s+", "", description, flags=re.IGNORECASE).lower()
        for alias, actor in self.aliases.items():
            if alias.lower() == key:
                return actor
        return None

    def _remember(self, name: str, pos: int, kind: str) -> str:
        self.history.append((pos, name, kind))
        return name


def alias_table(dictionary: Any = None) -> tuple[dict[str, str], frozenset[str]]:
    """Alias -> actor (all actors), and the aliases of persons, from the actor dictionary."""
    table = actor_dictionary(dictionary)
    persons = frozenset(table.filter(pl.col("type") == "person")["alias"].to_list())
    return dict(table.select("alias", "actor").iter_rows()), persons


def actor_of(speaker: str | None, aliases: dict[str, str]) -> str | None:
    """The actor a speaker names: the whole speaker, without "the", or its last word.

    Examples
    --------
    >>> aliases = {"Putin": "Vladimir Putin", "Kremlin": "Russia"}
    >>> actor_of("Mr Putin", aliases), actor_of("the Kremlin", aliases), actor_of("he", aliases)
    ('Vladimir Putin', 'Russia', None)
    """
    if not speaker:
        return None
    s = speaker.strip()
    for cand in (s, re.sub(r"^the\s+", "", s, flags=re.IGNORECASE), strip_titles(s)):
        if cand in aliases:
            return aliases[cand]
    last = s.split()[-1]
    if len(s.split()) <= 3 and last in aliases and last[:1].isupper():
        return aliases[last]
    return None


def actor_types(dictionary: Any = None) -> pl.DataFrame:
    """``actor``, ``actor_type``: one row per actor of the dictionary."""
    return (
        actor_dictionary(dictionary).select("actor", pl.col("type").alias("actor_type"))
        .unique().sort("actor")
    )
