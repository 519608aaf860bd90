"""The Jinja2 environment of a build: the bundled templates, a curator's overrides, the escaping filters.

A file of the same name in data/templates/ overrides a bundled one. Output is Markdown, so nothing is
auto-escaped: templates only ever receive escaped text (``*_md`` for Markdown, ``*_html`` for raw HTML).
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2

from generator.site.escape import html_text, md_inline, md_plain

TEMPLATES = Path(__file__).parent / "templates"


def make_environment(override_dir: Path | None = None) -> jinja2.Environment:
    """One environment per build: templates from ``override_dir`` (if it exists) before the bundled ones."""
    loaders: list[jinja2.BaseLoader] = []
    if override_dir is not None and override_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(override_dir)))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,  # output is Markdown; text arrives pre-escaped as *_md / *_html
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no stat() of the template file at every include
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_inline
    env.filters["md_plain"] = md_plain
    env.filters["html"] = html_text
    env.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    return env
