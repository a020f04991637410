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
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from analysis.frames import require_columns, tidy, to_polars
from analysis.tokenize import tokenize

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

NEGATIVE_AT = -0.05
"""A sentence is negative when its compound score is at most this (VADER's own convention)."""
POSITIVE_AT = 0.05
"""A sentence is positive when its compound score is at least this."""
MIN_SENTENCES = 10
"""Groups with fewer sentences than this are marked ``few_sentences`` (kept, not hidden)."""

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
    import os

    texts = list(texts)
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(texts) >= PARALLEL_FROM else 1
    if jobs <= 1:
        rows = score_chunk(texts)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        size = -(-len(texts) // (jobs * 8))
        chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
        ctx = multiprocessing.get_context("spawn")  # polars and fork do not mix
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            rows = [row for part in pool.map(score_chunk, chunks) for row in part]
    return pl.DataFrame(rows, schema=SCORE_SCHEMA, orient="row")


def sentence_spans(tokens: pl.DataFrame) -> pl.DataFrame:
    """One row per sentence of a token table: ``doc_id, sentence_id, start, end``."""
    require_columns(tokens, ["doc_id", "sentence_id", "start", "end"], what="tokens")
    return (
        tokens.group_by("doc_id", "sentence_id")
        .agg(pl.col("start").min(), pl.col("end").max())
        .sort("doc_id", "sentence_id")
    )


@tidy
def tone(
    docs: Any,
    *,
    tokens: Any = None,
    unit: Literal["sentence", "document"] = "sentence",
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
        sentences; ``None`` tokenizes ``docs``. Ignored for ``unit="document"``.
    unit
        ``"sentence"``: one row per sentence, its string cut from the text at the sentence's
        first and last token offsets; ``"document"``: one row per document, the whole text.
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
    if unit == "document":
        scores = polarity_scores(frame["text"].to_list(), jobs=jobs)
        return pl.concat([frame.drop("text"), scores], how="horizontal").sort("doc_id")
    if unit != "sentence":
        raise ValueError(f"unit must be 'sentence' or 'document', got {unit!r}")
    if tokens is None:  # sentences batch by batch: the whole token table never sits in memory
        spans = pl.concat([
            sentence_spans(tokenize(part, stopwords="none"))
            for part in frame.iter_slices(BATCH_DOCS)
        ]) if frame.height else sentence_spans(tokenize(frame, stopwords="none"))
    else:
        spans = sentence_spans(to_polars(tokens))
    spans = spans.join(frame.select("doc_id", *keep), on="doc_id", how="inner").sort(
        "doc_id", "sentence_id")
    scores = polarity_scores(sentence_strings(spans, frame), jobs=jobs)
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
    texts = docs.select("doc_id", "text")
    out: list[str] = []
    for batch in spans.select("doc_id", "start", "end").iter_slices(BATCH_SENTENCES):
        ids = batch["doc_id"].unique().implode()
        joined = batch.join(texts.filter(pl.col("doc_id").is_in(ids)), on="doc_id",
                            how="left", maintain_order="left")
        out.extend(joined.select(pl.col("text").str.slice(
            pl.col("start"), pl.col("end") - pl.col("start")))["text"].to_list())
    return out


def mention_tone(mentions: Any, tone_table: Any) -> pl.DataFrame:
    """One row per (actor, sentence) that mentions it, with the sentence's tone.

    ``shared`` is true when the sentence mentions more than one actor: such a sentence counts
    for each of them.
    """
    ment = to_polars(mentions, what="mentions")
    scores = to_polars(tone_table, what="tone")
    require_columns(ment, ["doc_id", "sentence_id", "actor"], what="mentions")
    require_columns(scores, ["doc_id", "sentence_id", "compound"], what="tone (sentence unit)")
    # rows in mention order (not hash order): the bootstrap resamples them, so the intervals
    # are the same on every run
    pairs = ment.select("doc_id", "sentence_id", "actor").unique(maintain_order=True).with_columns(
        shared=pl.col("actor").count().over("doc_id", "sentence_id") > 1
    )
    return pairs.join(scores, on=["doc_id", "sentence_id"], how="inner", maintain_order="left")


def bootstrap_interval(
    values: Any, *, n_boot: int, seed: int, key: str, confidence: float
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of ``values`` (resampled with replacement).

    The random stream is seeded by ``seed`` and the group ``key`` (a stable CRC32), so a group's
    interval does not depend on which other groups are computed.

    Examples
    --------
    >>> bootstrap_interval([0.5], n_boot=100, seed=0, key="a", confidence=0.95)
    (0.5, 0.5)
    """
    import zlib

    import numpy as np

    v = np.asarray(values, dtype=np.float64)
    n = v.size
    if n <= 1 or n_boot <= 0:
        return (float(v.mean()), float(v.mean())) if n else (float("nan"), float("nan"))
    rng = np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(key.encode())]))
    chunk = max(1, 4_000_000 // n)
    means = np.concatenate([
        v[rng.integers(0, n, size=(min(chunk, n_boot - i), n))].mean(axis=1)
        for i in range(0, n_boot, chunk)
    ])
    alpha = (1 - confidence) / 2
    low, high = np.quantile(means, [alpha, 1 - alpha])
    return float(low), float(high)


@tidy
def actor_tone(
    mentions: Any,
    tone: Any,
    *,
    by: str | Sequence[str] = ("outlet",),
    every: str | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    shared: Literal["include", "exclude"] = "include",
    min_sentences: int = MIN_SENTENCES,
    top_n: int | None = None,
) -> Any:
    """Tone toward each actor per group (and period): mean, bootstrap interval, baseline.

    Parameters
    ----------
    mentions
        Actor mentions from :func:`analysis.actors` (``doc_id``, ``sentence_id``, ``actor``).
    tone
        Sentence scores from :func:`tone` (with the ``by`` columns and, when ``every`` is
        given, ``published``).
    by
        Group columns of ``tone`` (``()`` for none). A missing value is its own group,
        labelled ``"(none)"``.
    every
        A period length for polars' ``dt.truncate`` (``"1mo"``, ``"1w"``, ``"1q"``, ``"1y"``):
        adds a ``period`` column; sentences of undated documents are then left out (they form
        no period). ``None``: no periods.
    n_boot, seed, confidence
        Bootstrap resamples, their seed, and the interval's coverage.
    shared
        ``"include"``: a sentence that mentions several actors counts for each of them;
        ``"exclude"``: such sentences are left out.
    min_sentences
        Groups with fewer sentences are marked ``few_sentences`` (kept, not hidden).
    top_n
        Keep only the ``top_n`` actors with the most sentences overall; ``None``: all.

    Returns
    -------
    DataFrame
        One row per actor, group and period, sorted by actor, group, period:

        - ``actor``, the ``by`` columns, ``period`` (when ``every`` is given).
        - ``n_sentences``: sentences mentioning the actor; ``n_shared``: of them, those that
          mention another actor too.
        - ``mean_compound``: mean VADER compound score of those sentences.
        - ``ci_low``, ``ci_high``: percentile bootstrap interval of that mean (resampling
          sentences; seeded, so identical on every run).
        - ``share_negative``, ``share_positive``: shares of sentences with compound
          <= -0.05 and >= 0.05.
        - ``baseline``: mean compound of *all* sentences of the group and period (every
          sentence the outlet published then, whoever it mentions).
        - ``difference``: ``mean_compound - baseline``: below zero, the actor is written about
          more negatively than the outlet's coverage of the period in general.
        - ``few_sentences``: ``n_sentences < min_sentences``; read such rows with care.

    Examples
    --------
    >>> import polars as pl
    >>> tone_table = pl.DataFrame({"doc_id": ["a", "a", "b"], "sentence_id": [1, 2, 1],
    ...     "outlet": ["X", "X", "X"], "compound": [-0.5, 0.3, 0.1]})
    >>> mentions = pl.DataFrame({"doc_id": ["a", "a", "b"], "sentence_id": [1, 1, 1],
    ...     "actor": ["P", "Q", "P"]})
    >>> actor_tone(mentions, tone_table, n_boot=0).select(
    ...     "actor", "outlet", "n_sentences", "n_shared", "mean_compound", "baseline")
    shape: (2, 6)
    ┌───────┬────────┬─────────────┬──────────┬───────────────┬───────────┐
    │ actor ┆ outlet ┆ n_sentences ┆ n_shared ┆ mean_compound ┆ baseline  │
    │ ---   ┆ ---    ┆ ---         ┆ ---      ┆ ---           ┆ ---       │
    │ str   ┆ str    ┆ u32         ┆ u32      ┆ f64           ┆ f64       │
    ╞═══════╪════════╪═════════════╪══════════╪═══════════════╪═══════════╡
    │ P     ┆ X      ┆ 2           ┆ 1        ┆ -0.2          ┆ -0.033333 │
    │ Q     ┆ X      ┆ 1           ┆ 1        ┆ -0.5          ┆ -0.033333 │
    └───────┴────────┴─────────────┴──────────┴───────────────┴───────────┘
    """
    groups = [by] if isinstance(by, str) else list(by)
    if shared not in ("include", "exclude"):
        raise ValueError(f"shared must be 'include' or 'exclude', got {shared!r}")
    scores = to_polars(tone, what="tone")
    need = [*groups, *(["published"] if every else [])]
    require_columns(scores, ["doc_id", "sentence_id", "compound", *need], what="tone")
    scores = scores.with_columns(pl.col(groups).cast(pl.String).fill_null("(none)"))
    keys = list(groups)
    if every:
        scores = scores.filter(pl.col("published").is_not_null()).with_columns(
            period=pl.col("published").dt.truncate(every)
        )
        keys.append("period")
    per = mention_tone(mentions, scores)
    if shared == "exclude":
        per = per.filter(~pl.col("shared"))
    if top_n is not None:
        keep = (per.group_by("actor").len().sort(["len", "actor"], descending=[True, False])
                .head(top_n)["actor"])
        per = per.filter(pl.col("actor").is_in(keep.implode()))
    baseline = scores.group_by(keys).agg(baseline=pl.col("compound").mean()) if keys else (
        scores.select(baseline=pl.col("compound").mean())
    )
    table = per.group_by(["actor", *keys]).agg(
        n_sentences=pl.len().cast(pl.UInt32),
        n_shared=pl.col("shared").sum().cast(pl.UInt32),
        mean_compound=pl.col("compound").mean(),
        share_negative=(pl.col("compound") <= NEGATIVE_AT).mean(),
        share_positive=(pl.col("compound") >= POSITIVE_AT).mean(),
        values=pl.col("compound"),
    ).sort(["actor", *keys])
    table = table.join(baseline, on=keys, how="left") if keys else table.join(
        baseline, how="cross")
    intervals = [
        bootstrap_interval(vals, n_boot=n_boot, seed=seed, confidence=confidence,
                           key="\x1f".join(str(row[k]) for k in ["actor", *keys]))
        for row, vals in zip(table.select("actor", *keys).iter_rows(named=True),
                             table["values"].to_list(), strict=True)
    ]
    return table.with_columns(
        ci_low=pl.Series([i[0] for i in intervals], dtype=pl.Float64),
        ci_high=pl.Series([i[1] for i in intervals], dtype=pl.Float64),
        difference=pl.col("mean_compound") - pl.col("baseline"),
        few_sentences=pl.col("n_sentences") < min_sentences,
    ).select("actor", *keys, "n_sentences", "n_shared", "mean_compound", "ci_low", "ci_high",
             "share_negative", "share_positive", "baseline", "difference", "few_sentences")


@tidy
def tone_sentences(
    mentions: Any,
    tone: Any,
    docs: Any,
    *,
    actor: str | Sequence[str] | None = None,
    group: dict[str, Any] | None = None,
    top_n: int | None = None,
) -> Any:
    """The sentences behind a tone figure: most negative first, then most positive.

    Parameters
    ----------
    mentions, tone
        As for :func:`actor_tone`.
    docs
        The documents (``doc_id``, ``text``; ``outlet``, ``published`` and ``title`` are
        shown when present).
    actor
        The actor (or actors) whose sentences are listed; ``None``: every actor.
    group
        Column values to keep, e.g. ``{"outlet": "The Guardian"}``; ``None``: all.
    top_n
        At most this many negative and this many positive sentences per actor; ``None``:
        every sentence (negative, then positive, then neutral).

    Returns
    -------
    DataFrame
        ``actor``, ``side`` (``negative``, ``positive``, ``neutral``), ``compound``,
        ``sentence`` (the text), the document columns present (``outlet``, ``published``,
        ``title``), ``doc_id``, ``sentence_id``, ``shared``; by actor (in the order given,
        else by name), then negative rows from the lowest score up, positive rows from the
        highest down.

    Examples
    --------
    >>> import polars as pl
    >>> docs = pl.DataFrame({"doc_id": ["a"], "text": [
    ...     "P won praise. P was blamed for war. Q spoke."]})
    >>> tokens = __import__("analysis").tokenize(docs)
    >>> mentions = pl.DataFrame({"doc_id": ["a"] * 3, "sentence_id": [1, 2, 3],
    ...     "actor": ["P", "P", "Q"]})
    >>> tone_sentences(mentions, tone(docs, tokens=tokens), docs, actor="P").select(
    ...     "side", "compound", "sentence")
    shape: (2, 3)
    ┌──────────┬──────────┬───────────────────────┐
    │ side     ┆ compound ┆ sentence              │
    │ ---      ┆ ---      ┆ ---                   │
    │ str      ┆ f64      ┆ str                   │
    ╞══════════╪══════════╪═══════════════════════╡
    │ negative ┆ -0.7906  ┆ P was blamed for war. │
    │ positive ┆ 0.8074   ┆ P won praise.         │
    └──────────┴──────────┴───────────────────────┘
    """
    per = mention_tone(mentions, tone)
    chosen = [actor] if isinstance(actor, str) else (
        sorted(per["actor"].unique()) if actor is None else list(actor))
    per = per.filter(pl.col("actor").is_in(chosen))
    for column, value in (group or {}).items():
        require_columns(per, [column], what="tone")
        per = per.filter(pl.col(column) == value)
    info = [c for c in ("outlet", "published", "title") if c in docs.columns]
    text = docs.select("doc_id", "text", *[c for c in info if c not in per.columns])
    per = per.join(text, on="doc_id", how="left").with_columns(
        sentence=pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")),
        side=pl.when(pl.col("compound") <= NEGATIVE_AT).then(pl.lit("negative"))
        .when(pl.col("compound") >= POSITIVE_AT).then(pl.lit("positive"))
        .otherwise(pl.lit("neutral")),
    )
    order = pl.col("side").replace_strict({"negative": 0, "positive": 1, "neutral": 2})
    rank = pl.col("actor").replace_strict({a: i for i, a in enumerate(chosen)},
                                          return_dtype=pl.UInt32)
    per = per.sort(
        rank, order, pl.when(pl.col("side") == "positive").then(-pl.col("compound"))
        .otherwise(pl.col("compound")), "doc_id", "sentence_id",
    )
    if top_n is not None:
        per = per.filter(pl.col("side") != "neutral").filter(
            pl.int_range(pl.len()).over("actor", "side") < top_n)
    return per.select("actor", "side", "compound", "sentence", *info, "doc_id", "sentence_id",
                      "shared")
