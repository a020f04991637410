"""Tests for analysis.timeline: hand-worked tables, corpus totals, zero-filled periods."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

import pandas as pd
import polars as pl
import pytest

import analysis
from analysis.time._charts import plot_documents, plot_trends
from analysis.time._timeline import timeline
from analysis.tokens._tokenize import TOKEN_PATTERN


@pytest.fixture(scope="module")
def bundled() -> pl.DataFrame:
    return analysis.load_corpus(analysis.config.RAW_DIR).docs


def word_count(text: str) -> int:
    """Brute force: tokens of TOKEN_PATTERN that are not only punctuation/symbols."""
    toks = re.findall(TOKEN_PATTERN, text)
    return sum(not all(unicodedata.category(c)[0] in "PS" for c in t) for t in toks)


HAND = pl.DataFrame({
    "doc_id": ["a", "b", "c", "d"],
    "outlet": ["X", "Y", "X", None],
    "published": [date(2023, 1, 5), date(2023, 1, 20), date(2023, 3, 2), None],
    "text": ["Putin met Xi Jinping.", "Xi spoke, Xi left.", "Putin, again Putin.", "Undated Xi."],
})


def test_hand_worked_monthly_table():
    t = timeline(HAND, every="1mo")
    assert t.rows() == [
        (date(2023, 1, 1), 2, 8),  # 4 words + 4 words
        (date(2023, 2, 1), 0, 0),  # no document: present as zeros
        (date(2023, 3, 1), 1, 3),
    ]
    assert t.columns == ["period", "n_docs", "n_tokens"]


def test_hand_worked_terms_and_phrases():
    t = timeline(HAND, every="1mo", terms={"Xi": ["xi", "xi jinping"], "putin": ["Putin"]})
    got = {(r["period"], r["term"]): r for r in t.to_dicts()}
    jan_xi = got[(date(2023, 1, 1), "Xi")]
    # "Xi Jinping" counts once (both aliases start at the same token); "Xi spoke, Xi left" twice
    assert (jan_xi["count"], jan_xi["docs_with_term"]) == (3, 2)
    assert jan_xi["per_1k"] == pytest.approx(1000 * 3 / 8)
    assert jan_xi["share_docs"] == 1.0
    jan_putin = got[(date(2023, 1, 1), "putin")]
    assert (jan_putin["count"], jan_putin["share_docs"]) == (1, 0.5)
    feb = got[(date(2023, 2, 1), "putin")]
    assert (feb["count"], feb["per_1k"], feb["share_docs"]) == (0, 0.0, 0.0)
    mar = got[(date(2023, 3, 1), "putin")]
    assert mar["count"] == 2 and mar["per_1k"] == pytest.approx(2000 / 3)
    assert t.height == 3 * 2


def test_phrase_needs_consecutive_tokens():
    docs = pl.DataFrame({"doc_id": ["a"], "published": [date(2023, 1, 1)],
                         "text": ["Xi, Jinping and Xi Jinping."]})
    t = timeline(docs, terms=["xi jinping"])
    assert t["count"].to_list() == [1]


def test_by_group_grid_is_complete():
    t = timeline(HAND, every="1mo", by="outlet")
    assert t.height == 3 * 2  # 3 months x outlets X, Y (the undated doc is left out)
    assert t.filter(pl.col("outlet") == "Y")["n_docs"].to_list() == [1, 0, 0]
    assert t.filter(pl.col("outlet") == "X")["n_docs"].to_list() == [1, 0, 1]


def test_missing_group_value_becomes_none_label():
    docs = HAND.with_columns(published=pl.lit(date(2023, 1, 1)))
    t = timeline(docs, every="1y", by="outlet")
    assert dict(t.select("outlet", "n_docs").rows()) == {"(none)": 1, "X": 2, "Y": 1}


@pytest.mark.parametrize("every", ["1d", "1w", "1mo", "1q", "1y", "2w"])
def test_counts_add_up_to_corpus_totals(bundled, every):
    t = timeline(bundled, every=every, by="outlet")
    assert t["n_docs"].sum() == bundled.height
    expected_tokens = sum(word_count(x) for x in bundled["text"].to_list())
    assert t["n_tokens"].sum() == expected_tokens


def day_grid(first: date, last: date, step_days: int, start_of: date) -> int:
    n, d = 0, start_of
    while d <= last:
        n += 1
        d += timedelta(days=step_days)
    return n


def test_period_grids_on_bundled(bundled):
    # publication dates: 2023-02-22, 2023-03-22, 2024-05-15, 2024-05-16 (x2)
    assert timeline(bundled, every="1y")["period"].to_list() == [date(2023, 1, 1),
                                                                 date(2024, 1, 1)]
    months = timeline(bundled, every="1mo")
    assert months.height == 11 + 5  # Feb-Dec 2023, Jan-May 2024
    assert months.filter(pl.col("n_docs") > 0)["period"].to_list() == [
        date(2023, 2, 1), date(2023, 3, 1), date(2024, 5, 1)]
    assert months.filter(pl.col("n_docs") == 0)["n_tokens"].sum() == 0
    assert timeline(bundled, every="1q").height == 6  # 2023Q1 .. 2024Q2
    weeks = timeline(bundled, every="1w")
    assert weeks["period"][0] == date(2023, 2, 20)  # the Monday of 2023-02-22
    assert all(p.weekday() == 0 for p in weeks["period"].to_list())
    assert weeks.height == day_grid(date(2023, 2, 22), date(2024, 5, 16), 7, date(2023, 2, 20))
    days = timeline(bundled, every="1d")
    assert days.height == (date(2024, 5, 16) - date(2023, 2, 22)).days + 1
    assert days.filter(pl.col("period") == date(2024, 5, 16))["n_docs"].to_list() == [2]


def test_start_end_limit_the_grid(bundled):
    t = timeline(bundled, every="1mo", start=date(2023, 1, 1), end=date(2023, 6, 30))
    assert t["period"].to_list() == [date(2023, m, 1) for m in range(1, 7)]
    assert t["n_docs"].to_list() == [0, 1, 1, 0, 0, 0]


def test_tokens_input_with_docs(bundled):
    tokens = analysis.tokenize(bundled)
    a = timeline(tokens, docs=bundled, every="1mo", terms=["putin"])
    b = timeline(bundled, every="1mo", terms=["putin"])
    assert a.equals(b)
    with pytest.raises(ValueError, match="docs="):
        timeline(tokens, every="1mo")


def test_terms_match_case_insensitively_on_unlowered_tokens():
    tokens = analysis.tokenize(HAND, lowercase=False)
    t = timeline(tokens, docs=HAND, terms=["xi jinping", "PUTIN"])
    jan = dict(t.filter(pl.col("period") == date(2023, 1, 1)).select("term", "count").rows())
    assert jan == {"xi jinping": 1, "PUTIN": 1}


def test_datetime_publication_column():
    docs = HAND.with_columns(pl.col("published").cast(pl.Datetime("us")))
    assert timeline(docs)["n_docs"].to_list() == [2, 0, 1]


def test_pandas_in_pandas_out():
    out = timeline(HAND.to_pandas(), every="1mo", by="outlet", terms=["xi"])
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["period", "outlet", "n_docs", "n_tokens", "term", "count",
                                 "per_1k", "docs_with_term", "share_docs"]


@pytest.mark.parametrize("every", ["month", "1x", "", "0mo", "1h", "mo"])
def test_invalid_every(every):
    with pytest.raises(ValueError, match="every"):
        timeline(HAND, every=every)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"by": "nope"}, ValueError, "missing column"),
        ({"date_column": "nope"}, ValueError, "missing column"),
        ({"terms": "putin"}, TypeError, "list of strings"),
        ({"terms": {"x": []}}, ValueError, "empty"),
        ({"by": "period"}, ValueError, "period"),
    ],
)
def test_invalid_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        timeline(HAND, **kwargs)


def test_string_dates_are_refused():
    with pytest.raises(ValueError, match="strings"):
        timeline(HAND.with_columns(pl.col("published").cast(pl.String)))


def test_no_dated_documents_gives_empty_grid():
    t = timeline(HAND.filter(pl.col("doc_id") == "d"))
    assert t.height == 0 and t.columns == ["period", "n_docs", "n_tokens"]


def test_deterministic(bundled):
    assert timeline(bundled, by="outlet", terms=["xi"]).equals(
        timeline(bundled.reverse(), by="outlet", terms=["xi"]))


def test_plots(bundled):
    docs_chart = plot_documents(timeline(bundled, by="outlet")).to_dict()
    assert docs_chart["mark"]["type"] == "bar"
    assert docs_chart["encoding"]["color"]["field"] == "outlet"
    assert {t["field"] for t in docs_chart["encoding"]["tooltip"]} >= {"n_docs", "n_tokens"}
    trends = plot_trends(timeline(bundled, terms=["xi", "putin"])).to_dict()
    assert trends["facet"]["field"] == "term"
    tips = {t["field"] for t in trends["spec"]["encoding"]["tooltip"]}
    assert {"count", "per_1k", "share_docs"} <= tips
    with pytest.raises(ValueError, match="measure"):
        plot_trends(timeline(bundled, terms=["xi"]), measure="zscore")
    with pytest.raises(ValueError, match="missing column"):
        plot_trends(timeline(bundled))


# --- published_between, ISO start/end, aliases= ------------------------------------------------

DATED = pl.DataFrame({
    "doc_id": ["a", "b", "c", "d"],
    "published": [date(2023, 1, 5), None, date(2023, 3, 2), date(2023, 1, 31)],
    "text": ["Putin met Xi.", "Xi spoke.", "Putin, again Putin.", "Xi Jinping left."],
})


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("", "", ["a", "b", "c", "d"]),
        (None, None, ["a", "b", "c", "d"]),
        ("2023-01-31", "", ["b", "c", "d"]),  # inclusive; undated kept
        ("", "2023-01-31", ["a", "b", "d"]),
        (date(2023, 2, 1), "2023-02-28", ["b"]),
        ("2023-01-05", date(2023, 1, 5), ["a", "b"]),
    ],
)
def test_published_between(start, end, expected):
    got = analysis.published_between(DATED, start=start, end=end)
    assert got["doc_id"].to_list() == expected and got.columns == DATED.columns
    as_pandas = analysis.published_between(DATED.to_pandas(), start=start, end=end)
    assert isinstance(as_pandas, pd.DataFrame) and as_pandas["doc_id"].tolist() == expected


@pytest.mark.parametrize("bad", ["2023-13-01", "yesterday", 20230101])
def test_published_between_and_timeline_reject_bad_dates(bad):
    with pytest.raises(ValueError, match="start"):
        analysis.published_between(DATED, start=bad)
    with pytest.raises(ValueError, match="start"):
        timeline(DATED, start=bad)


def test_published_between_needs_dates():
    with pytest.raises(ValueError, match="published"):
        analysis.published_between(DATED.drop("published"), start="2023-01-01")
    with pytest.raises(ValueError, match="must hold dates"):
        analysis.published_between(DATED.with_columns(pl.col("published").cast(pl.String)))


def test_timeline_iso_strings_equal_dates():
    by_date = timeline(DATED, every="1mo", start=date(2023, 1, 10), end=date(2023, 2, 20))
    by_text = timeline(DATED, every="1mo", start="2023-01-10", end="2023-02-20")
    assert by_text.equals(by_date)
    # by hand: January keeps d (31st) only, February is empty
    assert by_text.select("period", "n_docs").rows() == [(date(2023, 1, 1), 1),
                                                         (date(2023, 2, 1), 0)]
    assert timeline(DATED, start="", end="").equals(timeline(DATED))


def test_timeline_aliases_add_labels():
    got = timeline(DATED, every="1y", terms=["putin", "xi"],
                   aliases={"Xi": ["xi jinping", "xi"], "xi": ["xi jinping"]})
    counts = dict(got.select("term", "count").iter_rows())
    # by hand: putin 3 (a once, c twice); "Xi" = xi + xi jinping starting tokens: a, d -> 2
    # (b is undated); "xi" is traced with the aliases' spelling, "xi jinping" only: d -> 1
    assert counts == {"putin": 3, "Xi": 2, "xi": 1}
    with pytest.raises(TypeError, match="aliases"):
        timeline(DATED, aliases=["xi"])


TRACED = {"Putin": ["putin", "vladimir putin", "president vladimir putin",
                    "russian president vladimir putin"],
          "Russia": ["russia", "moscow", "kremlin"],
          "UN": ["un", "united nations", "security council", "un security council"],
          "US": ["united states", "u.s.", "washington", "the united states"]}


def reference_trends(tokens: pl.DataFrame, docs: pl.DataFrame,
                     traced: dict[str, list[str]]) -> dict[tuple, tuple[int, int]]:
    """(month, label) -> (count, documents) by plain Python: for every dated document, every
    token position where one of the label's aliases (split on spaces) matches the following
    lower-cased terms counts once."""
    month = {d: date(p.year, p.month, 1) for d, p in docs.select("doc_id", "published").rows()
             if p is not None}
    words: dict[str, list[tuple[int, str]]] = {}
    for doc, tid, term in tokens.select("doc_id", "token_id", "term").iter_rows():
        words.setdefault(doc, []).append((tid, term.lower()))
    count: dict[tuple, int] = {}
    with_term: dict[tuple, set[str]] = {}
    for doc, seq in words.items():
        if doc not in month:
            continue
        terms = [t for _, t in sorted(seq)]
        for label, aliases in traced.items():
            for i in range(len(terms)):
                if any(terms[i:i + len(a.split(" "))] == a.split(" ") for a in aliases):
                    key = (month[doc], label)
                    count[key] = count.get(key, 0) + 1
                    with_term.setdefault(key, set()).add(doc)
    return {k: (n, len(with_term[k])) for k, n in count.items()}


def synthetic_docs() -> pl.DataFrame:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1]))
    from synthetic import generate_chunk

    return generate_chunk(0, 400, seed=11)


@pytest.mark.parametrize("corpus", ["bundled", "synthetic", "edges"])
def test_traced_aliases_equal_plain_python(corpus, bundled):
    """Multi-word aliases: a phrase never runs across documents (the last document's last
    token, a phrase begun at the end of one document and ended at the start of the next)."""
    docs = {"bundled": lambda: bundled, "synthetic": synthetic_docs,
            "edges": lambda: pl.DataFrame({
                "doc_id": ["a", "b", "c"],
                "published": [date(2023, 1, 5), date(2023, 1, 9), date(2023, 2, 1)],
                "text": ["Talks with Vladimir", "Putin and the UN Security Council.",
                         "Moscow, Russia; the United States vladimir putin"]})}[corpus]()
    tokens = analysis.tokenize(docs)
    got = timeline(tokens.sample(fraction=1.0, shuffle=True, seed=1), docs=docs, every="1mo",
                   aliases=TRACED)
    want = reference_trends(tokens, docs, TRACED)
    rows = {(r["period"], r["term"]): (r["count"], r["docs_with_term"])
            for r in got.to_dicts() if r["count"]}
    assert rows == want
    assert got["count"].sum() == sum(n for n, _ in want.values()) > 0
    if corpus == "edges":  # b's "Putin" is not "vladimir putin" begun in a
        assert want[(date(2023, 1, 1), "Putin")] == (1, 1)
        # "the united states" and "united states" start at two tokens: two occurrences
        assert want[(date(2023, 2, 1), "US")] == (2, 1)
