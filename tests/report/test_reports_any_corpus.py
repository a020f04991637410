"""Every report renders on corpora of any shape: no failure, no progress output, offline tables.

Corpora: the bundled one, the Guardian/NYT 2022 corpus (``../shared/corpora`` beside the repo;
skipped when absent), an undated folder of ``.txt`` files, a single-outlet single-day table and
a 5,000-article synthetic corpus (rendered once; the slowest case).
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from analysis import report
from analysis.config import PACKAGE_DIR

SHARED_2022 = [PACKAGE_DIR.parent.parent / "shared" / "corpora" / "russia-ukraine-2022",
               Path("/work/shared/corpora/russia-ukraine-2022")]

PROGRESS = re.compile(r"\d+it/s|\d+%\|[█▏▎▍▌▋▊▉ ]*\||TqdmWarning|IProgress not found")
RAW_WARNING = re.compile(r"UserWarning|RuntimeWarning|/tmp/[^\s\"<]*\.py:\d+")
EXTERNAL = re.compile(r"""<(?:script|link|img)[^>]+(?:src|href)=["']?(?:https?:)?//""")

SENTENCES = [
    "The council met on a rainy morning to discuss the harbour budget.",
    "Residents asked why the ferry timetable changed without notice.",
    "A spokesperson said the new bridge would open before winter.",
    "Fishermen reported a strong catch after the storm passed.",
    "The mayor promised a review of the parking fees next month.",
    "Teachers welcomed the plan for a larger school library.",
]


def undated_folder(root: Path) -> list[str]:
    folder = root / "undated"
    folder.mkdir()
    for i in range(12):
        lines = [f"Note {i} from the harbour office."]
        lines += [SENTENCES[(i + k) % len(SENTENCES)] for k in range(4)]
        (folder / f"note_{i:02d}.txt").write_text("\n\n".join(lines), encoding="utf-8")
    return [str(folder)]


def single_outlet_day(root: Path) -> list[str]:
    path = root / "one_day.csv"
    pl.DataFrame({
        "text": [f"Story {i}. " + " ".join(SENTENCES[i % 6:] + SENTENCES[: i % 6])
                 for i in range(15)],
        "title": [f"Story {i}" for i in range(15)],
        "outlet": ["Harbour Post"] * 15,
        "published": ["2021-06-03"] * 15,
    }).write_csv(path)
    return [str(path)]


def synthetic_5k(root: Path) -> list[str]:
    from bench.corpus import generate_chunk

    path = root / "synthetic.parquet"
    generate_chunk(0, 5000).write_parquet(path)
    return [str(path)]


def corpus_2022(root: Path) -> list[str]:
    for p in SHARED_2022:
        if p.is_dir():
            return [str(p)]
    pytest.skip("the 2022 corpus (../shared/corpora/russia-ukraine-2022) is not here")


CORPORA = {
    "bundled": lambda root: [],
    "guardian-nyt-2022": corpus_2022,
    "undated-txt": undated_folder,
    "one-outlet-one-day": single_outlet_day,
    "synthetic-5k": synthetic_5k,
}


def comparison_statement(page: str) -> str:
    m = re.search(r"<strong>Note:</strong> ((?:Compared|No comparison|Grouping)[^<]*)", page)
    return m.group(1) if m else ""


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.timeout(3600)) if name == "synthetic-5k" else name
    for name in CORPORA
])
def test_every_report_renders_on_any_corpus(name, tmp_path):
    corpus = CORPORA[name](tmp_path)
    out = tmp_path / "reports"
    results = report.build_reports(corpus, out_dir=out, log=lambda *_: None, jobs=2)
    failed = [(r.name, r.error) for r in results if r.status == "failed"]
    assert not failed
    assert {r.name for r in results} == {p.stem for p in report.discover_notebooks()}
    for r in results:
        page = r.html.read_text(encoding="utf-8")
        assert not PROGRESS.search(page), (r.name, PROGRESS.search(page))
        assert not RAW_WARNING.search(page), (r.name, RAW_WARNING.search(page))
        assert not EXTERNAL.search(page), (r.name, EXTERNAL.search(page))
        assert "analysis-table-01" in page  # interactive tables
        tables = out / f"{r.name}_tables"
        assert (tables / "table-01.csv").is_file() and (tables / "table-01.parquet").is_file()
        assert f'href="{r.name}_tables/table-01.csv"' in page
    statement = comparison_statement((out / "term_frequency.html").read_text(encoding="utf-8"))
    assert statement  # the report says which comparison it made, or that none was possible
    print(f"{name}: {statement}")  # the keyness comparison each corpus got (pytest -s)
    if name in ("undated-txt", "one-outlet-one-day"):
        assert statement.startswith("No comparison is possible")
    if name == "synthetic-5k":
        assert statement.startswith("Compared: the latest period")
