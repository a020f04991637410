"""Report defaults chosen from the corpus itself: the comparison, focus terms, trend terms, actors.

A report parameter left empty means "chosen from the corpus". The choices follow fixed,
documented rules, so the same corpus always gives the same choices, and no default names a
term, actor, year or outlet of any particular corpus.

The keyness comparison (:func:`choose_comparison`)
    1. **Latest period against the rest.** For each period unit from the coarsest to the finest
       (year, quarter, month, week, day), the dated documents are grouped by period; the first
       unit whose latest period *and* the other periods together each hold at least ``min_docs``
       documents (:data:`MIN_GROUP_DOCS`, 10, by default) gives the comparison.
    2. **Else the largest outlet against the others**, when the outlet with the most documents
       (ties: the first by name) and all other outlets together each hold ``min_docs``.
    3. **Else no comparison**: the report says so, and why.

    Documents without a date (or without an outlet) never form a group: they are counted on
    neither side. A grouping given by the user (``by="outlet"``) is used as given, provided it
    has two groups.
Focus terms (:func:`distinctive_terms`)
    The most distinctive frequent terms: counted tokens (no stop-words, no punctuation, at
    least three letters, no month or weekday name, :data:`CALENDAR_WORDS`) ranked by
    ``n * ln(N / docfreq)``, the corpus-level tf-idf (``n`` occurrences, ``docfreq``
    documents using the term, ``N`` documents), among the terms used by at least two
    documents (by one when the corpus has a single document). A term in every document
    scores 0; ties go to the more frequent, then alphabetical, term.
Trend terms (:func:`trend_terms`)
    The terms with the largest positive G² of the latest period against the rest (rule 1 above,
    at least 3 occurrences, used by at least 2 documents of the latest period, the same
    candidate filter as focus terms); when no period comparison is possible (or it gives no
    such term), the distinctive terms.
Actors (:func:`top_actors`)
    The actors with the most mentions (ties: the first by name), each with the spellings that
    matched, lower-cased, as aliases.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from analysis.engine._frames import MISSING_GROUP, require_columns, to_polars
from analysis.engine._options import renamed
from analysis.engine._term_counts import term_counts
from analysis.terms._comparison import (
    EVERY_UNITS,
    GroupComparison,
    _add_group,
    compare_groups,
    resolve_grouping,
)
from analysis.terms._frequency import frequency_columns
from analysis.terms._keyness import keyness

if TYPE_CHECKING:
    from analysis.engine._frames import Frame

__all__ = [
    "CALENDAR_WORDS",
    "MIN_GROUP_DOCS",
    "PERIOD_UNITS",
    "choose_actors",
    "choose_comparison",
    "choose_terms",
    "distinctive_terms",
    "grouping_options",
    "key_terms",
    "top_actors",
    "trend_terms",
]

MIN_GROUP_DOCS = 10
"""Documents each side of an automatically chosen comparison needs at least."""

PERIOD_UNITS = ("year", "quarter", "month", "week", "day")
"""Period units tried by :func:`choose_comparison`, coarsest first."""


def grouping_options(grouping: str) -> dict[str, str]:
    """The ``by=`` / ``every=`` options of a report's ``group`` parameter.

    A report parameter keeps the command line's spelling: ``""`` (chosen from the corpus),
    a column (``"outlet"``) or ``"column:unit"`` (``"published:month"``).

    Examples
    --------
    >>> grouping_options(""), grouping_options("outlet")
    ({}, {'by': 'outlet'})
    >>> grouping_options("published:month")
    {'every': '1mo', 'date_column': 'published'}
    """
    column, _, unit = grouping.partition(":")
    if not column:
        return {}
    if not unit:
        return {"by": column}
    every = {u: e for e, u in EVERY_UNITS.items()}.get(unit)
    if every is None:
        raise ValueError(f"period unit must be one of {', '.join(EVERY_UNITS.values())}; "
                         f"got {unit!r} in {grouping!r}")
    return {"every": every, "date_column": column}


_grouping_options = grouping_options


def _docs_table(docs: Any) -> pl.DataFrame:
    return to_polars(getattr(docs, "docs", docs), what="docs")


def _group_sizes(docs: pl.DataFrame, by: str) -> dict[str, int]:
    """Documents per group of ``by`` (documents without a value left out)."""
    labels = _add_group(docs.select("doc_id"), docs, by=by, name="_group")
    sizes = labels.group_by("_group").len().filter(pl.col("_group") != MISSING_GROUP)
    return dict(sizes.iter_rows())


def _has_dates(docs: pl.DataFrame) -> bool:
    return "published" in docs.columns and docs.schema["published"].is_temporal() and (
        docs["published"].null_count() < docs.height)


def _period_choice(docs: pl.DataFrame, min_docs: int) -> tuple[str, str, list[str]] | None:
    """(by, latest period, other periods) by rule 1, or None."""
    if not _has_dates(docs):
        return None
    for unit in PERIOD_UNITS:
        by = f"published:{unit}"
        sizes = _group_sizes(docs, by)
        if len(sizes) < 2:
            continue
        latest = max(sizes)
        rest = sum(n for g, n in sizes.items() if g != latest)
        if sizes[latest] >= min_docs and rest >= min_docs:
            return by, latest, sorted(g for g in sizes if g != latest)
    return None


def _outlet_choice(docs: pl.DataFrame, min_docs: int) -> tuple[str, str, list[str]] | None:
    """(by, largest outlet, other outlets) by rule 2, or None."""
    if "outlet" not in docs.columns:
        return None
    cleaned = docs.with_columns(
        outlet=pl.col("outlet").cast(pl.String).str.strip_chars().replace("", None))
    sizes = _group_sizes(cleaned, "outlet")
    if len(sizes) < 2:
        return None
    largest = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    rest = sum(n for g, n in sizes.items() if g != largest)
    if sizes[largest] >= min_docs and rest >= min_docs:
        return "outlet", largest, sorted(g for g in sizes if g != largest)
    return None


def _no_comparison(tokens: pl.DataFrame, statement: str) -> GroupComparison:
    def one_group(rows: pl.DataFrame) -> pl.DataFrame:  # per batch, not on the whole table
        return rows.with_columns(group=pl.lit("all documents"))

    counts = frequency_columns(term_counts(tokens, ["group"], prepare=one_group), ["group"])
    sizes = pl.DataFrame(
        {"group": ["all documents"], "documents": [tokens["doc_id"].n_unique()],
         "tokens": [int(counts["n"].sum() or 0)], "distinct_terms": [counts.height],
         "role": ["not compared"]},
        schema={"group": pl.String, "documents": pl.Int64, "tokens": pl.Int64,
                "distinct_terms": pl.Int64, "role": pl.String},
    )
    return GroupComparison(counts=counts, by="", group_column="group", target="", reference=(),
                           sizes=sizes, statement=statement, possible=False)


def choose_comparison(
    tokens: Frame,
    docs: Any,
    *,
    by: str | None = None,
    every: str | None = None,
    date_column: str = "published",
    target: str | None = None,
    reference: str | Sequence[str] | None = None,
    min_docs: int = MIN_GROUP_DOCS,
) -> GroupComparison:
    """Settle the keyness comparison of a report by the documented rule, never failing.

    Parameters
    ----------
    tokens
        The token table (:func:`analysis.tokenize`, or :func:`analysis.compound` of it).
    docs
        A :class:`~analysis.corpus._load.Corpus` or its ``docs`` table.
    by, every, date_column
        ``by`` and ``every`` both ``None``: chosen by the rule in the module docstring. A
        column (``by="outlet"``) or a period of ``date_column`` (``every="1mo"``): used as
        given, with ``target`` and ``reference`` as in
        :func:`~analysis.terms._comparison.compare_groups`.
    target, reference
        Used only with a given ``by`` or ``every``.
    min_docs
        Documents each side of an automatically chosen comparison needs at least.

    Returns
    -------
    GroupComparison
        As :func:`~analysis.terms._comparison.compare_groups` returns, plus ``statement`` (one
        sentence saying which comparison was chosen and why) and ``possible``. When no
        comparison is possible, ``counts`` has one group, ``"all documents"``, ``target`` is
        ``""`` and ``statement`` says why.

    Examples
    --------
    >>> import polars as pl, datetime as dt
    >>> docs = pl.DataFrame({"doc_id": [f"d{i}" for i in range(4)],
    ...                      "text": ["war talks", "war peace", "peace deal", "deal talks"],
    ...                      "published": [dt.date(2022, 1, 1), dt.date(2022, 1, 2),
    ...                                    dt.date(2022, 2, 1), dt.date(2022, 2, 3)]})
    >>> import analysis
    >>> cmp = choose_comparison(analysis.tokenize(docs), docs, min_docs=2)
    >>> cmp.by, cmp.target, cmp.reference
    ('published:month', '2022-02', ('2022-01',))
    >>> choose_comparison(analysis.tokenize(docs), docs, min_docs=3).possible
    False
    """
    table = to_polars(tokens, what="choose_comparison()'s tokens")
    documents = _docs_table(docs)
    if not isinstance(min_docs, int) or min_docs < 1:
        raise ValueError(f"min_docs must be a positive integer; got {min_docs!r}")
    given = resolve_grouping("choose_comparison", by or None, every, date_column)
    if given:
        by = given
        sizes = _group_sizes(documents, by)
        if len(sizes) < 2:
            return _no_comparison(table, (
                f"No comparison is possible: grouping by {by!r} gives {len(sizes)} group(s) "
                "of documents with a value (documents without one are never a group)."))
        cmp = compare_groups(table, documents, **_grouping_options(by), target=target or None,
                             reference=reference or None, fallback=None)
        return _with_statement(cmp, f"Grouping {by!r} as given: {cmp.target!r} against "
                                    f"{cmp.reference_label!r}.")
    found = _period_choice(documents, min_docs)
    rule = "the latest period against the rest"
    if found is None:
        found = _outlet_choice(documents, min_docs)
        rule = "the outlet with the most documents against the other outlets"
    if found is None:
        n_dated = (documents["published"].is_not_null().sum()
                   if "published" in documents.columns else 0)
        n_outlets = (documents["outlet"].drop_nulls().n_unique()
                     if "outlet" in documents.columns else 0)
        return _no_comparison(table, (
            f"No comparison is possible: each side needs at least {min_docs} documents, and "
            f"neither the latest period against the rest ({n_dated} of {documents.height} "
            f"documents dated) nor the largest outlet against the others ({n_outlets} "
            "outlet(s)) gives that. All documents are counted as one group."))
    by, chosen, others = found
    cmp = compare_groups(table, documents, **_grouping_options(by), target=chosen,
                         reference=others, fallback=None)
    docs_in = dict(to_polars(cmp.sizes).select(cmp.group_column, "documents").iter_rows())
    n_ref = sum(docs_in.get(g, 0) for g in cmp.reference)
    return _with_statement(cmp, (
        f"Compared: {rule} ({by!r}): {chosen!r} ({docs_in.get(chosen, 0)} documents) against "
        f"{len(cmp.reference)} other group(s) ({n_ref} documents); each side has at least "
        f"{min_docs} documents."))


def _with_statement(cmp: GroupComparison, statement: str) -> GroupComparison:
    return GroupComparison(counts=cmp.counts, by=cmp.by, group_column=cmp.group_column,
                           target=cmp.target, reference=cmp.reference, sizes=cmp.sizes,
                           statement=statement, possible=True)


def key_terms(comparison: GroupComparison, *, min_n: int = 3, **options: Any) -> Frame:
    """:func:`analysis.keyness` of a comparison; an empty keyness table when none was possible.

    Examples
    --------
    >>> import polars as pl
    >>> import analysis
    >>> toks = analysis.tokenize(pl.DataFrame({"doc_id": ["a"], "text": ["peace talks"]}))
    >>> key_terms(choose_comparison(toks, pl.DataFrame({"doc_id": ["a"]}))).height
    0
    """
    if comparison.possible:
        return keyness(comparison.counts, target=comparison.target,
                       reference=list(comparison.reference), min_n=min_n, **options)
    dummy = pl.DataFrame({"group": ["a", "a", "b", "b"], "term": ["x", "y", "x", "y"],
                          "n": [2, 1, 1, 2]})
    return to_polars(keyness(dummy, target="a", reference=["b"], min_n=1, **options)).clear()


CALENDAR_WORDS = frozenset({
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "mon", "tue", "tues", "wed", "thu", "thur", "thurs",
    "fri", "sat", "sun", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday",
})
"""Month and weekday names, never chosen as focus or trend terms (datelines make them key)."""


def _candidates(table: pl.DataFrame) -> pl.DataFrame:
    """Counted tokens that can be chosen: 3+ characters with 3+ letters, no calendar word.

    ``doc_id`` and ``term`` of those rows; the letters are counted once per distinct term.
    """
    counted = table.lazy().filter(~pl.col("is_stop") & ~pl.col("is_punct")).select(
        "doc_id", "term")
    vocabulary = counted.select(pl.col("term").unique()).filter(_candidate(pl.col("term")))
    return counted.join(vocabulary, on="term", how="semi", maintain_order="left").collect()


def _candidate(term: pl.Expr) -> pl.Expr:
    """Whether a term can be chosen: 3+ letters, no calendar word."""
    return (term.str.count_matches(r"[^\W\d_]") >= 3) & ~term.is_in(list(CALENDAR_WORDS))


@renamed(n="top")
def distinctive_terms(tokens: Frame, *, top: int = 5) -> list[str]:
    """The most distinctive frequent terms of a corpus (rule in the module docstring).

    Examples
    --------
    >>> import polars as pl
    >>> import analysis
    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c"],
    ...                      "text": ["war war talks 2022", "war talks", "peace talks"]})
    >>> distinctive_terms(analysis.tokenize(docs), top=2)  # talks is in every document: score 0
    ['war', 'talks']
    """
    table = to_polars(tokens, what="distinctive_terms()'s tokens")
    require_columns(table, ["doc_id", "term", "is_stop", "is_punct"], what="tokens")
    # n and docfreq of every counted term, per batch of whole documents; then the candidates
    counted = term_counts(table.select("doc_id", "term", "is_stop", "is_punct"), [])
    counted = counted.filter(_candidate(pl.col("term")))
    n_docs = table["doc_id"].n_unique()
    if counted.is_empty():
        return []
    min_df = 2 if n_docs > 1 else 1
    scored = (
        counted.filter(pl.col("docfreq") >= min_df)
        .with_columns(score=pl.col("n") * (pl.lit(float(n_docs)) / pl.col("docfreq")).log(math.e))
        .sort(["score", "n", "term"], descending=[True, True, False])
    )
    return scored["term"].head(top).to_list()


@renamed(n="top")
def choose_terms(tokens: Frame, terms: Sequence[str], *, top: int = 5) -> list[str]:
    """``terms`` when given, else :func:`distinctive_terms` (lets a notebook stay branch-free).

    Examples
    --------
    >>> import polars as pl
    >>> import analysis
    >>> toks = analysis.tokenize(pl.DataFrame({"doc_id": ["a"], "text": ["peace talks"]}))
    >>> choose_terms(toks, ["war"]), choose_terms(toks, [], top=1)
    (['war'], ['peace'])
    """
    given = [t for t in terms if t]
    return given if given else distinctive_terms(tokens, top=top)


@renamed(n="top")
def trend_terms(tokens: Frame, docs: Any, terms: Sequence[str] = (), *, top: int = 4,
                min_docs: int = MIN_GROUP_DOCS) -> list[str]:
    """``terms`` when given, else the top key terms of the latest period (module docstring).

    Examples
    --------
    >>> import polars as pl, datetime as dt
    >>> import analysis
    >>> docs = pl.DataFrame({"doc_id": ["a", "b", "c", "d"],
    ...                      "text": ["war war war", "war talks", "peace peace peace talks",
    ...                               "peace talks"],
    ...                      "published": [dt.date(2022, 1, 1), dt.date(2022, 1, 5),
    ...                                    dt.date(2022, 3, 1), dt.date(2022, 3, 2)]})
    >>> trend_terms(analysis.tokenize(docs), docs, top=1, min_docs=2)  # key in March
    ['peace']
    """
    given = [t for t in terms if t]
    if given:
        return given
    table = to_polars(tokens, what="trend_terms()'s tokens")
    found = _period_choice(_docs_table(docs), min_docs)
    if found is None:
        return distinctive_terms(table, top=top)
    by, latest, others = found
    cmp = compare_groups(table, _docs_table(docs), **_grouping_options(by), target=latest,
                         reference=others,
                         fallback=None)
    key = to_polars(key_terms(_with_statement(cmp, ""), min_n=3))
    documents = _docs_table(docs)
    labels = _add_group(documents.select("doc_id"), documents, by=by, name="_period")
    spread = _spread_terms(table, labels.filter(pl.col("_period") == latest)["doc_id"])
    keep = (pl.col("g2") > 0) & pl.col("term").is_in(spread.implode())
    chosen = key.filter(keep)["term"].head(top).to_list()
    return chosen if chosen else distinctive_terms(table, top=top)


def _spread_terms(table: pl.DataFrame, doc_ids: pl.Series) -> pl.Series:
    """The candidate terms (:func:`_candidate`) used by at least two of the documents
    ``doc_ids``, in no particular order (counted per batch of whole documents by
    :func:`analysis.engine._term_counts.term_counts`)."""
    wanted = pl.col("doc_id").is_in(doc_ids.implode())
    counts = term_counts(table, [], prepare=lambda rows: rows.filter(wanted))
    return counts.filter((pl.col("docfreq") >= 2) & _candidate(pl.col("term")))["term"]


@renamed(n="top")
def top_actors(mentions: Frame, *, top: int = 5) -> dict[str, list[str]]:
    """The most-mentioned actors, each with its matched spellings lower-cased as aliases.

    Examples
    --------
    >>> import polars as pl
    >>> men = pl.DataFrame({"actor": ["A", "B", "B", "C"], "matched": ["Al", "Bo", "Bob", "C"]})
    >>> top_actors(men, top=2)
    {'B': ['bo', 'bob'], 'A': ['al']}
    """
    table = to_polars(mentions, what="top_actors()'s mentions")
    if table.is_empty():
        return {}
    ranked = (
        table.group_by("actor").agg(mentions=pl.len(),
                                    aliases=pl.col("matched").str.to_lowercase().unique().sort())
        .sort(["mentions", "actor"], descending=[True, False]).head(top)
    )
    return {row["actor"]: list(row["aliases"]) for row in ranked.iter_rows(named=True)}


@renamed(n="top")
def choose_actors(mentions: Frame, actors: Mapping[str, Sequence[str]], *,
                  top: int = 5) -> dict[str, list[str]]:
    """``actors`` when given, else :func:`top_actors` (lets a notebook stay branch-free).

    Examples
    --------
    >>> import polars as pl
    >>> men = pl.DataFrame({"actor": ["A"], "matched": ["Al"]})
    >>> choose_actors(men, {}), choose_actors(men, {"Z": ["zed"]})
    ({'A': ['al']}, {'Z': ['zed']})
    """
    if actors:
        return {k: list(v) for k, v in actors.items()}
    return top_actors(mentions, top=top)
