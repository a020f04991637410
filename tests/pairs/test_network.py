"""Networks from pair tables: edges, filters, determinism, export round trips, the chart."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import polars as pl
import pytest

import analysis
from analysis.pairs._network import (
    MAX_PLOT_EDGES,
    export_network,
    layout_network,
    network,
    plot_network,
)

PAIRS = pl.DataFrame({
    "item1": ["China", "China", "Russia", "China", "Japan", "Ukraine"],
    "item2": ["Russia", "Ukraine", "Ukraine", "United States", "Ukraine", "Vladimir Putin"],
    "n": [55, 25, 29, 16, 2, 15],
    "n1": [85, 85, 82, 85, 4, 51],
    "n2": [82, 51, 51, 23, 51, 43],
    "dice": [0.66, 0.37, 0.44, 0.30, 0.07, 0.32],
})


def test_edges_nodes_and_attributes():
    g = network(PAIRS)
    assert sorted(g.edges()) == sorted(
        tuple(sorted(p)) for p in PAIRS.select("item1", "item2").iter_rows())
    assert g["China"]["Russia"] == {"n": 55, "dice": 0.66, "weight": 55.0}
    assert g.nodes["Ukraine"] == {"frequency": 51, "degree": 4}
    assert list(g.nodes) == sorted(g.nodes)


@pytest.mark.parametrize(("min_n", "top", "expected"), [
    (16, None, {("China", "Russia"), ("China", "Ukraine"), ("Russia", "Ukraine"),
                ("China", "United States")}),
    (1, 2, {("China", "Russia"), ("Russia", "Ukraine")}),
    (20, 10, {("China", "Russia"), ("China", "Ukraine"), ("Russia", "Ukraine")}),
])
def test_min_n_and_top(min_n, top, expected):
    assert {tuple(sorted(e)) for e in network(PAIRS, min_n=min_n, top=top).edges()} == expected


def test_focus_and_other_weight():
    g = network(PAIRS, focus=["Japan", "Vladimir Putin"])
    assert sorted(g.edges()) == [("Japan", "Ukraine"), ("Ukraine", "Vladimir Putin")]
    assert network(PAIRS, weight="dice")["China"]["Russia"]["weight"] == 0.66
    assert set(network(PAIRS, focus="Japan").nodes) == {"Japan", "Ukraine"}


def test_collocation_directions_are_merged():
    colloc = pl.DataFrame({"term1": ["peace", "plan", "joint"], "term2": ["plan", "peace", "plan"],
                           "n": [3, 1, 1]})
    g = network(colloc)
    assert g["peace"]["plan"]["weight"] == 3.0 and g.number_of_edges() == 2
    # no n1/n2: frequency is the weighted degree
    assert g.nodes["plan"]["frequency"] == 4.0


def test_node_attributes_table():
    types = pd.DataFrame({"node": ["China", "Vladimir Putin", "Nobody"],
                          "type": ["state", "person", "place"]})
    g = network(PAIRS.to_pandas(), nodes=types)
    assert g.nodes["Vladimir Putin"]["type"] == "person" and "Nobody" not in g
    assert "type" not in g.nodes["Japan"]


def test_layout_is_deterministic_and_order_free():
    a_nodes, a_edges = layout_network(network(PAIRS), seed=7)
    b_nodes, b_edges = layout_network(network(PAIRS.reverse()), seed=7)
    assert a_nodes.equals(b_nodes) and a_edges.equals(b_edges)
    assert a_nodes["node"].to_list() == sorted(a_nodes["node"])
    # edge ends sit on their nodes
    pos = {n: (x, y) for n, x, y in a_nodes.select("node", "x", "y").iter_rows()}
    for s, t, x, y, x2, y2 in a_edges.select("source", "target", "x", "y", "x2", "y2").iter_rows():
        assert pos[s] == (x, y) and pos[t] == (x2, y2)


@pytest.mark.parametrize("suffix", ["gexf", "graphml"])
def test_export_round_trip(tmp_path, suffix):
    g = network(PAIRS, nodes=pl.DataFrame({"node": ["China"], "type": ["state"]}))
    path = export_network(g, tmp_path / f"actors.{suffix}")
    back = nx.read_gexf(path) if suffix == "gexf" else nx.read_graphml(path)
    assert sorted(back.edges(data="weight")) == sorted(g.edges(data="weight"))
    assert back.nodes["China"]["type"] == "state"
    assert back.nodes["Ukraine"]["frequency"] == 51
    other = export_network(g, tmp_path / "actors.xml", format=suffix)
    assert other.read_text(encoding="utf-8").startswith("<?xml")


def test_plot_network():
    chart = plot_network(network(PAIRS, nodes=pl.DataFrame({"node": ["China"],
                                                            "type": ["state"]})), title="t")
    spec = chart.to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rule", "circle", "text"]
    assert spec["layer"][1]["encoding"]["size"]["field"] == "frequency"
    assert spec["layer"][0]["encoding"]["strokeWidth"]["field"] == "weight"
    assert spec["layer"][1]["encoding"]["color"]["field"] == "type"
    assert plot_network(network(PAIRS)).to_dict() == plot_network(network(PAIRS)).to_dict()
    marked = plot_network(network(PAIRS), highlight=["Japan"]).to_dict()
    rows = marked["datasets"][marked["layer"][1]["data"]["name"]]
    assert [r["node"] for r in rows if r["highlight"]] == ["Japan"]


def test_plot_of_an_empty_graph_says_so():
    assert plot_network(nx.Graph(), title="Who copies whom").to_dict()["title"] == (
        "Who copies whom: nothing to draw (no pairs)")
    assert plot_network(network(PAIRS), title="t").to_dict()["title"] == "t"


def test_plot_refuses_huge_graphs():
    g = nx.Graph()
    g.add_edges_from((f"a{i}", f"b{i}") for i in range(MAX_PLOT_EDGES + 1))
    with pytest.raises(ValueError, match="plot at most"):
        plot_network(g)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"min_n": -1}, "min_n must be a non-negative integer"),
    ({"top": 0}, "top must be a positive integer"),
    ({"weight": "pmi"}, r"missing column\(s\) \['pmi'\]"),
])
def test_invalid(kwargs, message):
    with pytest.raises(ValueError, match=message):
        network(PAIRS, **kwargs)


def test_invalid_inputs(tmp_path):
    with pytest.raises(ValueError, match="pairs needs columns item1/item2"):
        network(pl.DataFrame({"a": ["x"], "b": ["y"], "n": [1]}))
    with pytest.raises(ValueError, match="format must be 'gexf' or 'graphml'"):
        export_network(network(PAIRS), tmp_path / "x.csv")


def test_actor_network_on_bundled_corpus():
    corpus = analysis.load_corpus(analysis.config.RAW_DIR)
    mentions = analysis.actors(corpus)
    pairs = analysis.cooccurrence(mentions, item="actor")
    g = network(pairs, top=10)
    assert g.number_of_edges() == 10
    # the heaviest edge is the heaviest pair, counted by hand below
    by_sentence = mentions.group_by("doc_id", "sentence_id").agg(pl.col("actor").unique())
    both = by_sentence.filter(pl.col("actor").list.contains("Russia")
                              & pl.col("actor").list.contains("China")).height
    assert g["China"]["Russia"]["n"] == both
    assert max(w for _, _, w in g.edges(data="weight")) == both


@pytest.mark.parametrize("focus", [None, [], ()])
def test_empty_focus_keeps_every_edge(focus):
    assert network(PAIRS, focus=focus).number_of_edges() == PAIRS.height


def test_nodes_from_an_actor_summary():
    summary = pl.DataFrame({"actor": ["China", "Vladimir Putin"], "type": ["state", "person"],
                            "mentions": [85, 43], "documents": [9, 7],
                            "spellings": ["Beijing, China", "Putin"]})
    g = network(PAIRS, nodes=summary.to_pandas())
    assert g.nodes["China"]["type"] == "state" and g.nodes["China"]["mentions"] == 85
    assert g.nodes["China"]["frequency"] == 85 and "type" not in g.nodes["Japan"]
    nodes, _ = layout_network(g)
    assert dict(nodes.select("node", "type").iter_rows())["Vladimir Putin"] == "person"
    with pytest.raises(ValueError, match="'node' \\(or 'actor'\\)"):
        network(PAIRS, nodes=summary.rename({"actor": "name"}))
