"""Time: publication periods, coverage over time (the timeline), and the dates articles refer to.
"""

from analysis.time._charts import plot_documents, plot_trends
from analysis.time._dates import extract_dates
from analysis.time._events import date_sentences, events, plot_events
from analysis.time._periods import published_between
from analysis.time._timeline import timeline

__all__ = [
    "date_sentences",
    "events",
    "extract_dates",
    "plot_documents",
    "plot_events",
    "plot_trends",
    "published_between",
    "timeline",
]
