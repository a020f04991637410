"""Networks from pair tables: build a networkx graph, draw it with Altair, export it for Gephi.

:func:`network` turns the pairs of :func:`analysis.cooccurrence` (``item1, item2, n``) or
:func:`analysis.collocations` (``term1, term2, n``) into an undirected weighted graph;
:func:`layout_network` places its nodes (seeded spring layout, so the picture is the same on
every run); :func:`plot_network` draws it; :func:`export_network` writes GEXF or GraphML.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import polars as pl

if TYPE_CHECKING:
    import altair as alt
    import networkx as nx

from analysis.engine._frames import require_columns, to_polars
from analysis.engine._options import renamed

MAX_PLOT_EDGES = 2000
"""Largest graph :func:`plot_network` draws (filter with ``min_n`` / ``top`` first)."""


def _endpoints(table: pl.DataFrame, source: str | None, target: str | None) -> tuple[str, str]:
    if source is not None and target is not None:
        return source, target
    for a, b in (("item1", "item2"), ("term1", "term2"), ("source", "target")):
        if a in table.columns and b in table.columns:
            return a, b
    raise ValueError(
        "pairs needs columns item1/item2 (cooccurrence), term1/term2 (collocations) or "
        f"source/target; found {table.columns}"
    )


def _plain(value: Any) -> Any:
    """Python scalars only (GEXF/GraphML writers refuse numpy and None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | str):
        return value
    return str(value)


@renamed(source="source_column", target="target_column")
def network(
    pairs: Any,
    *,
    min_n: int = 1,
    top: int | None = None,
    weight: str = "n",
    focus: Iterable[str] | None = None,
    nodes: Any = None,
    source_column: str | None = None,
    target_column: str | None = None,
) -> nx.Graph:
    """Build an undirected weighted graph from a table of pairs.

    Parameters
    ----------
    pairs
        A pair table (polars or pandas): :func:`analysis.cooccurrence` or
        :func:`analysis.collocations` output, or any table with ``source``/``target`` (or the
        columns named by ``source_column`` and ``target_column``) and the ``weight`` column.
    min_n
        Keep pairs whose ``n`` (or ``weight`` when there is no ``n``) is at least this.
    top
        Keep only the ``top`` heaviest edges (ties broken by the node names).
    weight
        The column used as edge weight (``"n"``, ``"pmi"``, ``"logdice"``, ...).
    focus
        Keep only edges that touch one of these nodes (an ego network around focus terms);
        ``None`` or empty: every edge.
    nodes
        Optional table of node attributes: a ``node`` column (or, without one, an ``actor``
        column, so :func:`analysis.actor_summary` output can be passed as it is) plus any
        others (e.g. an actor's ``type``); nodes not in the table get no such attribute.
    source_column, target_column
        Column names of the two ends; default: ``item1``/``item2``, ``term1``/``term2`` or
        ``source``/``target``, whichever the table has (``source=`` and ``target=`` are the
        deprecated names of these options).

    Returns
    -------
    networkx.Graph
        Nodes added in sorted order, each with ``frequency`` (``n1``/``n2`` when the table has
        them, else the node's weighted degree in the kept edges) and ``degree`` (number of
        kept edges); edges (added heaviest first) with ``weight`` and every numeric column.
        For collocations, the two directions of a pair are merged into the heavier one.

    Examples
    --------
    >>> import polars as pl
    >>> pairs = pl.DataFrame({"item1": ["a", "a", "b"], "item2": ["b", "c", "c"],
    ...                       "n": [3, 1, 2], "n1": [4, 4, 2], "n2": [2, 3, 3]})
    >>> g = network(pairs, min_n=2)
    >>> sorted(g.edges(data="weight")), dict(g.nodes(data="frequency"))
    ([('a', 'b', 3.0), ('b', 'c', 2.0)], {'a': 4, 'b': 2, 'c': 3})
    >>> sorted(network(pairs, focus=["c"]).edges())
    [('a', 'c'), ('b', 'c')]
    >>> len(network(pairs, focus=[]).edges())
    3
    >>> summary = pl.DataFrame({"actor": ["a"], "type": ["state"], "mentions": [4]})
    >>> network(pairs, nodes=summary).nodes["a"]["type"]
    'state'
    """
    import networkx as nx

    table = to_polars(pairs, what="pairs")
    src, tgt = _endpoints(table, source_column, target_column)
    require_columns(table, [src, tgt, weight], what="pairs")
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 0:
        raise ValueError(f"min_n must be a non-negative integer, got {min_n!r}")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ValueError(f"top must be a positive integer or None, got {top!r}")
    count_col = "n" if "n" in table.columns else weight
    table = table.filter(pl.col(count_col) >= min_n).filter(pl.col(src) != pl.col(tgt))
    if focus is not None:
        chosen = [str(f) for f in ([focus] if isinstance(focus, str) else focus)]
        if chosen:
            table = table.filter(pl.col(src).is_in(chosen) | pl.col(tgt).is_in(chosen))
    # one row per unordered pair: keep the heavier direction (collocations are ordered)
    table = (
        table.with_columns(
            __a=pl.min_horizontal(src, tgt).cast(pl.String),
            __b=pl.max_horizontal(src, tgt).cast(pl.String),
        )
        .sort([weight, "__a", "__b"], descending=[True, False, False], nulls_last=True)
        .unique(["__a", "__b"], keep="first", maintain_order=True)
    )
    if top is not None:
        table = table.head(top)
    numeric = [c for c, t in table.schema.items()
               if t.is_numeric() and c not in ("n1", "n2") and not c.startswith("__")]
    graph = nx.Graph()
    freq: dict[str, float] = {}
    if "n1" in table.columns and "n2" in table.columns:
        for a, b, f1, f2 in table.select(src, tgt, "n1", "n2").iter_rows():
            freq[str(a)], freq[str(b)] = _plain(f1), _plain(f2)
    names = sorted(set(table["__a"].to_list()) | set(table["__b"].to_list()))
    graph.add_nodes_from(names)
    for row in table.select("__a", "__b", *numeric).iter_rows(named=True):
        attrs = {c: _plain(row[c]) for c in numeric if row[c] is not None}
        attrs["weight"] = float(row[weight]) if row[weight] is not None else 0.0
        graph.add_edge(row["__a"], row["__b"], **attrs)
    strength = dict(graph.degree(weight="weight"))
    for name in names:
        graph.nodes[name]["frequency"] = freq.get(name, strength[name])
        graph.nodes[name]["degree"] = graph.degree(name)
    if nodes is not None:
        attrs_table = to_polars(nodes, what="nodes")
        key = "node" if "node" in attrs_table.columns else "actor"
        if key not in attrs_table.columns:
            raise ValueError(
                f"nodes needs a 'node' (or 'actor') column naming the nodes; "
                f"found {attrs_table.columns}"
            )
        for row in attrs_table.unique(key, keep="first", maintain_order=True).iter_rows(
            named=True
        ):
            name = str(row.pop(key))
            if name in graph:
                graph.nodes[name].update(
                    {k: _plain(v) for k, v in row.items() if v is not None}
                )
    return graph


def layout_network(graph: nx.Graph, *, seed: int = 42) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Node positions (seeded spring layout) as a node table and an edge table.

    Parameters
    ----------
    graph
        A graph from :func:`network`.
    seed
        Seed of :func:`networkx.spring_layout` (unweighted, node spacing
        :math:`k = 2.5 / \\sqrt{n}`, 200 iterations); same graph and seed, same picture.

    Returns
    -------
    tuple of polars.DataFrame
        ``nodes``: ``node``, ``x``, ``y``, ``frequency``, ``degree`` (+ ``type`` when nodes
        have one), sorted by ``node``; ``edges``: ``source``, ``target``, ``weight``, ``x``,
        ``y``, ``x2``, ``y2``, sorted by ``weight`` (descending), ``source``, ``target``.
        Coordinates are rounded to 6 decimals.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b", {"weight": 2.0})])
    >>> nodes, edges = layout_network(g)
    >>> nodes.columns
    ['node', 'x', 'y', 'frequency', 'degree']
    >>> edges.columns
    ['source', 'target', 'weight', 'x', 'y', 'x2', 'y2']
    """
    import networkx as nx

    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes(data=True)))
    ordered.add_edges_from(sorted((min(a, b), max(a, b), d) for a, b, d in graph.edges(data=True)))
    pos: dict[Any, Any] = {}
    if len(ordered):
        # edge weights only draw the picture; the layout uses the bare structure with a
        # generous node spacing, else heavy hubs collapse into one blob
        k = 2.5 / max(len(ordered), 1) ** 0.5
        pos = nx.spring_layout(ordered, seed=seed, weight=None, k=k, iterations=200)
    strength = dict(ordered.degree(weight="weight"))
    has_type = any("type" in d for _, d in ordered.nodes(data=True))
    node_rows = []
    for name, data in ordered.nodes(data=True):
        x, y = pos[name]
        row = {"node": str(name), "x": round(float(x), 6), "y": round(float(y), 6),
               "frequency": float(data.get("frequency", strength[name])),
               "degree": int(ordered.degree(name))}
        if has_type:
            row["type"] = str(data.get("type", ""))
        node_rows.append(row)
    node_schema = {"node": pl.String, "x": pl.Float64, "y": pl.Float64,
                   "frequency": pl.Float64, "degree": pl.Int64}
    if has_type:
        node_schema["type"] = pl.String
    nodes = pl.DataFrame(node_rows, schema=node_schema).sort("node")
    edge_rows = [
        {"source": str(a), "target": str(b), "weight": float(d.get("weight", 1.0)),
         "x": round(float(pos[a][0]), 6), "y": round(float(pos[a][1]), 6),
         "x2": round(float(pos[b][0]), 6), "y2": round(float(pos[b][1]), 6)}
        for a, b, d in ordered.edges(data=True)
    ]
    edge_schema = {"source": pl.String, "target": pl.String, "weight": pl.Float64,
                   "x": pl.Float64, "y": pl.Float64, "x2": pl.Float64, "y2": pl.Float64}
    edges = pl.DataFrame(edge_rows, schema=edge_schema).sort(
        ["weight", "source", "target"], descending=[True, False, False]
    )
    return nodes, edges


@renamed(labels="show_labels")
def plot_network(
    graph: nx.Graph,
    *,
    seed: int = 42,
    title: str | None = None,
    show_labels: bool = True,
    highlight: Iterable[str] = (),
    width: int = 600,
    height: int = 450,
) -> alt.LayerChart:
    """Draw a graph: edges as lines (width = weight), nodes as circles (area = frequency).

    Parameters
    ----------
    graph
        A graph from :func:`network` (at most :data:`MAX_PLOT_EDGES` edges).
    seed
        Layout seed (:func:`layout_network`).
    title
        Chart title; ``None``: none.
    show_labels
        Write each node's name next to it (``labels=`` is its deprecated name).
    highlight
        Nodes drawn with a thick dark outline (e.g. the focus terms).
    width, height
        Size in pixels.

    Returns
    -------
    altair.LayerChart
        Edges, nodes (coloured by ``type`` when nodes have one) and labels; tooltips show
        node frequency and degree, and edge weights.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b", {"weight": 2.0}), ("b", "c", {"weight": 1.0})])
    >>> chart = plot_network(g, title="demo")
    >>> [layer.mark.type for layer in chart.layer]
    ['rule', 'circle', 'text']
    """
    import altair as alt

    if graph.number_of_edges() > MAX_PLOT_EDGES:
        raise ValueError(
            f"the graph has {graph.number_of_edges()} edges; plot at most {MAX_PLOT_EDGES} "
            "(build it with network(..., top=...) or a higher min_n)"
        )
    title = title or ""
    nodes, edges = layout_network(graph, seed=seed)
    marked = [str(h) for h in ([highlight] if isinstance(highlight, str) else highlight)]
    nodes = nodes.with_columns(highlight=pl.col("node").is_in(marked))
    axis = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    x = alt.X("x:Q", axis=axis, scale=alt.Scale(zero=False, padding=30))
    y = alt.Y("y:Q", axis=axis, scale=alt.Scale(zero=False, padding=20))
    edge_layer = (
        alt.Chart(edges.to_pandas())
        .mark_rule(color="#7b8794", opacity=0.5)
        .encode(
            x=x, y=y, x2="x2:Q", y2="y2:Q",
            strokeWidth=alt.StrokeWidth("weight:Q", scale=alt.Scale(range=[0.5, 8]),
                                        legend=alt.Legend(title="edge weight")),
            tooltip=[alt.Tooltip("source:N"), alt.Tooltip("target:N"),
                     alt.Tooltip("weight:Q", format=",.3~f")],
        )
    )
    color: Any = alt.value("#1f77b4")
    node_tips = [alt.Tooltip("node:N"), alt.Tooltip("frequency:Q", format=",.3~f"),
                 alt.Tooltip("degree:Q")]
    if "type" in nodes.columns:
        color = alt.Color("type:N", legend=alt.Legend(title="type"))
        node_tips.append(alt.Tooltip("type:N"))
    node_layer = (
        alt.Chart(nodes.to_pandas())
        .mark_circle(opacity=0.9)
        .encode(
            x=x, y=y, color=color,
            stroke=alt.condition("datum.highlight", alt.value("#222222"), alt.value("white")),
            strokeWidth=alt.condition("datum.highlight", alt.value(3), alt.value(1)),
            size=alt.Size("frequency:Q", scale=alt.Scale(range=[40, 1200]),
                          legend=alt.Legend(title="frequency")),
            tooltip=node_tips,
        )
    )
    text_layer = (
        alt.Chart(nodes.to_pandas())
        .mark_text(align="left", dx=8, dy=-8, fontSize=11)
        .encode(x=x, y=y, text="node:N" if show_labels else alt.value(""))
    )
    # alt.layer() is typed LayerChart | FacetChart; it only facets layers that share facet
    # encodings, and these have none
    if graph.number_of_edges() == 0:  # say so rather than draw an empty panel
        title = f"{title}: nothing to draw (no pairs)" if title else "Nothing to draw (no pairs)"
        height = 40
    return cast("alt.LayerChart", alt.layer(edge_layer, node_layer, text_layer).properties(
        title=title, width=width, height=height
    ))


def export_network(
    graph: nx.Graph, path: str | Path, *, format: Literal["gexf", "graphml"] | None = None
) -> Path:
    """Write a graph for Gephi and friends: GEXF or GraphML (chosen by suffix when no format).

    Parameters
    ----------
    graph
        A graph from :func:`network`.
    path
        Output file (``.gexf`` or ``.graphml`` unless ``format`` says otherwise).
    format
        ``"gexf"`` or ``"graphml"``; default from the file suffix.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b", {"weight": 2.0})])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = export_network(g, Path(d) / "net.graphml")
    ...     sorted(nx.read_graphml(p).edges(data="weight"))
    [('a', 'b', 2.0)]
    """
    import networkx as nx

    path = Path(path)
    fmt = format or path.suffix.lower().lstrip(".")
    if fmt not in ("gexf", "graphml"):
        raise ValueError(
            f"format must be 'gexf' or 'graphml' (or a .gexf/.graphml path), got {fmt!r}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "gexf":
        nx.write_gexf(graph, path)
    else:
        nx.write_graphml(graph, path)
    return path
