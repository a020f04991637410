"""The benchmark behind ``make bench``, outside the installed package: ``python -m bench.run``."""
