"""Benchmarks for issue #7: import, indexing, search and page figures on a synthetic corpus.

    python -m benchmarks --practices 10000      (make bench)

docs/performance.md describes what is measured and how.
"""

import os

# The corpus generator reads the exchange format's vocabularies, whose messages need settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings.dev")
