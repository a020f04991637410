"""Charts of tone toward actors (:mod:`analysis.tone._scores`): intervals, trends, baseline
differences.

Every chart takes an :func:`analysis.actor_tone` table, aggregates or caps it before plotting
(at most ``top`` groups, the ones with the most sentences), and returns an Altair chart.
Groups with fewer sentences than the table's minimum are drawn faded, not hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from analysis.engine._frames import require_columns, to_polars
from analysis.engine._options import renamed

if TYPE_CHECKING:
    import altair as alt

def _tips(table: pl.DataFrame, group: str | None) -> list[Any]:
    import altair as alt

    tips = [alt.Tooltip("actor:N")]
    if group:
        tips.append(alt.Tooltip(f"{group}:N"))
    if "period" in table.columns:
        tips.append(alt.Tooltip("period:T", format="%Y-%m-%d"))
    tips += [alt.Tooltip("n_sentences:Q", title="sentences", format=","),
             alt.Tooltip("n_shared:Q", title="shared with another actor", format=","),
             alt.Tooltip("mean_compound:Q", title="mean compound", format=".3f"),
             alt.Tooltip("ci_low:Q", title="interval low", format=".3f"),
             alt.Tooltip("ci_high:Q", title="interval high", format=".3f"),
             alt.Tooltip("share_negative:Q", title="negative share", format=".0%"),
             alt.Tooltip("share_positive:Q", title="positive share", format=".0%"),
             alt.Tooltip("baseline:Q", title="group baseline", format=".3f"),
             alt.Tooltip("difference:Q", title="difference to baseline", format="+.3f")]
    return tips


def cap_groups(table: Any, *, group: str | None, top_groups: int) -> pl.DataFrame:
    """Keep the ``top_groups`` values of ``group`` with the most sentences (ties by name).

    Examples
    --------
    >>> t = pl.DataFrame({"actor": ["A", "A", "A"], "outlet": ["x", "y", "z"],
    ...                   "n_sentences": [5, 9, 5]})
    >>> cap_groups(t, group="outlet", top_groups=2)["outlet"].to_list()
    ['x', 'y']
    """
    data = to_polars(table, what="tone table")
    if not group:
        return data
    keep = (data.group_by(group).agg(pl.col("n_sentences").sum())
            .sort(["n_sentences", group], descending=[True, False]).head(top_groups)[group])
    return data.filter(pl.col(group).is_in(keep.implode()))


@renamed(group="by", top_groups="top")
def plot_actor_tone(table: Any, *, by: str | None = "outlet", top: int = 8) -> alt.Chart:
    """Mean tone per actor (and group) as points with their bootstrap intervals.

    Parameters
    ----------
    table
        :func:`analysis.actor_tone` output (without periods).
    by
        The group column drawn as colour and offset within each actor's row; ``None``: none
        (``group=`` is its deprecated name).
    top
        Groups drawn at most (those with the most sentences; ``top_groups=`` is its
        deprecated name).

    Returns
    -------
    alt.Chart
        One row per actor (most sentences first), a point at the mean compound score and a
        rule across its interval; faded where the group has few sentences.

    Examples
    --------
    >>> t = pl.DataFrame({"actor": ["A"], "outlet": ["x"], "n_sentences": [3], "n_shared": [0],
    ...     "mean_compound": [0.1], "ci_low": [0.0], "ci_high": [0.2], "share_negative": [0.0],
    ...     "share_positive": [0.3], "baseline": [0.0], "difference": [0.1],
    ...     "few_sentences": [True]})
    >>> type(plot_actor_tone(t)).__name__
    'LayerChart'
    """
    import altair as alt

    group = by
    data = cap_groups(table, group=group, top_groups=top)
    require_columns(data, ["actor", "mean_compound", "ci_low", "ci_high", "n_sentences"],
                    what="actor_tone table")
    order = (data.group_by("actor").agg(pl.col("n_sentences").sum())
             .sort(["n_sentences", "actor"], descending=[True, False])["actor"].to_list())
    y = alt.Y("actor:N", sort=order, title=None)
    enc: dict[str, Any] = {"y": y, "tooltip": _tips(data, group)}
    if group:
        enc["color"] = alt.Color(f"{group}:N", title=group,
                                 legend=alt.Legend(orient="bottom", columns=4, labelLimit=220))
        enc["yOffset"] = alt.YOffset(f"{group}:N")
    base = alt.Chart(data).encode(**enc)
    rules = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("ci_low:Q", title="mean VADER compound score (95% interval)",
                scale=alt.Scale(zero=True, nice=True)), x2="ci_high:Q",
        opacity=alt.condition("datum.few_sentences", alt.value(0.35), alt.value(1.0)))
    points = base.mark_point(filled=True, size=70).encode(
        x="mean_compound:Q",
        opacity=alt.condition("datum.few_sentences", alt.value(0.35), alt.value(1.0)))
    zero = alt.Chart(pl.DataFrame({"x": [0.0]})).mark_rule(color="#888", strokeDash=[4, 4]).encode(
        x="x:Q")
    return (zero + rules + points).properties(
        width=620, height=alt.Step(14 if group else 22),
        title="Tone toward each actor (faded: fewer sentences than the minimum)")


@renamed(top_groups="top")
def plot_tone_over_time(table: Any, *, top: int = 8) -> alt.FacetChart:
    """Mean tone per period, one small panel per actor: a line with its interval as a band.

    ``table`` is :func:`analysis.actor_tone` output with ``period`` (``every=`` given) and no
    group columns; at most ``top`` actors (most sentences) are drawn, two panels a row,
    on one shared scale. The dashed line is the baseline (all sentences of the period).

    Examples
    --------
    >>> from datetime import date
    >>> t = pl.DataFrame({"actor": ["A", "A"], "period": [date(2022, 1, 1), date(2022, 2, 1)],
    ...     "n_sentences": [3, 4], "n_shared": [0, 0], "mean_compound": [0.1, -0.2],
    ...     "ci_low": [0.0, -0.3], "ci_high": [0.2, -0.1], "share_negative": [0.0, 0.5],
    ...     "share_positive": [0.3, 0.0], "baseline": [0.0, 0.0], "difference": [0.1, -0.2],
    ...     "few_sentences": [True, True]})
    >>> type(plot_tone_over_time(t)).__name__
    'FacetChart'
    """
    import altair as alt

    data = cap_groups(table, group="actor", top_groups=top)
    require_columns(data, ["actor", "period", "mean_compound", "ci_low", "ci_high", "baseline"],
                    what="actor_tone table with periods")
    order = (data.group_by("actor").agg(pl.col("n_sentences").sum())
             .sort(["n_sentences", "actor"], descending=[True, False])["actor"].to_list())
    base = alt.Chart().encode(x=alt.X("period:T", title=None), tooltip=_tips(data, None))
    band = base.mark_area(opacity=0.2, color="#4c78a8").encode(
        y=alt.Y("ci_low:Q", title="mean compound (95% interval)"), y2="ci_high:Q")
    line = base.mark_line(point=True, color="#4c78a8").encode(y="mean_compound:Q")
    baseline = base.mark_line(color="#888", strokeDash=[4, 4]).encode(y="baseline:Q")
    title = ("Tone toward the most-mentioned actors over time (dashed: all sentences)"
             if data.height else "Tone over time: no dated sentences mention an actor")
    return alt.layer(band, baseline, line, data=data).properties(width=300, height=140).facet(
        facet=alt.Facet("actor:N", sort=order, title=None), columns=2, title=title)


@renamed(group="by", top_groups="top")
def plot_tone_difference(table: Any, *, by: str = "outlet", top: int = 8) -> alt.Chart:
    """Heat map of each actor's tone minus the group's baseline tone (actor x group).

    Blue: the actor is written about more positively than the group's coverage in general;
    red: more negatively. Cells show the difference; hover for all figures. ``by`` is the group
    column (``group=`` is its deprecated name); at most ``top`` groups are drawn, those with the
    most sentences (``top_groups=`` is its deprecated name).

    Examples
    --------
    >>> t = pl.DataFrame({"actor": ["A"], "outlet": ["x"], "n_sentences": [3], "n_shared": [0],
    ...     "mean_compound": [0.1], "ci_low": [0.0], "ci_high": [0.2], "share_negative": [0.0],
    ...     "share_positive": [0.3], "baseline": [0.0], "difference": [0.1],
    ...     "few_sentences": [False]})
    >>> type(plot_tone_difference(t)).__name__
    'LayerChart'
    """
    import altair as alt

    group = by
    data = cap_groups(table, group=group, top_groups=top)
    require_columns(data, ["actor", group, "difference"], what="actor_tone table")
    order = (data.group_by("actor").agg(pl.col("n_sentences").sum())
             .sort(["n_sentences", "actor"], descending=[True, False])["actor"].to_list())
    base = alt.Chart(data).encode(
        x=alt.X(f"{group}:N", title=None, axis=alt.Axis(labelAngle=-30, labelLimit=160)),
        y=alt.Y("actor:N", sort=order, title=None), tooltip=_tips(data, group))
    cells = base.mark_rect().encode(color=alt.Color(
        "difference:Q", title="tone minus baseline",
        scale=alt.Scale(domain=[-0.5, 0.5], domainMid=0, scheme="redblue", clamp=True)))
    text = base.mark_text(fontSize=11).encode(text=alt.Text("difference:Q", format="+.2f"))
    return (cells + text).properties(
        width=alt.Step(90), height=alt.Step(22),
        title="Tone toward each actor relative to the outlet's overall tone")
