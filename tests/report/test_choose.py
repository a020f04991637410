"""Corpus-derived report defaults (analysis.choose) and copies out of the counts (analysis.dedup),
checked against brute-force re-implementations of the documented rules and hand-made tables."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter

import pandas as pd
import polars as pl
import pytest

import analysis
from analysis.copies._dedup import copies_left_out, deduplicate, duplicate_copies
from analysis.corpus._load import Corpus
from analysis.report import choose

WORDS = ["harbour", "ferry", "budget", "council", "bridge", "school", "storm", "market"]


def make_docs(dates, outlets=None, seed=0):
    rng = random.Random(seed)
    n = len(dates)
    return pl.DataFrame({
        "doc_id": [f"d{i:03d}" for i in range(n)],
        "text": [" ".join(rng.choice(WORDS) for _ in range(12)) + "." for _ in range(n)],
        "published": pl.Series(dates, dtype=pl.Date),
        "outlet": pl.Series(outlets if outlets is not None else [None] * n, dtype=pl.String),
    })


def period(d: dt.date, unit: str) -> str:
    if unit == "year":
        return str(d.year)
    if unit == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    if unit == "month":
        return f"{d.year}-{d.month:02d}"
    if unit == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    return d.isoformat()


def brute_rule(dates, outlets, min_docs):
    """The documented rule, re-implemented with the standard library."""
    dated = [d for d in dates if d is not None]
    for unit in ["year", "quarter", "month", "week", "day"]:
        counts = Counter(period(d, unit) for d in dated)
        if len(counts) < 2:
            continue
        latest = max(counts)
        rest = sum(counts.values()) - counts[latest]
        if counts[latest] >= min_docs and rest >= min_docs:
            return f"published:{unit}", latest
    named = Counter(o for o in outlets if o)
    if len(named) >= 2:
        largest = sorted(named.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if largest[1] >= min_docs and sum(named.values()) - largest[1] >= min_docs:
            return "outlet", largest[0]
    return "", ""


def days(start: dt.date, counts: list[int], step: int = 1) -> list[dt.date]:
    out = []
    for i, n in enumerate(counts):
        out += [start + dt.timedelta(days=i * step)] * n
    return out


CASES = {
    # two years, both sides large enough: by year
    "years": (days(dt.date(2021, 6, 1), [12, 15], step=365), None, ("published:year", "2022")),
    # one year, one quarter: months (Jan 5, Feb 30, Mar 12)
    "months": (days(dt.date(2024, 1, 15), [5, 30, 12], step=31), None,
               ("published:month", "2024-03")),
    # 4 articles in June, 40 in July (the 12-day corpus): not June vs July
    "june-july": ([dt.date(2022, 6, 30)] * 4 + days(dt.date(2022, 7, 1), [4] * 10), None, None),
    # undated documents never form a group: 30 undated + 12 dated in one year -> outlet
    "undated": ([None] * 30 + [dt.date(2023, 1, 1)] * 12,
                ["A"] * 20 + ["B"] * 10 + ["A"] * 2 + ["C"] * 10, ("outlet", "A")),
    # nothing possible
    "tiny": ([dt.date(2023, 1, 1), dt.date(2024, 1, 1)], ["A", "B"], ("", "")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_comparison_rule_matches_brute_force(name):
    dates, outlets, expected = CASES[name]
    docs = make_docs(dates, outlets)
    cmp = choose.choose_comparison(analysis.tokenize(docs), docs, min_docs=10)
    brute = brute_rule(dates, outlets or [], 10)
    assert (cmp.by, cmp.target) == brute
    if expected is not None:
        assert brute == expected
    assert cmp.possible == bool(brute[0])
    if cmp.possible:
        sizes = dict(cmp.sizes.select(cmp.group_column, "documents").iter_rows())
        assert sizes[cmp.target] >= 10
        assert sum(sizes[g] for g in cmp.reference) >= 10
        assert "(none)" not in cmp.reference
    else:
        assert cmp.statement.startswith("No comparison is possible")
        assert cmp.counts["group"].unique().to_list() == ["all documents"]
        key = choose.key_terms(cmp)
        assert key.height == 0 and {"term", "g2", "log_ratio"} <= set(key.columns)


def test_june_july_goes_to_weeks():
    dates, _, _ = CASES["june-july"]
    cmp = choose.choose_comparison(analysis.tokenize(make_docs(dates)), make_docs(dates),
                                   min_docs=10)
    assert cmp.by == "published:week"


@pytest.mark.parametrize("seed", range(6))
def test_comparison_rule_on_random_corpora(seed):
    rng = random.Random(seed)
    n = rng.randint(5, 80)
    dates = [None if rng.random() < 0.2 else
             dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, rng.choice([20, 200, 900])))
             for _ in range(n)]
    outlets = [rng.choice(["A", "B", "C", None]) for _ in range(n)]
    docs = make_docs(dates, outlets, seed)
    min_docs = rng.choice([3, 10, 20])
    cmp = choose.choose_comparison(analysis.tokenize(docs), docs, min_docs=min_docs)
    assert (cmp.by, cmp.target) == brute_rule(dates, outlets, min_docs)


def test_given_grouping_is_used_and_one_group_is_no_comparison():
    docs = make_docs([dt.date(2023, 1, 1)] * 4, ["A", "A", "B", "B"])
    toks = analysis.tokenize(docs)
    cmp = choose.choose_comparison(toks, docs, by="outlet", target="B")
    assert (cmp.by, cmp.target, cmp.reference) == ("outlet", "B", ("A",))
    assert "as given" in cmp.statement
    one = choose.choose_comparison(toks, docs, every="1y")
    assert not one.possible and "gives 1 group" in one.statement


def test_invalid_min_docs():
    docs = make_docs([dt.date(2023, 1, 1)])
    with pytest.raises(ValueError, match="min_docs must be a positive integer"):
        choose.choose_comparison(analysis.tokenize(docs), docs, min_docs=0)


def test_distinctive_terms_match_brute_force():
    docs = make_docs([None] * 25, seed=3)
    docs = docs.with_columns(
        text=pl.col("text") + pl.when(pl.col("doc_id") < "d005").then(pl.lit(" lighthouse lighthouse"))
        .otherwise(pl.lit(" monday 2024 ok")))
    toks = analysis.tokenize(docs)
    counted = toks.filter(~pl.col("is_stop") & ~pl.col("is_punct"))
    n, df = Counter(), {}
    for doc, term in counted.select("doc_id", "term").iter_rows():
        if sum(ch.isalpha() for ch in term) >= 3 and term not in choose.CALENDAR_WORDS:
            n[term] += 1
            df.setdefault(term, set()).add(doc)
    scores = {t: n[t] * math.log(25 / len(df[t])) for t in n if len(df[t]) >= 2}
    expected = sorted(scores, key=lambda t: (-scores[t], -n[t], t))[:4]
    assert choose.distinctive_terms(toks, top=4) == expected
    assert expected[0] == "lighthouse" and "monday" not in expected and "ok" not in expected


def test_choose_terms_and_actors_keep_what_is_given():
    toks = analysis.tokenize(make_docs([None] * 3))
    assert choose.choose_terms(toks, ["x y", ""], top=2) == ["x y"]
    assert len(choose.choose_terms(toks, [], top=2)) == 2
    men = pl.DataFrame({"actor": ["B", "A", "A", "B", "C"],
                        "matched": ["Bo", "Al", "AL", "Bo", "Cy"]})
    assert choose.top_actors(men, top=2) == {"A": ["al"], "B": ["bo"]}  # tie 2-2: by name
    assert choose.choose_actors(men, {"Z": ["zed"]}) == {"Z": ["zed"]}
    assert choose.top_actors(men.clear()) == {}


def test_trend_terms_are_key_terms_of_the_latest_period():
    early = ["harbour budget council"] * 12
    late = ["ferry strike ferry strike harbour"] * 12
    docs = pl.DataFrame({
        "doc_id": [f"d{i:02d}" for i in range(24)], "text": early + late,
        "published": [dt.date(2021, 3, 1)] * 12 + [dt.date(2022, 3, 1)] * 12})
    toks = analysis.tokenize(docs)
    assert choose.trend_terms(toks, docs, top=2) == ["ferry", "strike"]
    assert choose.trend_terms(toks, docs, ["given"]) == ["given"]
    undated = docs.with_columns(published=pl.lit(None, dtype=pl.Date))
    assert choose.trend_terms(toks, undated, top=2) == choose.distinctive_terms(toks, top=2)


# ------------------------------------------------------------------ duplicates


DOCS = pl.DataFrame({"doc_id": ["a", "b", "c", "d", "e", "f"],
                     "source": ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt"],
                     "text": ["t1", "t1", "t2", "t2b", "t3", "t2b"],
                     "published": None, "outlet": None, "title": None,
                     "duplicate_of": [None, "a", None, None, None, "d"]})
CLUSTERS = pl.DataFrame({"cluster_id": [7, 7, 7, 9, 9], "doc_id": ["c", "d", "f", "e", "b"],
                         "is_first": [True, False, False, False, True]})


def test_duplicate_copies_hand_worked():
    assert duplicate_copies(DOCS).rows() == [("b", "a", "exact"), ("f", "d", "exact")]
    # d is a near copy of c; f (an exact copy of d) therefore counts as c; e near-copies b,
    # which is itself an exact copy of a
    assert duplicate_copies(DOCS, clusters=CLUSTERS).rows() == [
        ("b", "a", "exact"), ("d", "c", "near"), ("e", "a", "near"), ("f", "c", "exact")]


@pytest.mark.parametrize("kind", ["polars", "pandas"])
def test_deduplicate_tables(kind):
    tokens = pl.DataFrame({"doc_id": list("abcdef"), "term": list("uvwxyz")})
    table = tokens.to_pandas() if kind == "pandas" else tokens
    out = deduplicate(table, docs=DOCS, clusters=CLUSTERS)
    assert isinstance(out, pd.DataFrame if kind == "pandas" else pl.DataFrame)
    assert list(out["doc_id"]) == ["a", "c"]
    assert deduplicate(table, docs=DOCS, duplicates="include") is table


def test_deduplicate_corpus_notes_every_copy():
    corpus = Corpus(docs=DOCS, skipped=pl.DataFrame())
    kept = deduplicate(corpus, clusters=CLUSTERS)
    assert kept.docs["doc_id"].to_list() == ["a", "c"]
    assert copies_left_out(kept) == 4 and copies_left_out(corpus) == 0
    assert kept.fingerprint != corpus.fingerprint  # the documents counted (a cache key)
    assert sorted(kept.notes["doc_id"]) == ["b", "d", "e", "f"]
    assert kept.docs.height + copies_left_out(kept) == DOCS.height  # every input accounted for


def test_deduplicate_refuses_bad_input():
    with pytest.raises(ValueError, match="duplicates must be 'exclude' or 'include'"):
        deduplicate(DOCS, duplicates="drop")
    two_firsts = CLUSTERS.with_columns(is_first=pl.lit(True))
    with pytest.raises(ValueError, match="exactly one row with is_first=True"):
        duplicate_copies(DOCS, clusters=two_firsts)
    with pytest.raises(ValueError, match="missing column"):
        duplicate_copies(DOCS, clusters=CLUSTERS.drop("is_first"))
