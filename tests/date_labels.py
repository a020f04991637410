"""The hand-labelled date mentions in ``tests/data/`` and a scorer (shared by the tests and
``bench/date_parsers.py``).

Labels were written by reading the texts, independently of any extractor:
``date_snippets.csv`` holds 160 sentences drawn at random (fixed seeds) from the 2022 corpus
(Guardian/NYT) among sentences containing a month, weekday, season, "week/month/year", "ago" or a
number, with their source row and publication date; the five bundled documents (``data/raw``)
are labelled whole. ``split`` is ``dev`` for the sentences labelled first (the grammar was then
corrected on them) and ``heldout`` for 45 sentences labelled after the grammar was frozen.

``date_mentions.csv``: one row per mention: ``doc_id`` (bundled document or snippet),
``mention`` (exact text), ``occurrence`` (which occurrence of that text, from 1), the true
``date`` (first day of the period; weeks start on Monday, seasons are meteorological) and
``granularity``, ``in_scope``, ``comment``. In scope: any expression that names a calendar
day, week, month, season or year, resolved to what the writer meant (world knowledge included:
"Jan. 6" in a 2022 article is 2021-01-06). Out of scope (``in_scope`` false, neutral in the
score): "today", holidays and named days, generic seasons ("set aside for winter"), vague
("a few days ago") and event-anchored phrases ("a day after", "that same day").

Scoring: a predicted mention is correct when its span overlaps an in-scope gold mention with the
same date and granularity (one-to-one). Predictions overlapping only out-of-scope gold mentions
are neutral. precision = correct / (predicted - neutral); recall = correct / in-scope gold.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import polars as pl

import analysis

DATA = Path(__file__).parent / "data"


def labelled_docs() -> pl.DataFrame:
    """``doc_id, published, text`` of every labelled text (bundled documents and snippets)."""
    bundled = analysis.load_corpus(analysis.config.RAW_DIR).docs.select(
        "doc_id", "published", "text")
    snippets = pl.read_csv(DATA / "date_snippets.csv", schema_overrides={"published": pl.Date})
    return pl.concat([bundled, snippets.select("doc_id" if "doc_id" in snippets.columns else
                                               pl.col("snippet_id").alias("doc_id"),
                                               "published", "text")])


def gold_mentions(docs: pl.DataFrame) -> list[dict]:
    """Gold rows with their character span located in the text."""
    texts = dict(docs.select("doc_id", "text").iter_rows())
    rows = []
    with open(DATA / "date_mentions.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            text = texts[r["doc_id"]]
            pos = -1
            for _ in range(int(r["occurrence"])):
                pos = text.find(r["mention"], pos + 1)
                if pos < 0:
                    raise ValueError(f"label not found in text: {r}")
            rows.append({
                "doc_id": r["doc_id"], "start": pos, "end": pos + len(r["mention"]),
                "mention": r["mention"],
                "date": date.fromisoformat(r["date"]) if r["date"] else None,
                "granularity": r["granularity"] or None,
                "in_scope": r["in_scope"] == "true",
            })
    return rows


def score(pred: list[dict], gold: list[dict]) -> dict:
    """Precision and recall of predicted mentions (dicts with doc_id, start, end, date,
    granularity) against gold mentions."""
    used: set[int] = set()
    tp = neutral = 0
    errors = []
    for p in pred:
        overlapping = [i for i, g in enumerate(gold) if g["doc_id"] == p["doc_id"]
                       and g["start"] < p["end"] and p["start"] < g["end"]]
        hit = next((i for i in overlapping if i not in used and gold[i]["in_scope"]
                    and gold[i]["date"] == p["date"]
                    and gold[i]["granularity"] == p["granularity"]), None)
        if hit is not None:
            used.add(hit)
            tp += 1
        elif overlapping and all(not gold[i]["in_scope"] for i in overlapping):
            neutral += 1
        else:
            errors.append(("false positive", p))
    in_scope = [g for g in gold if g["in_scope"]]
    missed = [g for i, g in enumerate(gold) if g["in_scope"] and i not in used]
    counted = len(pred) - neutral
    return {
        "predicted": len(pred), "neutral": neutral, "correct": tp, "gold": len(in_scope),
        "precision": tp / counted if counted else 0.0,
        "recall": tp / len(in_scope) if in_scope else 0.0,
        "false_positives": [e[1] for e in errors],
        "missed": missed,
    }
