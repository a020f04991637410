"""Tone toward actors: sentence scores joined to actor mentions, per actor, group and period.

:func:`actor_tone` reports, per actor and group, the mean VADER compound score of the sentences
that mention the actor with a seeded percentile-bootstrap interval, the shares of negative and
positive sentences and the group's baseline (the mean of all its sentences);
:func:`tone_sentences` lists the sentences behind a figure. The sentence scores come from
:func:`analysis.tone`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import polars as pl

from analysis.engine._frames import require_columns, tidy, to_polars
from analysis.engine._options import renamed

NEGATIVE_AT = -0.05
"""A sentence is negative when its compound score is at most this (VADER's own convention)."""
POSITIVE_AT = 0.05
"""A sentence is positive when its compound score is at least this."""
MIN_SENTENCES = 10
"""Groups with fewer sentences than this are marked ``few_sentences`` (kept, not hidden)."""


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


@renamed(top_n="top")
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
    top: int | None = None,
) -> Any:
    """Tone toward each actor per group (and period): mean, bootstrap interval, baseline.

    Parameters
    ----------
    mentions
        Actor mentions from :func:`analysis.actors` (``doc_id``, ``sentence_id``, ``actor``).
    tone
        Sentence scores from :func:`analysis.tone` (with the ``by`` columns and, when ``every`` is
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
    top
        Keep only the ``top`` actors with the most sentences overall; ``None``: all
        (``top_n=`` is its deprecated name).

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
    if top is not None:
        keep = (per.group_by("actor").len().sort(["len", "actor"], descending=[True, False])
                .head(top)["actor"])
        per = per.filter(pl.col("actor").is_in(keep.implode()))
    # means of sorted values: a float sum depends on its order, and the rows' order (hash
    # joins, threads) does not stay the same from run to run
    mean = pl.col("compound").sort().mean()
    baseline = scores.group_by(keys).agg(baseline=mean) if keys else (
        scores.select(baseline=mean)
    )
    table = per.group_by(["actor", *keys]).agg(
        n_sentences=pl.len().cast(pl.UInt32),
        n_shared=pl.col("shared").sum().cast(pl.UInt32),
        mean_compound=mean,
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


@renamed(group="where", top_n="top")
@tidy
def tone_sentences(
    mentions: Any,
    tone: Any,
    docs: Any,
    *,
    actor: str | Sequence[str] | None = None,
    where: dict[str, Any] | None = None,
    top: int | None = None,
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
    where
        Column values to keep, e.g. ``{"outlet": "The Guardian"}``; ``None``: all
        (``group=`` is its deprecated name).
    top
        At most this many negative and this many positive sentences per actor; ``None``:
        every sentence (negative, then positive, then neutral). ``top_n=`` is its deprecated
        name.

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
    >>> from analysis.tone._scores import tone
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
    for column, value in (where or {}).items():
        require_columns(per, [column], what="tone")
        per = per.filter(pl.col(column) == value)
    info = [c for c in ("outlet", "published", "title") if c in docs.columns]
    per = per.with_columns(
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
    if top is not None:
        per = per.filter(pl.col("side") != "neutral").filter(
            pl.int_range(pl.len()).over("actor", "side") < top)
    # the text only for the rows kept (not every sentence of the actors: most of a large corpus)
    text = docs.select("doc_id", "text", *[c for c in info if c not in per.columns]).filter(
        pl.col("doc_id").is_in(per["doc_id"].unique().implode()))
    per = per.join(text, on="doc_id", how="left", maintain_order="left").with_columns(
        sentence=pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")))
    return per.select("actor", "side", "compound", "sentence", *info, "doc_id", "sentence_id",
                      "shared")
