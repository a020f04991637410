"""Source shapes and export column names (issue 13 "Loading" and "Source shapes").

Fixtures in ``tests/data/shapes/`` (made for these tests; see ``docs/loading.md``).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zipfile

import polars as pl
import pytest

from analysis.corpus._load import load_corpus
from analysis.corpus._records import CorpusError


@pytest.fixture(scope="module")
def shapes(data_dir):
    return data_dir / "shapes"


def note_texts(corpus) -> list[str]:
    return corpus.notes["note"].to_list()


def test_folder_of_json_files_one_object_or_an_array(shapes):
    corpus = load_corpus(shapes / "json_folder")
    docs = corpus.docs.sort("published")
    assert docs.select("title", "outlet", "published").rows() == [
        ("Port reopens after storm", "Daily Planet", dt.date(2021, 3, 8)),
        ("Council votes on budget", "Gazette", dt.date(2021, 3, 9)),
        ("Library extends hours", "Gazette", dt.date(2021, 3, 10)),
    ]
    port = docs.row(0, named=True)
    assert port["text"].startswith("The harbour reopened on Monday after a week of storms.")
    assert port["doc_id"] == "port" and port["source"] == str(shapes / "json_folder" / "port.json")
    assert port["author"] == "L. Lane" and port["url"] == "https://example.org/port"
    assert sorted(docs["source"].to_list()[1:]) == [
        f"{shapes / 'json_folder' / 'gazette.json'}:{n}" for n in (1, 2)]
    assert corpus.skipped.height == 0


def test_column_mapping_is_noted(shapes):
    corpus = load_corpus(shapes / "json_folder" / "port.json")
    assert ("text <- 'content', published <- 'publishedAt', title <- 'title', "
            "outlet <- 'source.name'") in "\n".join(note_texts(corpus))


def test_newsapi_response_with_nested_source(shapes):
    corpus = load_corpus(shapes / "newsapi.json")
    assert corpus.docs.select("outlet", "title", "published").rows() == [
        ("Wire Service", "Rail strike ends", dt.date(2021, 3, 11)),
        ("Coast News", "Fishing quota set", dt.date(2021, 3, 12)),
    ]
    assert corpus.docs["source.id"].to_list() == ["wire", None]


def test_jsonl_with_nested_fields(shapes):
    corpus = load_corpus(shapes / "nested.jsonl")
    docs = corpus.docs
    assert docs.select("doc_id", "outlet", "published").rows() == [
        ("n1", "Valley Times", dt.date(2021, 4, 1)), ("n2", "Valley Times", dt.date(2021, 4, 2))]
    assert docs["text"][0] == "Snow closed the pass on Thursday morning."
    assert docs["article.text"].to_list() == ["ignored nested object", None]
    assert docs["source.title"].to_list() == ["VT", None]


def test_saved_html_page_main_text_and_removed(shapes):
    corpus = load_corpus(shapes / "page.html")
    row = corpus.docs.row(0, named=True)
    assert row["title"] == "Lighthouse restored after decade of neglect"
    assert row["outlet"] == "Harbour Herald"
    assert row["published"] == dt.date(2021, 8, 14)
    assert "volunteers spent two summers repairing" in row["text"]
    for junk in ("Privacy policy", "Most read", "Subscribe to the Harbour Herald", "Sport"):
        assert junk not in row["text"]
    dropped = corpus.removed.filter(pl.col("rule") == "html_extraction")["text"].to_list()
    assert "Most read" in dropped
    assert any("Copyright 2021 Harbour Herald" in t for t in dropped)
    assert not any("volunteers" in t for t in dropped)


def test_gzip_of_a_table(shapes):
    path = shapes / "export.csv.gz"
    corpus = load_corpus(path)
    assert corpus.docs.select("outlet", "title", "published").rows() == [
        ("Hill Post", "Bridge opens", dt.date(2021, 5, 1)),
        ("Hill Post", "Market day", dt.date(2021, 5, 2)),
    ]
    assert corpus.docs["source"].to_list() == [f"{path}:1", f"{path}:2"]


def test_zip_of_mixed_members(shapes):
    path = shapes / "bundle.zip"
    corpus = load_corpus(path)
    assert sorted(corpus.docs["source"]) == [f"{path}!/a.txt", f"{path}!/inner/b.jsonl:1"]
    row = corpus.docs.filter(pl.col("title") == "Zip row").row(0, named=True)
    assert (row["outlet"], row["published"]) == ("Zip News", dt.date(2021, 6, 1))
    assert corpus.skipped["source"].to_list() == [f"{path}!/notes.bin"]


def test_gzip_of_text_and_jsonl(tmp_path):
    with gzip.open(tmp_path / "a.txt.gz", "wb") as fh:
        fh.write(b"Compressed text file body.")
    with gzip.open(tmp_path / "b.jsonl.gz", "wb") as fh:
        fh.write(b'{"text": "Compressed line."}\n')
    (tmp_path / "broken.gz").write_bytes(b"\x1f\x8b not really gzip")
    corpus = load_corpus(tmp_path)
    assert sorted(corpus.docs["text"]) == ["Compressed line.", "Compressed text file body."]
    assert corpus.docs.filter(pl.col("text") == "Compressed text file body.")["doc_id"][0] == "a"
    assert corpus.skipped.height == 1
    assert "not a valid gzip file" in corpus.skipped["reason"][0]


def test_zip_bomb_is_bounded(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("huge.txt", b"a" * 3000)
    (tmp_path / "z.zip").write_bytes(buf.getvalue())
    corpus = load_corpus(tmp_path / "z.zip", max_bytes=1000)
    assert corpus.docs.height == 0
    assert "above the max_bytes limit" in corpus.skipped["reason"][0]


def test_metadata_with_alias_columns_and_month_date(shapes):
    corpus = load_corpus(shapes / "meta_aliases")
    docs = corpus.docs.sort("doc_id")
    assert docs.select("doc_id", "title", "outlet", "published", "published_precision").rows() == [
        ("first", "Trains", "Rail Weekly", dt.date(2021, 7, 1), "day"),
        ("second", "Buses", "Bus Monthly", dt.date(2021, 7, 1), "month"),
    ]
    assert "date" not in docs.columns and "headline" not in docs.columns


def test_no_date_or_outlet_column_is_noted(shapes):
    corpus = load_corpus(shapes / "undated" / "table.csv")
    text = "\n".join(note_texts(corpus))
    assert "no date column found" in text
    assert "no outlet column found; outlet taken from the file name 'table'" in text


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["pubDate", "media", "headline", "description"],
         {"published": "pubDate", "outlet": "media", "title": "headline", "text": "description"}),
        (["datetime", "domain", "title", "body"],
         {"published": "datetime", "outlet": "domain", "title": "title", "text": "body"}),
        (["date", "source_name", "title", "content", "description"],
         {"published": "date", "outlet": "source_name", "title": "title", "text": "content"}),
        (["publishedAt", "source", "headline", "article"],
         {"published": "publishedAt", "outlet": "source", "title": "headline", "text": "article"}),
    ],
)
def test_export_column_names_recognised(tmp_path, columns, expected):
    values = {"published": "2021-09-0{}", "outlet": "Out", "title": "T", "text": "Words here {}."}
    role = {v: k for k, v in expected.items()}
    header = ",".join(columns)
    rows = [",".join(values.get(role.get(c, ""), "x").format(i) for c in columns)
            for i in (1, 2)]
    path = tmp_path / "t.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    docs = load_corpus(path).docs
    assert docs["outlet"].to_list() == ["Out", "Out"]
    assert docs["published"].to_list() == [dt.date(2021, 9, 1), dt.date(2021, 9, 2)]
    assert docs["text"].to_list() == ["Words here 1.", "Words here 2."]


def test_explicit_column_names_win(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("when,who,what,body,key\n2021-01-05,Me,Head,Body words.,k1\n")
    docs = load_corpus(path, date_column="when", outlet_column="who", title_column="what",
                       text_column="body", id_column="key").docs
    assert docs.select("doc_id", "title", "outlet", "published").rows() == [
        ("k1", "Head", "Me", dt.date(2021, 1, 5))]
    with pytest.raises(CorpusError, match="column 'nope' for text not found"):
        load_corpus(path, text_column="nope")


def test_folder_of_text_files_without_metadata_is_noted(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("Alpha text.")
    (tmp_path / "c" / "b.txt").write_text("Beta text.")
    corpus = load_corpus(tmp_path / "c")
    assert (None, str(tmp_path / "c"), "no metadata.csv for 2 text files; published and outlet "
            "left null (pass metadata=)") in corpus.notes.rows()


def test_parquet_with_struct_columns_is_flattened_like_json(tmp_path):
    path = tmp_path / "api.parquet"
    pl.DataFrame({"source": [{"id": "w", "name": "Wire"}], "publishedAt": ["2021-03-11T12:00:00Z"],
                  "content": ["Struct columns in Parquet."]}).write_parquet(path)
    docs = load_corpus(path).docs
    assert docs.select("outlet", "published", "source.id").rows() == [
        ("Wire", dt.date(2021, 3, 11), "w")]


def test_tables_with_the_same_name_in_subfolders_keep_the_file_name_outlet(tmp_path):
    for year in ("2022", "2023"):
        (tmp_path / year).mkdir()
        (tmp_path / year / "guardian.csv").write_text(f"text\nWords of {year}.\n")
    docs = load_corpus(tmp_path).docs
    assert docs.select("outlet", "text").rows() == [("guardian", "Words of 2022."),
                                                   ("guardian", "Words of 2023.")]
    assert docs["doc_id"].is_unique().all()
