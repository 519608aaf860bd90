"""readinglist: turn raw paper dumps into a curated, searchable reading-list website.

Pipeline (one module per stage, composed in :mod:`generator.pipeline`)::

    raw files -> parse -> ingest (merge into the store) -> classify -> related -> render -> pages
"""

__version__ = "0.1.0"
