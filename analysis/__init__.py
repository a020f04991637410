"""News-corpus analysis toolkit: tidy tables for corpora, tokens, terms, pairs and dates.

>>> import analysis
>>> corpus = analysis.load_corpus(analysis.datasets.bundled())
>>> tokens = analysis.tokenize(corpus)
"""

from analysis import config, datasets
from analysis import scale as distributed
from analysis.actors import (
    actor_candidates,
    actor_dictionary,
    actor_summary,
    actors,
    mention_sentences,
    strongest_pair_sentences,
)
from analysis.cleaning import (
    BOILERPLATE_RULES,
    WIRE_CREDIT_RULES,
    BoilerplateRule,
    clean_text,
    clean_texts,
)
from analysis.copies import (
    WIRE_ALIASES,
    WIRE_RULES,
    WireRule,
    copy_coverage,
    copy_share,
    deduplicate,
    drop_copies,
    duplicate_copies,
    largest_clusters,
    near_duplicate_pairs,
    near_duplicates,
    plot_copy_coverage,
    plot_copy_share,
    syndication,
    wire_share,
    wire_sources,
)
from analysis.corpus import Corpus, CorpusError, load_corpus
from analysis.pairs import (
    collocations,
    cooccurrence,
    cooccurrence_matrix,
    export_network,
    focus_pairs,
    layout_network,
    network,
    plot_collocations,
    plot_network,
    top_collocations,
)
from analysis.quotes import (
    most_quoted,
    plot_quote_matrix,
    plot_quote_shares,
    quote_sentences,
    quote_shares,
    quotes,
)
from analysis.report import choose, tables
from analysis.report.choose import choose_comparison
from analysis.terms import (
    GroupComparison,
    add_group,
    compare_groups,
    count_terms,
    dispersion,
    keyness,
    kwic,
    ngram_frequency,
    ngrams,
    plot_dispersion,
    plot_keyness,
    plot_tf_idf,
    plot_top_terms,
    sentence_terms,
    term_frequency,
    tf_idf,
)
from analysis.time import (
    date_sentences,
    events,
    extract_dates,
    plot_documents,
    plot_events,
    plot_trends,
    published_between,
    timeline,
)
from analysis.tokens import compound, default_stopwords, tokenize
from analysis.tone import (
    actor_tone,
    plot_actor_tone,
    plot_tone_difference,
    plot_tone_over_time,
    tone,
    tone_sentences,
)

__version__ = config.VERSION

_FASTCOUNT = {  # module -> the names it still offers there (only what behaves as it did)
    "analysis.terms._counting": ["COUNT_SCHEMA", "SENTENCE_SCHEMA", "count_terms",
                                 "count_terms_to_parquet", "sentence_terms"],
    "analysis.pairs._cooccurrence_counts": ["CountRule", "UnitContext", "cooccurrence_counts"],
    "analysis.pairs._collocation_counts": ["SkipHow", "collocation_table", "collocation_join"],
    "analysis.pairs._collocations": ["collocations", "collocation_counts"],
}
"""What the deprecated ``analysis.fastcount`` still offers (its old names, the canonical
functions). ``top_terms`` and the old-signature ``cooccurrence_table`` /
``cooccurrence_partial`` / ``cooccurrence_result`` are gone: they had logic of their own."""


def __getattr__(name: str) -> object:
    """``analysis.fastcount``: a deprecated namespace of the counting functions under their
    old names (one release), with a ``DeprecationWarning`` naming where they live now."""
    if name != "fastcount":
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    import importlib
    import types
    import warnings

    warnings.warn(
        "analysis.fastcount is deprecated and will be removed in the next release: use "
        "analysis.count_terms, analysis.sentence_terms, analysis.collocations and "
        "analysis.cooccurrence (the counting functions live in analysis.terms and "
        "analysis.pairs)",
        DeprecationWarning,
        stacklevel=2,
    )
    # imported by name here, so the alias costs nothing until it is used
    space = types.SimpleNamespace(**{attr: getattr(importlib.import_module(module), attr)
                                     for module, attrs in _FASTCOUNT.items() for attr in attrs})
    space.Context = space.UnitContext  # its old name
    space.__doc__ = "Deprecated: the counting functions under their old names."
    return space

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
