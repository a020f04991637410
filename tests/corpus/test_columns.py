"""The column-wise loader (issue 10): cleaning a column at once, reading frames by column.

References, none of them the loader itself: ``clean_text`` (one text at a time) for
``clean_texts``, the row path for frames read by column, and Python's own ``re``, ``str`` and
``unicodedata`` for the safe characters. The loader's tables on small inputs are worked out by
hand in ``tests/corpus/test_fixtures.py``.
"""

from __future__ import annotations

import html.entities
import re
import unicodedata
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cleaning._column import SAFE_CHARS, clean_texts, needs_python
from analysis.cleaning._normalise import BIDI_CONTROLS, CONTROL_CLASS, INVISIBLE_CHARS, SPACE_CHARS
from analysis.cleaning._rules import BOILERPLATE_RULES, WIRE_CREDIT_RULES
from analysis.cleaning._text import clean_text
from analysis.config import RAW_DIR
from analysis.corpus._frames import frame_records
from analysis.corpus._load import load_corpus
from analysis.corpus._records import Collector
from analysis.corpus._tables import frame_rows, table_records

REAL = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "russia-ukraine-2022"
DATA = Path(__file__).resolve().parents[1] / "data"
ALL = (*BOILERPLATE_RULES, *WIRE_CREDIT_RULES)


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpora not beside the checkout")
@pytest.mark.parametrize("rules", [BOILERPLATE_RULES, ALL], ids=["default", "wire_credits"])
def test_2022_corpus_accounts_for_every_row(rules):
    corpus = load_corpus(REAL, boilerplate=rules)
    assert corpus.docs.height > 400 and corpus.removed.height > 400  # real boilerplate removed
    assert corpus.docs["duplicate_of"].drop_nulls().len() > 0  # duplicates noted too
    assert corpus.docs["doc_id"].is_unique().all()


@pytest.mark.parametrize("folder", [RAW_DIR, DATA / "hostile", DATA / "messy",
                                    DATA / "tables", DATA / "shapes"],
                         ids=["bundled", "hostile", "messy", "tables", "shapes"])
def test_fixture_folders_texts_are_clean_text_of_each(folder):
    """Every document's text is what ``clean_text`` makes of it alone (the per-document path),
    and what the rules removed is in ``removed``."""
    for rules in (BOILERPLATE_RULES, ALL):
        corpus = load_corpus(folder, boilerplate=rules, dayfirst=True)
        for doc_id, text in corpus.docs.select("doc_id", "text").iter_rows():
            assert clean_text(text, rules=rules).text == text, doc_id  # clean: a fixed point
        assert set(corpus.removed["doc_id"]) <= set(corpus.docs["doc_id"])


def test_renamed_ids_notes_and_html_lines_in_input_order(tmp_path):
    (tmp_path / "a.csv").write_text(
        "id,text,published,extra\n"
        "x,<p>Kept &amp; more</p>,2022-05-01,1\n"
        "x,Share on Facebook,2022-05-02,\n"
        "x,Kept &amp; more,May 2022,3\n"
        'y,"Photograph: Getty Images\nText stays.",nonsense,4\n', encoding="utf-8")
    (tmp_path / "page.html").write_text(
        "<html><head><title>T</title></head><body><nav>Menu</nav><article><p>"
        + "Talks resumed in Geneva on Friday after a long pause. " * 6
        + "</p></article><footer>Footer text here</footer></body></html>", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.docs["doc_id"].to_list() == ["x", "x~2", "y", "page"]
    assert corpus.docs["text"].to_list()[:3] == ["Kept & more", "Kept & more", "Text stays."]
    assert corpus.docs["duplicate_of"].to_list()[:3] == [None, "x", None]
    assert corpus.skipped["reason"].to_list() == [
        "no text left after cleaning (only boilerplate or markup)"]
    assert set(corpus.removed["rule"]) == {"html_extraction", "image_credit"}
    assert corpus.notes.filter(pl.col("note").str.starts_with("unparseable")).height == 1


# ---------------------------------------------------------------------------- random texts

FRAGMENTS = [
    "Kyiv", "talks", "said", "the", "of", "and", "Zürich", "naïve", "€15", "“quoted”", "it’s",
    "Share on Facebook", "Photograph: Getty Images", "Sign up to our newsletter", "Reuters",
    "[+123 chars]", "… [+9 chars]", "Exit mobile version", "Updated at 10.00 BST", "(Reuters)",
    "pic.twitter.com/abc", "2022-05-01T10:00Z", "12 May 2022 10.00", "(Photo: AP)", "ends",
    "With Reuters and EFE", "(Reporting by Jane Doe)", "EFE gbm/up", "Follow us on Twitter",
    "<p>", "</p>", "<b>", "<br/>", "<script>x()</script>", "<Sale Tilney Plc>", "&amp;",
    "&nbsp;", "&#8217;", "&amp;amp;", "AT&T", "S&P", "&Co",
    "\u00a0", "\u00ad", "\u200b", "\u2009", "\u202f", "\u3000", "\ufeff", "\u200d", "\u200c",
    "\ufe0f", "\u202e", "\u2066", "\u0301", "e\u0301", "\u0308", "\x00", "\x07", "\x1c", "\x7f",
    "\x85", "\u2028", "\r\n", "\r", "\n", "\n\n\n", "\t", " ", "  ", "\\n", "\\r\\n",
    "İ", "ı", "ſ", "K", "²", "½", "Ⓐ", "Київ", "Αθήνα", "❤", "🔥", "ﬁ", "Ω", "\u2000",
]
messy_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)),
                      max_size=25).map(" ".join) | st.lists(
    st.sampled_from(FRAGMENTS), max_size=25).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(messy_text, min_size=1, max_size=6),
       rules=st.sampled_from([BOILERPLATE_RULES, ALL]))
def test_clean_texts_equals_clean_text_on_random_messy_texts(texts, rules):
    out = clean_texts(texts, rules=rules)
    ref = [clean_text(t, rules=rules) for t in texts]
    assert out.text.to_list() == [r.text for r in ref]
    assert out.html_stripped.to_list() == [r.html_stripped for r in ref]
    assert out.removed.rows() == [(row, *rec) for row, r in enumerate(ref) for rec in r.removed]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(messy_text, min_size=1, max_size=8),
       ids=st.lists(st.sampled_from(["a", "b", "a~2", None]), min_size=8, max_size=8),
       lang=st.sampled_from([None, "", "de"]))
def test_loader_cleans_each_row_as_clean_text_on_random_messy_rows(texts, ids, lang):
    frame = pl.DataFrame({
        "text": texts, "id": ids[:len(texts)], "date": ["03/04/2022", "May 2022", "x", None,
                                                       "2022", "31/12/2022", "", "12"][:len(texts)],
        "language": [lang] * len(texts),
        "source.name": [("Outlet " if i % 2 else None) for i in range(len(texts))],
    })
    corpus = load_corpus(frame)
    # every row is a document or a skip, in input order
    sources = [f"frame1:{i}" for i in range(1, len(texts) + 1)]
    assert sorted([*corpus.docs["source"], *corpus.skipped["source"]],
                  key=sources.index) == sources
    # a document's text is clean_text of its row alone; a row is skipped when nothing is left
    kept = dict(corpus.docs.select("source", "text").iter_rows())
    for source, text in zip(sources, texts, strict=True):
        clean = clean_text(text).text
        assert kept.get(source, "") == clean
    assert corpus.docs["doc_id"].is_unique().all()


def test_the_column_path_runs_the_messy_cases_itself():
    # the fast path must be what is tested above, not the Python fallback
    texts = ["Kyiv’s “talks”\u00a0resumed.\r\nShare on Facebook\n\n\n\nPhotograph: Getty Images",
             "Talks… [+12 chars]\tEFE gbm/up\\nNext", "AT&T and S&P rose 5%. \u00ad\u200b"]
    assert not needs_python(pl.Series(texts)).any()
    out = clean_texts(texts, rules=ALL)
    assert out.text.to_list() == [clean_text(t, rules=ALL).text for t in texts]
    assert out.removed.rows() == [(row, *rec) for row, t in enumerate(texts)
                                  for rec in clean_text(t, rules=ALL).removed]
    assert out.removed.height == 4


# ----------------------------------------------------------------- the safe characters

def _all_chars() -> list[str]:
    return [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def test_safe_characters_behave_the_same_in_python_and_polars():
    chars = _all_chars()
    series = pl.Series(chars)
    safe = series.str.contains(f"^[{SAFE_CHARS}]$").to_list()
    picked = [c for c, s in zip(chars, safe, strict=True) if s]
    assert 1000 < len(picked) < 30000
    # NFC leaves any string of safe characters alone: no decomposition to recompose, no
    # combining class, no character that composes with the one before it
    seconds = {chr(int(d.split()[1], 16)) for d in map(unicodedata.decomposition, chars)
               if d and not d.startswith("<") and len(d.split()) == 2}
    seconds |= {chr(c) for c in range(0x1161, 0x1176)} | {chr(c) for c in range(0x11A8, 0x11C3)}
    for c in picked:
        assert unicodedata.is_normalized("NFC", c) and unicodedata.combining(c) == 0, hex(ord(c))
        assert c not in seconds, hex(ord(c))
    assert not set(picked) & set("\u200c\u200d" + BIDI_CONTROLS)
    # the rules see the others only after steps 1-4 replaced these
    replaced = re.compile(f"[\r{SPACE_CHARS}{INVISIBLE_CHARS}]|{CONTROL_CLASS}")
    picked = [c for c in picked if not replaced.match(c)]
    ps = pl.Series(picked)
    for pattern in (r"^\w$", r"^\s$", r"^\d$", r"(?i)^[a-z]$", r"\b"):
        rx = re.compile(pattern)
        assert ps.str.contains(pattern).to_list() == [rx.search(c) is not None for c in picked], \
            pattern
    assert ps.str.strip_chars().to_list() == [c.strip() for c in picked]
    assert all(c.isascii() or not any(x.isascii() for x in c.lower()) for c in picked)


def test_entity_check_covers_every_html5_name():
    assert all(re.match(r"[A-Za-z][A-Za-z0-9]", name) for name in html.entities.html5)
    texts = ["AT&T", "S&P 500", "Q&A", "R&D", "M&S", "a & b", "&", "&;", "&#;", "&#x;"]
    assert not needs_python(pl.Series(texts)).any()
    assert [html.unescape(t) for t in texts] == texts


# ------------------------------------------------------- data frames read column by column

cells = st.sampled_from(["Talks resumed.", "", " ", "\x1c\u2003", None, "a\x00b", "x" * 40, "é"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(cells, cells, st.sampled_from([None, "", "a", "b", "a"]),
                               st.sampled_from([None, date(2022, 5, 1), date(2021, 1, 2)]),
                               st.integers(-3, 3)), min_size=1, max_size=8),
       max_bytes=st.sampled_from([10, 1000]), outlet=st.booleans(), shape=st.integers(0, 3))
def test_frames_read_by_column_as_by_row(rows, max_bytes, outlet, shape):
    text, title, ids, day, number = map(list, zip(*rows, strict=True))
    frame = pl.DataFrame({"body": text, "headline": title, "id": ids, "date": day, "n": number},
                         schema_overrides={"body": pl.String, "headline": pl.String,
                                           "id": pl.String, "date": pl.Date})
    if shape == 1:  # dates as text, a list column
        frame = frame.with_columns(pl.col("date").cast(pl.String), tags=pl.concat_list("n"))
    elif shape == 2:  # a nested column: read row by row
        frame = frame.with_columns(source=pl.struct(name=pl.col("headline")))
    elif shape == 3:  # a flat column that looks nested under the text column
        frame = frame.with_columns(pl.col("headline").alias("body.x"))
    by_column, by_row = (Collector(max_bytes=max_bytes) for _ in range(2))
    frame_records(frame, by_column, label="f", stem="f", outlet_from_name=outlet)
    table_records(frame_rows(frame.iter_rows(named=True)), by_row, label="f", stem="f",
                  outlet_from_name=outlet)
    assert by_column.records == by_row.records
    assert by_column.skipped == by_row.skipped
    assert by_column.notes == by_row.notes


def test_long_texts_duplicates_and_language_read_past_the_sample():
    head = "The talks of the week went on. " * 700  # 21,700 characters
    frame = pl.DataFrame({"text": [head + "End A.", head + "END   a.", head + "End B.",
                                   "Слава " * 5000 + "the of and to a in"]})
    corpus = load_corpus(frame)
    assert corpus.docs["duplicate_of"].to_list() == [None, "frame1:1", None, None]
    assert corpus.docs["language"].to_list() == ["en", "en", "en", None]
