"""Tone toward actors: VADER parity, hand-worked aggregates, interval coverage."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import analysis
from analysis.tone._actors import bootstrap_interval

CORPUS_2022 = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "russia-ukraine-2022"


def reference_scores(strings: list[str]) -> pl.DataFrame:
    """Scores from a fresh analyzer of the reference package (not the module's cached one)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    rows = [sia.polarity_scores(s) for s in strings]
    return pl.DataFrame({k: [r[k] for r in rows] for k in ("compound", "pos", "neu", "neg")})


def assert_vader_parity(docs: pl.DataFrame) -> int:
    tokens = analysis.tokenize(docs)
    scored = analysis.tone(docs, tokens=tokens)
    spans = tokens.group_by("doc_id", "sentence_id").agg(
        start=pl.col("start").min(), end=pl.col("end").max()).sort("doc_id", "sentence_id")
    assert scored.select("doc_id", "sentence_id", "start", "end").equals(
        spans.select("doc_id", "sentence_id", "start", "end"))
    texts = dict(docs.select("doc_id", "text").iter_rows())
    strings = [texts[d][a:b] for d, a, b in spans.select("doc_id", "start", "end").iter_rows()]
    ref = reference_scores(strings)
    for col in ("compound", "pos", "neu", "neg"):
        np.testing.assert_allclose(scored[col].to_numpy(), ref[col].to_numpy(), atol=1e-9, rtol=0)
    return scored.height


def test_vader_published_examples():
    # The examples in vaderSentiment's README, with the scores it publishes.
    out = analysis.tone(pl.DataFrame({"doc_id": ["a", "b", "c"], "text": [
        "VADER is smart, handsome, and funny.",
        "VADER is not smart, handsome, nor funny.",
        "Today SUX!"]}), context="document")
    assert out["compound"].to_list() == [0.8316, -0.7424, -0.5461]
    assert out["pos"].to_list() == [0.746, 0.0, 0.0]
    assert out["neg"].to_list() == [0.0, 0.646, 0.779]


def test_vader_parity_on_bundled_corpus(bundled):
    assert assert_vader_parity(bundled.docs) > 100


@pytest.mark.skipif(not CORPUS_2022.exists(), reason="the 2022 corpus (../shared/corpora) is absent")
def test_vader_parity_on_2022_corpus():
    corpus = analysis.load_corpus([CORPUS_2022 / "guardian.csv", CORPUS_2022 / "nyt.csv"])
    assert assert_vader_parity(corpus.docs) > 5_000


def test_parallel_scoring_equals_serial(bundled):
    from analysis.tone._scores import polarity_scores

    strings = bundled.docs["text"].str.split("\n").explode().to_list()[:120]
    assert polarity_scores(strings, jobs=2).equals(polarity_scores(strings, jobs=1))


def test_document_unit_scores_whole_text(bundled):
    docs = bundled.docs.head(2)
    out = analysis.tone(docs, context="document")
    ref = reference_scores(docs["text"].to_list())
    assert out["compound"].to_list() == ref["compound"].to_list()
    assert out.columns[:1] == ["doc_id"] and "sentence_id" not in out.columns


def test_pandas_in_pandas_out():
    import pandas as pd

    out = analysis.tone(pd.DataFrame({"doc_id": ["a"], "text": ["Good. Bad."]}))
    assert isinstance(out, pd.DataFrame) and len(out) == 2


@pytest.mark.parametrize("kwargs", [{"context": "paragraph"}, {"lexicon": "afinn"}])
def test_invalid_options(kwargs):
    with pytest.raises(ValueError, match="must be"):
        analysis.tone(pl.DataFrame({"doc_id": ["a"], "text": ["x"]}), **kwargs)


TONE = pl.DataFrame({
    "doc_id": ["a", "a", "a", "b", "b", "c"],
    "sentence_id": [1, 2, 3, 1, 2, 1],
    "outlet": ["X", "X", "X", "Y", "Y", None],
    "published": [date(2022, 1, 5)] * 3 + [date(2022, 2, 1)] * 2 + [None],
    "start": [0, 10, 20, 0, 10, 0], "end": [9, 19, 29, 9, 19, 9],
    "compound": [-0.6, 0.4, 0.0, -0.2, 0.8, 0.5],
})
MENTIONS = pl.DataFrame({
    "doc_id": ["a", "a", "a", "a", "b", "b", "c"],
    "sentence_id": [1, 1, 1, 2, 1, 2, 1],
    "actor": ["P", "P", "Q", "P", "P", "Q", "P"],   # P twice in a/1 counts once
})


def test_actor_tone_hand_worked():
    out = analysis.actor_tone(MENTIONS, TONE, n_boot=0)
    rows = {(r["actor"], r["outlet"]): r for r in out.iter_rows(named=True)}
    p_x = rows[("P", "X")]   # sentences a/1 (-0.6, shared with Q) and a/2 (0.4)
    assert (p_x["n_sentences"], p_x["n_shared"]) == (2, 1)
    assert p_x["mean_compound"] == pytest.approx(-0.1)
    assert (p_x["share_negative"], p_x["share_positive"]) == (0.5, 0.5)
    assert p_x["baseline"] == pytest.approx((-0.6 + 0.4 + 0.0) / 3)
    assert p_x["difference"] == pytest.approx(-0.1 - (-0.2 / 3))
    assert rows[("P", "(none)")]["mean_compound"] == 0.5   # missing outlet is its own group
    assert rows[("Q", "Y")]["baseline"] == pytest.approx(0.3)
    assert out["few_sentences"].all()
    assert out.height == 5


def test_actor_tone_excludes_shared_and_top_n():
    out = analysis.actor_tone(MENTIONS, TONE, n_boot=0, shared="exclude", by=())
    assert out.filter(pl.col("actor") == "P")["n_sentences"].item() == 3   # a/2, b/1, c/1
    assert out.filter(pl.col("actor") == "Q")["n_sentences"].item() == 1   # b/2
    top = analysis.actor_tone(MENTIONS, TONE, n_boot=0, by=(), top=1)
    assert top["actor"].to_list() == ["P"]


def test_actor_tone_periods_leave_undated_out():
    out = analysis.actor_tone(MENTIONS, TONE, n_boot=0, by=(), every="1mo")
    p = out.filter(pl.col("actor") == "P").sort("period")
    assert p["period"].to_list() == [date(2022, 1, 1), date(2022, 2, 1)]
    assert p["n_sentences"].to_list() == [2, 1]   # c/1 is undated
    assert p["baseline"].to_list() == pytest.approx([-0.2 / 3, 0.3])


def test_actor_tone_missing_columns():
    with pytest.raises(ValueError, match="missing column"):
        analysis.actor_tone(MENTIONS, TONE.drop("published"), every="1mo")


def test_interval_is_seeded_and_deterministic():
    a = analysis.actor_tone(MENTIONS, TONE, n_boot=500, seed=3)
    b = analysis.actor_tone(MENTIONS, TONE, n_boot=500, seed=3)
    assert a.equals(b)
    assert (a["ci_low"] <= a["mean_compound"]).all() and (a["mean_compound"] <= a["ci_high"]).all()


def test_interval_covers_true_mean_at_nominal_rate():
    # Skewed scores in [-1, 1] with a known mean; 400 groups of 60 sentences each.
    rng = np.random.default_rng(20261128)
    true_mean = 2 * (2 / (2 + 5)) - 1   # 2 * Beta(2, 5) - 1
    hits = 0
    groups = 400
    for g in range(groups):
        values = 2 * rng.beta(2, 5, size=60) - 1
        low, high = bootstrap_interval(values, n_boot=1000, seed=0, key=str(g), confidence=0.95)
        hits += low <= true_mean <= high
    coverage = hits / groups
    # Percentile bootstrap: about 0.94 at n=60; binomial sd at 400 groups is about 0.011.
    assert 0.91 <= coverage <= 0.98, coverage


def test_interval_width_matches_standard_error():
    values = np.random.default_rng(1).normal(0, 0.4, size=400)
    low, high = bootstrap_interval(values, n_boot=2000, seed=0, key="k", confidence=0.95)
    se = values.std(ddof=1) / np.sqrt(values.size)
    assert (high - low) == pytest.approx(2 * 1.96 * se, rel=0.1)


def test_tone_sentences_order_and_text():
    docs = pl.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "Y", None],
                         "text": ["Bad news. Great win. Plain.", "Awful. Lovely day.", "Fine."]})
    tokens = analysis.tokenize(docs)
    scored = analysis.tone(docs, tokens=tokens)
    mentions = scored.select("doc_id", "sentence_id").with_columns(actor=pl.lit("P"))
    out = analysis.tone_sentences(mentions, scored, docs, actor="P")
    assert out["side"].to_list() == ["negative", "negative", "positive", "positive", "positive",
                                     "neutral"]
    neg = out.filter(pl.col("side") == "negative")["compound"].to_list()
    pos = out.filter(pl.col("side") == "positive")["compound"].to_list()
    assert neg == sorted(neg) and pos == sorted(pos, reverse=True)
    assert set(out["sentence"]) == {"Bad news.", "Great win.", "Plain.", "Awful.", "Lovely day.",
                                    "Fine."}
    top = analysis.tone_sentences(mentions, scored, docs, actor="P", top=1,
                                  where={"outlet": "X"})
    assert top["sentence"].to_list() == ["Bad news.", "Great win."]


def test_charts_build_from_real_tables(bundled, bundled_tokens):
    scored = analysis.tone(bundled, tokens=bundled_tokens)
    mentions = analysis.actors(bundled_tokens)
    by_outlet = analysis.actor_tone(mentions, scored, n_boot=100, top=5)
    over_time = analysis.actor_tone(mentions, scored, by=(), every="1mo", n_boot=100, top=3)
    for chart in (analysis.plot_actor_tone(by_outlet), analysis.plot_tone_difference(by_outlet),
                  analysis.plot_tone_over_time(over_time)):
        spec = chart.to_dict()
        assert spec.get("layer") or spec["spec"]["layer"]
    assert by_outlet["actor"].n_unique() <= 5


def test_actor_tone_intervals_are_the_same_on_every_run():
    """The bootstrap resamples the rows of each group, so their order must not depend on hash
    order (the intervals differed between report runs)."""
    import subprocess
    import sys

    code = ("import analysis; c = analysis.load_corpus(analysis.config.RAW_DIR); "
            "t = analysis.tokenize(c); s = analysis.tone(c, tokens=t); "
            "out = analysis.actor_tone(analysis.actors(t), s, by='outlet', n_boot=200); "
            "print(out.select('actor', 'outlet', 'ci_low', 'ci_high').rows())")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout for _ in range(4)}
    assert len(runs) == 1


def test_actor_tone_means_do_not_depend_on_row_order():
    """Float sums depend on their order; the means and baselines must be the same whatever the
    order of the rows (the report's tone tables differed in the last digits between runs)."""
    import random

    rng = random.Random(5)
    n = 20_000
    scores = pl.DataFrame({
        "doc_id": [f"d{i // 10}" for i in range(n)], "sentence_id": [i % 10 for i in range(n)],
        "outlet": [f"o{i % 3}" for i in range(n)],
        "compound": [round(rng.uniform(-1, 1), 4) for _ in range(n)],
    })
    mentions = scores.select("doc_id", "sentence_id").with_columns(
        actor=pl.Series([f"a{i % 4}" for i in range(n)]))
    first = analysis.actor_tone(mentions, scores, by="outlet", n_boot=0)
    for seed in (1, 2, 3):
        again = analysis.actor_tone(mentions.sample(fraction=1.0, shuffle=True, seed=seed),
                                    scores.sample(fraction=1.0, shuffle=True, seed=seed),
                                    by="outlet", n_boot=0)
        assert again.select("actor", "outlet", "mean_compound", "baseline", "difference") \
            .equals(first.select("actor", "outlet", "mean_compound", "baseline", "difference"))
    import math

    o0 = scores.filter(pl.col("outlet") == "o0")["compound"].to_list()
    expected = math.fsum(o0) / len(o0)  # an exactly rounded sum, independent of the code
    assert first.filter(pl.col("outlet") == "o0")["baseline"][0] == pytest.approx(expected,
                                                                                   rel=1e-12)
