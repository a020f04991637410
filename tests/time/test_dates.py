"""Tests for analysis.dates: labelled precision/recall, each resolution rule, edge cases.

Expected dates are calendar facts worked out by hand (weekday of a date checked with
``datetime.date.weekday`` only where noted), never taken from the extractor.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import analysis
from analysis.time._dates import extract_dates
from analysis.time._events import date_sentences, events, plot_events

sys.path.insert(0, str(Path(__file__).parents[1]))
from date_labels import DATA, gold_mentions, labelled_docs, score


def one(text: str, pub: date | None) -> list[dict]:
    docs = pl.DataFrame({"doc_id": ["d"], "published": [pub], "text": [text]},
                        schema={"doc_id": pl.String, "published": pl.Date, "text": pl.String})
    return extract_dates(docs).to_dicts()


def only(text: str, pub: date | None) -> dict:
    rows = one(text, pub)
    assert len(rows) == 1, rows
    return rows[0]


# ---------------------------------------------------------------- labelled set


@pytest.fixture(scope="module")
def labelled():
    docs = labelled_docs()
    return docs, gold_mentions(docs)


def test_labelled_set_is_large_enough_and_from_both_sources(labelled):
    docs, gold = labelled
    in_scope = [g for g in gold if g["in_scope"]]
    assert len(in_scope) >= 80
    bundled = {g["doc_id"] for g in in_scope if not g["doc_id"].startswith("ru22-")}
    assert len(bundled) == 5
    assert sum(g["doc_id"].startswith("ru22-") for g in in_scope) >= 80
    for g in gold:  # every label points at its text
        text = docs.filter(pl.col("doc_id") == g["doc_id"])["text"][0]
        assert text[g["start"]:g["end"]] == g["mention"]


def test_precision_and_recall_on_labelled_set(labelled):
    docs, gold = labelled
    s = score(extract_dates(docs).to_dicts(), gold)
    print(f"\nlabelled set: predicted {s['predicted']}, correct {s['correct']}, gold {s['gold']}, "
          f"precision {s['precision']:.3f}, recall {s['recall']:.3f}")
    assert s["precision"] >= 0.9
    assert s["recall"] >= 0.85


def test_precision_and_recall_on_held_out_sentences(labelled):
    docs, gold = labelled
    with open(DATA / "date_snippets.csv", newline="", encoding="utf-8") as f:
        held = {r["snippet_id"] for r in csv.DictReader(f) if r["split"] == "heldout"}
    assert len(held) >= 40
    pred = [p for p in extract_dates(docs).to_dicts() if p["doc_id"] in held]
    s = score(pred, [g for g in gold if g["doc_id"] in held])
    print(f"\nheld-out: precision {s['precision']:.3f}, recall {s['recall']:.3f} "
          f"({s['gold']} mentions)")
    assert s["precision"] >= 0.9
    assert s["recall"] >= 0.85


def test_scorer_counts_wrong_dates_as_errors():
    gold = [{"doc_id": "a", "start": 0, "end": 6, "mention": "May 15", "date": date(2024, 5, 15),
             "granularity": "day", "in_scope": True}]
    wrong = [{"doc_id": "a", "start": 0, "end": 6, "date": date(2023, 5, 15),
              "granularity": "day"}]
    right = [{**wrong[0], "date": date(2024, 5, 15)}]
    assert score(wrong, gold)["precision"] == 0.0
    assert score(right, gold)["precision"] == 1.0
    assert score([], gold)["recall"] == 0.0


# ---------------------------------------------------------------- the bundled corpus


@pytest.fixture(scope="module")
def bundled():
    return analysis.load_corpus(analysis.config.RAW_DIR).docs


def test_bundled_weekday_conflict_is_recorded(bundled):
    d = extract_dates(bundled).filter(pl.col("doc_id").str.starts_with("003"))
    row = d.filter(pl.col("text") == "Monday, February 22").to_dicts()
    assert len(row) == 1
    assert row[0]["date"] == date(2023, 2, 22)  # the explicit date wins
    assert "weekday conflict" in row[0]["note"] and "Wednesday" in row[0]["note"]
    # "last Monday, February 20" is consistent: 20 Feb 2023 was a Monday
    ok = d.filter(pl.col("text").str.contains("February 20")).to_dicts()
    assert ok[0]["date"] == date(2023, 2, 20) and ok[0]["note"] is None


def test_bundled_events_include_the_back_references(bundled):
    ev = events(extract_dates(bundled), bundled)
    keys = {(r["date"], r["granularity"]): r for r in ev.to_dicts()}
    invasion = keys[(date(2022, 2, 1), "month")]
    assert invasion["n_docs"] == 3  # docs 000, 001, 002
    assert (date(2023, 2, 1), "month") in keys  # the February 2023 peace plan
    assert (date(2023, 3, 20), "day") in keys  # Xi's Moscow visit
    assert keys[(date(2024, 5, 16), "day")]["n_docs"] == 3
    dates = [r["date"] for r in ev.to_dicts()]
    assert dates == sorted(dates)


def test_bundled_numbers_that_are_not_dates(bundled):
    d = extract_dates(bundled)
    texts = " | ".join(d["text"].to_list())
    for bad in ("12", "15.6", "31", "II", "100", "four-year", "two-day"):
        assert not any(t == bad or t.startswith(bad + " ") for t in d["text"].to_list()), texts


def test_sentence_ids_agree_with_tokenize(bundled):
    d = extract_dates(bundled)
    tokens = analysis.tokenize(bundled)
    joined = d.join(tokens.select("doc_id", "start", pl.col("sentence_id").alias("tok_sid")),
                    on=["doc_id", "start"], how="left")
    assert joined["tok_sid"].null_count() == 0  # every mention starts at a token
    assert (joined["sentence_id"] == joined["tok_sid"]).all()


def test_offsets_point_at_the_mention(bundled):
    d = extract_dates(bundled)
    texts = dict(bundled.select("doc_id", "text").iter_rows())
    for r in d.to_dicts():
        assert texts[r["doc_id"]][r["start"]:r["end"]] == r["text"]


# ---------------------------------------------------------------- resolution rules

PUB = date(2024, 5, 16)  # a Thursday


@pytest.mark.parametrize(
    ("text", "pub", "expected", "gran", "kind"),
    [
        ("They met Thursday, May 16, in Beijing.", PUB, date(2024, 5, 16), "day", "relative"),
        ("Beijing, May 15 (EFE).", PUB, date(2024, 5, 15), "day", "relative"),
        ("The talks of June 2 ended.", PUB, date(2024, 6, 2), "day", "relative"),  # 17 days on
        ("The talks of August 20 ended.", PUB, date(2023, 8, 20), "day", "relative"),
        ("It happened on 14 March.", PUB, date(2024, 3, 14), "day", "relative"),
        ("the 24th of February", PUB, date(2024, 2, 24), "day", "relative"),
        ("since Feb. 24", PUB, date(2024, 2, 24), "day", "relative"),
        ("Putin spoke on Tuesday.", PUB, date(2024, 5, 14), "day", "relative"),
        ("Putin spoke on Thursday.", PUB, date(2024, 5, 16), "day", "relative"),
        ("Putin will speak on Tuesday.", PUB, date(2024, 5, 21), "day", "relative"),
        ("The visit, which begins Friday, is long.", PUB, date(2024, 5, 17), "day", "relative"),
        ("He came last Thursday.", PUB, date(2024, 5, 9), "day", "relative"),
        ("He comes next Thursday.", PUB, date(2024, 5, 23), "day", "relative"),
        ("He came this Monday.", PUB, date(2024, 5, 13), "day", "relative"),
        ("The invasion of February 2022 failed.", PUB, date(2022, 2, 1), "month", "absolute"),
        ("He spoke last month.", PUB, date(2024, 4, 1), "month", "relative"),
        ("He spoke earlier this month.", PUB, date(2024, 5, 1), "month", "relative"),
        ("They meet next month.", PUB, date(2024, 6, 1), "month", "relative"),
        ("They met this week.", PUB, date(2024, 5, 13), "week", "relative"),
        ("They met last week.", PUB, date(2024, 5, 6), "week", "relative"),
        ("They meet next week.", PUB, date(2024, 5, 20), "week", "relative"),
        ("It grew this year.", PUB, date(2024, 1, 1), "year", "relative"),
        ("It fell last year.", PUB, date(2023, 1, 1), "year", "relative"),
        ("It began two years ago.", PUB, date(2022, 1, 1), "year", "relative"),
        ("It began three days ago.", PUB, date(2024, 5, 13), "day", "relative"),
        ("It began a month ago.", PUB, date(2024, 4, 1), "month", "relative"),
        ("They met yesterday.", PUB, date(2024, 5, 15), "day", "relative"),
        ("They meet tomorrow.", PUB, date(2024, 5, 17), "day", "relative"),
        ("They met in March.", PUB, date(2024, 3, 1), "month", "relative"),
        ("They met in November.", PUB, date(2023, 11, 1), "month", "relative"),
        ("They will meet in November.", PUB, date(2024, 11, 1), "month", "relative"),
        ("Sanctions since March hurt.", PUB, date(2024, 3, 1), "month", "relative"),
        ("It peaked in early March.", PUB, date(2024, 3, 1), "month", "relative"),
        ("Tanks arrive by the fall.", PUB, date(2024, 9, 1), "season", "relative"),
        ("It rained in the spring.", PUB, date(2024, 3, 1), "season", "relative"),
        ("It was cold last winter.", PUB, date(2023, 12, 1), "season", "relative"),
        ("Gas for this winter.", PUB, date(2024, 12, 1), "season", "relative"),
        ("It was annexed in spring 2014.", PUB, date(2014, 3, 1), "season", "absolute"),
        ("Crimea was annexed in 2014.", PUB, date(2014, 1, 1), "year", "absolute"),
        ("Its 2014 annexation.", PUB, None, None, None),
        ("The 2,000 troops and 2000 tanks left.", PUB, None, None, None),
        ("On 2024-05-16 we met.", None, date(2024, 5, 16), "day", "absolute"),
        ("A photo of 14 May 2024.", PUB, date(2024, 5, 14), "day", "absolute"),
        ("12 Jul 2022 21.25 Update", PUB, date(2022, 7, 12), "day", "absolute"),
        ("They met March 20, 2023.", PUB, date(2023, 3, 20), "day", "absolute"),
    ],
)
def test_resolution_rules(text, pub, expected, gran, kind):
    rows = one(text, pub)
    if expected is None:
        assert rows == []
        return
    assert len(rows) == 1, rows
    r = rows[0]
    assert (r["date"], r["granularity"], r["kind"]) == (expected, gran, kind)
    assert r["anchor"] == pub


@pytest.mark.parametrize(
    ("text", "pub", "expected"),
    [
        ("Gas use falls over the winter.", date(2022, 7, 27), date(2022, 12, 1)),  # nearer
        ("Storage must be full before winter.", date(2022, 6, 22), date(2022, 12, 1)),
        ("It was warm in the spring.", date(2022, 7, 27), date(2022, 3, 1)),
        ("Prices rise in the autumn.", date(2022, 6, 24), date(2022, 9, 1)),
        ("It snowed in winter.", date(2022, 1, 20), date(2021, 12, 1)),  # inside that winter
        ("Exports stop until the spring.", date(2022, 11, 2), date(2023, 3, 1)),
    ],
)
def test_season_without_year(text, pub, expected):
    r = only(text, pub)
    assert (r["date"], r["granularity"]) == (expected, "season")


@pytest.mark.parametrize("text", ["fought in the winter war", "at the Winter Olympics",
                                  "in the summer games", "in the fall of Kabul",
                                  "a winter wheat harvest"])
def test_seasons_that_are_not_dates(text):
    assert one(text, date(2022, 6, 10)) == []


def test_year_ranges_give_both_years():
    rows = one("Between 2010 and 2020 the shale boom; from 2014 to 2022, war.", PUB)
    assert [r["date"].year for r in rows] == [2010, 2020, 2014, 2022]
    assert one("The 2,000 troops and 2000 tanks left.", PUB) == []
    assert [r["date"] for r in one("It was in March of 2021.", PUB)] == [date(2021, 3, 1)]


@pytest.mark.parametrize(
    ("text", "pub", "expected"),
    [
        ("He said on December 28 that", date(2024, 1, 3), date(2023, 12, 28)),
        ("He said on Dec. 31 that", date(2024, 1, 1), date(2023, 12, 31)),
        ("A vote on January 5.", date(2023, 12, 20), date(2024, 1, 5)),  # 16 days ahead
        ("A vote will be held on January 30.", date(2023, 12, 1), date(2024, 1, 30)),
        ("He spoke last month.", date(2024, 1, 10), date(2023, 12, 1)),
        ("They met last week.", date(2024, 1, 3), date(2023, 12, 25)),  # Monday 25 Dec 2023
        ("We meet next month.", date(2023, 12, 10), date(2024, 1, 1)),
        ("It happened in December.", date(2024, 1, 10), date(2023, 12, 1)),
        ("It will be cold this winter.", date(2023, 1, 15), date(2022, 12, 1)),
    ],
)
def test_year_boundaries(text, pub, expected):
    assert only(text, pub)["date"] == expected


@pytest.mark.parametrize(
    ("text", "pub", "expected"),
    [
        ("Born on February 29.", date(2024, 3, 10), date(2024, 2, 29)),
        ("Born on February 29.", date(2023, 3, 1), date(2020, 2, 29)),  # nearest past leap day
        ("Due on February 29.", date(2023, 3, 1), date(2020, 2, 29)),
        ("It will start on February 29.", date(2023, 3, 1), date(2024, 2, 29)),
        ("Born on February 29, 2024.", None, date(2024, 2, 29)),
        ("Thursday, February 29", date(2024, 3, 1), date(2024, 2, 29)),
    ],
)
def test_leap_days(text, pub, expected):
    r = only(text, pub)
    assert r["date"] == expected
    assert r["note"] is None  # 29 Feb 2024 was a Thursday


@pytest.mark.parametrize("text", ["on February 30", "February 29, 2023", "on April 31, 2024",
                                  "Monday, February 30"])
def test_impossible_dates_are_not_mentions(text):
    assert one(text, date(2024, 5, 16)) == []


@pytest.mark.parametrize(
    ("text", "pub", "expected", "conflict"),
    [
        ("On Monday, February 22, Wang met Putin.", date(2023, 2, 22), date(2023, 2, 22), True),
        ("On Wednesday, February 22, Wang met Putin.", date(2023, 2, 22), date(2023, 2, 22),
         False),
        ("last Monday, February 20", date(2023, 2, 22), date(2023, 2, 20), False),
        ("Friday, March 20, 2023", None, date(2023, 3, 20), True),  # a Monday
    ],
)
def test_weekday_date_conflicts(text, pub, expected, conflict):
    r = only(text, pub)
    assert r["date"] == expected
    assert (r["note"] is not None and r["note"].startswith("weekday conflict")) == conflict


def test_missing_publication_date():
    text = ("The invasion of February 2022 and the plan of February 24, 2023. "
            "He spoke last month, on Tuesday, on May 15 and in March.")
    rows = one(text, None)
    absolute = [r for r in rows if r["kind"] == "absolute"]
    relative = [r for r in rows if r["kind"] == "relative"]
    assert [(r["date"], r["granularity"]) for r in absolute] == [
        (date(2022, 2, 1), "month"), (date(2023, 2, 24), "day")]
    assert [r["text"] for r in relative] == ["last month", "Tuesday", "May 15", "in March"]
    assert [r["granularity"] for r in relative] == ["month", "day", "day", "month"]
    for r in relative:
        assert r["date"] is None
        assert r["note"] == "unresolved: no publication date"
        assert r["anchor"] is None


def test_no_date_column_means_undated():
    docs = pl.DataFrame({"doc_id": ["a"], "text": ["In 2014 and last month."]})
    rows = extract_dates(docs).to_dicts()
    assert [(r["text"], r["date"]) for r in rows] == [("2014", date(2014, 1, 1)),
                                                      ("last month", None)]


@pytest.mark.parametrize(
    "text",
    [
        "Beijing's 12-point plan", "a loan of $15.6 billion", "31 Abrams tanks",
        "since World War II", "changes not seen in 100 years", "recovering from Covid-19",
        "more than 2,000 troops", "in the 1990s", "F-16 jets", "the Rossiya 24 channel",
        "Putin may fall soon", "the fall of Kabul", "Theresa May said", "May I ask",
        "a four-year loan", "a two-day visit", "No 10 said", "at 21.25 GMT", "the 139th day",
        "25-year sentence", "7 percent", "1,700 attacks",
        "The march on Washington", "2000 soldiers died",
    ],
)
def test_numbers_that_are_not_dates(text):
    assert one(f"He noted {text}.", date(2023, 3, 22)) == []


@pytest.mark.parametrize("pub_kind", ["date", "datetime"])
def test_datetime_publication_column(pub_kind):
    from datetime import datetime

    pub = datetime(2024, 5, 16, 9) if pub_kind == "datetime" else date(2024, 5, 16)
    docs = pl.DataFrame({"doc_id": ["a"], "published": [pub], "text": ["on Tuesday"]})
    assert extract_dates(docs)["date"].to_list() == [date(2024, 5, 14)]


def test_pandas_in_pandas_out_and_empty():
    df = pd.DataFrame({"doc_id": ["a", "b"], "published": [pd.Timestamp("2024-05-16"), None],
                       "text": ["in February 2022", ""]})
    out = extract_dates(df)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["doc_id", "sentence_id", "start", "end", "text", "date",
                                 "granularity", "kind", "anchor", "note"]
    assert len(out) == 1
    empty = extract_dates(pl.DataFrame({"doc_id": ["a"], "text": ["no dates here"]}))
    assert empty.height == 0 and empty.schema["date"] == pl.Date


@pytest.mark.parametrize(
    ("docs", "message"),
    [
        (pl.DataFrame({"id": ["a"], "text": ["x"]}), "missing column"),
        (pl.DataFrame({"doc_id": ["a"], "published": ["2024-05-16"], "text": ["x"]}),
         "must hold dates"),
    ],
)
def test_invalid_input(docs, message):
    with pytest.raises(ValueError, match=message):
        extract_dates(docs)


def test_refuses_non_tables():
    with pytest.raises(TypeError):
        extract_dates("Thursday, May 16")


def test_deterministic(bundled):
    assert extract_dates(bundled).equals(extract_dates(bundled.reverse()))


# ---------------------------------------------------------------- events and the chart


def test_events_hand_worked():
    docs = pl.DataFrame({
        "doc_id": ["a", "b", "c"],
        "published": [date(2024, 5, 16), date(2023, 3, 22), None],
        "text": ["Putin invaded in February 2022. Xi met him on Thursday.",
                 "Since February 2022 the war goes on. Xi came on Monday, March 20.",
                 "In February 2022 it began. Last month, too."],
    })
    ev = events(extract_dates(docs), docs).to_dicts()
    assert [(e["date"], e["granularity"], e["n_mentions"], e["n_docs"]) for e in ev] == [
        (date(2022, 2, 1), "month", 3, 3),
        (date(2023, 3, 20), "day", 1, 1),
        (date(2024, 5, 16), "day", 1, 1),
    ]
    first = ev[0]
    assert first["doc_ids"] == ["a", "b", "c"]
    assert first["first_cited"] == date(2023, 3, 22) and first["last_cited"] == date(2024, 5, 16)
    assert first["sentences"] == ["Putin invaded in February 2022.",
                                  "Since February 2022 the war goes on.",
                                  "In February 2022 it began."]
    assert events(extract_dates(docs), docs, min_docs=2).height == 1
    with pytest.raises(ValueError, match="min_docs"):
        events(extract_dates(docs), docs, min_docs=0)


def test_events_orders_coarser_granularity_first_on_ties():
    docs = pl.DataFrame({"doc_id": ["a"], "published": [date(2022, 3, 10)],
                         "text": ["In 2022, in March, on March 1."]})
    ev = events(extract_dates(docs), docs)
    assert ev.select("date", "granularity").rows() == [
        (date(2022, 1, 1), "year"), (date(2022, 3, 1), "month"), (date(2022, 3, 1), "day")]


def test_date_sentences_and_plot(bundled):
    d = extract_dates(bundled)
    m = date_sentences(d, bundled)
    assert m.height == d.height
    for r in m.to_dicts():
        assert r["text"] in r["sentence"]
    chart = plot_events(d, bundled).to_dict()
    points = chart["layer"][1]
    assert points["encoding"]["x"]["field"] == "date"
    assert points["encoding"]["y"]["field"] == "anchor"
    fields = [t["field"] for t in points["encoding"]["tooltip"]]
    assert "sentence" in fields and "text" in fields
    sizes = sorted(len(v) for v in chart["datasets"].values())
    assert sizes == [2, d.height]  # the diagonal and one point per mention


def test_plot_events_window(bundled):
    d = extract_dates(bundled)
    def points(chart):
        return max(len(v) for v in chart.to_dict()["datasets"].values())
    assert points(plot_events(d, bundled, years_before=None)) == 29
    # 2023-02-22 minus half a year: the year 2022 and the three "February 2022" drop out
    assert points(plot_events(d, bundled, years_before=0.5)) == 25
    # 000: 1, 001: last month, this month, Thursday x3; 002: 14 May, May 15, Wednesday, Thursday
    assert points(plot_events(d, bundled, start=date(2024, 1, 1))) == 10


def test_custom_column_names():
    docs = pl.DataFrame({"doc_id": ["a"], "day": [date(2024, 5, 16)],
                         "body": ["Talks began on Tuesday."], "text": ["in 1999"]})
    rows = extract_dates(docs, text_column="body", date_column="day").to_dicts()
    assert [(r["text"], r["date"]) for r in rows] == [("Tuesday", date(2024, 5, 14))]
    with pytest.raises(ValueError, match="missing column"):
        extract_dates(docs, text_column="nope")


def test_events_pandas_in_pandas_out():
    docs = pd.DataFrame({"doc_id": ["a"], "published": [pd.Timestamp("2024-05-16")],
                         "text": ["Since February 2022."]})
    ev = events(extract_dates(docs), docs)
    assert isinstance(ev, pd.DataFrame)
    assert ev["n_docs"].tolist() == [1]


# ---------------------------------------------------------------- speed path (anchors, windows)


@pytest.fixture(scope="module")
def mixed_docs(labelled):
    """The labelled texts (bundled corpus and snippets) and 150 synthetic documents."""
    from synthetic import generate_chunk

    docs, _ = labelled
    synthetic = generate_chunk(0, 150).select("doc_id", "published", "text")
    return pl.concat([docs, synthetic])


def test_anchor_offsets_equal_python_re():
    import re

    from analysis.time._dates import ANCHOR_PATTERN, anchor_offsets

    texts = ["Since early March 2022, and on Monday, May 16, two years ago — 1999.",
             "Die Märkte fielen im März; the Mayor met in May.", "", "année 2020 😀 in 2021"]
    got = anchor_offsets(pl.Series(texts)).to_list()
    assert got == [[m.start() for m in re.finditer(ANCHOR_PATTERN, t)] for t in texts]
    assert got[1] == [texts[1].index("Mayor"), texts[1].index("May.")]  # a superset: no \\b
    assert got[2] == []


def test_windowed_scan_equals_a_scan_of_every_character(mixed_docs, monkeypatch):
    """The grammar searched only near anchor words finds what a full scan finds: with windows
    wider than any text, the search is a plain scan from the last match's end."""
    from analysis.time import _dates as dates

    fast = extract_dates(mixed_docs)
    assert fast.height > 500
    monkeypatch.setattr(dates, "LOOK_BEFORE", 10**9)
    monkeypatch.setattr(dates, "LOOK_AFTER", 10**9)
    assert extract_dates(mixed_docs).equals(fast)


def test_windows_too_narrow_would_lose_mentions(mixed_docs, monkeypatch):
    """The window test above can fail: a window of 2 characters misses "since early March"."""
    from analysis.time import _dates as dates

    monkeypatch.setattr(dates, "LOOK_BEFORE", 2)
    narrow = extract_dates(mixed_docs)
    monkeypatch.undo()
    assert not narrow.equals(extract_dates(mixed_docs))


def test_sentences_from_a_token_table_equal_splitting_again(mixed_docs):
    tokens = analysis.tokenize(mixed_docs)
    assert extract_dates(mixed_docs, tokens=tokens).equals(extract_dates(mixed_docs))
    # pandas tokens work too; a filtered token table (sentence ids with gaps) is refused
    small = mixed_docs.head(5)
    small_tokens = analysis.tokenize(small)
    assert extract_dates(small, tokens=small_tokens.to_pandas()).equals(extract_dates(small))
    with pytest.raises(ValueError, match="sentence ids"):
        extract_dates(small, tokens=small_tokens.filter(pl.col("sentence_id") != 1))
    with pytest.raises(ValueError, match="missing column"):
        extract_dates(small, tokens=small_tokens.drop("sentence_id"))
    with pytest.raises(ValueError, match="not in tokens"):
        extract_dates(small, tokens=small_tokens.filter(pl.col("doc_id") != small["doc_id"][0]))


def test_undated_corpus_event_chart_does_not_depend_on_the_day(bundled):
    """No publication dates: no diagonal (it was drawn at date.today(), so the page changed
    with the day it was built)."""
    undated = bundled.with_columns(published=pl.lit(None, dtype=pl.Date))
    d = extract_dates(undated)
    chart = plot_events(d, undated).to_dict()
    today = date.today().isoformat()
    assert today not in json.dumps(chart, default=str)
    assert all(len(v) == 0 for v in chart.get("datasets", {}).values())
