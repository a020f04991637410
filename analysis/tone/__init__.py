"""Tone toward actors: sentence scores joined to actor mentions, per actor, group and period.
"""

from analysis.tone._actors import actor_tone, tone_sentences
from analysis.tone._charts import plot_actor_tone, plot_tone_difference, plot_tone_over_time
from analysis.tone._scores import tone

__all__ = [
    "actor_tone",
    "plot_actor_tone",
    "plot_tone_difference",
    "plot_tone_over_time",
    "tone",
    "tone_sentences",
]
