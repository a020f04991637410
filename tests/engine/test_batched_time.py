"""Timeline, dates, events, trend terms and quotes per batch: the same tables however the token
table is cut (batches of 1, 7, 300 rows; 1 or 7 documents), shuffled or in several chunks, and
equal to references computed here in plain Python from the token rows."""

from __future__ import annotations

import importlib
import sys
from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest

import analysis
from analysis.report import choose
from analysis.tokens._bounds import sentence_bounds

# the modules (``analysis.timeline``, ``analysis.quotes`` the attributes are the verbs)
batches_module = importlib.import_module("analysis.engine._batches")
bounds_module = importlib.import_module("analysis.tokens._bounds")
timeline_module = importlib.import_module("analysis.time._timeline")
dates_module = importlib.import_module("analysis.time._dates")
events_module = importlib.import_module("analysis.time._events")
quotes_module = importlib.import_module("analysis.quotes._quotes")

sys.path.insert(0, str(Path(__file__).parents[1]))  # the synthetic-corpus generator

ROWS = [1, 7, 300]
BOUND_ROWS = [7, 300, 4096]  # sentence bounds group each slice: 1 row at a time is too slow


@pytest.fixture(scope="module")
def docs() -> pl.DataFrame:
    from synthetic import generate_chunk

    bundled = analysis.load_corpus(analysis.config.RAW_DIR).docs
    cols = ["doc_id", "title", "outlet", "published", "text"]
    both = pl.concat([generate_chunk(0, 60).select(cols), bundled.select(cols)])
    # four months of 2022: the latest quarter (April) against the rest for the trend terms
    month = pl.int_range(pl.len()) % 4 + 1
    return both.with_columns(published=pl.date(2022, month, pl.col("published").dt.day().clip(1, 28)))


@pytest.fixture(scope="module")
def tokens(docs) -> pl.DataFrame:
    return analysis.tokenize(docs)


def layouts(tokens: pl.DataFrame) -> dict[str, pl.DataFrame]:
    k = tokens.height // 3
    return {"in order": tokens,
            "shuffled": tokens.sample(fraction=1.0, shuffle=True, seed=11),
            "three chunks": pl.concat([tokens.slice(0, k), tokens.slice(k, k),
                                       tokens.slice(2 * k)], rechunk=False)}


# ------------------------------------------------------------------------- sentence bounds


def reference_bounds(tokens: pl.DataFrame) -> list[tuple[str, int, int, int]]:
    lo: dict[tuple[str, int], int] = {}
    hi: dict[tuple[str, int], int] = {}
    for doc, sid, a, b in tokens.select("doc_id", "sentence_id", "start", "end").iter_rows():
        lo[doc, sid] = min(a, lo.get((doc, sid), a))
        hi[doc, sid] = max(b, hi.get((doc, sid), b))
    return sorted((doc, sid, lo[doc, sid], hi[doc, sid]) for doc, sid in lo)


@pytest.mark.parametrize("rows", ROWS)
def test_sentence_bounds_equal_a_python_reference(tokens, rows):
    small = tokens.filter(pl.col("doc_id").is_in(tokens["doc_id"].unique().sort().head(12)
                                                 .implode()))
    expected = reference_bounds(small)
    assert len(expected) > 100
    for name, table in layouts(small).items():
        got = sentence_bounds(table, rows=rows)
        assert got.rows() == expected, name
        assert got.schema == {"doc_id": pl.String, "sentence_id": pl.UInt32,
                              "start": pl.UInt32, "end": pl.UInt32}


def test_sentence_bounds_of_an_empty_table():
    empty = pl.DataFrame(schema={"doc_id": pl.String, "sentence_id": pl.UInt32,
                                 "start": pl.UInt32, "end": pl.UInt32})
    assert sentence_bounds(empty).height == 0
    with pytest.raises(ValueError, match="rows must be at least 1"):
        sentence_bounds(empty, rows=0)


# ------------------------------------------------------------------------- timeline(terms=)

TERMS = {"Putin": ["putin", "vladimir putin"], "UN": ["united nations"], "war": ["war"],
         "of the": ["of the"], "Xi": ["xi jinping", "xi", "president xi jinping"]}


def reference_counts(tokens: pl.DataFrame, docs: pl.DataFrame) -> dict[tuple, int]:
    """(month, label) -> occurrences: each start token counted once per label."""
    words: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for doc, tid, term in tokens.select("doc_id", "token_id", "term").iter_rows():
        words[doc].append((tid, term.lower()))
    month = {d: p.replace(day=1) for d, p in docs.select("doc_id", "published").iter_rows()
             if p is not None}
    out: dict[tuple, int] = defaultdict(int)
    for doc, rows in words.items():
        seq = [t for _, t in sorted(rows)]
        for label, aliases in TERMS.items():
            for i in range(len(seq)):
                if any(seq[i:i + len(a.split())] == a.split() for a in aliases):
                    out[month[doc], label] += 1
    return out


@pytest.fixture(scope="module")
def expected_counts(docs, tokens) -> dict[tuple, int]:
    return reference_counts(tokens, docs)


@pytest.mark.parametrize("rows", ROWS)
def test_traced_terms_per_batch_equal_a_python_count(docs, tokens, expected_counts, monkeypatch,
                                                     rows):
    expected = expected_counts
    assert sum(expected.values()) > 100 and expected[next(iter(expected))] > 0
    whole = analysis.timeline(tokens, docs=docs, every="1mo", terms=TERMS)
    monkeypatch.setattr(timeline_module, "BATCH_ROWS", rows)
    for name, table in layouts(tokens).items():
        got = analysis.timeline(table, docs=docs, every="1mo", terms=TERMS)
        assert got.equals(whole), name
        counts = {(r["period"], r["term"]): r["count"] for r in got.iter_rows(named=True)}
        assert {k: v for k, v in counts.items() if v} == dict(expected), name


# ------------------------------------------------------------------------- trend terms


def reference_spread(tokens: pl.DataFrame, doc_ids: set[str]) -> set[str]:
    """Candidate terms used by two or more of ``doc_ids``."""
    used: dict[str, set[str]] = defaultdict(set)
    for doc, term, stop, punct in tokens.select("doc_id", "term", "is_stop",
                                                "is_punct").iter_rows():
        if doc in doc_ids and not stop and not punct:
            used[term].add(doc)
    letters = {t for t in used if sum(c.isalpha() for c in t) >= 3}
    return {t for t in letters if len(used[t]) >= 2 and t not in choose.CALENDAR_WORDS}


@pytest.mark.parametrize("rows", ROWS)
def test_trend_terms_per_batch(docs, tokens, monkeypatch, rows):
    whole = choose.trend_terms(tokens, docs, top=6, min_docs=5)
    assert len(whole) == 6
    # the terms chosen are used by two or more documents of the latest period (reference)
    cmp = choose.choose_comparison(tokens, docs, min_docs=5)
    assert cmp.by == "published:quarter" and cmp.target == "2022-Q2"
    labels = analysis.add_group(docs.select("doc_id"), docs, every="1q")
    in_latest = set(labels.filter(pl.col(cmp.group_column) == cmp.target)["doc_id"])
    assert set(whole) <= reference_spread(tokens, in_latest)
    monkeypatch.setattr(batches_module, "BATCH_ROWS", rows)
    for name, table in layouts(tokens).items():
        assert choose.trend_terms(table, docs, top=6, min_docs=5) == whole, name


# ------------------------------------------------------------------------- dates and events


def reference_sentence_of(tokens: pl.DataFrame, dates: pl.DataFrame) -> list[int]:
    """The sentence of the last token starting at or before each mention's start."""
    starts: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc, sid, a in tokens.select("doc_id", "sentence_id", "start").iter_rows():
        starts[doc].append((a, sid))
    out = []
    for doc, at in dates.select("doc_id", "start").iter_rows():
        out.append(max((a, sid) for a, sid in starts[doc] if a <= at)[1])
    return out


@pytest.mark.parametrize("rows", BOUND_ROWS)
def test_dates_per_batch(docs, tokens, monkeypatch, rows):
    whole = analysis.extract_dates(docs, tokens=tokens)
    assert whole.height > 200
    assert whole["sentence_id"].to_list() == reference_sentence_of(tokens, whole)
    assert analysis.extract_dates(docs).equals(whole)  # the documents tokenised here
    monkeypatch.setattr(bounds_module, "BATCH_ROWS", rows)
    monkeypatch.setattr(dates_module, "BATCH_DOCS", 7)
    for name, table in layouts(tokens).items():
        assert analysis.extract_dates(docs, tokens=table).equals(whole), name
    assert analysis.extract_dates(docs).equals(whole)


def test_dates_refuse_tokens_with_gaps_in_sentence_ids(docs, tokens, monkeypatch):
    monkeypatch.setattr(bounds_module, "BATCH_ROWS", 7)
    gap = tokens.filter(~((pl.col("doc_id") == docs["doc_id"][3]) & (pl.col("sentence_id") == 2)))
    with pytest.raises(ValueError, match=f"sentence ids of document '{docs['doc_id'][3]}'"):
        analysis.extract_dates(docs, tokens=gap)
    with pytest.raises(ValueError, match="is not in tokens"):
        analysis.extract_dates(docs, tokens=tokens.filter(pl.col("doc_id") != docs["doc_id"][5]))


@pytest.mark.parametrize("per_batch", [1, 7])
def test_events_per_batch_of_documents(docs, tokens, monkeypatch, per_batch):
    dates = analysis.extract_dates(docs, tokens=tokens)
    whole = analysis.events(dates, docs)
    cited = analysis.date_sentences(dates, docs)
    # each mention's sentence is the text from its sentence's first to last token (reference)
    bounds = {(d, s): (a, b) for d, s, a, b in reference_bounds(tokens)}
    text = dict(docs.select("doc_id", "text").iter_rows())
    assert cited["sentence"].to_list() == [
        text[d][bounds[d, s][0]:bounds[d, s][1]]
        for d, s in cited.select("doc_id", "sentence_id").iter_rows()]
    monkeypatch.setattr(events_module, "DOCS_PER_BATCH", per_batch)
    assert analysis.date_sentences(dates, docs).equals(cited)
    assert analysis.events(dates, docs).equals(whole)
    assert analysis.events(dates, docs, min_docs=3).equals(whole.filter(pl.col("n_docs") >= 3))


# ------------------------------------------------------------------------- quotes


@pytest.mark.parametrize("rows", BOUND_ROWS)
def test_quotes_per_batch(docs, tokens, monkeypatch, rows):
    whole = analysis.quotes(docs)  # the documents tokenised here, one batch of sentences
    assert whole.height > 100 and whole["speaker"].drop_nulls().len() > 50
    assert analysis.quotes(docs, tokens=tokens).equals(whole)
    monkeypatch.setattr(bounds_module, "BATCH_ROWS", rows)
    monkeypatch.setattr(quotes_module, "BATCH_DOCS", 7)
    for name, table in layouts(tokens).items():
        assert analysis.quotes(docs, tokens=table).equals(whole), name


def test_cue_scan_finds_every_sentence_with_a_speech_cue(docs, tokens):
    """The polars prefilter of quotes() never drops a sentence in which CUE_RE finds a cue
    (Python's case-insensitive ``i`` matches ``İ`` and ``ı`` too)."""
    from analysis.quotes._cues import CUE_RE, CUE_SCAN

    text = dict(docs.select("doc_id", "text").iter_rows())
    sentences = [text[d][a:b] for d, _, a, b in sentence_bounds(tokens).iter_rows()]
    sentences += ["He SAİD so.", "She saıd no.", "ACCORDING TO them", "Ad-libbed: ReplIes",
                  "nothing to see", "x said", "said", "tellings", "ſays the K"]
    found = pl.Series(sentences).str.contains(CUE_SCAN).to_list()
    cued = [CUE_RE.search(s) is not None for s in sentences]
    assert sum(cued) > 100 and sum(found) < len(found)
    assert all(f for f, c in zip(found, cued, strict=True) if c)
    assert cued[-9:-5] == [True, True, True, True]
