"""The paper store (``data/papers.yaml``): read, validate, write, and keep it safe on disk.

The store is a YAML list, one record per paper, keys in a fixed order, written by :func:`dump_papers`
so that the same papers always give the same bytes. The work is split by job:

- :mod:`generator.store.schema`: what a record may hold; records -> papers and problems;
- :mod:`generator.store.reader`: text -> records (a fast reader for the written layout, YAML otherwise);
- :mod:`generator.store.writer`: papers -> text;
- :mod:`generator.store.files`: atomic writes, clean-up of killed writes, the writers' lock.
"""

from __future__ import annotations

from generator.core.yaml_errors import MAX_NESTING, check_nesting
from generator.store.files import remove_stale_temps, save_store, store_lock, write_atomic
from generator.store.reader import load_store, parse_store
from generator.store.schema import (
    ARXIV_RE,
    DATE_RE,
    DOI_RE,
    FIELD_TYPES,
    ID_RE,
    REQUIRED,
    URL_RE,
    check_links,
)
from generator.store.writer import HEADER, dump_papers, yaml_str

__all__ = [
    "ARXIV_RE",
    "DATE_RE",
    "DOI_RE",
    "FIELD_TYPES",
    "HEADER",
    "ID_RE",
    "MAX_NESTING",
    "REQUIRED",
    "URL_RE",
    "check_links",
    "check_nesting",
    "dump_papers",
    "load_store",
    "parse_store",
    "remove_stale_temps",
    "save_store",
    "store_lock",
    "write_atomic",
    "yaml_str",
]
