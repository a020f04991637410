"""The engine's contracts: light imports, one table contract through every verb."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ["nltk", "altair", "pandas", "scipy", "sklearn", "dask", "distributed", "networkx",
         "papermill", "numpy", "datasketch", "vaderSentiment", "trafilatura", "itables"]


def test_import_analysis_is_light():
    code = ("import sys, analysis; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
