"""Scoring of the cleaning rules against hand-labelled samples (tests/data/cleaning/).

Independent of the rules: a removed line counts as correct when the labels list it as a junk
line; a removed span when it lies inside a labelled junk span or a labelled junk line; a junk
item counts as recalled when its text no longer appears in the cleaned text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from analysis.cleaning._rules import BOILERPLATE_RULES, WIRE_CREDIT_RULES, BoilerplateRule
from analysis.cleaning._text import clean_text

LABEL_DIR = Path(__file__).parent / "data" / "cleaning"
ALL_RULES = (*BOILERPLATE_RULES, *WIRE_CREDIT_RULES)
"""The rules the labelled figures are for: the defaults plus the wire credit rules."""
SPAN_RULE_NAMES = {r.name for r in ALL_RULES if r.scope == "span"} | {"bidi_control",
                                                                       "html_hidden"}


def load_labels(name: str) -> list[dict]:
    with (LABEL_DIR / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class Score:
    removed_lines: int = 0
    correct_lines: int = 0
    removed_spans: int = 0
    correct_spans: int = 0
    junk: int = 0
    recalled: int = 0
    keep: int = 0
    kept: int = 0

    @property
    def line_precision(self) -> float:
        return self.correct_lines / self.removed_lines if self.removed_lines else 1.0

    @property
    def span_precision(self) -> float:
        return self.correct_spans / self.removed_spans if self.removed_spans else 1.0

    @property
    def recall(self) -> float:
        return self.recalled / self.junk if self.junk else 1.0


def score(records: list[dict], *, errors: list[str] | None = None,
          rules: tuple[BoilerplateRule, ...] = ALL_RULES) -> Score:
    s = Score()
    for rec in records:
        result = clean_text(rec["text"], rules=rules)
        junk_lines = {line.strip() for line in rec["junk_lines"]}
        junk_spans = [*rec["junk_spans"], *junk_lines]
        for _, text, rule in result.removed:
            if rule in SPAN_RULE_NAMES:
                s.removed_spans += 1
                core = text.strip(" \t…")  # the ellipsis before a truncation marker
                ok = any(core in j for j in junk_spans)
                s.correct_spans += ok
            else:
                s.removed_lines += 1
                ok = text in junk_lines
                s.correct_lines += ok
            if not ok and errors is not None:
                errors.append(f"{rec['id']}: removed {text!r} ({rule})")
        for item in junk_spans:
            s.junk += 1
            gone = item.strip() not in result.text
            s.recalled += gone
            if not gone and errors is not None:
                errors.append(f"{rec['id']}: kept junk {item[:80]!r}")
        for item in rec.get("keep_spans", []):
            s.keep += 1
            ok = item in result.text
            s.kept += ok
            if not ok and errors is not None:
                errors.append(f"{rec['id']}: lost {item!r}")
    return s
