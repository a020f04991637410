"""Actors: find mentions of people, states, organisations and places from a dictionary.

The dictionary maps each canonical actor to its aliases (``analysis/data/actors.toml``, see
:mod:`analysis.actors._dictionary` and ``docs/actors.md``; pass your own TOML file, a dict of the
same
shape, or a table with ``actor``, ``type``, ``alias`` columns). Matching is exact and
case-sensitive, on token boundaries of :func:`analysis.tokenize` (curly quotes count as straight
ones), within one sentence, longest alias first, left to right, never overlapping. Hyphenated
compounds are split at the hyphen first (``split_hyphens``), so "Russia-China ties" mentions
Russia and China.

An alias may carry context rules (not next to given words or to a capitalised name part: "West"
is not the Western bloc in "West Germany" or "Kanye West") and a valid period (a title such as
"Russian President" names its holder of the time); see :func:`actor_dictionary`.

Capitals and seats of government stand for their state by default (``metonymy=True``:
"Washington" is the United States, "the Kremlin" and "Moscow" are Russia, "Kyiv"/"Kiev" is
Ukraine, "Beijing" is China); ``metonymy=False`` keeps each seat apart as an actor of type
``"place"`` named after it.

Matching is a join: the token table is cut into the word sequences an alias can have (one join
per alias length), so its cost grows with the corpus, not with a Python loop per token.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from analysis.actors._dictionary import (
    DictionarySpec,
    actor_dictionary,
)
from analysis.actors._matching import (
    alias_keys,
    batch_rules,
    in_sequence,
    match_batch,
    published_dates,
    settle_matches,
)
from analysis.engine._batches import DOCS_PER_BATCH, document_slices, in_document_order
from analysis.engine._frames import is_pandas, require_columns, tidy, to_polars
from analysis.tokens._stopwords import default_stopwords
from analysis.tokens._tokenize import tokenize

BATCH_ROWS = 250_000
"""Token rows matched at a time (a batch of whole documents): matching needs a few hundred
bytes per row, so an eighth of :data:`analysis.engine._batches.BATCH_ROWS` keeps a batch under 100
MB
(the candidate names of :mod:`analysis.actors._candidates` use the same)."""

TITLE_WORDS: frozenset[str] = frozenset(
    ["Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Dame", "Lord", "Lady", "President", "Vice",
     "Secretary", "General", "Minister", "Ministers", "Prime", "Premier", "Chancellor", "Chief",
     "Governor", "Senator", "Sen", "Rep", "Representative", "Ambassador", "Envoy", "Spokesman",
     "Spokeswoman", "Spokesperson", "King", "Queen", "Prince", "Princess", "Pope", "Judge",
     "Justice", "Commissioner", "Director", "Chairman", "Chairwoman", "Chair", "Mayor", "Leader",
     "Speaker", "Deputy", "Foreign", "Defence", "Defense", "Secretary-General", "Colonel", "Col",
     "Gen", "Lt", "Major", "Maj", "Captain", "Capt", "Admiral", "Adm", "Sergeant", "Monday",
     "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
     "March", "April", "May", "June", "July", "August", "September", "October", "November",
     "December", "Later", "Earlier", "Meanwhile", "Today", "Yesterday", "Tomorrow", "Tonight",
     "Now", "Still", "Also", "However", "Instead", "Separately", "Elsewhere", "Previously",
     "Next", "Last", "Since", "Although", "Though", "While", "Whilst", "Despite", "Even",
     "Finally", "First", "Second", "Third", "Moreover", "Indeed", "Yet", "Already", "Back",
     "Asked", "Said", "Says", "Like", "Unlike", "Both", "Neither", "Either", "Every", "Each",
     "Many", "Most", "Some", "Several", "Other", "Others", "Another", "Such"]
)
"""Capitalised words that are not name parts for the ``*_capitalised`` context rules: titles,
weekdays, months and common sentence openers ("Mr Biden", "Secretary-General Stoltenberg",
"On Monday Putin", "Later Washington"). A sentence's first word is a name part only when its
lower-case form never occurs in the tokens given."""


def not_a_name_part() -> list[str]:
    """Lower-cased words that never count as a capitalised name part: the default stop-words
    and :data:`TITLE_WORDS`."""
    return sorted(default_stopwords() | {w.lower() for w in TITLE_WORDS})


@tidy
def actors(
    tokens_or_docs: Any,
    *,
    dictionary: DictionarySpec = None,
    metonymy: bool = True,
    split_hyphens: bool = True,
    dates: Any = None,
) -> Any:
    """Find actor mentions: one row per mention.

    Parameters
    ----------
    tokens_or_docs
        A token table from :func:`analysis.tokenize` (``doc_id``, ``sentence_id``,
        ``token_id``, ``token``, ``start``, ``end``), or documents (a Corpus or a table with
        ``doc_id`` and ``text``), which are tokenized first.
    dictionary
        The actor dictionary (see :func:`actor_dictionary`); ``None`` = the shipped one.
    metonymy
        Capitals and seats of government stand for their state (``True``) or are places.
    split_hyphens
        Split hyphenated tokens ("Russia-China", "Xi-Putin") into their parts before matching.
    dates
        A table with ``doc_id`` and ``published`` (e.g. the corpus) for the aliases that have a
        valid period; documents given as ``tokens_or_docs`` use their own ``published``.
        Undated documents match every alias.

    Returns
    -------
    DataFrame
        Sorted by ``doc_id`` and ``start``:

        - ``doc_id``, ``sentence_id``: where the mention is.
        - ``token_id``: the token the mention starts in (for window co-occurrence).
        - ``start``, ``end``: character offsets of the mention in the document's text.
        - ``actor``, ``type``: the canonical actor and its type.
        - ``matched``: the text that matched (rebuilt from the tokens when given tokens, with
          one space wherever the text had white space).

    Notes
    -----
    Matching is case-sensitive and exact on token boundaries: "US" matches the token ``US``
    only, never ``USA``, ``thus`` or ``us``. At each token the longest alias that matches
    (and passes its context rules and period) wins and the scan resumes after it, so "Chinese
    President Xi Jinping" is one mention of Xi Jinping (not also China or "Xi"). Matches never
    cross a sentence boundary.

    Examples
    --------
    "USA" is an alias of its own; "Thus" and "us" are not the US; "West Germany" is not the
    West:

    >>> import polars as pl
    >>> docs = pl.DataFrame({"doc_id": ["a"], "text": [
    ...     "President Xi Jinping met Putin in Moscow. Thus the USA and us, not the US, watched."
    ...     " West Germany and the West."]})
    >>> actors(docs).select("sentence_id", "start", "end", "actor", "type", "matched")
    shape: (7, 6)
    ┌─────────────┬───────┬─────┬────────────────┬──────────────┬──────────────────────┐
    │ sentence_id ┆ start ┆ end ┆ actor          ┆ type         ┆ matched              │
    │ ---         ┆ ---   ┆ --- ┆ ---            ┆ ---          ┆ ---                  │
    │ u32         ┆ u32   ┆ u32 ┆ str            ┆ str          ┆ str                  │
    ╞═════════════╪═══════╪═════╪════════════════╪══════════════╪══════════════════════╡
    │ 1           ┆ 0     ┆ 20  ┆ Xi Jinping     ┆ person       ┆ President Xi Jinping │
    │ 1           ┆ 25    ┆ 30  ┆ Vladimir Putin ┆ person       ┆ Putin                │
    │ 1           ┆ 34    ┆ 40  ┆ Russia         ┆ state        ┆ Moscow               │
    │ 2           ┆ 51    ┆ 54  ┆ United States  ┆ state        ┆ USA                  │
    │ 2           ┆ 71    ┆ 73  ┆ United States  ┆ state        ┆ US                   │
    │ 3           ┆ 89    ┆ 96  ┆ Germany        ┆ state        ┆ Germany              │
    │ 3           ┆ 105   ┆ 109 ┆ West           ┆ organisation ┆ West                 │
    └─────────────┴───────┴─────┴────────────────┴──────────────┴──────────────────────┘
    """
    table = tokens_or_docs
    texts: pl.DataFrame | None = None
    if "token" not in table.columns:
        require_columns(table, ["doc_id", "text"], what="tokens_or_docs (documents)")
        texts = table.select("doc_id", "text")
        if dates is None and "published" in table.columns:
            dates = table
        table = tokenize(table, stopwords="none", lowercase=False)
    require_columns(
        table, ["doc_id", "sentence_id", "token_id", "token", "start", "end"],
        what="tokens_or_docs (tokens)",
    )
    schema = {"doc_id": pl.String, "sentence_id": pl.UInt32, "token_id": pl.UInt32,
              "start": pl.UInt32, "end": pl.UInt32, "actor": pl.String, "type": pl.String,
              "matched": pl.String}
    if not in_document_order(table):
        table = table.sort("doc_id", "sentence_id", "token_id")
    keys = alias_keys(actor_dictionary(dictionary, metonymy=metonymy),
                      split_hyphens=split_hyphens)
    published = published_dates(dates)
    # One batch of whole documents at a time (bounded memory). A sentence's matches are settled
    # in its batch unless a capitalised-neighbour rule needs the whole corpus (which words occur
    # in lower case anywhere): those sentences wait, and are settled once all batches are seen.
    found_parts: list[pl.DataFrame] = []
    waiting: list[tuple[int, pl.DataFrame]] = []
    lower_parts, first_parts, offset = [], [], 0
    for batch in document_slices(table, rows=BATCH_ROWS):
        part = match_batch(batch, keys, split_hyphens=split_hyphens, offset=offset,
                           text=texts is None)  # documents given: cut from their text
        offset += part.units
        lower_parts.append(part.lower)
        if not part.candidates.height:
            continue
        first, cand = batch_rules(part.candidates)
        first_parts.append(first)
        pending = cand.filter(pl.col("next_cap").is_not_null() | pl.col("prev_cap").is_not_null())
        if pending.height:
            where = pending.select("doc_id", "sentence_id").unique()
            waiting.append((len(found_parts),
                            cand.join(where, on=["doc_id", "sentence_id"], how="semi")))
            cand = cand.join(where, on=["doc_id", "sentence_id"], how="anti")
        found_parts.append(settle_matches(cand, published))
    if not first_parts:
        return pl.DataFrame(schema=schema)
    if waiting:
        exempt = not_a_name_part()
        # A sentence's first word is capitalised anyway: a name part only when never seen in
        # lower case.
        lower_seen = set(pl.concat(lower_parts).unique())
        first_words = pl.concat(first_parts).unique()
        exempt = sorted({*exempt, *(w for w in first_words if w in lower_seen)})
        veto = (pl.col("next_cap").is_not_null() & ~pl.col("next_cap").is_in(exempt)) | (
            pl.col("prev_cap").is_not_null() & ~pl.col("prev_cap").is_in(exempt))
        for i, wait in waiting:  # back into their batch
            kept = settle_matches(wait.filter(~veto), published)
            found_parts[i] = pl.concat([found_parts[i], kept])
    order = ["doc_id", "start", "actor"]
    found_parts = [part.sort(order) for part in found_parts]
    found = pl.concat(found_parts, rechunk=False)
    if texts is not None:
        found = found.join(texts, on="doc_id", how="left", maintain_order="left").with_columns(
            matched=pl.col("text").str.slice(pl.col("start"), pl.col("last_end") - pl.col("start"))
        )
    found = found.select(
        "doc_id", "sentence_id", "token_id", "start", pl.col("last_end").alias("end"),
        "actor", "type", "matched",
    ).cast(schema)  # type: ignore[arg-type]
    # each batch's mentions are sorted: when the batches follow each other in that order too
    # (documents in doc_id order), no sort of the whole table (a copy of it) is needed
    return found if in_sequence(found_parts, order) else found.sort(order)


def mention_sentences(
    mentions: Any, docs: Any, *, actor1: str, actor2: str
) -> Any:
    """The sentences in which two actors are both mentioned, as text (for a table).

    Parameters
    ----------
    mentions
        :func:`actors` output.
    docs
        The documents the mentions came from (a Corpus or a table with ``doc_id``, ``text``).
    actor1, actor2
        Two canonical actor names.

    Returns
    -------
    DataFrame
        The kind of ``mentions``; one row per sentence, sorted by ``doc_id`` and ``sentence_id``:
        ``doc_id``, ``sentence_id``, ``sentence`` (the sentence's text), ``matched`` (the
        mentions of the two actors in it, in text order, joined by ``"; "``).

    Notes
    -----
    The sentence text is cut from the document with the tokenizer's sentence spans
    (:func:`analysis.tokens._tokenize.sentence_spans`), so it is the exact text of the sentence.

    Examples
    --------
    >>> import polars as pl
    >>> docs = pl.DataFrame({"doc_id": ["a"], "text": ["Russia and China met. China left."]})
    >>> mention_sentences(actors(docs), docs, actor1="Russia", actor2="China").row(0)
    ('a', 1, 'Russia and China met.', 'Russia; China')
    """
    pandas = is_pandas(mentions)
    men = to_polars(mentions, what="mentions")
    require_columns(men, ["doc_id", "sentence_id", "start", "actor", "matched"], what="mentions")
    both = (
        men.filter(pl.col("actor").is_in([actor1, actor2]))
        .sort("doc_id", "sentence_id", "start")
        .group_by("doc_id", "sentence_id", maintain_order=True)
        .agg(pl.col("actor").n_unique().alias("k"), pl.col("matched").str.join("; "))
        .filter(pl.col("k") == (1 if actor1 == actor2 else 2))
    )
    # the sentences' text: one tokenize pass over the documents concerned, not one per row
    texts = (
        to_polars(docs, what="docs").select("doc_id", pl.col("text").fill_null(""))
        .filter(pl.col("doc_id").is_in(both["doc_id"].unique().implode()))
        .unique("doc_id", keep="first")
    )
    # in batches of documents: only the bounds of the wanted sentences are kept, never the
    # token table of every document that mentions the pair (most of a large corpus)
    wanted = both.select("doc_id", "sentence_id")
    bounds = pl.concat([
        tokenize(texts.slice(i, DOCS_PER_BATCH), stopwords="none")
        .join(wanted, on=["doc_id", "sentence_id"], how="semi")
        .group_by("doc_id", "sentence_id")
        .agg(pl.col("start").min().alias("__a"), pl.col("end").max().alias("__b"))
        for i in range(0, max(texts.height, 1), DOCS_PER_BATCH)
    ])
    out = (
        both.join(bounds, on=["doc_id", "sentence_id"], how="left", maintain_order="left")
        .join(texts, on="doc_id", how="left", maintain_order="left")
        .select(
            "doc_id", "sentence_id",
            pl.col("text").str.slice(pl.col("__a"), pl.col("__b") - pl.col("__a"))
            .fill_null("").cast(pl.String).alias("sentence"),
            "matched",
        )
    )
    return out.to_pandas() if pandas else out


@tidy
def actor_summary(mentions: Any) -> Any:
    """One row per actor: how often and in how many documents it is mentioned, and how.

    Parameters
    ----------
    mentions
        :func:`actors` output (``doc_id``, ``actor``, ``type``, ``matched``).

    Returns
    -------
    DataFrame
        Sorted by ``mentions`` (descending), then ``actor``:

        - ``actor``, ``type``: the canonical actor and its type.
        - ``mentions``: number of mentions (rows of ``mentions``).
        - ``documents``: number of distinct documents mentioning it.
        - ``spellings``: the distinct matched texts, sorted, joined by ``", "``.

    Examples
    --------
    >>> import polars as pl
    >>> docs = pl.DataFrame({"doc_id": ["a", "b"],
    ...                      "text": ["Moscow and Russia. Putin spoke.", "The Kremlin said no."]})
    >>> actor_summary(actors(docs))
    shape: (2, 5)
    ┌────────────────┬────────┬──────────┬───────────┬─────────────────────────┐
    │ actor          ┆ type   ┆ mentions ┆ documents ┆ spellings               │
    │ ---            ┆ ---    ┆ ---      ┆ ---       ┆ ---                     │
    │ str            ┆ str    ┆ u32      ┆ u32       ┆ str                     │
    ╞════════════════╪════════╪══════════╪═══════════╪═════════════════════════╡
    │ Russia         ┆ state  ┆ 3        ┆ 2         ┆ Kremlin, Moscow, Russia │
    │ Vladimir Putin ┆ person ┆ 1        ┆ 1         ┆ Putin                   │
    └────────────────┴────────┴──────────┴───────────┴─────────────────────────┘
    """
    require_columns(mentions, ["doc_id", "actor", "type", "matched"], what="mentions")
    return (
        mentions.group_by("actor", "type")
        .agg(
            pl.len().cast(pl.UInt32).alias("mentions"),
            pl.col("doc_id").n_unique().cast(pl.UInt32).alias("documents"),
            pl.col("matched").unique().sort().str.join(", ").alias("spellings"),
        )
        .sort(["mentions", "actor", "type"], descending=[True, False, False])
    )


def strongest_pair_sentences(mentions: Any, docs: Any, *, pairs: Any) -> Any:
    """The sentences behind the strongest pair of a co-occurrence table of actors.

    Parameters
    ----------
    mentions
        :func:`actors` output.
    docs
        The documents the mentions came from (a Corpus or a table with ``doc_id``, ``text``).
    pairs
        :func:`analysis.cooccurrence` output over the mentions (``item1``, ``item2``, ``n``),
        e.g. ``cooccurrence(mentions, item="actor")``.

    Returns
    -------
    DataFrame
        :func:`mention_sentences` for the pair with the largest ``n`` (ties: the smallest
        ``item1``, then ``item2``); the same columns, no rows when ``pairs`` is empty.

    Examples
    --------
    >>> import polars as pl
    >>> text = "Russia and China met. China and Russia spoke. Japan and China."
    >>> docs = pl.DataFrame({"doc_id": ["a"], "text": [text]})
    >>> pairs = pl.DataFrame({"item1": ["China", "China"], "item2": ["Japan", "Russia"],
    ...                       "n": [1, 2]})
    >>> strongest_pair_sentences(actors(docs), docs, pairs=pairs)["sentence_id"].to_list()
    [1, 2]
    >>> strongest_pair_sentences(actors(docs), docs, pairs=pairs.head(0)).height
    0
    """
    table = to_polars(pairs, what="pairs")
    require_columns(table, ["item1", "item2", "n"], what="pairs")
    men = to_polars(mentions, what="mentions")
    require_columns(men, ["doc_id", "sentence_id", "start", "actor", "matched"], what="mentions")
    best = table.sort(["n", "item1", "item2"], descending=[True, False, False],
                      nulls_last=True).head(1)
    if not best.height:
        men = men.head(0)
        actor1 = actor2 = ""
    else:
        actor1, actor2 = (str(v) for v in best.select("item1", "item2").row(0))
    out = mention_sentences(men, docs, actor1=actor1, actor2=actor2)
    return out.to_pandas() if is_pandas(mentions) else out
