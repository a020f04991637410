"""Loader edge cases of issue 24 (items 11-14): long CSV cells, compact dates, ragged metadata
rows, empty and deeply nested archives. Each test failed before its fix."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zipfile

import pytest

from analysis.corpus._load import load_corpus


def reasons(corpus) -> dict[str, str]:
    return dict(corpus.skipped.iter_rows())


def notes(corpus) -> list[str]:
    return corpus.notes["note"].to_list()


def test_11_csv_cell_longer_than_the_csv_module_limit_is_read(tmp_path):
    long = "word " * 60_000  # 300,000 characters, above csv's 131,072 default
    path = tmp_path / "t.csv"
    path.write_text(f'text,title\n"{long}",Long one\nshort text,Short\n', encoding="utf-8")
    corpus = load_corpus(path)
    assert corpus.docs.height == 2, reasons(corpus)
    assert corpus.docs["text"].str.len_chars().max() == len(long.strip())
    import csv

    assert csv.field_size_limit() == 131_072  # the process-wide limit is given back


def test_11_tsv_cell_longer_than_the_csv_module_limit_is_read(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("text\ttitle\n" + "x" * 200_000 + "\tT\n", encoding="utf-8")
    assert load_corpus(path).docs.height == 1


def test_12_compact_yyyymmdd_is_year_month_day_even_day_first(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("text,date\none,20230301\ntwo,31/12/2022\n", encoding="utf-8")
    corpus = load_corpus(path)  # the second row makes the column day-first
    assert corpus.docs["published"].to_list() == [dt.date(2023, 3, 1), dt.date(2022, 12, 31)]
    assert load_corpus(path, dayfirst=True).docs["published"][0] == dt.date(2023, 3, 1)


def test_13_ragged_metadata_row_is_skipped_with_its_reason(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("Text of a.", encoding="utf-8")
    (folder / "b.txt").write_text("Text of b.", encoding="utf-8")
    (folder / "metadata.csv").write_text("doc_id,outlet\na,Outlet A\nb,O,extra\n",
                                         encoding="utf-8")
    corpus = load_corpus(folder)
    assert corpus.docs.sort("doc_id")["outlet"].to_list() == ["Outlet A", None]
    why = {k.rsplit("/", 1)[-1]: v for k, v in reasons(corpus).items()}
    assert "metadata.csv:2" in why and "3 fields where the header has 2" in why["metadata.csv:2"]


def test_13_metadata_whose_every_row_is_bad_names_its_columns(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("Text of a.", encoding="utf-8")
    (folder / "metadata.csv").write_text("title,outlet\nx,y,z\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"found \['title', 'outlet'\]"):  # was "found []"
        load_corpus(folder)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_14_empty_zip_is_accounted_for(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "empty.zip").write_bytes(_zip({}))
    (folder / "a.txt").write_text("Some text.", encoding="utf-8")
    corpus = load_corpus(folder)
    assert corpus.docs.height == 1
    assert any(k.endswith("empty.zip") and "empty zip" in v for k, v in reasons(corpus).items())


def test_14_zip_nested_too_deep_says_so(tmp_path):
    inner = _zip({"doc.txt": b"Deep text."})
    for _ in range(5):
        inner = _zip({"inner.zip": inner})
    path = tmp_path / "deep.zip"
    path.write_bytes(inner)
    corpus = load_corpus(path)
    assert corpus.docs.height == 0
    (why,) = reasons(corpus).values()
    assert "nested more than 3 levels" in why and "unsupported" not in why


def test_14_three_levels_are_still_read(tmp_path):
    inner = gzip.compress(b"Three levels down.")
    inner = _zip({"doc.txt.gz": inner})
    inner = _zip({"inner.zip": inner})
    path = tmp_path / "ok.zip"
    path.write_bytes(inner)
    corpus = load_corpus(path)
    assert corpus.docs["text"].to_list() == ["Three levels down."], reasons(corpus)
