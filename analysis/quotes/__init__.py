"""Quotations: who is quoted saying what (direct and reported speech), and shares of voices.
"""

from analysis.quotes._quotes import quotes
from analysis.quotes._voices import (
    most_quoted,
    plot_quote_matrix,
    plot_quote_shares,
    quote_sentences,
    quote_shares,
)

__all__ = [
    "most_quoted",
    "plot_quote_matrix",
    "plot_quote_shares",
    "quote_sentences",
    "quote_shares",
    "quotes",
]
