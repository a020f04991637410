"""News-corpus analysis toolkit: tidy tables for corpora, tokens, terms, pairs and dates.

>>> import analysis
>>> corpus = analysis.load_corpus(analysis.config.RAW_DIR)
>>> tokens = analysis.tokenize(corpus)
"""

from analysis import config
from analysis.cleaning import BOILERPLATE_RULES, BoilerplateRule, clean_text
from analysis.corpus import Corpus, CorpusError, load_corpus
from analysis.stopwords import default_stopwords
from analysis.tokenize import tokenize

__version__ = "0.1.0"

__all__ = [
    "BOILERPLATE_RULES",
    "BoilerplateRule",
    "Corpus",
    "CorpusError",
    "__version__",
    "clean_text",
    "config",
    "default_stopwords",
    "load_corpus",
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
