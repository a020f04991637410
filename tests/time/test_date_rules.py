"""The date-resolution rule table (analysis.time._resolution.DATE_RULES): every rule's example,
with its anchor date, gives what the rule says it yields, found by that rule; undated, a relative
rule's example stays unresolved; every form of the grammar has a rule; the docs list the table.

The expected dates in the table (``yields``) are calendar facts worked out by hand; a new rule
without a passing example fails here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analysis.time._dates import extract_dates
from analysis.time._grammar import _ALTERNATIVES, DATE_PATTERN
from analysis.time._resolution import DATE_RULES, UNRESOLVED, DateRule, rule_for

DOCS = Path(__file__).parents[2] / "docs" / "dates.md"


def mentions(text: str, pub: date | None) -> list[tuple]:
    """(rule, text, date, granularity, kind, note) of each mention of ``text``."""
    docs = pl.DataFrame({"doc_id": ["d"], "published": [pub], "text": [text]},
                        schema={"doc_id": pl.String, "published": pl.Date, "text": pl.String})
    rule_of = {m.end(): rule_for(m).name for m in DATE_PATTERN.finditer(text)}
    return [(rule_of[r["end"]], r["text"], r["date"], r["granularity"], r["kind"], r["note"])
            for r in extract_dates(docs).iter_rows(named=True)]


def test_rule_names_are_unique():
    names = [r.name for r in DATE_RULES]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("rule", DATE_RULES, ids=lambda r: r.name)
def test_rule_example(rule: DateRule):
    assert (rule.name, *rule.yields, rule.kind, None) in mentions(rule.example, rule.anchor)


@pytest.mark.parametrize("rule", [r for r in DATE_RULES if r.kind == "relative"],
                         ids=lambda r: r.name)
def test_relative_rule_example_undated_stays_unresolved(rule: DateRule):
    text, _, granularity = rule.yields
    assert (rule.name, text, None, granularity, "relative", UNRESOLVED) in mentions(
        rule.example, None)


@pytest.mark.parametrize("rule", [r for r in DATE_RULES if r.kind == "absolute"],
                         ids=lambda r: r.name)
def test_absolute_rule_example_needs_no_anchor(rule: DateRule):
    assert rule.anchor is None
    assert (rule.name, *rule.yields, "absolute", None) in mentions(rule.example,
                                                                    date(2030, 6, 1))


def test_every_form_of_the_grammar_has_rules_and_a_fallback():
    forms = [name for name, _ in _ALTERNATIVES]
    assert [r.form for r in DATE_RULES if r.when is None] == forms
    for form in forms:  # the rule without a condition comes last among a form's rules
        assert [r.when is None for r in DATE_RULES if r.form == form][-1]


def test_keep_drops_and_note_records():
    assert mentions("2000 troops and February 30 or the 31st of April.", date(2023, 3, 22)) == []
    assert mentions("in April", date(2023, 3, 22))[0][0] == "month after a preposition"
    assert mentions("Paris and April", date(2023, 3, 22)) == []  # no month before "and April"
    # 22 February 2023 was a Wednesday
    assert mentions("on Monday, Feb. 22, 2023", None) == [
        ("weekday, date and year", "Monday, Feb. 22, 2023", date(2023, 2, 22), "day",
         "absolute", "weekday conflict: the text says Monday but 2023-02-22 is a Wednesday; "
                     "the date wins")]


def test_a_rule_needs_a_granularity_or_a_unit():
    with pytest.raises(ValueError, match="granularity or a unit"):
        DateRule("x", "ago", "relative", "day", "", lambda m: None, "", None,
                 ("", None, "day"), unit="ago_u")


def rule_row(rule: DateRule) -> str:
    text, d, granularity = rule.yields
    anchor = rule.anchor.isoformat() if rule.anchor else "none"
    gran = rule.granularity or f"the unit (`{rule.unit}`)"
    return (f"| {rule.name} | `{rule.form}` | {rule.kind} | {gran} | {rule.resolves} | "
            f"{rule.example} | {anchor} | `{text}` → {d} ({granularity}) |")


def test_docs_list_the_table():
    doc = DOCS.read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if line.startswith("| ") and "` → " in line]
    assert rows == [rule_row(r) for r in DATE_RULES]
