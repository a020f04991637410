"""The one option vocabulary (docs/options.md), enforced on every public callable.

Every keyword-only parameter of everything in ``analysis.__all__`` and the subpackage faces
(``analysis.<face>.__all__``) must be a row of the table in docs/options.md, with the kind of
value the row names, and the row must list exactly the callables that take it; options are
keyword-only; no parameter defaults to ``""`` for "not given"; no parameter is accepted and
ignored (each is read in the body); and the deprecated names in the page are exactly the ones
the code still accepts. Records (dataclasses) and exceptions are not verbs: their fields are
documented on the class.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import importlib
import inspect
import re
import textwrap
import types
import typing
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import analysis

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "options.md"

FACES = [("", "analysis"), ("choose.", "analysis.report.choose"),
         ("tables.", "analysis.report.tables"), ("distributed.", "analysis.scale")] + [
    (f"{face}.", f"analysis.{face}") for face in
    ["engine", "tokens", "cleaning", "corpus", "terms", "pairs", "actors", "time", "copies", "quotes", "tone", "report"]]
"""Where public callables live, and the prefix naming them in the page (first face wins)."""

PASS_THROUGH = {"report.load_report_tokens", "report.load_report_actors",
                "report.load_report_clusters", "choose.key_terms", "report.show_parameters"}
"""Callables whose ``**options`` hand everything on to a named verb (documented in the page)."""


def public_callables() -> list[tuple[str, Any]]:
    seen: dict[int, tuple[str, Any]] = {}
    for prefix, name in FACES:
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", []):
            obj = getattr(module, attr)
            if inspect.ismodule(obj) or not callable(obj) or id(obj) in seen:
                continue
            if inspect.isclass(obj) and (dataclasses.is_dataclass(obj)
                                         or issubclass(obj, BaseException)):
                continue  # records and errors: fields, not options
            seen[id(obj)] = (prefix + attr, obj)
    return sorted(seen.values(), key=lambda pair: pair[0])


CALLABLES = public_callables()


def _category(tp: Any) -> str:
    if tp is Any:
        return "any"
    if tp is bool:
        return "bool"
    if tp is int:
        return "int"
    if tp is float:
        return "number"
    if tp is str or tp is Path:
        return "text"
    if tp in (dt.date, dt.datetime):
        return "date"
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return "text" if all(isinstance(a, str) for a in typing.get_args(tp)) else "other"
    if origin in (typing.Union, types.UnionType):
        if Any in typing.get_args(tp):
            return "any"
        parts = [_category(a) for a in typing.get_args(tp) if a is not type(None)]
        if "date" in parts and set(parts) <= {"date", "text"}:
            return "date"  # a date or its ISO text
        if set(parts) <= {"int", "number"}:
            return "number" if "number" in parts else "int"
        return parts[0]  # the main form first: str | Sequence[str], Sequence[str] | Mapping
    if origin in (Sequence, Iterable, list, tuple):
        args = typing.get_args(tp)
        return "text" if args and _category(args[0]) == "text" else "other"  # text or texts
    return "other"


def kind_of(func: Any, name: str) -> str:
    """bool, int, number, text (a text, a choice or a list of texts), date, other (tables,
    objects...) or any (unannotated: matches every kind)."""
    target = inspect.unwrap(func.__init__ if inspect.isclass(func) else func)
    annotation = inspect.signature(target).parameters[name].annotation
    if not isinstance(annotation, str):
        return _category(annotation)
    namespace = {**vars(typing), **vars(importlib.import_module(target.__module__))}
    try:
        return _category(eval(annotation, namespace))  # a string annotation (future import)
    except (NameError, TypeError, AttributeError):
        return "other"  # a type known only to the type checker (a table, a chart)


def page_tables() -> tuple[dict[str, tuple[str, set[str]]], dict[tuple[str, str], str],
                           set[tuple[str, str]]]:
    """The options table (name -> kind, verbs), the deprecated names ((verb, old) -> new) and
    the optional inputs ((verb, name))."""
    text = PAGE.read_text(encoding="utf-8")
    options: dict[str, tuple[str, set[str]]] = {}
    deprecated: dict[tuple[str, str], str] = {}
    optional: set[tuple[str, str]] = set()
    section = ""
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip().lower()
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if section.startswith("options"):
            name = cells[0].strip("`")
            verbs = set(re.findall(r"`([\w.]+)`", cells[3]))
            options[name] = (cells[2].strip("`"), verbs)
        elif section.startswith("optional inputs"):
            optional |= {(cells[0].strip("`"), name)
                         for name in re.findall(r"`(\w+)`", cells[1])}
        elif section.startswith("deprecated"):
            new = cells[1].strip("`").split("=")[0]
            for verb in re.findall(r"`([\w.]+)`", cells[2]):
                deprecated[(verb, cells[0].strip("`").split("=")[0])] = new
    return options, deprecated, optional


OPTIONS, DEPRECATED, OPTIONAL_INPUTS = page_tables()


def signature(func: Any) -> inspect.Signature:
    return inspect.signature(func)


def code_options() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for label, func in CALLABLES:
        for p in signature(func).parameters.values():
            if p.kind is p.KEYWORD_ONLY:
                found[p.name].add(label)
    return found


def test_the_page_lists_exactly_the_options_the_code_has():
    found = code_options()
    assert sorted(set(found) - set(OPTIONS)) == [], "options missing from docs/options.md"
    assert sorted(set(OPTIONS) - set(found)) == [], "rows of docs/options.md no callable takes"
    wrong = {name: (sorted(found[name] - verbs), sorted(verbs - found[name]))
             for name, (_, verbs) in OPTIONS.items() if found[name] != verbs}
    assert wrong == {}, "(callables not listed, listed but not taking it) per option"


@pytest.mark.parametrize(("label", "func"), CALLABLES, ids=[c[0] for c in CALLABLES])
def test_options_are_in_the_vocabulary_keyword_only_and_of_their_kind(label, func):
    for p in signature(func).parameters.values():
        if p.kind is p.VAR_KEYWORD:
            assert label in PASS_THROUGH, f"{label}(**{p.name}): only documented pass-throughs"
            continue
        if p.kind is not p.KEYWORD_ONLY:
            assert p.default is p.empty or (label, p.name) in OPTIONAL_INPUTS, (
                f"{label}({p.name}=...): an option must be keyword-only (or an optional input "
                "listed in docs/options.md)")
            continue
        assert p.name in OPTIONS, f"{label}({p.name}=): not in docs/options.md"
        want = OPTIONS[p.name][0]
        got = kind_of(func, p.name)
        assert got == want or got == "any",  f"{label}({p.name}=): a {got} value, the vocabulary says {want}"


@pytest.mark.parametrize(("label", "func"), CALLABLES, ids=[c[0] for c in CALLABLES])
def test_not_given_is_none_never_the_empty_string(label, func):
    for p in signature(func).parameters.values():
        assert not (isinstance(p.default, str) and p.default == ""), (
            f"{label}({p.name}=''): 'not given' is None")


def _body_names(func: Any) -> tuple[set[str], set[str]]:
    """Names read in the body of ``func`` and names deleted (``del name``)."""
    source = textwrap.dedent(inspect.getsource(func))
    tree = ast.parse(source)
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))
    read, deleted = set(), set()
    for stmt in node.body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Name):
                (deleted if isinstance(sub.ctx, ast.Del) else read).add(sub.id)
    return read, deleted


@pytest.mark.parametrize(("label", "func"), CALLABLES, ids=[c[0] for c in CALLABLES])
def test_no_option_is_accepted_and_ignored(label, func):
    target = inspect.unwrap(func.__init__ if inspect.isclass(func) else func)
    try:
        read, deleted = _body_names(target)
    except (OSError, TypeError, StopIteration):
        pytest.skip("no Python source")
    for name in inspect.signature(target).parameters:
        if name in ("self", "cls"):
            continue
        assert name not in deleted, f"{label}({name}=): deleted unread (accepted and ignored)"
        assert name in read, f"{label}({name}=): never read (accepted and ignored)"


def code_deprecated() -> dict[tuple[str, str], str]:
    found = {}
    for label, func in CALLABLES:
        wrapper = func
        while wrapper is not None:
            for old, new in getattr(wrapper, "__renamed__", {}).items():
                found[(label, old)] = new
            for old in getattr(wrapper, "__removed__", {}):
                found[(label, old)] = "(removed)"
            wrapper = getattr(wrapper, "__wrapped__", None)
    return found


def test_the_page_lists_exactly_the_optional_inputs():
    found = {(label, p.name) for label, func in CALLABLES
             for p in signature(func).parameters.values()
             if p.kind is not p.KEYWORD_ONLY and p.kind is not p.VAR_KEYWORD
             and p.default is not p.empty}
    assert found == OPTIONAL_INPUTS


def test_the_page_lists_exactly_the_deprecated_names_the_code_accepts():
    assert code_deprecated() == DEPRECATED


def test_deprecated_names_are_not_options_any_more():
    for (label, old), new in DEPRECATED.items():
        func = dict(CALLABLES)[label]
        params = signature(func).parameters
        if new != "(removed)":
            assert new in params, f"{label}: {old}= points to {new}=, which it does not take"
        assert old not in params or old == "by", f"{label}: {old}= is still an option"


# ------------------------------------------------------------------ the aliases work and warn

DOCS = pl.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"],
                     "published": [dt.date(2023, 5, 1), dt.date(2024, 5, 1)],
                     "text": ["Peace talks began. Peace plan.", "Peace talks ended."]})


def _same_with_warning(old: Callable[[], Any], new: Callable[[], Any], match: str) -> None:
    with pytest.warns(DeprecationWarning, match=match):
        before = old()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        after = new()
    if isinstance(before, pl.DataFrame):
        assert before.equals(after)
    else:
        assert before == after


def test_renamed_options_still_work_with_a_warning():
    tokens = analysis.tokenize(DOCS)
    _same_with_warning(lambda: analysis.collocations(tokens, span=3),
                       lambda: analysis.collocations(tokens, window=2), "window = span - 1")
    _same_with_warning(lambda: analysis.add_group(tokens, DOCS, by="published:year"),
                       lambda: analysis.add_group(tokens, DOCS, every="1y"), "every='1y'")
    _same_with_warning(
        lambda: analysis.compare_groups(tokens, DOCS, by="published:year", fallback=None).counts,
        lambda: analysis.compare_groups(tokens, DOCS, every="1y", fallback=None).counts,
        "every='1y'")
    _same_with_warning(lambda: analysis.tokenize(DOCS, progress=True),
                       lambda: analysis.tokenize(DOCS), "has no effect")
    _same_with_warning(lambda: analysis.choose.choose_terms(tokens, [], n=1),
                       lambda: analysis.choose.choose_terms(tokens, [], top=1), "use top=")


def test_an_old_name_with_a_new_meaning_says_so():
    quotes = pl.DataFrame({"doc_id": ["a", "a", "b"], "kind": ["direct"] * 3,
                           "speaker": ["Putin", "Xi", "Xi"],
                           "actor": ["Vladimir Putin", "Xi Jinping", "Xi Jinping"]})
    # by= named the counted item; now it names grouping columns
    with pytest.warns(DeprecationWarning) as seen:
        old = analysis.quote_shares(quotes, DOCS, by="speaker", group="outlet")
    assert [str(w.message).split(";")[0] for w in seen] == [
        "quote_shares(): by= is deprecated", "quote_shares(): group= is deprecated"]
    assert "by= now names grouping columns" in str(seen[0].message)
    assert old.equals(analysis.quote_shares(quotes, DOCS, item="speaker", by="outlet"))
    assert analysis.quote_shares(quotes, DOCS, by="outlet")["outlet"].to_list() == ["X", "X", "Y"]
    with pytest.raises(TypeError, match="pass top= only"):
        analysis.plot_top_terms(analysis.term_frequency(analysis.tokenize(DOCS)),
                                top=1, top_n=2)


def test_every_table_row_is_well_formed():
    kinds = {"bool", "int", "number", "text", "date", "other"}
    assert {kind for kind, _ in OPTIONS.values()} <= kinds
    assert isinstance(OPTIONS, Mapping) and OPTIONS
