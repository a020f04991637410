"""The loader on small files whose Corpus tables are worked out by hand (``tests/data/loader/``).

Each expected table below was written from the rules in ``docs/loading.md`` and
``docs/cleaning.md``, not from a run of the loader: ``doc_id``, ``title``, ``outlet``,
``published`` (with its precision), the cleaned ``text``, and every skip, note and removed line,
in order. The inputs:

- ``articles.csv``: a repeated id, HTML and an entity in a text, an empty text, a boilerplate
  line, a partial date (``May 2022``), an unparseable one and a day-first one;
- ``articles.jsonl``: a text given as a list of paragraphs, a nested ``source`` object, an
  invalid line, a line that is not an object, a text that is an object;
- ``texts/``: a UTF-8 file, a Windows-1252 file (curly quotes, ``é``), a UTF-16 file with a BOM,
  and ``metadata.csv`` with a row for a file that does not exist and no row for one that does.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analysis.corpus._load import Corpus, load_corpus

DATA = Path(__file__).resolve().parents[1] / "data" / "loader"
DOC_COLUMNS = ["doc_id", "title", "outlet", "published", "published_precision", "text",
               "source", "encoding"]


@pytest.fixture
def in_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Load from inside the fixture folder, so sources read ``articles.csv:3``."""
    monkeypatch.chdir(DATA)


def docs(corpus: Corpus) -> list[tuple]:
    return corpus.docs.select(DOC_COLUMNS).rows()


def test_csv(in_data):
    corpus = load_corpus("articles.csv")
    assert docs(corpus) == [
        ("a1", "Talks resume", "Reuters", date(2022, 5, 1), "day",
         "Talks resumed in Geneva on Friday.", "articles.csv:1", "utf-8"),
        # the second a1 is renamed; markup stripped, &amp; decoded; "May 2022" is May 1st
        ("a1~2", "Prices", "AP", date(2022, 5, 1), "month",
         "Grain & fuel prices rose.", "articles.csv:2", "utf-8"),
        # a3 has no text: skipped, below; the share prompt is removed, the date is unreadable
        ("a4", "Undated", "The Guardian", None, None,
         "The ministers met again.", "articles.csv:4", "utf-8"),
        # 31/12/2022 can only be day first
        ("a5", "Day first", "AP", date(2022, 12, 31), "day",
         "Kyiv said no.", "articles.csv:5", "utf-8"),
    ]
    assert corpus.skipped.rows() == [("articles.csv:3", "empty text in column 'text'")]
    assert corpus.notes.rows() == [
        (None, "articles.csv", "columns used: text <- 'text', published <- 'date', "
                               "title <- 'title', outlet <- 'source', doc_id <- 'id'"),
        ("a1~2", "articles.csv:2", "doc_id 'a1' repeated; renamed"),
        ("a1~2", "articles.csv:2", "HTML markup removed"),
        ("a4", "articles.csv:4", "unparseable date 'nonsense'; published left null"),
    ]
    assert corpus.removed.rows() == [("a4", 1, "Share on Facebook", "share_prompt")]


def test_jsonl(in_data):
    corpus = load_corpus("articles.jsonl")
    assert docs(corpus) == [
        # paragraphs joined with a blank line; source.name is the outlet; time and zone dropped
        ("j1", "Wire story", "Wire", date(2022, 6, 1), "day",
         "First paragraph.\n\nSecond paragraph.", "articles.jsonl:1", "utf-8"),
        # a bare year is January 1st, precision year
        ("j4", "Counted", "Wire", date(2022, 1, 1), "year",
         "Numbers: 3 of them.", "articles.jsonl:4", "utf-8"),
    ]
    assert corpus.skipped.rows() == [
        ("articles.jsonl:2", "invalid JSON: Expecting value"),  # the parser's reason
        ("articles.jsonl:3", "JSON line is not an object"),
        ("articles.jsonl:5", "text is a JSON object, not text"),
    ]
    assert corpus.notes.rows() == [
        (None, "articles.jsonl", "columns used: text <- 'content', published <- 'publishedAt', "
                                 "title <- 'headline', outlet <- 'source.name', doc_id <- 'id'"),
    ]
    assert corpus.removed.height == 0
    assert corpus.docs["source.id"].to_list() == ["w", None]  # other columns kept, as text


def test_text_files_with_metadata_and_odd_encodings(in_data):
    corpus = load_corpus("texts")
    assert docs(corpus) == [
        # the title comes from the metadata when it gives one; the text keeps its first line
        ("a", "Ceasefire holds (metadata)", "Kyiv Independent", date(2022, 3, 1), "day",
         "Ceasefire holds\nThe ceasefire held overnight, officials said.", "texts/a.txt",
         "utf-8"),
        # bytes 0xE9, 0x93, 0x94 are not UTF-8: Windows-1252 gives é and curly quotes
        ("b", "Cafe diplomacy", "Le Monde", date(2022, 3, 3), "day",
         "Café talks\nThe “talks” went on.", "texts/b.txt", "cp1252"),
        # the BOM decides UTF-16; no metadata row: title from the first line, the rest null
        ("c", "Grain deal", None, None, None,
         "Grain deal\nShips left Odesa.", "texts/c.txt", "utf-16"),
    ]
    assert corpus.skipped.rows() == [
        ("texts/metadata.csv:3", "metadata row for 'd.txt' has no matching text file"),
    ]
    assert corpus.notes.rows() == [
        (None, "texts/metadata.csv", "metadata columns used: published <- 'date', "
                                     "title <- 'headline', outlet <- 'outlet'"),
        # then each document's notes, in input order: its encoding, then what reading it found
        ("b", "texts/b.txt", "decoded as cp1252"),
        ("c", "texts/c.txt", "decoded as utf-16"),
        ("c", "texts/c.txt", "no metadata row in metadata.csv"),
    ]
    assert corpus.removed.height == 0


def test_the_sources_together_are_the_sources_one_by_one(in_data):
    """A list of sources is each source's tables, in the order given (ids are all distinct)."""
    both = load_corpus(["articles.csv", "texts"])
    one, two = load_corpus("articles.csv"), load_corpus("texts")
    assert both.docs.select(DOC_COLUMNS).equals(
        pl.concat([one.docs.select(DOC_COLUMNS), two.docs.select(DOC_COLUMNS)]))
    assert both.skipped.equals(pl.concat([one.skipped, two.skipped]))


def test_copies_language_and_lengths(in_data):
    corpus = load_corpus("copies.csv")
    got = corpus.docs.select("doc_id", "outlet", "published", "n_chars", "n_words", "language",
                             "duplicate_of").rows()
    assert got == [
        # 5 of the 9 words are English stop-words (the, of, the, on, in): English
        ("c1", "copies", None, 40, 9, "en", None),
        # the same text but for case: a copy of c1, kept and flagged
        ("c2", "copies", None, 40, 9, "en", "c1"),
        # no English word at all: language unknown; six words of Cyrillic letters
        ("c3", "copies", None, 34, 6, None, None),
    ]
    assert corpus.skipped.height == 0
    assert corpus.notes.rows() == [
        (None, "copies.csv", "columns used: text <- 'text', doc_id <- 'id'"),
        (None, "copies.csv", "no date column found; published left null"),
        (None, "copies.csv", "no outlet column found; outlet taken from the file name 'copies'"),
        ("c2", "copies.csv:2", "duplicate text of c1; kept, flagged"),
    ]
