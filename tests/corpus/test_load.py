"""The loader: every input accounted for, encodings, dates, metadata, cleaning, bad input."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import analysis
from analysis.config import RAW_DIR
from analysis.corpus._published import parse_date
from analysis.corpus._records import CorpusError, decode_bytes

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
REAL = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "russia-ukraine-2022"

# Established by reading the texts (datelines, weekday/date cross-checks); see data/metadata.csv.
EXPECTED_DATES = {
    "000_1aebdc1241029af4": dt.date(2024, 5, 16),
    "001_4d35a865ec83e0f2": dt.date(2024, 5, 16),
    "002_9905d9d86601233a": dt.date(2024, 5, 15),
    "003_1c6c7e3ae7585157": dt.date(2023, 2, 22),
    "004_d9b8ad50303839cf": dt.date(2023, 3, 22),
}


def accounted(corpus: analysis.Corpus) -> list[str]:
    return corpus.docs["source"].to_list() + corpus.skipped["source"].to_list()


# ------------------------------------------------------------------ bundled corpus


def test_bundled_corpus_is_the_seeds_byte_for_byte():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not beside the checkout")
    seeds = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert sorted(p.name for p in RAW_DIR.glob("*.txt")) == seeds
    for name in seeds:
        assert (RAW_DIR / name).read_bytes() == (SEEDS / name).read_bytes()


def test_bundled_corpus_docs(bundled):
    docs = bundled.docs
    assert docs.height == 5 and bundled.skipped.height == 0
    assert dict(docs.select("doc_id", "published").iter_rows()) == EXPECTED_DATES
    assert docs.schema["published"] == pl.Date
    assert docs["doc_id"].is_unique().all()
    for col in ["doc_id", "title", "outlet", "published", "text", "source", "n_chars", "n_words",
                "url", "language", "note"]:
        assert col in docs.columns
    assert docs["outlet"].to_list() == ["unknown", "Occasional Digest", "EFE", "France 24",
                                        "unknown"]
    assert (docs["n_chars"] == docs["text"].str.len_chars()).all()


def test_bundled_fingerprint_is_stable(bundled):
    # Pinned: the same corpus must give the same fingerprint on every machine and run.
    again = analysis.load_corpus(RAW_DIR)
    assert bundled.fingerprint == again.fingerprint == "9659d4a1fae6523a"  # cleaning rules of issue 13


def test_boilerplate_lines_removed_exactly(bundled):
    removed = sorted((d, r) for d, _, _, r in bundled.removed.iter_rows())
    assert removed == sorted([
        ("000_1aebdc1241029af4", "amp_footer"),
        ("001_4d35a865ec83e0f2", "site_icon"),
        ("001_4d35a865ec83e0f2", "source_link"),
        ("001_4d35a865ec83e0f2", "amp_footer"),
        ("002_9905d9d86601233a", "empty_widget"),
        ("003_1c6c7e3ae7585157", "modification_stamp"),
        ("003_1c6c7e3ae7585157", "tweet_link"),
        ("003_1c6c7e3ae7585157", "tweet_signature"),
        ("004_d9b8ad50303839cf", "related_block"),
        ("004_d9b8ad50303839cf", "comment_form"),
        ("004_d9b8ad50303839cf", "comment_spam_notice"),
    ])
    text = "\n".join(bundled.docs["text"])
    for line in ["Exit mobile version", "Source link", "Site icon", "Leave a Comment",
                 "Akismet", "No posts to display", "Related Articles"]:
        assert line not in text
    # Article content survives, curly quotes included.
    assert "“escalation”" in text and "Mr Putin’s visit comes weeks after" in text


def test_to_pandas(bundled):
    frame = bundled.to_pandas()
    assert isinstance(frame, pd.DataFrame) and len(frame) == 5


# ------------------------------------------------------------------ messy folder


@pytest.fixture(scope="module")
def messy(data_dir):
    return analysis.load_corpus(data_dir / "messy")


def test_every_file_accounted_for_once(messy, data_dir):
    files = sorted(str(p) for p in (data_dir / "messy").rglob("*")
                   if p.is_file() and p.name != "metadata.csv")
    seen = accounted(messy)
    file_sources = sorted(s for s in seen if ".csv:" not in s)
    assert file_sources == files
    assert len(set(seen)) == len(seen)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("whitespace_only.txt", "whitespace-only file"),
        ("binary.txt", "binary file (not text)"),
        ("notes.md", "unsupported file type (.md)"),
        ("boilerplate_only.txt", "no text left after cleaning"),
    ],
)
def test_bad_files_are_skipped_with_reason(messy, name, reason):
    row = messy.skipped.filter(pl.col("source").str.ends_with(name))
    assert row.height == 1
    assert row["reason"][0].startswith(reason)


def test_metadata_row_without_file_is_skipped(messy):
    row = messy.skipped.filter(pl.col("source").str.contains(r"metadata\.csv:5$"))
    assert row["reason"].to_list() == ["metadata row for 'ghost_article' has no matching text file"]


def test_files_without_metadata_are_loaded_and_noted(messy):
    noted = set(messy.notes.filter(pl.col("note") == "no metadata row in metadata.csv")["doc_id"])
    assert {"utf16", "latin1", "non_english", "duplicate_a"} <= noted
    assert "utf8_bom" not in noted


@pytest.mark.parametrize(
    ("doc_id", "encoding", "expected"),
    [
        ("utf8_bom", "utf-8-sig", "Kremlin statement\n\nPutin said the talks were “useful”."),
        ("utf16", "utf-16", "Beijing summit\n\nXi Jinping met Vladimir Putin in Beijing on Thursday."),
        ("windows1252", "cp1252", "Café diplomacy\n\nThe envoy’s “naïve” remark cost €15 — and 50 more."),
        ("latin1", "cp1252", "Résumé of talks\n\nThe Süddeutsche Zeitung reported the meeting in Genève."),
        ("crlf", "utf-8", "Line endings\n\nThis file was written on Windows.\nIt has CRLF line ends."),
    ],
)
def test_encodings_decoded_and_recorded(messy, doc_id, encoding, expected):
    row = messy.docs.filter(pl.col("doc_id") == doc_id).row(0, named=True)
    assert row["encoding"] == encoding
    assert row["text"] == expected


def test_duplicates_kept_and_flagged(messy):
    dup = messy.docs.filter(pl.col("doc_id") == "duplicate_b")
    assert dup["duplicate_of"].to_list() == ["duplicate_a"]
    assert messy.docs.filter(pl.col("doc_id") == "duplicate_a")["duplicate_of"].to_list() == [None]


def test_non_english_kept_language_unknown(messy):
    row = messy.docs.filter(pl.col("doc_id") == "non_english").row(0, named=True)
    assert row["language"] is None
    assert "Си Цзиньпин" in row["text"] and "中俄两国元首" in row["text"]


def test_html_markup_stripped_and_noted(messy):
    row = messy.docs.filter(pl.col("doc_id") == "html_markup").row(0, named=True)
    assert row["text"] == (
        "Talks\n\nTalks in Moscow\n\nWang Yi met Putin & Lavrov.\n\nThey spoke of “new milestones”."
    )
    assert ("html_markup", "HTML markup removed") in messy.notes.select("doc_id", "note").rows()


def test_odd_file_names(messy):
    ids = set(messy.docs["doc_id"])
    assert {"file with spaces", "ünïcødé nämé"} <= ids


def test_script_text_is_kept_as_text(messy):
    # Not HTML markup: kept verbatim so that reports must escape it.
    row = messy.docs.filter(pl.col("doc_id") == "xss").row(0, named=True)
    assert "</script><script>alert(1)</script>" in row["text"]
    assert row["title"] == "<img src=x onerror=alert(1)> title"


def test_metadata_dates_in_mixed_formats(messy):
    pub = dict(messy.docs.select("doc_id", "published").iter_rows())
    assert pub["utf8_bom"] == dt.date(2024, 5, 14)
    assert pub["windows1252"] == dt.date(2024, 5, 14)  # "14 May 2024"
    assert pub["xss"] == dt.date(2024, 5, 16)  # "2024/05/16"
    assert pub["crlf"] is None
    assert ("crlf", "unparseable date 'not a date'; published left null") in messy.notes.select(
        "doc_id", "note").rows()


def test_strict_raises_on_first_bad_input(data_dir):
    with pytest.raises(CorpusError, match=r"strict=True"):
        analysis.load_corpus(data_dir / "messy", strict=True)


def test_fifty_megabyte_single_line(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Moscow and Beijing " * (50_000_000 // 19), encoding="utf-8")
    corpus = analysis.load_corpus(big)
    assert corpus.docs.height == 1
    assert corpus.docs["n_words"][0] == 3 * (50_000_000 // 19)


# ------------------------------------------------------------------ tables


def test_csv_missing_text_column_names_what_it_found(data_dir):
    with pytest.raises(CorpusError) as err:
        analysis.load_corpus(data_dir / "tables" / "no_text_column.csv")
    assert "['published', 'headline', 'summary']" in str(err.value)


def test_csv_mixed_dates_rows_accounted(data_dir):
    path = data_dir / "tables" / "mixed_dates.csv"
    corpus = analysis.load_corpus(path)
    assert corpus.docs["published"].to_list()[:4] == [dt.date(2022, 8, 1)] * 4
    assert corpus.docs["published"].to_list()[4:] == [None, None]
    assert corpus.docs["outlet"].unique().to_list() == ["mixed_dates"]  # from the file name
    assert corpus.docs["text"][0] == "Text one, with a comma\nand a second line."
    assert sorted(corpus.skipped["source"]) == [f"{path}:7", f"{path}:8"]
    assert accounted(corpus) and len(accounted(corpus)) == 8


def test_jsonl_bad_lines_recorded(data_dir):
    path = data_dir / "tables" / "articles.jsonl"
    corpus = analysis.load_corpus(path)
    assert corpus.docs["doc_id"].to_list() == ["j1", "j3"]
    assert corpus.docs["outlet"].to_list() == ["Wire", None]
    reasons = dict(corpus.skipped.iter_rows())
    assert reasons[f"{path}:2"].startswith("invalid JSON")
    assert reasons[f"{path}:4"] == "JSON line is not an object"
    assert reasons[f"{path}:6"].startswith("empty text")  # line 3 is blank: not a record
    assert len(reasons) == 3


def test_parquet_and_list_of_sources(tmp_path, data_dir):
    pq = tmp_path / "wire.parquet"
    pl.DataFrame({"Title": ["A"], "Text": ["Kyiv replied."], "Date": ["2022/06/23"]}).write_parquet(pq)
    corpus = analysis.load_corpus([pq, data_dir / "tables" / "guardian_like.csv"])
    assert corpus.docs.select("outlet", "title", "published").rows() == [
        ("wire", "A", dt.date(2022, 6, 23)),
        ("guardian_like", "Invasion", dt.date(2022, 2, 24)),
    ]


def test_folder_with_tables_and_an_unsupported_file(tmp_path, data_dir):
    shutil.copy(data_dir / "tables" / "guardian_like.csv", tmp_path / "guardian.csv")
    shutil.copy(data_dir / "tables" / "no_text_column.csv", tmp_path / "bad.csv")
    (tmp_path / "README.md").write_text("about")
    corpus = analysis.load_corpus(tmp_path)
    assert corpus.docs["outlet"].to_list() == ["guardian"]
    reasons = sorted(r.split(":")[0] for r in corpus.skipped["reason"])
    assert reasons == ["table not read", "unsupported file type (.md); the loader reads .csv, "
                       ".gz, .htm, .html, .json, .jsonl, .ndjson, .parquet, .tsv, .txt, .zip"]


def test_missing_source_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        analysis.load_corpus(tmp_path / "nope")


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpora not beside the checkout")
def test_real_corpus_every_row_accounted():
    corpus = analysis.load_corpus(REAL)
    assert corpus.docs.height == 407  # 188 Guardian + 219 NYT rows (SOURCE.md)
    assert corpus.skipped["source"].to_list() == [str(REAL / "SOURCE.md")]
    counts = dict(corpus.docs.group_by("outlet").len().iter_rows())
    assert counts == {"guardian": 188, "nyt": 219}
    assert corpus.docs["published"].null_count() == 0
    assert corpus.docs["published"].min() == dt.date(2022, 2, 24)
    assert corpus.docs["published"].max() == dt.date(2022, 8, 6)
    assert corpus.docs["duplicate_of"].drop_nulls().len() > 0


# ------------------------------------------------------------------ units


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-08-01T16:23:25Z", dt.date(2022, 8, 1)),
        ("2022/06/23", dt.date(2022, 6, 23)),
        ("14 May 2024", dt.date(2024, 5, 14)),
        ("May 14, 2024", dt.date(2024, 5, 14)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        ("2023-02-29", None),
        ("", None),
        ("n/a", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_parse_date_dayfirst():
    assert parse_date("03/04/2022") == dt.date(2022, 3, 4)
    assert parse_date("03/04/2022", dayfirst=True) == dt.date(2022, 4, 3)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("naïve".encode("utf-16-le"), "utf-16-le"),
        ("naïve".encode("utf-16-be"), "utf-16-be"),
        (b"plain ascii", "utf-8"),
        (bytes([0x81, 0x41]), "latin-1"),  # 0x81 is undefined in cp1252
    ],
)
def test_decode_bytes(data, encoding):
    assert decode_bytes(data)[1] == encoding


@pytest.mark.parametrize(("progress", "shown"), [(True, True), (False, False), (None, False)])
def test_progress_bar_switch(capsys, progress, shown):
    analysis.load_corpus(RAW_DIR, progress=progress)  # 5 documents: no bar unless asked
    assert ("load_corpus" in capsys.readouterr().err) is shown
