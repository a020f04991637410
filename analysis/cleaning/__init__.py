"""Cleaning: Unicode, markup, entities and the boilerplate news exports carry, as named rules.
"""

from analysis.cleaning._column import clean_texts
from analysis.cleaning._rules import BOILERPLATE_RULES, WIRE_CREDIT_RULES, BoilerplateRule
from analysis.cleaning._text import clean_text

__all__ = [
    "BOILERPLATE_RULES",
    "WIRE_CREDIT_RULES",
    "BoilerplateRule",
    "clean_text",
    "clean_texts",
]
