"""News-corpus analysis toolkit: tidy tables for corpora, tokens, terms, pairs and dates.

>>> import analysis
>>> corpus = analysis.load_corpus(analysis.config.RAW_DIR)
>>> tokens = analysis.tokenize(corpus)
"""

from analysis import config
from analysis.actors import actor_dictionary, actors, mention_sentences  # issue #5
from analysis.cleaning import BOILERPLATE_RULES, BoilerplateRule, clean_text
from analysis.collocations import collocations, plot_collocations  # issue #5
from analysis.cooccurrence import cooccurrence, cooccurrence_matrix  # issue #5
from analysis.corpus import Corpus, CorpusError, load_corpus
from analysis.kwic import dispersion, kwic, plot_dispersion  # issue #4
from analysis.network import export_network, layout_network, network, plot_network  # issue #5
from analysis.ngrams import compound, ngrams  # issue #4
from analysis.stopwords import default_stopwords
from analysis.terms import (  # issue #4
    add_group,
    keyness,
    plot_keyness,
    plot_tf_idf,
    plot_top_terms,
    term_frequency,
    tf_idf,
)
from analysis.tokenize import tokenize

__version__ = "0.1.0"

__all__ = [
    "BOILERPLATE_RULES",
    "BoilerplateRule",
    "Corpus",
    "CorpusError",
    "__version__",
    "actor_dictionary",  # issue #5
    "actors",  # issue #5
    "add_group",  # issue #4
    "clean_text",
    "collocations",  # issue #5
    "compound",  # issue #4
    "config",
    "cooccurrence",  # issue #5
    "cooccurrence_matrix",  # issue #5
    "default_stopwords",
    "dispersion",  # issue #4
    "export_network",  # issue #5
    "keyness",  # issue #4
    "kwic",  # issue #4
    "layout_network",  # issue #5
    "load_corpus",
    "mention_sentences",  # issue #5
    "network",  # issue #5
    "ngrams",  # issue #4
    "plot_collocations",  # issue #5
    "plot_dispersion",  # issue #4
    "plot_keyness",  # issue #4
    "plot_network",  # issue #5
    "plot_tf_idf",  # issue #4
    "plot_top_terms",  # issue #4
    "term_frequency",  # issue #4
    "tf_idf",  # issue #4
    "tokenize",
]

# --- issue #6: timelines and dates ---
from analysis.dates import date_sentences, events, extract_dates, plot_events
from analysis.timeline import plot_documents, plot_trends, timeline

__all__ += [
    "date_sentences",
    "events",
    "extract_dates",
    "plot_documents",
    "plot_events",
    "plot_trends",
    "timeline",
]
