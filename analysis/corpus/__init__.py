"""The corpus: loading files and tables into a :class:`Corpus`, metadata, publication dates,
overview.
"""

from analysis.corpus._load import Corpus, load_corpus
from analysis.corpus._overview import (
    count_axis,
    length_histogram,
    outlet_summary,
    plot_length_histogram,
    plot_outlets,
)
from analysis.corpus._records import CorpusError

__all__ = [
    "Corpus",
    "CorpusError",
    "count_axis",
    "length_histogram",
    "load_corpus",
    "outlet_summary",
    "plot_length_histogram",
    "plot_outlets",
]
