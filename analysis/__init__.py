"""News-corpus analysis toolkit: tidy tables for corpora, tokens, terms, pairs and dates.

>>> import analysis
>>> corpus = analysis.load_corpus(analysis.datasets.bundled())
>>> tokens = analysis.tokenize(corpus)
"""

from analysis import choose, config, datasets, distributed, fastcount, tables
from analysis.actors import (
    actor_dictionary,
    actor_summary,
    actors,
    mention_sentences,
    strongest_pair_sentences,
)
from analysis.boilerplate import BOILERPLATE_RULES, WIRE_CREDIT_RULES, BoilerplateRule
from analysis.candidates import actor_candidates
from analysis.choose import choose_comparison
from analysis.cleaning import clean_text
from analysis.cleaning_column import clean_texts
from analysis.collocations import collocations, plot_collocations, top_collocations
from analysis.comparison import GroupComparison, add_group, compare_groups
from analysis.cooccurrence import cooccurrence, cooccurrence_matrix, focus_pairs
from analysis.corpus import Corpus, CorpusError, load_corpus
from analysis.counting import count_terms, sentence_terms
from analysis.date_events import date_sentences, events, plot_events
from analysis.dates import extract_dates
from analysis.dedup import deduplicate, duplicate_copies
from analysis.keyness import keyness, plot_keyness
from analysis.kwic import dispersion, kwic, plot_dispersion
from analysis.neardup import near_duplicate_pairs, near_duplicates
from analysis.network import export_network, layout_network, network, plot_network
from analysis.ngrams import ngram_frequency, ngrams
from analysis.periods import published_between
from analysis.phrases import compound
from analysis.quotes import quotes
from analysis.stopwords import default_stopwords
from analysis.syndication import (
    copy_coverage,
    copy_share,
    drop_copies,
    largest_clusters,
    plot_copy_coverage,
    plot_copy_share,
    syndication,
)
from analysis.terms import (
    plot_tf_idf,
    plot_top_terms,
    term_frequency,
    tf_idf,
)
from analysis.timeline import timeline
from analysis.timeline_charts import plot_documents, plot_trends
from analysis.tokenize import tokenize
from analysis.tone import tone
from analysis.tone_actors import actor_tone, tone_sentences
from analysis.tone_charts import plot_actor_tone, plot_tone_difference, plot_tone_over_time
from analysis.voices import (
    most_quoted,
    plot_quote_matrix,
    plot_quote_shares,
    quote_sentences,
    quote_shares,
)
from analysis.wires import WIRE_ALIASES, WIRE_RULES, WireRule, wire_share, wire_sources

__version__ = "0.1.0"

__all__ = [
    "BOILERPLATE_RULES",
    "WIRE_ALIASES",
    "WIRE_CREDIT_RULES",
    "WIRE_RULES",
    "BoilerplateRule",
    "Corpus",
    "CorpusError",
    "GroupComparison",
    "WireRule",
    "__version__",
    "actor_candidates",
    "actor_dictionary",
    "actor_summary",
    "actor_tone",
    "actors",
    "add_group",
    "choose",
    "choose_comparison",
    "clean_text",
    "clean_texts",
    "collocations",
    "compare_groups",
    "compound",
    "config",
    "cooccurrence",
    "cooccurrence_matrix",
    "copy_coverage",
    "copy_share",
    "count_terms",
    "datasets",
    "date_sentences",
    "deduplicate",
    "default_stopwords",
    "dispersion",
    "distributed",
    "drop_copies",
    "duplicate_copies",
    "events",
    "export_network",
    "extract_dates",
    "fastcount",
    "focus_pairs",
    "keyness",
    "kwic",
    "largest_clusters",
    "layout_network",
    "load_corpus",
    "mention_sentences",
    "most_quoted",
    "near_duplicate_pairs",
    "near_duplicates",
    "network",
    "ngram_frequency",
    "ngrams",
    "plot_actor_tone",
    "plot_collocations",
    "plot_copy_coverage",
    "plot_copy_share",
    "plot_dispersion",
    "plot_documents",
    "plot_events",
    "plot_keyness",
    "plot_network",
    "plot_quote_matrix",
    "plot_quote_shares",
    "plot_tf_idf",
    "plot_tone_difference",
    "plot_tone_over_time",
    "plot_top_terms",
    "plot_trends",
    "published_between",
    "quote_sentences",
    "quote_shares",
    "quotes",
    "sentence_terms",
    "strongest_pair_sentences",
    "syndication",
    "tables",
    "term_frequency",
    "tf_idf",
    "timeline",
    "tokenize",
    "tone",
    "tone_sentences",
    "top_collocations",
    "wire_share",
    "wire_sources",
]
