"""The reported-speech rule table (analysis.quotes._reported.CLAUSE_RULES): every rule's example
gives what the rule says it yields, found by that rule; the table covers every cue; the docs
list every rule as the table has it.

The expected clauses, speakers and cues are written by hand in the table (``yields``); a new
rule without a passing example fails here.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import analysis
from analysis.quotes._cues import CUES, PARTICIPLES
from analysis.quotes._reported import (
    CLAUSE_RULES,
    NO_CLAUSE,
    ClauseRule,
    reported_clauses,
    rules_for,
)

DOCS = Path(__file__).parents[2] / "docs" / "quotes.md"


def found(text: str) -> list[tuple[str, str, str, str]]:
    """(clause, speaker phrase, cue, rule) of each clause of ``text`` read as one sentence."""
    return [(text[r.start:r.end], text[r.attribution.np_start:r.attribution.np_end],
             r.attribution.cue, r.rule) for r in reported_clauses(text, 0, len(text), set())]


def test_rule_names_are_unique():
    names = [r.name for r in CLAUSE_RULES]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("rule", CLAUSE_RULES, ids=lambda r: r.name)
def test_rule_example(rule: ClauseRule):
    assert found(rule.example) == [(*rule.yields, rule.name)]


def _through_the_verb(rule: ClauseRule) -> object:
    if rule.cues == frozenset(PARTICIPLES):  # strict: passes (and fails here) once fixed
        return pytest.param(rule, id=rule.name, marks=pytest.mark.xfail(
            strict=True, reason="known gap: analysis.quotes._marks.may_quote skips a document "
                                "with no quote mark whose only cue is a participle"))
    return pytest.param(rule, id=rule.name)


@pytest.mark.parametrize("rule", [_through_the_verb(r) for r in CLAUSE_RULES])
def test_rule_example_through_the_verb(rule: ClauseRule):
    """The clause reaches analysis.quotes as one indirect quotation (blanks trimmed)."""
    rows = analysis.quotes(pl.DataFrame({"doc_id": ["d"], "text": [rule.example]}))
    assert rows.select("quote", "kind", "cue").rows() == [
        (rule.yields[0].strip(" ,"), "indirect", rule.yields[2])]


def test_the_first_rule_that_applies_decides():
    # "according to" in the middle of a long sentence is not the leading form
    text = "The city has run out of water, according to the mayor, and help is far away."
    assert [r for *_, r in found(text)] == ["according to, trailing"]
    # a pattern that does not match leaves the cue to the next rule
    assert [r for *_, r in found("The mayor says that the talks failed.")] == ["speaker first"]
    # a rule that applies but finds no clause ends the cue's reading: "asked" has no rule,
    # "said" with no speaker before it gives nothing
    assert found("Asked about the talks, officials declined to comment.") == []


def test_every_cue_has_rules_or_none_by_design():
    for word in (*CUES, *PARTICIPLES, "according to"):
        assert (rules_for(word) == ()) == (word in NO_CLAUSE), word
    assert {r.name for r in rules_for("adding")} == {
        "quoted as saying", "with X, saying", "participle"}
    # a cue Python lower-cases to no listed word ("saİd") is a speech verb like any other
    assert rules_for("sai̇d") == rules_for("stressed")


def rule_row(rule: ClauseRule) -> str:
    cues = ("speech verbs" if rule.cues is None else "participles"
            if rule.cues == frozenset(PARTICIPLES) else ", ".join(sorted(rule.cues)))
    clause, speaker, cue = rule.yields
    return (f"| {rule.name} | {rule.construction} | {cues} | {rule.example} | "
            f"`{clause.strip()}` — `{speaker}` — `{cue}` |")


def test_docs_list_the_table():
    doc = DOCS.read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if line.startswith("| ") and " — `" in line]
    assert rows == [rule_row(r) for r in CLAUSE_RULES]
