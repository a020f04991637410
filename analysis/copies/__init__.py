"""Copies: exact and near-duplicate documents, who copies whom, and wire-service credits.
"""

from analysis.copies._dedup import deduplicate, duplicate_copies
from analysis.copies._neardup import near_duplicate_pairs, near_duplicates
from analysis.copies._syndication import (
    copy_coverage,
    copy_share,
    drop_copies,
    largest_clusters,
    plot_copy_coverage,
    plot_copy_share,
    syndication,
)
from analysis.copies._wires import WIRE_ALIASES, WIRE_RULES, WireRule, wire_share, wire_sources

__all__ = [
    "WIRE_ALIASES",
    "WIRE_RULES",
    "WireRule",
    "copy_coverage",
    "copy_share",
    "deduplicate",
    "drop_copies",
    "duplicate_copies",
    "largest_clusters",
    "near_duplicate_pairs",
    "near_duplicates",
    "plot_copy_coverage",
    "plot_copy_share",
    "syndication",
    "wire_share",
    "wire_sources",
]
