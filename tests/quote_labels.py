"""The hand-labelled quotations in ``tests/data/quotes/`` and a scorer (see its README).

``articles.jsonl`` holds the labelled articles (29 from the Guardian/NYT 2022 corpus, the five
bundled ones as ``raw:<doc_id>``). ``heldout.txt`` (labelled first, before any rule was written)
and ``dev.txt`` (the rules were developed on it) hold one quotation a line::

    doc_id|kind|speaker[||alternative ...]|span

``span`` is the exact text of the quotation (first occurrence after the previous label of the
same document that starts with it) or ``first words ~~ last words``. Quote marks at either end
of a span are dropped, as are trailing commas, so ``text[start:end]`` is the quote without its
marks.

Scoring: predictions with ``kind == "term"`` are not quotations and are ignored. A prediction
matches a gold quotation when their spans overlap (one-to-one, greedy by largest overlap);
``exact`` when the offsets are equal. Speaker accuracy is over overlap-matched pairs: correct when
the predicted ``speaker`` (or ``actor``) equals one of the gold names after normalisation
(case, leading article/titles, possessive), or shares its last word with one of them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

QUOTES = Path(__file__).parent / "data" / "quotes"
MARKS = "\"'“”‘’«»„‚ "


@dataclass(frozen=True)
class Gold:
    doc_id: str
    start: int
    end: int
    kind: str
    speakers: tuple[str, ...]


def articles() -> pl.DataFrame:
    rows = [json.loads(line) for line in (QUOTES / "articles.jsonl").open(encoding="utf-8")]
    return pl.DataFrame(rows).with_columns(pl.col("published").str.to_date(strict=False))


def _locate(text: str, span: str, after: int) -> tuple[int, int]:
    first, _, last = (p.strip() for p in span.partition(" ~~ "))
    a = text.find(first, after)
    if a < 0:
        a = text.find(first)
    if a < 0:
        raise ValueError(f"span start not found: {first!r}")
    b = a + len(first)
    if last:
        e = text.find(last, b)
        if e < 0:
            raise ValueError(f"span end not found: {last!r}")
        b = e + len(last)
    while b > a and text[b - 1] in MARKS + ",":
        b -= 1
    while a < b and text[a] in MARKS:
        a += 1
    return a, b


def gold(split: str) -> list[Gold]:
    texts = dict(articles().select("doc_id", "text").iter_rows())
    out: list[Gold] = []
    last: dict[str, int] = {}
    for n, line in enumerate((QUOTES / f"{split}.txt").open(encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        doc_id, kind, rest = line.split("|", 2)
        speakers, _, span = rest.rpartition("|")
        if doc_id not in texts or kind not in ("direct", "indirect", "mixed"):
            raise ValueError(f"{split}.txt line {n}: bad doc_id or kind: {line!r}")
        try:
            a, b = _locate(texts[doc_id], span, last.get(doc_id, 0))
        except ValueError as err:
            raise ValueError(f"{split}.txt line {n}: {err}") from None
        last[doc_id] = a
        out.append(Gold(doc_id, a, b, kind, tuple(s.strip() for s in speakers.split("||"))))
    return out


_TITLES = re.compile(
    r"^(?:the |a |an |mr\.? |mrs\.? |ms\.? |dr\.? |president |capt\.? |sir |senator )+"
)


def norm(name: str | None) -> str:
    s = (name or "").lower().replace("’", "'").strip()
    s = re.sub(r"'s\b", "", s)
    s = _TITLES.sub("", s)
    return re.sub(r"[^\w ]", "", s).strip()


def speaker_ok(pred: str | None, actor: str | None, speakers: tuple[str, ...]) -> bool:
    cands = [norm(pred), norm(actor)]
    for g in map(norm, speakers):
        for c in cands:
            if c and (c == g or c.split()[-1] == g.split()[-1]):
                return True
    return False


def score(pred: pl.DataFrame, labels: list[Gold]) -> dict[str, float]:
    docs = {g.doc_id for g in labels}
    rows = [r for r in pred.filter(pl.col("kind") != "term").iter_rows(named=True)
            if r["doc_id"] in docs]
    pairs = []
    for i, r in enumerate(rows):
        for j, g in enumerate(labels):
            if g.doc_id == r["doc_id"]:
                ov = min(r["end"], g.end) - max(r["start"], g.start)
                if ov > 0:
                    pairs.append((ov, i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    matched = []
    for _ov, i, j in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched.append((rows[i], labels[j]))
    exact = sum(r["start"] == g.start and r["end"] == g.end for r, g in matched)
    spk = sum(speaker_ok(r["speaker"], r["actor"], g.speakers) for r, g in matched)
    n_p, n_g, n_m = len(rows), len(labels), len(matched)
    return {
        "gold": n_g, "predicted": n_p, "matched": n_m,
        "precision": n_m / n_p if n_p else 0.0, "recall": n_m / n_g if n_g else 0.0,
        "exact_precision": exact / n_p if n_p else 0.0, "exact_recall": exact / n_g if n_g else 0.0,
        "speaker_accuracy": spk / n_m if n_m else 0.0,
    }
