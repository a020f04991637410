"""Tone toward actors: VADER scores per sentence, aggregated per actor, group and period.

The scores are those of the ``vaderSentiment`` package (its lexicon and rules, installed from the
lock file; nothing is downloaded): :func:`tone` hands every sentence string, cut from the
document text at the token table's sentence offsets, to one
``SentimentIntensityAnalyzer().polarity_scores`` and keeps ``compound``, ``pos``, ``neu`` and
``neg`` unchanged. :func:`actor_tone` joins actor mentions (from :func:`analysis.actors`) to those
sentence scores and reports, per actor and group, the mean compound score with a seeded
percentile-bootstrap interval over sentences, the shares of negative and positive sentences and
the mean tone of *all* sentences of the same group (the outlet-period baseline), so that an
actor's tone can be read against how negative the outlet's coverage is anyway.

Limits, stated in the report too: VADER's lexicon was built for social-media text; news about
war is negative whatever the stance; tone is not stance (a sentence condemning an attack on a
country is negative, not hostile to that country).

The scoring is this module; the aggregation per actor (:func:`actor_tone`,
:func:`tone_sentences`) is :mod:`analysis.tone._actors`, the charts :mod:`analysis.tone._charts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from analysis.engine._frames import require_columns, tidy, to_polars
from analysis.engine._options import renamed
from analysis.tokens._bounds import sentence_bounds
from analysis.tokens._tokenize import tokenize

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

SCORE_SCHEMA: dict[str, pl.DataType] = {
    "compound": pl.Float64(), "pos": pl.Float64(), "neu": pl.Float64(), "neg": pl.Float64(),
}
GROUP_COLUMNS = ("outlet", "published")
"""Document columns that :func:`tone` carries onto its rows so that tone can be grouped."""


@cache
def analyzer() -> SentimentIntensityAnalyzer:
    """The one VADER analyzer (its lexicon is read from the installed package once)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


BATCH_DOCS = 5_000
"""Documents tokenised at a time when :func:`tone` finds the sentences itself."""
BATCH_SENTENCES = 200_000
"""Sentences whose strings are cut at a time."""
PARALLEL_FROM = 50_000
"""With ``jobs=None``, texts are scored in several processes from this many texts on."""


def score_chunk(texts: Sequence[str]) -> list[tuple[float, float, float, float]]:
    """``(compound, pos, neu, neg)`` of each text by the reference analyzer (a worker's job)."""
    score = analyzer().polarity_scores
    out = []
    for text in texts:
        r = score(text)
        out.append((r["compound"], r["pos"], r["neu"], r["neg"]))
    return out


def polarity_scores(texts: Sequence[str], *, jobs: int | None = None) -> pl.DataFrame:
    """VADER's ``compound, pos, neu, neg`` for each string, in order (one row per string).

    ``jobs`` processes share the work (``None``: one per CPU from :data:`PARALLEL_FROM` texts
    on, else one); the scores do not depend on it.

    Examples
    --------
    >>> polarity_scores(["A good day.", "A terrible, terrible war."])
    shape: (2, 4)
    ┌──────────┬───────┬───────┬──────┐
    │ compound ┆ pos   ┆ neu   ┆ neg  │
    │ ---      ┆ ---   ┆ ---   ┆ ---  │
    │ f64      ┆ f64   ┆ f64   ┆ f64  │
    ╞══════════╪═══════╪═══════╪══════╡
    │ 0.4404   ┆ 0.592 ┆ 0.408 ┆ 0.0  │
    │ -0.8779  ┆ 0.0   ┆ 0.09  ┆ 0.91 │
    └──────────┴───────┴───────┴──────┘
    """
    texts = list(texts)
    return score_batches([texts], jobs=_jobs(jobs, len(texts)))


def _jobs(jobs: int | None, n_texts: int) -> int:
    import os

    if jobs is None:
        return (os.cpu_count() or 1) if n_texts >= PARALLEL_FROM else 1
    return jobs


def score_batches(batches: Iterable[Sequence[str]], *, jobs: int = 1) -> pl.DataFrame:
    """:func:`polarity_scores` of batches of strings, one after the other, as one table.

    Only one batch of strings (and its scores as Python objects) exists at a time, so the
    memory does not grow with the number of texts; ``jobs`` worker processes (started once)
    share each batch. The rows are those of :func:`polarity_scores` of all the strings.

    Examples
    --------
    >>> score_batches([["A good day."], [], ["A terrible, terrible war."]])["compound"].to_list()
    [0.4404, -0.8779]
    """
    parts = []
    if jobs <= 1:
        parts = [_score_frame(score_chunk(texts)) for texts in batches]
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = multiprocessing.get_context("spawn")  # polars and fork do not mix
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            for texts in batches:
                size = max(-(-len(texts) // (jobs * 8)), 1)
                chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
                parts.append(_score_frame(
                    [row for part in pool.map(score_chunk, chunks) for row in part]))
    return pl.concat(parts) if parts else _score_frame([])


def _score_frame(rows: list[tuple[float, float, float, float]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SCORE_SCHEMA, orient="row")


@renamed(unit="context")
@tidy
def tone(
    docs: Any,
    *,
    tokens: Any = None,
    context: Literal["sentence", "document"] = "sentence",
    lexicon: Literal["vader"] = "vader",
    jobs: int | None = None,
) -> Any:
    """Score the tone of every sentence (or document) with VADER.

    Parameters
    ----------
    docs
        Documents: a Corpus or a table with ``doc_id`` and ``text`` (``outlet`` and
        ``published``, when present, are carried onto the result for grouping).
    tokens
        The token table of these documents (from :func:`analysis.tokenize`), to reuse its
        sentences; ``None`` tokenizes ``docs``. Not needed for ``context="document"``.
    context
        The unit scored (``unit=`` is its deprecated name). ``"sentence"``: one row per
        sentence, its string cut from the text at the sentence's first and last token offsets;
        ``"document"``: one row per document, the whole text.
    lexicon
        ``"vader"``, the only one: the lexicon and rules of the ``vaderSentiment`` package.
    jobs
        Processes that score (``None``: one per CPU for large corpora, see
        :func:`polarity_scores`); the result does not depend on it.

    Returns
    -------
    DataFrame
        Sorted by ``doc_id`` and ``sentence_id``:

        - ``doc_id``, ``sentence_id`` (sentence unit only): the unit scored.
        - ``outlet``, ``published``: copied from ``docs`` when it has them.
        - ``start``, ``end`` (sentence unit only): character offsets of the sentence in
          ``text``.
        - ``compound``: VADER's normalised score in [-1, 1].
        - ``pos``, ``neu``, ``neg``: the proportions of the text that are positive, neutral
          and negative (they sum to 1 up to rounding).

    Notes
    -----
    The numbers are exactly ``SentimentIntensityAnalyzer().polarity_scores(s)`` for each
    sentence string ``s``: negation ("not good"), boosters ("very"), capitals, exclamation
    marks and the contrastive "but" are VADER's rules, unchanged. A document with no text
    scores 0 (neutral).

    Examples
    --------
    >>> import polars as pl
    >>> docs = pl.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": [
    ...     "Talks went well. The attack killed ten people, but aid arrived."]})
    >>> tone(docs).select("sentence_id", "compound", "pos", "neu", "neg")
    shape: (2, 5)
    ┌─────────────┬──────────┬───────┬───────┬───────┐
    │ sentence_id ┆ compound ┆ pos   ┆ neu   ┆ neg   │
    │ ---         ┆ ---      ┆ ---   ┆ ---   ┆ ---   │
    │ u32         ┆ f64      ┆ f64   ┆ f64   ┆ f64   │
    ╞═════════════╪══════════╪═══════╪═══════╪═══════╡
    │ 1           ┆ 0.2732   ┆ 0.512 ┆ 0.488 ┆ 0.0   │
    │ 2           ┆ -0.5859  ┆ 0.0   ┆ 0.556 ┆ 0.444 │
    └─────────────┴──────────┴───────┴───────┴───────┘
    """
    if lexicon != "vader":
        raise ValueError(f"lexicon must be 'vader', got {lexicon!r}")
    require_columns(docs, ["doc_id", "text"], what="docs")
    keep = [c for c in GROUP_COLUMNS if c in docs.columns]
    frame = docs.select("doc_id", *keep, pl.col("text").fill_null(""))
    if context == "document":
        scores = polarity_scores(frame["text"].to_list(), jobs=jobs)
        return pl.concat([frame.drop("text"), scores], how="horizontal").sort("doc_id")
    if context != "sentence":
        raise ValueError(f"context must be 'sentence' or 'document', got {context!r}")
    if tokens is None:  # sentences batch by batch: the whole token table never sits in memory
        spans = pl.concat([
            sentence_bounds(tokenize(part, stopwords="none"))
            for part in frame.iter_slices(BATCH_DOCS)
        ]) if frame.height else sentence_bounds(tokenize(frame, stopwords="none"))
    else:
        spans = sentence_bounds(to_polars(tokens))
    spans = spans.join(frame.select("doc_id", *keep), on="doc_id", how="inner").sort(
        "doc_id", "sentence_id")
    scores = score_batches(sentence_batches(spans, frame), jobs=_jobs(jobs, spans.height))
    out = pl.concat([spans, scores], how="horizontal")
    return out.select("doc_id", "sentence_id", *keep, "start", "end", *SCORE_SCHEMA)


def sentence_strings(spans: pl.DataFrame, docs: pl.DataFrame) -> list[str]:
    """``text[start:end]`` for each row of ``spans``, joining the text batch by batch.

    Joining every document's text onto every sentence row at once would copy the text once
    per sentence (gigabytes at 100k articles); a batch of sentences joins only its documents.

    Examples
    --------
    >>> docs = pl.DataFrame({"doc_id": ["a"], "text": ["One. Two."]})
    >>> sentence_strings(pl.DataFrame({"doc_id": ["a", "a"], "start": [0, 5], "end": [4, 9]}),
    ...                  docs)
    ['One.', 'Two.']
    """
    return [text for batch in sentence_batches(spans, docs) for text in batch]


def sentence_batches(spans: pl.DataFrame, docs: pl.DataFrame) -> Iterator[list[str]]:
    """:func:`sentence_strings` as lists of at most :data:`BATCH_SENTENCES` strings.

    Examples
    --------
    >>> docs = pl.DataFrame({"doc_id": ["a"], "text": ["One. Two."]})
    >>> list(sentence_batches(pl.DataFrame({"doc_id": ["a"], "start": [0], "end": [4]}), docs))
    [['One.']]
    """
    texts = docs.select("doc_id", "text")
    for batch in spans.select("doc_id", "start", "end").iter_slices(BATCH_SENTENCES):
        ids = batch["doc_id"].unique().implode()
        joined = batch.join(texts.filter(pl.col("doc_id").is_in(ids)), on="doc_id",
                            how="left", maintain_order="left")
        yield joined.select(pl.col("text").str.slice(
            pl.col("start"), pl.col("end") - pl.col("start")))["text"].to_list()
