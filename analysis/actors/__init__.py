"""Actors: mentions of people, states, organisations and places from a dictionary, and candidates.
"""

from analysis.actors._actors import (
    actor_summary,
    actors,
    mention_sentences,
    strongest_pair_sentences,
)
from analysis.actors._candidates import actor_candidates
from analysis.actors._dictionary import actor_dictionary

__all__ = [
    "actor_candidates",
    "actor_dictionary",
    "actor_summary",
    "actors",
    "mention_sentences",
    "strongest_pair_sentences",
]
