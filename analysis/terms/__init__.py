"""Terms: frequency, tf-idf, keyness between groups, n-grams, keyword in context, dispersion.
"""

from analysis.terms._charts import plot_tf_idf, plot_top_terms
from analysis.terms._comparison import GroupComparison, add_group, compare_groups
from analysis.terms._counting import count_terms, sentence_terms
from analysis.terms._frequency import term_frequency, tf_idf
from analysis.terms._keyness import keyness, plot_keyness
from analysis.terms._kwic import dispersion, kwic, plot_dispersion
from analysis.terms._ngrams import ngram_frequency, ngrams

__all__ = [
    "GroupComparison",
    "add_group",
    "compare_groups",
    "count_terms",
    "dispersion",
    "keyness",
    "kwic",
    "ngram_frequency",
    "ngrams",
    "plot_dispersion",
    "plot_keyness",
    "plot_tf_idf",
    "plot_top_terms",
    "sentence_terms",
    "term_frequency",
    "tf_idf",
]
