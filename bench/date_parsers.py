"""Compare analysis.extract_dates with dateparser's search_dates on the labelled mentions.

Run: .venv/bin/python benchmarks/date_parsers.py
Both are scored by tests/date_labels.score (span overlap + same date + same granularity).
dateparser is given the publication date as RELATIVE_BASE, prefers past dates and the first day
of the month; its granularity comes from DateDataParser.get_date_data(...).period.
"""

from __future__ import annotations

import sys
import time
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
warnings.filterwarnings("ignore")

from date_labels import gold_mentions, labelled_docs, score  # noqa: E402
from dateparser import DateDataParser  # noqa: E402
from dateparser.search import search_dates  # noqa: E402
from dateutil import parser as dateutil_parser  # noqa: E402

from analysis.time._dates import extract_dates  # noqa: E402


def dateparser_mentions(docs):
    out = []
    for doc_id, pub, text in docs.select("doc_id", "published", "text").iter_rows():
        base = datetime(pub.year, pub.month, pub.day)
        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past",
                    "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
        found = search_dates(text, languages=["en"], settings=settings) or []
        ddp = DateDataParser(languages=["en"], settings=settings)
        pos = 0
        for s, dt in found:
            start = text.find(s, pos)
            if start < 0:
                start = text.find(s)
            pos = start + len(s)
            period = ddp.get_date_data(s).period or "day"
            d = dt.date()
            gran = {"time": "day"}.get(period, period)
            if gran == "month":
                d = d.replace(day=1)
            elif gran == "year":
                d = date(d.year, 1, 1)
            elif gran == "week":
                d = d - timedelta(days=d.weekday())
            out.append({"doc_id": doc_id, "start": start, "end": start + len(s), "text": s,
                        "date": d, "granularity": gran})
    return out


def main() -> None:
    docs = labelled_docs()
    gold = gold_mentions(docs)
    t0 = time.perf_counter()
    ours = extract_dates(docs).to_dicts()
    t1 = time.perf_counter()
    theirs = dateparser_mentions(docs)
    t2 = time.perf_counter()
    for name, pred, secs in (("analysis.extract_dates", ours, t1 - t0),
                             ("dateparser.search_dates", theirs, t2 - t1)):
        s = score(pred, gold)
        print(f"{name:26s} predicted {s['predicted']:4d}  correct {s['correct']:4d}  "
              f"gold {s['gold']}  precision {s['precision']:.3f}  recall {s['recall']:.3f}  "
              f"({secs:.1f} s)")
    s = score(theirs, gold)
    print("\ndateparser false positives (first 25):")
    for p in s["false_positives"][:25]:
        print(f"  {p['doc_id']:24s} {p['text']!r:32s} -> {p['date']} {p['granularity']}")
    print("\ndateutil.parser.parse(fuzzy=True) on numbers that are not dates:")
    for s_ in ("a 12-point plan", "31 Abrams tanks", "$15.6 billion", "World War II",
               "100 years", "Covid-19"):
        try:
            r = dateutil_parser.parse(s_, fuzzy=True, default=datetime(2023, 3, 22)).date()
        except (ValueError, OverflowError) as e:
            r = f"error: {e}"
        print(f"  {s_!r:20s} -> {r}")


if __name__ == "__main__":
    main()
