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
from analysis.network import export_network, layout_network, network, plot_network  # issue #5
from analysis.stopwords import default_stopwords
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
    "clean_text",
    "collocations",  # issue #5
    "config",
    "cooccurrence",  # issue #5
    "cooccurrence_matrix",  # issue #5
    "default_stopwords",
    "export_network",  # issue #5
    "layout_network",  # issue #5
    "load_corpus",
    "mention_sentences",  # issue #5
    "network",  # issue #5
    "plot_collocations",  # issue #5
    "plot_network",  # issue #5
    "tokenize",
]

# --- issue #4: term frequency, tf-idf, keyness, n-grams, KWIC ---
from analysis.kwic import dispersion, kwic, plot_dispersion
from analysis.ngrams import compound, ngrams
from analysis.terms import (
    add_group,
    keyness,
    plot_keyness,
    plot_tf_idf,
    plot_top_terms,
    term_frequency,
    tf_idf,
)

__all__ += [
    "add_group",
    "compound",
    "dispersion",
    "keyness",
    "kwic",
    "ngrams",
    "plot_dispersion",
    "plot_keyness",
    "plot_tf_idf",
    "plot_top_terms",
    "term_frequency",
    "tf_idf",
]
# --- end issue #4 ---
