"""Quotations: who is quoted, saying what (direct, indirect and mixed speech), rule-based.

:func:`quotes` finds the quotations of a corpus with their speaker and the speaker's actor;
:func:`quote_shares` and :func:`quote_sentences` summarise them for reports. Quote marks are
paired by :mod:`analysis.quotes._marks`, attributions parsed by :mod:`analysis.quotes._attribution`,
speakers resolved by :mod:`analysis.quotes._speakers`. No model and no download: the rules run on
the
text, the sentences of :func:`analysis.tokenize` and the actor dictionary. Evaluated on the
hand-labelled set in ``tests/data/quotes`` (``docs/quotes.md`` gives the figures and the
constructions not handled).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from analysis.engine._frames import require_columns, tidy, to_polars
from analysis.quotes._attribution import after_quote, before_quote
from analysis.quotes._cues import CUE_SCAN, Attribution, subject_before
from analysis.quotes._marks import Quoted, may_quote, quoted_stretches
from analysis.quotes._reported import reported_clauses
from analysis.quotes._speakers import SpeakerResolver, actor_of, alias_table, speaker_name
from analysis.tokens._bounds import sentence_bounds
from analysis.tokens._tokenize import tokenize

if TYPE_CHECKING:
    from analysis.actors._dictionary import DictionarySpec

QuoteKind = Literal["direct", "indirect", "mixed", "term"]
"""``direct`` (words in quote marks), ``indirect`` (reported clause), ``mixed`` (reported clause
with quoted fragments), ``term`` (scare quotes, quoted titles: not a quotation)."""

QUOTE_SCHEMA: dict[str, Any] = {
    "doc_id": pl.String, "sentence_id": pl.UInt32, "start": pl.UInt32, "end": pl.UInt32,
    "quote": pl.String, "kind": pl.String, "cue": pl.String, "speaker": pl.String,
    "speaker_start": pl.UInt32, "speaker_end": pl.UInt32, "actor": pl.String,
}


@dataclass
class _Item:
    start: int
    end: int
    kind: str
    att: Attribution | None
    inherit: bool = False


BATCH_DOCS = 2_000
"""Documents whose sentences are held as Python lists at a time."""


def _sentences(tokens: pl.DataFrame, doc_ids: pl.Series) -> pl.DataFrame:
    """``doc_id, start, end`` (lists: the sentences' bounds in order) of the documents
    ``doc_ids`` that are in ``tokens``, from :func:`analysis.tokens._bounds.sentence_bounds`
    (a batch of token rows at a time)."""
    spans = sentence_bounds(tokens).filter(pl.col("doc_id").is_in(doc_ids.implode()))
    return spans.group_by("doc_id", maintain_order=True).agg(pl.col("start"), pl.col("end"))


def _with_cues(docs: pl.DataFrame) -> pl.DataFrame:
    """``docs`` (``doc_id, text, start, end``: the sentences' bounds as lists) plus ``cued``:
    per sentence, whether :data:`~analysis.quotes._cues.CUE_SCAN` finds a speech cue in it
    (polars, all sentences at once)."""
    sentences = docs.select("doc_id", "text", "start", "end").filter(
        pl.col("start").is_not_null()).explode("start", "end")
    cued = sentences.select(
        "doc_id", cued=pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start"))
        .str.contains(CUE_SCAN)).group_by("doc_id", maintain_order=True).agg("cued")
    return docs.join(cued, on="doc_id", how="left", maintain_order="left")


_URL = re.compile(r"(?:pic\.twitter\.com|https?://)\S*")
_TO_QUOTE = re.compile(r"\b(?P<cue>told|urged|called on|asked)\s+[^,;“”\"]{1,60}?\s+to\s*$")


def _standalone(text: str, a: int, b: int) -> bool:
    return not re.sub(r"[\s.,;:!?…—–\-)(\]\[”“\"’‘']", "", _URL.sub("", text[a:b]))


def _short(text: str, q: Quoted, min_words: int) -> bool:
    words = text[q.start:q.end]
    return len(words.split()) < min_words and not re.search(r"[.!?]$", words)


def _doc_items(text: str, sents: list[tuple[int, int]], min_words: int,
               cued: list[bool] | None = None) -> list[_Item]:
    starts = [a for a, _ in sents]

    def sent_of(i: int) -> tuple[int, int]:
        k = max(bisect_right(starts, i) - 1, 0)
        return sents[k] if sents else (0, len(text))

    stretches = quoted_stretches(text)
    items: list[_Item] = []
    used: set[int] = set()
    claimed: list[Quoted] = []
    embedded: list[Quoted] = []
    prev_close = 0
    for n, q in enumerate(stretches):
        s0, _ = sent_of(q.open)
        _, s1 = sent_of(max(q.close - 1, q.open))
        nxt_open = stretches[n + 1].open if n + 1 < len(stretches) else len(text)
        before_start = max(s0, prev_close if prev_close > s0 else s0)
        after_end = min(s1, nxt_open)
        prev_close = q.close
        if q.close < len(text) and text[q.close:q.close + 1] != "\n":
            after_end = max(after_end, min(sent_of(q.close)[1], nxt_open))
        if not text[q.close:after_end].strip() and re.search(r"[?!]$", text[q.start:q.close - 1]):
            after_end = min(sent_of(after_end + 1)[1], nxt_open)
        dash = re.match(r"[ \t]*[—–]", text[q.close:q.close + 4])
        if dash:
            line_end = text.find("\n", q.close)
            after_end = min(len(text) if line_end < 0 else line_end, nxt_open)
        ends_open = bool(re.search(r"[,?!…—–\-]$", text[q.start:q.close - 1].rstrip())) or \
            text[q.close:q.close + 1] == "," or \
            bool(re.match(r"\s*[—–]", text[q.close:q.close + 4]))
        att = after_quote(text, q.close, after_end) if ends_open else None
        tail_ok = att is not None or _standalone(text, q.close, after_end) or bool(
            re.match(r"\s*,?\s*(?:while|whereas|but)\b", text[q.close:after_end]))
        if att is None and tail_ok:
            att = before_quote(text, before_start, q.open)
        if att is not None and att.cue != ":" and not tail_ok:
            att = None
        lead = text[s0:q.open]
        if att is not None and att.cue_start > q.open and len(lead.split()) >= 3 \
                and not re.search(r"[:]\s*$", lead) and before_start == s0 \
                and not _standalone(text, s0, q.open):
            items.append(_Item(s0, q.end, "mixed", att))
            used.add(att.cue_start)
            claimed.append(q)
            continue
        if att is not None:
            items.append(_Item(q.start, q.end, "direct", att))
            used.add(att.cue_start)
            claimed.append(q)
        elif _standalone(text, before_start, q.open) and tail_ok and not _short(text, q, min_words):
            items.append(_Item(q.start, q.end, "direct", None, inherit=True))
            claimed.append(q)
        else:
            to = _TO_QUOTE.search(text, before_start, q.open)  # told Putin to “take care”
            subj = subject_before(text, s0, to.start()) if to else None
            if to and subj:
                att = Attribution(subj[0], subj[1], to.group("cue"), to.start())
                items.append(_Item(q.start, q.end, "direct", att))
                used.add(att.cue_start)
                claimed.append(q)
            else:
                embedded.append(q)
    absorbed: set[int] = set()
    for k, (a, b) in enumerate(sents):
        if cued is not None and not cued[k]:  # no speech cue in the sentence: no clause
            continue
        for r in reported_clauses(text, a, b, used):
            if any(q.open <= r.start < q.close for q in claimed):
                continue
            inside = [q for q in embedded if r.start <= q.open and q.close <= r.end + 1]
            absorbed.update(q.open for q in inside)
            items.append(_Item(r.start, r.end, "mixed" if inside else "indirect", r.attribution))
    for q in embedded:
        if q.open not in absorbed and not any(i.start <= q.open < i.end for i in items):
            items.append(_Item(q.start, q.end, "term", None))
    items.sort(key=lambda i: (i.start, i.end))
    return items


def _rows(doc_id: str, text: str, sents: list[tuple[int, int]],
          table: tuple[dict[str, str], frozenset[str]], min_words: int,
          cued: list[bool] | None = None) -> list[tuple[Any, ...]]:
    starts = [a for a, _ in sents]
    aliases, persons = table
    resolver = SpeakerResolver(aliases=aliases, persons=persons, text=text)
    resolver.note_names(text, 0, sents)
    rows: list[tuple[Any, ...]] = []
    last: tuple[str | None, str | None, int] = (None, None, -10**9)
    for it in _doc_items(text, sents, min_words, cued):
        sid = max(bisect_right(starts, it.start), 1)
        a, b = it.start, it.end
        while b > a and (text[b - 1] in " ,;:—–-“\"‘"
                         or (text[b - 1] == "." and it.kind != "direct")):
            b -= 1
        while a < b and text[a] in " ,“”\"'‘’":
            a += 1 if it.kind == "direct" or text[a] in " ," else 0
            if text[a] in "“”\"'‘’" and it.kind != "direct":
                break
        quote = text[a:b]
        if not quote.strip(" .,;:!?…—–-\"'“”‘’«»„"):
            continue
        speaker: str | None = None
        cue: str | None = None
        s_start: int | None = None
        s_end: int | None = None
        if it.kind == "term":
            rows.append((doc_id, sid, a, b, quote, "term", None, None, None, None, None))
            continue
        if it.att is not None:
            cue = it.att.cue
            phrase = text[it.att.np_start:it.att.np_end]
            written = speaker_name(phrase)
            sent_start = sents[sid - 1][0] if sents else 0
            speaker, as_written = resolver.resolve(written, it.att.np_start, sent_start)
            if as_written:
                found = text.find(written.split()[-1] if speaker != written else written,
                                  it.att.np_start, it.att.np_end)
                if speaker == written:
                    found = text.find(written, it.att.np_start, it.att.np_end)
                    s_start, s_end = (found, found + len(written)) if found >= 0 else (None, None)
                elif found >= 0:
                    s_start, s_end = found, found + len(written.split()[-1])
            last = (speaker, cue, it.start)
        elif it.inherit and last[0] is not None and it.start - last[2] < 1500:
            speaker, cue = last[0], None
            last = (speaker, last[1], it.start)
        if not (speaker or "").strip(" ,.;:—–-"):
            speaker, s_start, s_end = None, None, None
        actor = actor_of(speaker, aliases)
        rows.append((doc_id, sid, a, b, quote, it.kind, cue, speaker, s_start, s_end, actor))
    return rows


@tidy
def quotes(
    docs: Any,
    *,
    actors: DictionarySpec = None,
    tokens: Any = None,
    min_words: int = 4,
) -> Any:
    """Find quotations: one row per quotation (and per quoted term, ``kind="term"``).

    Parameters
    ----------
    docs
        A Corpus, or a polars/pandas table with ``doc_id`` and ``text``.
    actors
        The actor dictionary used to name speakers' actors (see
        :func:`analysis.actor_dictionary`); ``None`` = the shipped one.
    tokens
        The token table of ``docs`` from :func:`analysis.tokenize`, if already computed (only
        its sentences are used); ``None`` = tokenized here.
    min_words
        A quoted stretch with no speech cue and fewer words (and no sentence-final
        punctuation) is a ``term``, not an unattributed quotation.

    Returns
    -------
    DataFrame
        Sorted by ``doc_id`` and ``start``:

        - ``doc_id``, ``sentence_id``: where the quotation starts.
        - ``start``, ``end``: character offsets in ``text``; ``text[start:end]`` is the quote
          without its marks (direct) or the reported clause (indirect, mixed).
        - ``quote``: that text.
        - ``kind``: ``direct``, ``indirect``, ``mixed`` or ``term`` (scare quotes, quoted titles:
          kept apart, not quotations).
        - ``cue``: the speech verb or phrase (``said``, ``told``, ``according to``, ``:`` for a
          colon lead-in with no verb); null when the speaker is carried over from the previous
          quotation (a quote paragraph with no attribution).
        - ``speaker``: the source as written, or resolved when the text uses a pronoun or a
          title ("he", "the Chinese diplomat") or gives only a surname already named in full.
        - ``speaker_start``, ``speaker_end``: offsets of the mention used; null when the
          speaker was resolved from elsewhere in the article.
        - ``actor``: the speaker's actor in the dictionary, or null.

    Examples
    --------
    >>> import polars as pl
    >>> text = ("Chinese Foreign Minister Wang Yi met Putin. “We do not accept pressure,” said "
    ...         "the Chinese diplomat. Putin said Moscow was “ready” for talks. "
    ...         "“We are open,” he said, “to a dialogue.” The “no limits” pact held.")
    >>> out = quotes(pl.DataFrame({"doc_id": ["a"], "text": [text]}))
    >>> out.select("quote", "kind", "cue", "speaker", "actor")
    shape: (5, 5)
    ┌──────────────────────────────┬────────┬──────┬─────────┬────────────────┐
    │ quote                        ┆ kind   ┆ cue  ┆ speaker ┆ actor          │
    │ ---                          ┆ ---    ┆ ---  ┆ ---     ┆ ---            │
    │ str                          ┆ str    ┆ str  ┆ str     ┆ str            │
    ╞══════════════════════════════╪════════╪══════╪═════════╪════════════════╡
    │ We do not accept pressure    ┆ direct ┆ said ┆ Wang Yi ┆ Wang Yi        │
    │ Moscow was “ready” for talks ┆ mixed  ┆ said ┆ Putin   ┆ Vladimir Putin │
    │ We are open                  ┆ direct ┆ said ┆ Putin   ┆ Vladimir Putin │
    │ to a dialogue.               ┆ direct ┆ said ┆ Putin   ┆ Vladimir Putin │
    │ no limits                    ┆ term   ┆ null ┆ null    ┆ null           │
    └──────────────────────────────┴────────┴──────┴─────────┴────────────────┘
    """
    require_columns(docs, ["doc_id", "text"], what="quotes()'s docs")
    if docs["doc_id"].is_duplicated().any():
        dup = docs.filter(pl.col("doc_id").is_duplicated())["doc_id"].unique().sort().to_list()
        raise ValueError(f"quotes(): doc_id must be unique; repeated: {dup[:5]}")
    if min_words < 1:
        raise ValueError(f"min_words must be at least 1, got {min_words}")
    aliases = alias_table(actors)
    todo = docs.select("doc_id", "text").filter(may_quote(docs))
    if tokens is None:
        tokens = tokenize(todo, stopwords="none", lowercase=False)
    toks = to_polars(tokens, what="tokens")
    require_columns(toks, ["doc_id", "sentence_id", "start", "end"], what="tokens")
    sents = _sentences(toks, todo["doc_id"])
    parts = [pl.DataFrame(schema=QUOTE_SCHEMA)]
    for batch in todo.iter_slices(BATCH_DOCS):
        rows: list[tuple[Any, ...]] = []
        with_sents = _with_cues(batch.join(sents, on="doc_id", how="left",
                                           maintain_order="left"))
        for doc_id, text, starts, ends, cued in with_sents.iter_rows():
            bounds = list(zip(starts, ends, strict=True)) if starts is not None else []
            rows.extend(_rows(doc_id, text, bounds, aliases, min_words, cued))
        parts.append(pl.DataFrame(rows, schema=QUOTE_SCHEMA, orient="row"))
    return pl.concat(parts, rechunk=True).sort("doc_id", "start")
