"""Compatibility: the names tests, benchmarks and older callers import from ``generator.build.pipeline``.

The build itself is ``generator.build.stages`` (phases), ``cache`` (the content-keyed cache) and
``output`` (writing pages); site settings are ``generator.site.settings``.
"""

from __future__ import annotations

from generator.build.cache import Cache, enrich_key
from generator.build.output import MANIFEST, write_site
from generator.build.stages import (
    Model,
    build_site,
    enrich,
    enrich_and_render,
    load_checked,
    load_model,
    render,
)
from generator.site.settings import load_settings

__all__ = [
    "MANIFEST",
    "Cache",
    "Model",
    "build_site",
    "enrich",
    "enrich_and_render",
    "enrich_key",
    "load_checked",
    "load_model",
    "load_settings",
    "render",
    "write_site",
]
