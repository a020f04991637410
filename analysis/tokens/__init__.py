"""Tokens: sentences and words with character offsets (the token store), stop words, phrases.
"""

from analysis.tokens._phrases import compound
from analysis.tokens._stopwords import default_stopwords
from analysis.tokens._tokenize import tokenize

__all__ = [
    "compound",
    "default_stopwords",
    "tokenize",
]
