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
