"""Hostile input for the loader (issue 12): nothing lost, nothing crashes, same result every day.

Odd or large files are generated here in ``tmp_path``; each test names the issue item it covers.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

import analysis
from analysis.corpus._load import load_corpus
from analysis.corpus._published import parse_date
from analysis.corpus._records import CorpusError


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def reasons(corpus: analysis.Corpus) -> dict[str, str]:
    return dict(corpus.skipped.iter_rows())


def notes(corpus: analysis.Corpus) -> list[str]:
    return corpus.notes["note"].to_list()


# ------------------------------------------------------------------ 1, 2: ragged CSV, stray quotes


def test_01_unquoted_comma_row_is_skipped_not_truncated(tmp_path):
    path = write(tmp_path / "t.csv", "id,text\n1,Hello, world and more text\n2,A fine row.\n")
    corpus = load_corpus(path)
    assert corpus.docs["text"].to_list() == ["A fine row."]
    why = reasons(corpus)[f"{path}:1"]
    assert "line 2" in why and "3 fields" in why and "2" in why
    with pytest.raises(CorpusError, match="line 2"):
        load_corpus(path, strict=True)


def test_01_short_row_is_skipped_too(tmp_path):
    path = write(tmp_path / "t.csv", "id,text,title\n1,Only two\n2,Fine,T\n")
    corpus = load_corpus(path)
    assert corpus.docs["doc_id"].to_list() == ["2"]
    assert "2 fields" in reasons(corpus)[f"{path}:1"]


def test_02_tsv_stray_quote_does_not_swallow_the_next_row(tmp_path):
    path = write(tmp_path / "t.tsv", 'id\ttext\n1\t"Quoted start, no end\n2\tSecond row.\n')
    corpus = load_corpus(path)
    assert corpus.docs["text"].to_list() == ['"Quoted start, no end', "Second row."]
    assert corpus.skipped.height == 0


def test_02_csv_unclosed_quote_names_the_lines_it_swallowed(tmp_path):
    path = write(tmp_path / "t.csv", 'id,text\n1,Fine.\n2,"Unclosed quote\n3,Next row.\n')
    corpus = load_corpus(path)
    assert corpus.docs["text"].to_list() == ["Fine."]
    assert reasons(corpus) == {f"{path}:2": reasons(corpus)[f"{path}:2"]}
    assert reasons(corpus)[f"{path}:2"].startswith("lines 3-4: malformed quoting")


def test_02_semicolon_csv_and_old_mac_line_ends(tmp_path):
    semi = write(tmp_path / "semi.csv", "id;titel;text\n1;T;Ein Satz, mit Komma.\n")
    assert load_corpus(semi).docs.select("doc_id", "text").rows() == [("1", "Ein Satz, mit Komma.")]
    mac = write(tmp_path / "mac.csv", "id,text\r1,First.\r2,Second.\r")
    assert load_corpus(mac).docs["text"].to_list() == ["First.", "Second."]


def test_02_repeated_and_empty_header_names_keep_every_column(tmp_path):
    path = write(tmp_path / "t.csv", "text,title,text,\nFirst body.,T,Second body.,x\n")
    corpus = load_corpus(path)
    row = corpus.docs.row(0, named=True)
    assert (row["text"], row["text_2"], row["column_4"]) == ("First body.", "Second body.", "x")
    assert any("renamed repeated or empty column names" in n for n in corpus.notes["note"])


# ------------------------------------------------------------------ 3: partial dates


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2022", dt.date(2022, 1, 1), "year"),
        ("May 2022", dt.date(2022, 5, 1), "month"),
        ("2022-05", dt.date(2022, 5, 1), "month"),
        ("05/2022", dt.date(2022, 5, 1), "month"),
        ("2022-05-14", dt.date(2022, 5, 14), "day"),
        ("12", None, None),
        ("99", None, None),  # a bare number is a year only with four digits
        ("1653300000", None, None),  # epoch seconds: not guessed
        ("May 14", None, None),  # no year: never today's year
        ("Thursday", None, None),
    ],
)
def test_03_partial_dates_first_day_with_precision(value, expected, precision):
    from analysis.corpus._published import parse_published

    assert parse_published(value) == (expected, precision)
    assert parse_date(value) == expected


def test_03_precision_column_and_no_today(tmp_path):
    path = write(tmp_path / "t.csv", "date,text\n2022,a b c\nMay 2022,d e f\n2022-05-14,g h i\n"
                                     "12,j k l\n")
    corpus = load_corpus(path)
    docs = corpus.docs
    assert docs["published"].to_list() == [dt.date(2022, 1, 1), dt.date(2022, 5, 1),
                                           dt.date(2022, 5, 14), None]
    assert docs["published_precision"].to_list() == ["year", "month", "day", None]
    assert docs.columns.index("published_precision") > docs.columns.index("duplicate_of")
    assert any("'12'" in n and "left null" in n for n in notes(corpus))


# ------------------------------------------------------------------ 4: repeated ids


def test_04_doc_ids_unique_against_every_issued_id(tmp_path):
    path = write(tmp_path / "t.csv", "id,text\na,one\na,two\na~2,three\n")
    docs = load_corpus(path).docs
    assert docs["doc_id"].is_unique().all()
    assert dict(docs.select("text", "doc_id").iter_rows()) == {
        "one": "a", "two": "a~3", "three": "a~2"}


# ------------------------------------------------------------------ 5, 24: metadata joins


def test_05_metadata_matched_on_relative_path(tmp_path):
    write(tmp_path / "c" / "sub1" / "a.txt", "First text here.")
    write(tmp_path / "c" / "sub2" / "a.txt", "Second text here.")
    write(tmp_path / "c" / "metadata.csv", "file,outlet\nsub2/a.txt,Two\nsub1/a.txt,One\n")
    corpus = load_corpus(tmp_path / "c")
    got = dict(corpus.docs.select("text", "outlet").iter_rows())
    assert got == {"First text here.": "One", "Second text here.": "Two"}
    assert corpus.skipped.height == 0


def test_05_ambiguous_base_name_is_not_guessed(tmp_path):
    write(tmp_path / "c" / "sub1" / "a.txt", "First text here.")
    write(tmp_path / "c" / "sub2" / "a.txt", "Second text here.")
    write(tmp_path / "c" / "metadata.csv", "file,outlet\na.txt,Which\n")
    corpus = load_corpus(tmp_path / "c")
    assert corpus.docs["outlet"].to_list() == [None, None]
    why = reasons(corpus)[f"{tmp_path / 'c' / 'metadata.csv'}:1"]
    assert "ambiguous" in why and "sub1/a.txt" in why and "sub2/a.txt" in why


def test_24_two_folders_sharing_a_parent_metadata(tmp_path):
    write(tmp_path / "f1" / "a.txt", "Text of a.")
    write(tmp_path / "f2" / "b.txt", "Text of b.")
    write(tmp_path / "metadata.csv", "doc_id,outlet\na,A\nb,B\n")
    corpus = load_corpus([tmp_path / "f1", tmp_path / "f2"])
    assert dict(corpus.docs.select("doc_id", "outlet").iter_rows()) == {"a": "A", "b": "B"}
    assert corpus.skipped.height == 0


def test_24_all_invalid_jsonl_in_a_folder_is_one_skip(tmp_path):
    write(tmp_path / "bad.jsonl", "{nope\n{also nope\n[1]\n")
    write(tmp_path / "ok.txt", "Fine text.")
    corpus = load_corpus(tmp_path)
    assert corpus.skipped["source"].to_list() == [str(tmp_path / "bad.jsonl")]
    assert "no readable rows" in corpus.skipped["reason"][0]


def test_24_same_file_listed_twice_is_one_document(tmp_path):
    a = write(tmp_path / "a.txt", "Text of a.")
    corpus = load_corpus([a, a, tmp_path])
    assert corpus.docs["doc_id"].to_list() == ["a"]
    assert any("listed more than once" in n for n in notes(corpus))


# ------------------------------------------------------------------ 6: odd file kinds


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_06_fifo_links_and_devices_are_accounted(tmp_path):
    root = tmp_path / "c"
    write(root / "ok.txt", "Plain text.")
    os.mkfifo(root / "pipe.txt")
    (root / "dangling.txt").symlink_to(root / "missing.txt")
    (root / "device.txt").symlink_to("/dev/null")
    write(tmp_path / "elsewhere" / "linked.txt", "Linked text.")
    (root / "linkdir").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "loop").symlink_to(root, target_is_directory=True)
    corpus = load_corpus(root)
    why = reasons(corpus)
    assert why[str(root / "pipe.txt")].startswith("not a regular file (FIFO)")
    assert why[str(root / "dangling.txt")].startswith("broken symbolic link")
    assert why[str(root / "device.txt")].startswith("not a regular file (character device)")
    assert why[str(root / "loop")].startswith("symbolic link loop")
    assert sorted(corpus.docs["text"]) == ["Linked text.", "Plain text."]
    assert str(root / "linkdir" / "linked.txt") in corpus.docs["source"].to_list()
    assert any("followed symbolic link" in n for n in notes(corpus))


# ------------------------------------------------------------------ 7, 21: encodings, NUL bytes


def test_07_one_cp1252_row_does_not_recode_the_table(tmp_path):
    data = "id,text\n1,Zürich is in Switzerland.\n".encode() + b"2,A caf\xe9 in Paris.\n"
    corpus = load_corpus(write(tmp_path / "t.csv", data))
    rows = corpus.docs.select("text", "encoding").rows()
    assert rows == [("Zürich is in Switzerland.", "utf-8"), ("A café in Paris.", "cp1252")]
    assert ("2", "decoded as cp1252") in corpus.notes.select("doc_id", "note").rows()


@pytest.mark.parametrize("padding", [0, 5000])
def test_21_nul_bytes_one_rule_wherever_they_are(tmp_path, padding):
    filler = "".join(f"{i},Row number {i} with words.\n" for i in range(padding // 25))
    data = ("id,text\n" + filler).encode() + b"x,Nul\x00 inside the row.\n"
    corpus = load_corpus(write(tmp_path / "t.csv", data))
    row = corpus.docs.filter(pl.col("doc_id") == "x")
    assert row["text"].to_list() == ["Nul inside the row."]
    assert ("x", "1 NUL byte removed") in corpus.notes.select("doc_id", "note").rows()
    assert corpus.skipped.height == 0


def test_21_nul_in_text_file(tmp_path):
    corpus = load_corpus(write(tmp_path / "a.txt", b"Some\x00 text here, long enough."))
    assert corpus.docs["text"].to_list() == ["Some text here, long enough."]
    assert "1 NUL byte removed" in notes(corpus)


# ------------------------------------------------------------------ 8, 9: JSONL values and lines


def test_08_non_string_values(tmp_path):
    lines = [
        {"id": "list", "text": ["para one", "para two"]},
        {"id": "obj", "text": {"a": 1}},
        {"id": "bool", "text": True},
        {"id": "num", "text": 12},
        {"id": "meta", "text": "Plain words.", "tags": ["x", "y"], "info": {"k": 1}, "n": 3},
    ]
    path = write(tmp_path / "t.jsonl", "\n".join(json.dumps(x) for x in lines))
    corpus = load_corpus(path)
    docs = corpus.docs
    assert dict(docs.select("doc_id", "text").iter_rows()) == {
        "list": "para one\n\npara two", "meta": "Plain words."}
    meta = docs.filter(pl.col("doc_id") == "meta").row(0, named=True)
    # Lists are stored as JSON; objects are flattened one level (like ``source.name``).
    assert json.loads(meta["tags"]) == ["x", "y"] and meta["info.k"] == "1"
    assert meta["n"] == "3"
    why = reasons(corpus)
    assert why[f"{path}:2"] == "text is a JSON object, not text"
    assert why[f"{path}:3"] == "text is a boolean, not text"
    assert why[f"{path}:4"] == "text is a number, not text"


def test_08_parquet_binary_text_is_decoded(tmp_path):
    path = tmp_path / "t.parquet"
    pl.DataFrame({"text": [b"Bytes in caf\xc3\xa9."]}).write_parquet(path)
    assert load_corpus(path).docs["text"].to_list() == ["Bytes in café."]


def test_09_jsonl_split_on_newline_only(tmp_path):
    lines = [json.dumps({"text": f"one{sep}two"}, ensure_ascii=False)
             for sep in ("\u2028", "\u2029", "\u0085")]
    corpus = load_corpus(write(tmp_path / "t.jsonl", "\n".join(lines) + "\n"))
    assert corpus.docs.height == 3 and corpus.skipped.height == 0


# ------------------------------------------------------------------ 10, 11, 12: crashes


def _truncated_parquet(path: Path) -> bytes:
    pl.DataFrame({"text": ["a b c"] * 100}).write_parquet(path)
    return path.read_bytes()[:40]


@pytest.mark.parametrize("kind", ["empty", "garbage", "truncated"])
def test_10_bad_parquet(tmp_path, kind):
    data = {"empty": b"", "garbage": b"PAR1 this is not parquet PAR1",
            "truncated": _truncated_parquet(tmp_path / "x.parquet")}[kind]
    path = write(tmp_path / "c" / "bad.parquet", data)
    with pytest.raises(CorpusError, match=r"bad\.parquet"):
        load_corpus(path)
    write(tmp_path / "c" / "ok.txt", "Fine text.")
    corpus = load_corpus(tmp_path / "c")
    assert corpus.docs.height == 1
    assert reasons(corpus)[str(path)].startswith("table not read")


def test_11_sources_with_differing_column_types(tmp_path):
    pq = tmp_path / "a.parquet"
    pl.DataFrame({"text": ["Parquet text."], "published": [dt.date(2022, 3, 1)],
                  "rank": [1]}).write_parquet(pq)
    csv = write(tmp_path / "b.csv", "text,published,rank\nCSV text.,2022-03-02,first\n")
    docs = load_corpus([pq, csv]).docs
    assert docs.select("published", "rank").rows() == [(dt.date(2022, 3, 1), "1"),
                                                       (dt.date(2022, 3, 2), "first")]


def test_12_file_name_with_invalid_utf8(tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/caf\xe9.txt"
    with open(raw, "wb") as fh:
        fh.write(b"Text in a file with a bad name.")
    corpus = load_corpus(tmp_path)
    assert corpus.docs["source"].to_list() == [f"{tmp_path}/caf\\xe9.txt"]
    assert corpus.docs["doc_id"].to_list() == ["caf\\xe9"]
    assert any("not valid UTF-8" in n for n in notes(corpus))
    corpus.docs.write_parquet(tmp_path / "out.parquet")  # storable


# ------------------------------------------------------------------ 20: size limit


def test_20_size_limit_documented_and_configurable(tmp_path):
    assert inspect.signature(load_corpus).parameters["max_bytes"].default == 50 * 2**20
    big = write(tmp_path / "c" / "big.txt", "word " * 400)
    write(tmp_path / "c" / "small.txt", "word " * 10)
    write(tmp_path / "c" / "t.csv", "text\n" + "word " * 400 + "\nshort text\n")
    corpus = load_corpus(tmp_path / "c", max_bytes=1000)
    assert sorted(corpus.docs["text"]) == ["short text", "word " * 9 + "word"]
    why = reasons(corpus)
    assert why[str(big)] == "2,000 bytes, above the max_bytes limit of 1,000"
    assert why[f"{tmp_path / 'c' / 't.csv'}:1"].endswith("above the max_bytes limit of 1,000")


# ------------------------------------------------------------------ 25: day/month order


def test_25_day_month_order_inferred_per_column(tmp_path):
    path = write(tmp_path / "t.csv", "date,text\n03/04/2022,one\n31/12/2022,two\n")
    corpus = load_corpus(path)
    assert corpus.docs["published"].to_list() == [dt.date(2022, 4, 3), dt.date(2022, 12, 31)]
    assert any("day/month" in n and "day first" in n for n in notes(corpus))


def test_25_month_first_and_ambiguous_columns(tmp_path):
    us = write(tmp_path / "us.csv", "date,text\n03/04/2022,one\n12/31/2022,two\n")
    assert load_corpus(us).docs["published"].to_list() == [dt.date(2022, 3, 4),
                                                          dt.date(2022, 12, 31)]
    amb = write(tmp_path / "amb.csv", "date,text\n03/04/2022,one\n")
    corpus = load_corpus(amb)
    assert corpus.docs["published"].to_list() == [dt.date(2022, 3, 4)]
    assert any("ambiguous" in n and "dayfirst=" in n for n in notes(corpus))
    assert load_corpus(amb, dayfirst=True).docs["published"].to_list() == [dt.date(2022, 4, 3)]


# ------------------------------------------------------------------ 26: data frames


def test_26_data_frames_are_sources():
    frame = pl.DataFrame({"headline": ["T"], "body": ["Words in a frame."], "date": ["2022-01-02"]})
    corpus = load_corpus(frame)
    assert corpus.docs.select("title", "text", "published").rows() == [
        ("T", "Words in a frame.", dt.date(2022, 1, 2))]
    assert corpus.docs["source"].to_list() == ["frame1:1"]
    pandas_corpus = load_corpus(frame.to_pandas())
    assert pandas_corpus.fingerprint == corpus.fingerprint


def test_26_unknown_objects_are_refused_clearly():
    with pytest.raises(CorpusError, match="a path, a data frame, or a list of them"):
        load_corpus([3.5])  # type: ignore[list-item]


def test_copying_fixture_dirs_keeps_messy_counts(tmp_path, data_dir):
    # The messy folder still loads as before when copied (regression guard for the walker).
    shutil.copytree(data_dir / "messy", tmp_path / "messy")
    assert load_corpus(tmp_path / "messy").docs.height == load_corpus(data_dir / "messy").docs.height


# ------------------------------------------------------------------ the static hostile folder


def test_hostile_fixture_folder_every_case_accounted(data_dir):
    root = data_dir / "hostile"
    corpus = load_corpus(root)
    docs = corpus.docs
    assert docs.height == 18
    skipped = {Path(s).relative_to(root).as_posix(): r.split(" (")[0].split(":")[0]
               for s, r in corpus.skipped.iter_rows()}
    assert skipped == {
        "README.txt.md": "unsupported file type",
        "all_invalid.jsonl": "table not read",
        "broken.parquet": "table not read",
        "empty.parquet": "table not read",
        "ragged.csv:1": "line 2",
        "values.jsonl:2": "text is a JSON object, not text",
        "values.jsonl:3": "text is a boolean, not text",
        "metadata.csv:3": "metadata row for 'a.txt' is ambiguous",
    }
    by_text = {t: r for t, *r in docs.select(
        "text", "doc_id", "outlet", "published", "published_precision", "encoding").iter_rows()}
    assert by_text["Zürich is in Switzerland."][4] == "utf-8"
    assert by_text["A café in Paris."][4] == "cp1252"
    assert by_text["Nul inside the row."][0] == "nul"
    assert by_text["Year only."][2:4] == [dt.date(2022, 1, 1), "year"]
    assert by_text["Month only."][2:4] == [dt.date(2022, 5, 1), "month"]
    assert by_text["No year at all."][2:4] == [None, None]
    assert by_text["Ambiguous day and month."][2:4] == [dt.date(2022, 4, 3), "day"]
    assert [by_text[t][0] for t in ("Text one.", "Text two.", "Text three.")] == ["a", "a~3", "a~2"]
    assert by_text['"Quoted start, no end'][1] == by_text["Second row survives."][1] == "stray_quote"
    assert by_text["First file named a."][1] == "One"
    assert by_text["Second file named a."][1] == "Two"
    assert by_text["para one\n\npara two"][0] == "list"
    assert docs["doc_id"].is_unique().all()
