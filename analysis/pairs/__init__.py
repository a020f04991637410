"""Pairs: collocations, co-occurrence of terms and actors, and networks drawn from pair tables.
"""

from analysis.pairs._collocations import collocations, plot_collocations, top_collocations
from analysis.pairs._cooccurrence import cooccurrence, cooccurrence_matrix, focus_pairs
from analysis.pairs._network import export_network, layout_network, network, plot_network

__all__ = [
    "collocations",
    "cooccurrence",
    "cooccurrence_matrix",
    "export_network",
    "focus_pairs",
    "layout_network",
    "network",
    "plot_collocations",
    "plot_network",
    "top_collocations",
]
