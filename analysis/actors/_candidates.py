"""Actor candidates: frequent names in a corpus that no actor of the dictionary matches.

A user extends the actor dictionary from this list: each candidate comes with its count, the
number of documents and one example sentence. See ``docs/actors.md``.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from analysis.actors._actors import BATCH_ROWS, TITLE_WORDS
from analysis.actors._actors import actors as find_actors
from analysis.actors._dictionary import DictionarySpec
from analysis.engine._batches import document_slices, in_document_order
from analysis.engine._frames import require_columns, tidy, to_polars
from analysis.engine._options import renamed
from analysis.tokens._stopwords import default_stopwords
from analysis.tokens._tokenize import tokenize

CONNECTORS: frozenset[str] = frozenset(
    ["of", "de", "del", "der", "den", "van", "von", "al", "bin", "la", "le", "du", "da"]
)
"""Lower-case words allowed inside a name between two capitalised words ("Bank of England",
"Ursula von der Leyen")."""

_COLUMNS = ("doc_id", "sentence_id", "token_id", "token", "start", "end")


def _example_sentences(tokens: pl.DataFrame, where: pl.DataFrame) -> pl.DataFrame:
    """The text of the sentences ``where`` (doc_id, sentence_id), rebuilt from the tokens with
    one space wherever the text had a gap."""
    sent = tokens.join(where, on=["doc_id", "sentence_id"], how="semi").sort(
        "doc_id", "sentence_id", "token_id"
    )
    end = pl.col("start") + pl.col("token").str.len_chars()
    same = (pl.col("doc_id") == pl.col("doc_id").shift(1)) & (
        pl.col("sentence_id") == pl.col("sentence_id").shift(1)
    )
    sent = sent.with_columns(
        sep=pl.when(same & (pl.col("start") > end.shift(1))).then(pl.lit(" ")).otherwise(
            pl.lit("")
        )
    )
    return sent.group_by("doc_id", "sentence_id", maintain_order=True).agg(
        pl.concat_str("sep", "token").str.join("").alias("example")
    )


@renamed(top_n="top")
@tidy
def actor_candidates(
    tokens: Any,
    *,
    actors: DictionarySpec | Any = None,
    min_n: int = 3,
    top: int | None = 50,
    metonymy: bool = True,
) -> Any:
    """Frequent capitalised names that no actor of the dictionary matches.

    Parameters
    ----------
    tokens
        A token table from :func:`analysis.tokenize` (``doc_id``, ``sentence_id``,
        ``token_id``, ``token``, ``start``, ``end``; the ``token`` column keeps its case), or
        documents (a Corpus or a table with ``doc_id`` and ``text``), tokenized first.
    actors
        What counts as a known actor: an actor dictionary (see
        :func:`analysis.actor_dictionary`; ``None`` = the shipped one), or mentions already
        found with :func:`analysis.actors` on the same tokens (a table with ``doc_id``,
        ``sentence_id``, ``start``, ``end``, ``actor``).
    min_n
        Keep candidates seen at least this many times.
    top
        Keep this many candidates (the most frequent); ``None`` keeps all.
    metonymy
        As in :func:`analysis.actors`.

    Returns
    -------
    DataFrame
        One row per candidate, sorted by ``n`` (descending), then ``candidate``:

        - ``candidate``: the name as written (its tokens joined by one space).
        - ``n_words``: its number of tokens.
        - ``n``: occurrences; ``documents``: distinct documents.
        - ``doc_id``, ``sentence_id``, ``example``: its first occurrence (smallest ``doc_id``,
          then ``sentence_id``) and that sentence's text.

    Notes
    -----
    A name is a maximal run of capitalised tokens (first letter upper case, not a stop-word) in
    one sentence, which may contain the lower-case :data:`CONNECTORS` between capitalised
    words; leading titles, weekdays and months (:data:`analysis.actors._actors.TITLE_WORDS`) are cut
    off ("Mr Kallas" is "Kallas"). Tokens inside an actor
    mention split a run. A one-word run at the start of a sentence is left out when the word
    also occurs in lower case (an ordinary word, capitalised by position).

    Examples
    --------
    >>> import polars as pl
    >>> docs = pl.DataFrame({"doc_id": ["a", "b"], "text": [
    ...     "Kaja Kallas met Mark Rutte. The Bank of England held rates. Then Mark Rutte left.",
    ...     "Kaja Kallas and the Bank of England spoke in Geneva. Geneva was calm. Putin agreed."]})
    >>> actor_candidates(docs, min_n=2).select("candidate", "n_words", "n", "documents")
    shape: (4, 4)
    ┌─────────────────┬─────────┬─────┬───────────┐
    │ candidate       ┆ n_words ┆ n   ┆ documents │
    │ ---             ┆ ---     ┆ --- ┆ ---       │
    │ str             ┆ u32     ┆ u32 ┆ u32       │
    ╞═════════════════╪═════════╪═════╪═══════════╡
    │ Bank of England ┆ 3       ┆ 2   ┆ 2         │
    │ Geneva          ┆ 1       ┆ 2   ┆ 1         │
    │ Kaja Kallas     ┆ 2       ┆ 2   ┆ 2         │
    │ Mark Rutte      ┆ 2       ┆ 2   ┆ 1         │
    └─────────────────┴─────────┴─────┴───────────┘
    >>> actor_candidates(docs, min_n=2).row(0)[4:]
    ('a', 2, 'The Bank of England held rates.')
    """
    if min_n < 1:
        raise ValueError(f"min_n must be at least 1, got {min_n}")
    if top is not None and top < 1:
        raise ValueError(f"top must be at least 1 or None, got {top}")
    table = tokens
    if "token" not in table.columns:
        require_columns(table, ["doc_id", "text"], what="tokens (documents)")
        table = tokenize(table, stopwords="none", lowercase=False)
    require_columns(table, ["doc_id", "sentence_id", "token_id", "token", "start", "end"],
                    what="tokens")
    if not in_document_order(table):
        table = table.sort("doc_id", "sentence_id", "token_id")
    given = None
    if actors is not None and not isinstance(actors, str | dict) and not hasattr(actors, "open"):
        given = to_polars(actors, what="actors")
    if given is not None and "alias" not in given.columns:
        require_columns(given, ["doc_id", "sentence_id", "start", "end"], what="actors (mentions)")
        mentions = given
    else:
        mentions = find_actors(table, dictionary=actors, metonymy=metonymy)
    spans = mentions.select("doc_id", "sentence_id", pl.col("start").alias("ms"),
                            pl.col("end").alias("me"))
    # one batch of whole documents at a time (bounded memory), combined by concatenation
    run_parts, lower_parts = [], []
    for batch in document_slices(table, rows=BATCH_ROWS):
        t = batch.select(*_COLUMNS).filter(pl.col("token").is_not_null())
        lower_parts.append(t.filter(pl.col("token").str.contains(r"^\p{Ll}"))["token"].unique())
        run_parts.append(candidate_runs(t, spans))
    lower_seen = pl.concat(lower_parts).unique().implode()
    runs = pl.concat(run_parts).filter(
        ~((pl.col("n_words") == 1) & pl.col("initial") & pl.col("word").is_in(lower_seen))
        & ~pl.col("candidate").is_in(list(TITLE_WORDS))
    )
    counted = runs.sort("doc_id", "sentence_id").group_by("candidate", maintain_order=True).agg(
        pl.col("n_words").first(),
        pl.len().cast(pl.UInt32).alias("n"),
        pl.col("doc_id").n_unique().cast(pl.UInt32).alias("documents"),
        pl.col("doc_id").first(),
        pl.col("sentence_id").first(),
    ).filter(pl.col("n") >= min_n).sort(["n", "candidate"], descending=[True, False])
    if top is not None:
        counted = counted.head(top)
    where = counted.select("doc_id", "sentence_id").unique()
    # the documents concerned first: a join over every token row would hash all their keys
    examples = _example_sentences(
        table.select(*_COLUMNS).filter(pl.col("doc_id").is_in(where["doc_id"].implode()))
        .join(where, on=["doc_id", "sentence_id"], how="semi"), where)
    out = counted.join(examples, on=["doc_id", "sentence_id"], how="left", maintain_order="left")
    return out.select("candidate", "n_words", "n", "documents", "doc_id", "sentence_id",
                      "example")


def candidate_runs(tokens: pl.DataFrame, mentions: pl.DataFrame) -> pl.DataFrame:
    """The runs of capitalised tokens in a batch of whole documents (per-batch step of
    :func:`actor_candidates`).

    Parameters
    ----------
    tokens
        Token rows (``doc_id``, ``sentence_id``, ``token_id``, ``token``, ``start``, ``end``)
        of whole documents, in text order, without null tokens.
    mentions
        Actor mention spans: ``doc_id``, ``sentence_id``, ``ms`` (start), ``me`` (end).

    Returns
    -------
    DataFrame
        One row per run, in text order: ``doc_id``, ``sentence_id``, ``candidate`` (the run's
        tokens joined by one space), ``n_words``, ``initial`` (whether the run opens its
        sentence) and ``word`` (its first token, lower-cased).

    Examples
    --------
    >>> t = pl.DataFrame({"doc_id": ["a"] * 5, "sentence_id": [1] * 5,
    ...                   "token_id": [1, 2, 3, 4, 5],
    ...                   "token": ["Mr", "Mark", "Rutte", "met", "Putin"],
    ...                   "start": [0, 3, 8, 14, 18], "end": [2, 7, 13, 17, 23]})
    >>> spans = pl.DataFrame({"doc_id": ["a"], "sentence_id": [1], "ms": [18], "me": [23]})
    >>> candidate_runs(t, spans).select("candidate", "n_words", "initial").rows()
    [('Mark Rutte', 2, False)]
    """
    t = tokens
    covered = t.join(mentions, on=["doc_id", "sentence_id"], how="inner").filter(
        (pl.col("start") < pl.col("me")) & (pl.col("end") > pl.col("ms"))
    ).select("doc_id", "token_id").unique()
    stop = sorted(default_stopwords())
    low = pl.col("token").str.to_lowercase()
    t = t.join(covered.with_columns(covered=pl.lit(True)), on=["doc_id", "token_id"],
               how="left", maintain_order="left").with_columns(
        pl.col("covered").fill_null(False)
    )
    same = (pl.col("doc_id") == pl.col("doc_id").shift(1)) & (
        pl.col("sentence_id") == pl.col("sentence_id").shift(1)
    )
    first = ~same.fill_null(False)
    cap = pl.col("token").str.contains(r"^\p{Lu}") & ~low.is_in(stop) & ~pl.col("covered")
    t = t.with_columns(cap=cap, first=first)
    inner = (pl.col("token").is_in(list(CONNECTORS)) & pl.col("cap").shift(1).fill_null(False)
             & pl.col("cap").shift(-1).fill_null(False) & same.fill_null(False)
             & ~pl.col("covered"))
    t = t.with_columns(name=pl.col("cap") | inner)
    boundary = ~pl.col("name") | ~pl.col("name").shift(1).fill_null(False) | pl.col("first")
    titles = list(TITLE_WORDS)
    named = t.with_columns(run=boundary.cum_sum()).filter(pl.col("name")).filter(
        # titles, weekdays and months leading a run are not part of the name ("Mr Kallas")
        (~pl.col("token").is_in(titles)).cum_sum().over("run") > 0
    )
    return named.group_by("run", maintain_order=True).agg(
        pl.col("doc_id").first(), pl.col("sentence_id").first(),
        pl.col("token").str.join(" ").alias("candidate"),
        pl.len().cast(pl.UInt32).alias("n_words"),
        pl.col("first").first().alias("initial"),
        pl.col("token").first().str.to_lowercase().alias("word"),
    ).drop("run")
