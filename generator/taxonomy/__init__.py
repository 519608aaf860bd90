"""The curator's taxonomy (``data/topics.yaml``, ``data/tags.yaml``): loaded and validated, then checked.

- :mod:`generator.taxonomy.load`: the two files -> :class:`Taxonomy`; hard problems raise;
- :mod:`generator.taxonomy.checks`: soft findings (warnings) about a loaded taxonomy.
"""

from __future__ import annotations

from generator.taxonomy.checks import GENERIC_WORDS, check_taxonomy
from generator.taxonomy.load import SLUG, load_taxonomy

__all__ = ["GENERIC_WORDS", "SLUG", "check_taxonomy", "load_taxonomy"]
