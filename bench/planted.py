"""A planted-copy benchmark for :func:`analysis.near_duplicates`: known copies among real articles.

:func:`planted_corpus` takes a list of articles (title + text) and builds, deterministically
from a seed:

- **originals**: a share of the articles, each copied 1-3 times by other outlets, 0-4 days
  later; every copy gets one edit kind, in turn from :data:`EDIT_KINDS` (so each kind is
  planted at the same known rate);
- **same-event articles**: new documents by other outlets that reuse :data:`SAME_EVENT_SHARE`
  of an original's paragraphs (its quotes and facts) among paragraphs of other articles: they
  report the same event but are **not** copies;
- **unrelated articles**: the remaining articles, unchanged (same topics, other stories).

The truth is the set of copy families (an original and its copies); :func:`pair_scores`
compares a clusters table against it pair by pair (two documents in the same cluster form a
predicted pair; two documents of the same family a true pair).
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from itertools import combinations
from typing import Any

import polars as pl

EDIT_KINDS = ("exact", "punctuation", "headline", "drop_paragraph", "add_paragraph",
              "boilerplate", "combined")
"""The edits a planted copy gets (one per copy; "combined" = headline + punctuation +
boilerplate)."""
SAME_EVENT_SHARE = 0.4
"""Share of an original's paragraphs a same-event article reuses."""
BOILERPLATE_TOP = "Site icon {outlet}\n\n{outlet} - a story for you\n\n"
BOILERPLATE_BOTTOM = "\n\nSource link\n\nExit mobile version\n\nLeave a Comment"
MIN_PARAGRAPHS = 8
"""Originals are drawn from articles with at least this many paragraphs."""


def paragraphs(text: str) -> list[str]:
    """The non-empty paragraphs (lines) of a text.

    >>> paragraphs("a\\n\\n b \\nc")
    ['a', 'b', 'c']
    """
    return [p.strip() for p in text.split("\n") if p.strip()]


def _punctuate(text: str, rng: random.Random) -> str:
    """Change punctuation and white space, keep the words."""
    swaps = [(", ", " ,  "), (". ", ".\n"), ("“", '"'), ("”", '"'), ("’", "'"), (" – ", " -- "),
             ("\n", "\n\n  ")]
    for old, new in rng.sample(swaps, 4):
        text = text.replace(old, new)
    return re.sub(r"\.(\s)", r"!\1", text, count=3)


def _edit(kind: str, title: str, paras: list[str], *, outlet: str, other: list[str],
          rng: random.Random) -> str:
    body = list(paras)
    if kind == "drop_paragraph":
        del body[rng.randrange(1, len(body))]
    elif kind == "add_paragraph":
        body.insert(rng.randrange(1, len(body)), rng.choice(other))
    text = "\n\n".join(body)
    if kind in ("headline", "combined"):
        title = f"{outlet} | " + " ".join(reversed(title.split())) + " (updated)"
    if kind in ("punctuation", "combined"):
        text = _punctuate(text, rng)
    if kind in ("boilerplate", "combined"):
        text = BOILERPLATE_TOP.format(outlet=outlet) + text + BOILERPLATE_BOTTOM
    return f"{title}\n\n{text}"


def planted_corpus(
    articles: pl.DataFrame, *, share_copied: float = 0.3, share_same_event: float = 0.15,
    seed: int = 14,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Plant copies and same-event articles among ``articles``: ``(docs, truth)``.

    Parameters
    ----------
    articles
        ``title`` and ``text`` columns (exact duplicate texts are dropped first).
    share_copied
        Share of the eligible articles (at least :data:`MIN_PARAGRAPHS` paragraphs) copied.
    share_same_event
        Same-event articles planted, as a share of all articles.
    seed
        Seed of every random choice.

    Returns
    -------
    tuple of DataFrame
        ``docs``: ``doc_id, outlet, published, text`` (``doc_id`` ``p00000``...; originals and
        unrelated articles by outlets ``source-*``, copies and same-event articles by
        ``copier-*``); ``truth``: ``doc_id, family, role`` (``original`` | ``copy`` |
        ``same_event`` | ``unrelated``), ``edit`` (the copy's edit kind), ``family`` (the
        original's ``doc_id`` for copies and originals, else null).

    Examples
    --------
    >>> arts = pl.DataFrame({"title": ["T1", "T2"],
    ...                      "text": ["\\n".join(f"p{i} " * 9 for i in range(9)), "x y"]})
    >>> docs, truth = planted_corpus(arts, share_copied=1.0, share_same_event=0.0)
    >>> truth["role"].value_counts(sort=True).row(0)[0] in ("copy", "original", "unrelated")
    True
    """
    rng = random.Random(seed)
    arts = articles.select(pl.col("title").cast(pl.String).fill_null(""),
                           pl.col("text").cast(pl.String).fill_null("")).unique(
        "text", keep="first", maintain_order=True)
    rows = arts.rows()
    eligible = [i for i, (_, text) in enumerate(rows) if len(paragraphs(text)) >= MIN_PARAGRAPHS]
    originals = sorted(rng.sample(eligible, round(share_copied * len(eligible))))
    all_paras = [p for _, text in rows for p in paragraphs(text)]
    day0 = date(2022, 3, 1)
    docs: list[dict[str, Any]] = []
    truth: list[dict[str, Any]] = []

    def add(text: str, outlet: str, day: date, role: str, family: str | None,
            edit: str | None) -> str:
        doc_id = f"p{len(docs):05d}"
        docs.append({"doc_id": doc_id, "outlet": outlet, "published": day, "text": text})
        truth.append({"doc_id": doc_id, "role": role, "family": family or doc_id
                      if role in ("original", "copy") else None, "edit": edit})
        return doc_id

    k = 0
    original_set = set(originals)
    for i, (title, text) in enumerate(rows):
        day = day0 + timedelta(days=rng.randrange(120))
        role = "original" if i in original_set else "unrelated"
        doc_id = add(f"{title}\n\n{text}", f"source-{i % 5}", day, role, None, None)
        if role == "unrelated":
            continue
        paras = paragraphs(text)
        for _ in range(rng.randint(1, 3)):
            kind = EDIT_KINDS[k % len(EDIT_KINDS)]
            k += 1
            outlet = f"copier-{rng.randrange(8)}"
            copy = _edit(kind, title, paras, outlet=outlet, other=all_paras, rng=rng)
            add(copy, outlet, day + timedelta(days=rng.randrange(5)), "copy", doc_id, kind)
    for _ in range(round(share_same_event * len(rows))):
        title, text = rows[rng.choice(originals or eligible or [0])]
        paras = paragraphs(text)
        n_keep = max(1, round(SAME_EVENT_SHARE * len(paras)))
        kept = rng.sample(paras, n_keep)
        mixed = kept + rng.sample(all_paras, max(1, len(paras) - n_keep))
        rng.shuffle(mixed)
        add("\n\n".join([f"{title} (other outlet)", *mixed]), f"copier-{rng.randrange(8)}",
            day0 + timedelta(days=rng.randrange(120)), "same_event", None, None)
    docs_df = pl.DataFrame(docs, schema={"doc_id": pl.String, "outlet": pl.String,
                                         "published": pl.Date, "text": pl.String})
    truth_df = pl.DataFrame(truth, schema={"doc_id": pl.String, "role": pl.String,
                                           "family": pl.String, "edit": pl.String})
    return docs_df, truth_df


def _pairs(groups: pl.DataFrame, key: str) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for ids in groups.group_by(key).agg(pl.col("doc_id").sort())["doc_id"].to_list():
        out.update(combinations(ids, 2))
    return out


def pair_scores(clusters: pl.DataFrame, truth: pl.DataFrame) -> dict[str, Any]:
    """Pair precision and recall of ``clusters`` against ``truth`` (and recall per edit kind).

    >>> truth = pl.DataFrame({"doc_id": ["a", "b", "c"], "family": ["a", "a", None],
    ...                       "edit": [None, "exact", None]})
    >>> clusters = pl.DataFrame({"cluster_id": [1, 1, 1], "doc_id": ["a", "b", "c"]})
    >>> s = pair_scores(clusters, truth)
    >>> round(s["precision"], 3), s["recall"], s["recall_by_edit"]
    (0.333, 1.0, {'exact': 1.0})
    """
    true = _pairs(truth.filter(pl.col("family").is_not_null()), "family")
    predicted = _pairs(clusters, "cluster_id")
    hits = true & predicted
    first = dict(truth.filter(pl.col("family").is_not_null()).select("doc_id", "family").rows())
    edit_of = dict(truth.filter(pl.col("edit").is_not_null()).select("doc_id", "edit").rows())
    by_edit: dict[str, list[int]] = {}
    for a, b in true:  # recall of the copy -> original pairs, per edit kind of the copy
        for copy, orig in ((a, b), (b, a)):
            if copy in edit_of and first[copy] == orig:
                by_edit.setdefault(edit_of[copy], [0, 0])
                by_edit[edit_of[copy]][0] += (a, b) in hits
                by_edit[edit_of[copy]][1] += 1
    return {
        "true_pairs": len(true), "predicted_pairs": len(predicted), "hits": len(hits),
        "precision": len(hits) / len(predicted) if predicted else 1.0,
        "recall": len(hits) / len(true) if true else 1.0,
        "recall_by_edit": {k: v[0] / v[1] for k, v in sorted(by_edit.items())},
        "false_positives": sorted(predicted - true), "missed": sorted(true - predicted),
    }
