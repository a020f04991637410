"""Benchmark support: a synthetic news corpus generator (:mod:`analysis.bench.corpus`) and the
stage runner behind ``make bench`` (:mod:`analysis.bench.run`)."""
