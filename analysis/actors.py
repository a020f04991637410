"""Actors: find mentions of people, states, organisations and places from a dictionary.

The dictionary maps each canonical actor to its aliases (``analysis/data/actors.toml``, see
the comments at its top; pass your own TOML file, a dict of the same shape, or a table with
``actor``, ``type``, ``alias`` columns). Matching is exact and case-sensitive, on token
boundaries of :func:`analysis.tokenize` (curly quotes count as straight ones), within one
sentence, longest alias first, left to right, never overlapping. Hyphenated compounds are split
at the hyphen first (``split_hyphens``), so "Russia-China ties" mentions Russia and China.

Capitals and seats of government stand for their state by default (``metonymy=True``:
"Washington" is the United States, "the Kremlin" and "Moscow" are Russia, "Kyiv"/"Kiev" is
Ukraine, "Beijing" is China); ``metonymy=False`` keeps each seat apart as an actor of type
``"place"`` named after it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import polars as pl

from analysis.config import PACKAGE_DATA
from analysis.frames import is_pandas, require_columns, tidy, to_polars
from analysis.tokenize import QUOTE_MAP, tokenize, word_spans

ActorType = Literal["person", "state", "organisation", "place"]
"""The kinds of actor a dictionary may declare."""

ACTORS_FILE: Path = PACKAGE_DATA / "actors.toml"
"""The shipped actor dictionary."""

DictionarySpec = str | Path | Mapping[str, Any] | pl.DataFrame | None

_QUOTES = str.maketrans(QUOTE_MAP)
_HYPHEN_PART = re.compile(r"[^-‐]+")

_DICT_SCHEMA = {"actor": pl.String, "type": pl.String, "alias": pl.String, "seat": pl.String}


def _parts(text: str, start: int, split_hyphens: bool) -> list[tuple[str, int, int]]:
    """A token as matching units ``(normalised text, start, end)``: split at inner hyphens."""
    norm = text.translate(_QUOTES)
    if split_hyphens and len(norm) > 1 and ("-" in norm or "‐" in norm):
        found = [(m.group(), start + m.start(), start + m.end())
                 for m in _HYPHEN_PART.finditer(norm)]
        if found:
            return found
    return [(norm, start, start + len(text))]


def alias_key(alias: str, *, split_hyphens: bool = True) -> tuple[str, ...]:
    """The token sequence an alias must match (the tokenizer's words, hyphens split).

    Examples
    --------
    >>> alias_key("People’s Republic of China")
    ('People', "'s", 'Republic', 'of', 'China')
    >>> alias_key("Kim Jong-un"), alias_key("U.S.")
    (('Kim', 'Jong', 'un'), ('U.S.',))
    """
    out: list[str] = []
    for a, b in word_spans(alias):
        out.extend(p for p, _, _ in _parts(alias[a:b], a, split_hyphens))
    return tuple(out)


def _from_mapping(data: Mapping[str, Any], metonymy: bool, where: str) -> pl.DataFrame:
    rows: list[tuple[str, str, str, str | None]] = []
    types = get_args(ActorType)
    for actor, spec in data.items():
        if not isinstance(spec, Mapping):
            raise ValueError(f"{where}: actor {actor!r} must be a table with type and aliases")
        kind = spec.get("type")
        if kind not in types:
            raise ValueError(
                f"{where}: actor {actor!r} has type {kind!r}; use one of {list(types)}"
            )
        aliases = spec.get("aliases", [])
        seats = spec.get("seats", {})
        if isinstance(aliases, str) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ValueError(f"{where}: aliases of {actor!r} must be a list of non-empty strings")
        if not isinstance(seats, Mapping):
            raise ValueError(f"{where}: seats of {actor!r} must be a table: seat = [aliases]")
        if not aliases and not seats:
            raise ValueError(f"{where}: actor {actor!r} has no aliases")
        rows.extend((actor, kind, a, None) for a in aliases)
        for seat, seat_aliases in seats.items():
            if isinstance(seat_aliases, str) or not all(
                isinstance(a, str) and a.strip() for a in seat_aliases
            ):
                raise ValueError(f"{where}: seat {seat!r} of {actor!r} needs a list of aliases")
            for a in seat_aliases:
                rows.append((actor, kind, a, seat) if metonymy else (seat, "place", a, seat))
    return pl.DataFrame(rows, schema=_DICT_SCHEMA, orient="row")


@cache
def _shipped(metonymy: bool) -> pl.DataFrame:
    with ACTORS_FILE.open("rb") as fh:
        return _from_mapping(tomllib.load(fh), metonymy, str(ACTORS_FILE))


def actor_dictionary(dictionary: DictionarySpec = None, *, metonymy: bool = True) -> pl.DataFrame:
    """The actor dictionary as a table: one row per alias.

    Parameters
    ----------
    dictionary
        ``None`` or ``""`` for the shipped ``analysis/data/actors.toml``; a path to your own
        TOML file of the same shape; a dict of that shape; or a polars/pandas table with
        columns ``actor``, ``type``, ``alias`` (``seat`` optional).
    metonymy
        Capitals and seats of government stand for their state (default); ``False`` makes
        each seat an actor of its own, of type ``"place"``.

    Returns
    -------
    polars.DataFrame
        ``actor``, ``type``, ``alias``, ``seat`` (the seat an alias names, else null), sorted
        by ``actor`` and ``alias``.

    Examples
    --------
    >>> d = actor_dictionary()
    >>> d.filter(pl.col("alias").is_in(["Kremlin", "Kiev", "Xi"])).select("actor", "alias")
    shape: (3, 2)
    ┌────────────┬─────────┐
    │ actor      ┆ alias   │
    │ ---        ┆ ---     │
    │ str        ┆ str     │
    ╞════════════╪═════════╡
    │ Russia     ┆ Kremlin │
    │ Ukraine    ┆ Kiev    │
    │ Xi Jinping ┆ Xi      │
    └────────────┴─────────┘
    >>> actor_dictionary(metonymy=False).filter(pl.col("alias") == "Kiev").row(0)
    ('Kyiv', 'place', 'Kiev', 'Kyiv')
    """
    if dictionary is None or (isinstance(dictionary, str) and not dictionary.strip()):
        table = _shipped(metonymy)
    elif isinstance(dictionary, str | Path):
        path = Path(dictionary)
        if not path.is_file():
            raise FileNotFoundError(f"actor dictionary {str(path)!r} does not exist")
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"actor dictionary {str(path)!r} is not valid TOML: {err}") from err
        table = _from_mapping(data, metonymy, str(path))
    elif isinstance(dictionary, Mapping):
        table = _from_mapping(dictionary, metonymy, "actor dictionary")
    else:
        table = to_polars(dictionary, what="actor dictionary")
        require_columns(table, ["actor", "type", "alias"], what="actor dictionary")
        if "seat" not in table.columns:
            table = table.with_columns(seat=pl.lit(None, dtype=pl.String))
        table = table.select(list(_DICT_SCHEMA)).cast(_DICT_SCHEMA)  # type: ignore[arg-type]
        bad = table.filter(~pl.col("type").is_in(list(get_args(ActorType))))
        if bad.height:
            raise ValueError(
                f"actor dictionary: type must be one of {list(get_args(ActorType))}; "
                f"got {bad['type'].unique().sort().to_list()}"
            )
        if not metonymy:
            table = table.with_columns(
                actor=pl.coalesce("seat", "actor"),
                type=pl.when(pl.col("seat").is_null()).then("type").otherwise(pl.lit("place")),
            )
    table = table.filter(pl.col("alias").str.strip_chars() != "").unique().sort("actor", "alias")
    clash = table.group_by("alias").agg(pl.col("actor").unique().sort()).filter(
        pl.col("actor").list.len() > 1
    )
    if clash.height:
        a, who = clash.sort("alias").row(0)
        raise ValueError(f"actor dictionary: alias {a!r} is given for several actors: {who}")
    return table


def _matcher(table: pl.DataFrame, split_hyphens: bool) -> tuple[dict, int]:
    lookup: dict[tuple[str, ...], tuple[str, str]] = {}
    for actor, kind, alias in table.select("actor", "type", "alias").iter_rows():
        key = alias_key(alias, split_hyphens=split_hyphens)
        if key:
            lookup[key] = (actor, kind)
    return lookup, max((len(k) for k in lookup), default=0)


def _join_tokens(units: list[tuple[str, int, int, int, str, int]], a: int, b: int) -> str:
    """The text of characters ``a:b`` rebuilt from tokens: a space where tokens had a gap."""
    pieces: dict[int, tuple[int, str]] = {}
    for _, _, _, tid, tok, tstart in units:
        pieces[tid] = (tstart, tok)
    text, prev_end = "", None
    for ts, tok in pieces.values():
        if prev_end is not None and ts > prev_end:
            text += " "
        text += tok[max(a, ts) - ts:min(b, ts + len(tok)) - ts]
        prev_end = ts + len(tok)
    return text


@tidy
def actors(
    tokens_or_docs: Any,
    *,
    dictionary: DictionarySpec = None,
    metonymy: bool = True,
    split_hyphens: bool = True,
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
    wins and the scan resumes after it, so "Chinese President Xi Jinping" is one mention of
    Xi Jinping (not also China or "Xi"). Matches never cross a sentence boundary.

    Examples
    --------
    "USA" is an alias of its own; "Thus" and "us" are not the US:

    >>> import polars as pl
    >>> docs = pl.DataFrame({"doc_id": ["a"], "text": [
    ...     "President Xi Jinping met Putin in Moscow. Thus the USA and us, not the US, watched."]})
    >>> actors(docs).select("sentence_id", "start", "end", "actor", "type", "matched")
    shape: (5, 6)
    ┌─────────────┬───────┬─────┬────────────────┬────────┬──────────────────────┐
    │ sentence_id ┆ start ┆ end ┆ actor          ┆ type   ┆ matched              │
    │ ---         ┆ ---   ┆ --- ┆ ---            ┆ ---    ┆ ---                  │
    │ u32         ┆ u32   ┆ u32 ┆ str            ┆ str    ┆ str                  │
    ╞═════════════╪═══════╪═════╪════════════════╪════════╪══════════════════════╡
    │ 1           ┆ 0     ┆ 20  ┆ Xi Jinping     ┆ person ┆ President Xi Jinping │
    │ 1           ┆ 25    ┆ 30  ┆ Vladimir Putin ┆ person ┆ Putin                │
    │ 1           ┆ 34    ┆ 40  ┆ Russia         ┆ state  ┆ Moscow               │
    │ 2           ┆ 51    ┆ 54  ┆ United States  ┆ state  ┆ USA                  │
    │ 2           ┆ 71    ┆ 73  ┆ United States  ┆ state  ┆ US                   │
    └─────────────┴───────┴─────┴────────────────┴────────┴──────────────────────┘
    """
    table = tokens_or_docs
    if "token" not in table.columns:
        require_columns(table, ["doc_id", "text"], what="tokens_or_docs (documents)")
        texts = dict(table.select("doc_id", "text").iter_rows())
        table = tokenize(table, stopwords="none", lowercase=False)
    else:
        texts = {}
    require_columns(
        table, ["doc_id", "sentence_id", "token_id", "token", "start", "end"],
        what="tokens_or_docs (tokens)",
    )
    lookup, longest = _matcher(actor_dictionary(dictionary, metonymy=metonymy), split_hyphens)
    out: dict[str, list[Any]] = {k: [] for k in
                                 ("doc_id", "sentence_id", "token_id", "start", "end",
                                  "actor", "type", "matched")}
    ordered = table.select("doc_id", "sentence_id", "token_id", "token", "start", "end").sort(
        "doc_id", "sentence_id", "token_id"
    )
    for (doc_id, sentence_id), sent in ordered.group_by(
        ["doc_id", "sentence_id"], maintain_order=True
    ):
        units: list[tuple[str, int, int, int, str, int]] = []
        for tid, tok, start, _end in sent.select("token_id", "token", "start", "end").iter_rows():
            if tok is None:
                continue
            for part, a, b in _parts(tok, start, split_hyphens):
                units.append((part, a, b, tid, tok, start))
        words = [u[0] for u in units]
        i = 0
        while i < len(units):
            for size in range(min(longest, len(units) - i), 0, -1):
                hit = lookup.get(tuple(words[i:i + size]))
                if hit is None:
                    continue
                first, last = units[i], units[i + size - 1]
                a, b = first[1], last[2]
                text = texts.get(doc_id)
                matched = (
                    text[a:b] if text is not None else _join_tokens(units[i:i + size], a, b)
                )
                for key, value in zip(
                    out, (doc_id, sentence_id, first[3], a, b, hit[0], hit[1], matched),
                    strict=True,
                ):
                    out[key].append(value)
                i += size
                break
            else:
                i += 1
    schema = {"doc_id": pl.String, "sentence_id": pl.UInt32, "token_id": pl.UInt32,
              "start": pl.UInt32, "end": pl.UInt32, "actor": pl.String, "type": pl.String,
              "matched": pl.String}
    return pl.DataFrame(out, schema=schema).sort("doc_id", "start", "actor")


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
    (:func:`analysis.tokenize.sentence_spans`), so it is the exact text of the sentence.

    Examples
    --------
    >>> import polars as pl
    >>> docs = pl.DataFrame({"doc_id": ["a"], "text": ["Russia and China met. China left."]})
    >>> mention_sentences(actors(docs), docs, actor1="Russia", actor2="China").row(0)
    ('a', 1, 'Russia and China met.', 'Russia; China')
    """
    from analysis.tokenize import tokenize

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
    bounds = (
        tokenize(texts, stopwords="none")
        .group_by("doc_id", "sentence_id")
        .agg(pl.col("start").min().alias("__a"), pl.col("end").max().alias("__b"))
    )
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
