"""Wire-service credits in news texts: datelines, sign-offs and credit lines.

A document *credits* a wire service when its text says the story (or part of it) comes from
the wire: a dateline ``WASHINGTON (AP) —``, ``Beijing, May 15 (EFE).-``, ``MOSCOW, May 15.
/TASS/.``; a sign-off ``— Xinhua`` or ``EFE gbm/up/ssk``; a credit line ``With Reuters and
EFE`` or ``Reuters contributed to this report``; Reuters' ``(Reporting by ...; Editing by
...)``. A page that ends in a bare ``Source link`` is a re-post of an unnamed source.

A wire *mentioned* in the body ("Reuters reported", "according to AFP", "Photograph: AFP/Getty")
is **not** a credit: the article cites the wire for a fact or a picture, the text is not the
wire's. Those mentions are left to :func:`analysis.kwic`.

The rules are a table (:data:`WIRE_RULES`) of :class:`WireRule`; pass your own list (e.g.
``[*WIRE_RULES, WireRule(...)]``) to :func:`wire_sources` to extend them, and a mapping of
aliases (:data:`WIRE_ALIASES`) to add wire services.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import polars as pl

from analysis.engine._frames import require_columns, tidy

WIRE_ALIASES: dict[str, tuple[str, ...]] = {
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "Reuters": ("Reuters", "REUTERS", "Thomson Reuters"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "EFE": ("EFE",),
    "Xinhua": ("Xinhua", "XINHUA"),
    "TASS": ("TASS", "ITAR-TASS"),
    "RIA Novosti": ("RIA Novosti", "RIA"),
    "Interfax": ("Interfax", "Interfax-Ukraine"),
    "Ukrinform": ("Ukrinform",),
    "UNIAN": ("UNIAN",),
    "dpa": ("dpa", "DPA"),
    "ANSA": ("ANSA",),
    "Anadolu": ("Anadolu Agency", "Anadolu"),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "PTI": ("PTI",),
    "UPI": ("UPI",),
    "Bloomberg": ("Bloomberg",),
}
"""Wire services and the names they appear under (matched case-sensitively, as written)."""

UNNAMED_SOURCE = "(unnamed source)"
"""The ``wire`` of a re-post that names no source ("Source link")."""


@dataclass(frozen=True)
class WireRule:
    """One way a text credits a wire service.

    Attributes
    ----------
    name
        The rule's name (the ``rule`` column of :func:`wire_sources`).
    pattern
        A regular expression (multi-line mode) with a group ``cue`` (the span reported) and,
        unless ``wire`` is given, the placeholder ``{wires}`` for the alternation of all wire
        aliases, captured as group ``wire``; when the placeholder is inside ``cue`` without a
        ``wire`` group, every alias found in the cue is a credit (``With Reuters and EFE``).
    wire
        A fixed wire service for rules that imply one (Reuters' "(Reporting by ...)").
    description
        What the rule finds, for the documentation.
    hint
        A (Rust-syntax) regular expression a text must contain for the rule to be tried;
        ``None``: any wire alias (a fast pre-filter, run in polars).
    """

    name: str
    pattern: str
    wire: str | None = None
    description: str = ""
    hint: str | None = None


_H = r"[^\S\n]"  # horizontal white space
WIRE_RULES: tuple[WireRule, ...] = (
    WireRule("dateline",
             rf"^[^\n]{{0,80}}?(?P<cue>\((?P<wire>{{wires}})\){_H}*\.?{_H}*(?:[-–—:]+|$))",
             description="a parenthesised wire after a place and date, at the start of a line, "
                         "then a dash, colon or the line end: 'KYIV (Reuters) -', "
                         "'Beijing, May 15 (EFE).-'"),
    WireRule("slash dateline",
             r"^[^\n]{0,80}?(?:^|(?<=\s))(?P<cue>/(?P<wire>{wires})/)(?!\w)",
             description="TASS-style '/TASS/' near the start of a line, after a space (not a "
                         "photo credit such as 'Photograph: Name/AFP/Getty Images')"),
    WireRule("sign-off", rf"(?P<cue>[-–—]{_H}*(?P<wire>{{wires}})){_H}*\.?{_H}*$",
             description="a line ending in a dash and a wire: '— Xinhua'"),
    WireRule("wire line", rf"^{_H}*(?P<cue>(?P<wire>{{wires}})){_H}*\.?{_H}*$",
             description="a line that is only a wire's name"),
    WireRule("credit line",
             rf"^{_H}*(?P<cue>(?:[Ww]ith|[Aa]dditional reporting by|[Rr]eporting by|"
             rf"[Ss]ources?:|[Ii]nformation from)\b[^\n]{{0,100}}?\b(?:{{wires}})\b[^\n]{{0,60}}?)"
             rf"{_H}*\.?{_H}*$",
             description="a short line crediting wires: 'With Reuters and EFE', "
                         "'Additional reporting by AFP' (every wire named in it)"),
    WireRule("contributed", rf"(?P<cue>\b(?:{{wires}})\b[^\n.]{{0,80}}?\bcontributed"
                            rf"(?:{_H}+reporting|{_H}+to{_H}+this{_H}+(?:report|story)))",
             description="'Reuters and AFP contributed to this report' (every wire named)"),
    WireRule("reuters sign-off", r"(?P<cue>\((?:Reporting|Writing) by [^()\n]{0,300}?"
                                 r"(?:Editing|editing) by [^()\n]{0,200}\))", wire="Reuters",
             description="Reuters' closing '(Reporting by ...; Editing by ...)'",
             hint=r"(?:Reporting|Writing) by"),
    WireRule("efe sign-off", rf"(?P<cue>\bEFE(?:{_H}+[a-z]{{2,4}}(?:/[a-z]{{2,4}})+)){_H}*$",
             wire="EFE", description="EFE's closing initials: 'EFE gbm/up/ssk'"),
    WireRule("source link", rf"^{_H}*(?P<cue>[Ss]ource [Ll]ink){_H}*$", wire=UNNAMED_SOURCE,
             description="a re-post page's 'Source link' line (no source named)",
             hint=r"(?i)source link"),
)
"""The default rules, applied in this order (all of them: a text can match several)."""


@cache
def _alias_table(
    aliases: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[str, str, dict[str, str]]:
    """(python regex of any alias, a looser polars/Rust regex for pre-filtering, alias->wire)."""
    lookup = {alias: wire for wire, names in aliases for alias in names}
    alternation = "|".join(re.escape(a) for a in sorted(lookup, key=lambda a: (-len(a), a)))
    return rf"(?<![\w-])(?:{alternation})(?![\w-])", rf"\b(?:{alternation})\b", lookup


@cache
def _compiled(pattern: str, wires: str) -> re.Pattern[str]:
    return re.compile(pattern.replace("{wires}", wires), re.MULTILINE)


SCHEMA = {"doc_id": pl.String, "wire": pl.String, "cue": pl.String, "start": pl.Int64,
          "end": pl.Int64, "rule": pl.String}


@tidy
def wire_sources(
    docs: pl.DataFrame, *, rules: Sequence[WireRule] = WIRE_RULES,
    aliases: Mapping[str, Sequence[str]] = WIRE_ALIASES,
) -> pl.DataFrame:
    """The wire services each document credits, with the words that credit them.

    Parameters
    ----------
    docs
        Documents: ``doc_id`` and ``text`` (null texts credit nothing).
    rules
        The credit rules (:data:`WIRE_RULES`).
    aliases
        Wire service -> the names it appears under (:data:`WIRE_ALIASES`).

    Returns
    -------
    DataFrame
        One row per credit found (a wire credited twice, e.g. by dateline and sign-off, has
        two rows):

        - ``doc_id``: the document.
        - ``wire``: the wire service (a key of ``aliases``, or :data:`UNNAMED_SOURCE`).
        - ``cue``: the crediting words, ``text[start:end]``.
        - ``start``, ``end``: character offsets of the cue in ``text``.
        - ``rule``: the name of the rule that found it.

        Sorted by document (input order), ``start``, ``wire``.

    Examples
    --------
    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c"], "text": [
    ...     "Beijing, May 15 (EFE).- Putin said ...\\nEFE gbm/up/ssk",
    ...     "Moscow and Beijing ... Reuters reported on Monday.\\nWith Reuters and AFP",
    ...     None]})
    >>> wire_sources(docs).select("doc_id", "wire", "cue", "start", "end")
    shape: (4, 5)
    ┌────────┬─────────┬──────────────────────┬───────┬─────┐
    │ doc_id ┆ wire    ┆ cue                  ┆ start ┆ end │
    │ ---    ┆ ---     ┆ ---                  ┆ ---   ┆ --- │
    │ str    ┆ str     ┆ str                  ┆ i64   ┆ i64 │
    ╞════════╪═════════╪══════════════════════╪═══════╪═════╡
    │ a      ┆ EFE     ┆ (EFE).-              ┆ 16    ┆ 23  │
    │ a      ┆ EFE     ┆ EFE gbm/up/ssk       ┆ 39    ┆ 53  │
    │ b      ┆ AFP     ┆ With Reuters and AFP ┆ 51    ┆ 71  │
    │ b      ┆ Reuters ┆ With Reuters and AFP ┆ 51    ┆ 71  │
    └────────┴─────────┴──────────────────────┴───────┴─────┘
    """
    require_columns(docs, ["doc_id", "text"], what="docs")
    key = tuple((w, tuple(names)) for w, names in sorted(aliases.items()))
    wires, hint_re, lookup = _alias_table(key)
    alias_re = re.compile(wires)
    compiled = [(rule, _compiled(rule.pattern, wires)) for rule in rules]
    for rule, pattern in compiled:
        if "cue" not in pattern.groupindex:
            raise ValueError(f"wire rule {rule.name!r} has no (?P<cue>...) group")
    # only texts naming a wire (or "source link") can match: filter in polars first
    hints = sorted({rule.hint or hint_re for rule in rules})
    hint = pl.any_horizontal([pl.col("text").str.contains(h) for h in hints]) if hints else (
        pl.lit(False))
    cand = docs.select(pl.col("doc_id").cast(pl.String), pl.col("text").cast(pl.String),
                       pl.int_range(pl.len()).alias("_order")).filter(hint.fill_null(False))
    rows: list[tuple[str, str, str, int, int, str, int]] = []
    for doc_id, text, order in cand.iter_rows():
        for rule, pattern in compiled:
            for m in pattern.finditer(text):
                start, end = m.span("cue")
                cue = m.group("cue")
                if rule.wire is not None:
                    found = [rule.wire]
                elif "wire" in pattern.groupindex and m.group("wire"):
                    found = [lookup[m.group("wire")]]
                else:
                    found = sorted({lookup[a.group(0)] for a in alias_re.finditer(cue)})
                rows.extend((doc_id, w, cue, start, end, rule.name, order) for w in found)
    table = pl.DataFrame(rows, schema={**SCHEMA, "_order": pl.Int64}, orient="row")
    return table.unique().sort(["_order", "start", "wire", "rule"]).drop("_order")


@tidy
def wire_share(docs: pl.DataFrame, wires: pl.DataFrame, *, by: str = "outlet") -> pl.DataFrame:
    """Share of each group's documents that credit each wire service (and any wire).

    Parameters
    ----------
    docs
        Documents: ``doc_id`` and the ``by`` column (missing values become ``"(none)"``).
    wires
        :func:`wire_sources` output.
    by
        The document column to group by.

    Returns
    -------
    DataFrame
        One row per group and wire credited in it, plus a row ``wire="(any wire)"`` per group
        (documents crediting at least one named wire; a bare "Source link" is not a wire):
        the ``by`` column, ``wire``, ``n_docs`` (documents of the group), ``n_crediting``
        (documents crediting the wire), ``share`` (``n_crediting / n_docs``). Sorted by group,
        then ``n_crediting`` descending and ``wire``.

    Examples
    --------
    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "X", None]})
    >>> wires = pl.DataFrame({"doc_id": ["a", "a"], "wire": ["EFE", "Reuters"]})
    >>> wire_share(docs, wires)
    shape: (4, 5)
    ┌────────┬────────────┬────────┬─────────────┬───────┐
    │ outlet ┆ wire       ┆ n_docs ┆ n_crediting ┆ share │
    │ ---    ┆ ---        ┆ ---    ┆ ---         ┆ ---   │
    │ str    ┆ str        ┆ u32    ┆ u32         ┆ f64   │
    ╞════════╪════════════╪════════╪═════════════╪═══════╡
    │ (none) ┆ (any wire) ┆ 1      ┆ 0           ┆ 0.0   │
    │ X      ┆ (any wire) ┆ 2      ┆ 1           ┆ 0.5   │
    │ X      ┆ EFE        ┆ 2      ┆ 1           ┆ 0.5   │
    │ X      ┆ Reuters    ┆ 2      ┆ 1           ┆ 0.5   │
    └────────┴────────────┴────────┴─────────────┴───────┘
    """
    require_columns(docs, ["doc_id", by], what="docs")
    require_columns(wires, ["doc_id", "wire"], what="wires")
    groups = docs.select(pl.col("doc_id").cast(pl.String),
                         pl.col(by).cast(pl.String).fill_null("(none)"))
    sizes = groups.group_by(by).agg(n_docs=pl.len())
    credits = wires.select(pl.col("doc_id").cast(pl.String), "wire").unique()
    named = credits.filter(pl.col("wire") != UNNAMED_SOURCE).select(
        "doc_id", pl.lit("(any wire)").alias("wire")).unique()
    counted = (
        pl.concat([named, credits]).join(groups, on="doc_id")
        .group_by(by, "wire").agg(n_crediting=pl.len())
    )
    anyrow = sizes.select(by, pl.lit("(any wire)").alias("wire"))
    return (
        anyrow.join(counted, on=[by, "wire"], how="full", coalesce=True)
        .join(sizes, on=by)
        .with_columns(pl.col("n_crediting").fill_null(0).cast(pl.UInt32),
                      pl.col("n_docs").cast(pl.UInt32))
        .with_columns(share=pl.col("n_crediting") / pl.col("n_docs"))
        .select(by, "wire", "n_docs", "n_crediting", "share")
        .sort([by, "n_crediting", "wire"], descending=[False, True, False])
    )
