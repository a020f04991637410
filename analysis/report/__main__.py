"""``python -m analysis.report``: the command line of :func:`analysis.report.main`."""

import sys

from analysis.report._cli import main

sys.exit(main())
