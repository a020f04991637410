"""The counting verbs on a Dask cluster: the same per-batch functions as the local run, distributed.

``analysis.distributed`` is this package (its name before the subpackages).
"""

from analysis.scale._dask import (
    collocation_counts,
    collocations,
    cooccurrence_counts,
    count_terms,
    document_frequency,
    map_reduce,
    ngram_counts,
    partitions,
    term_totals,
    timeline_counts,
)

__all__ = [
    "collocation_counts",
    "collocations",
    "cooccurrence_counts",
    "count_terms",
    "document_frequency",
    "map_reduce",
    "ngram_counts",
    "partitions",
    "term_totals",
    "timeline_counts",
]
