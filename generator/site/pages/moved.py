"""The "Moved papers" page: one anchor per old id (alias), linking to the paper's current entry."""

from __future__ import annotations

import html

import jinja2

from generator.site.urls import HOME_PAGE, MOVED_PAGE, nav_section
from generator.site.views import Views

PAGE = MOVED_PAGE


def render_moved(views: Views, env: jinja2.Environment) -> dict[str, str]:
    """``moved/index.md`` (not in the navigation: old links land on it)."""
    page = PAGE
    moved = sorted(((alias, p) for p in views.papers for alias in p.aliases), key=lambda item: item[0])
    text = env.get_template("moved.md.j2").render(
        page=page,
        nav_section=nav_section(HOME_PAGE, views.settings.directory_urls),  # outside the navigation
        moved=[
            {
                "alias_html": html.escape(alias, quote=True),
                "alias_md": views.md_plain(alias),
                "title_md": views.md_inline(p.title),
                "url": views.paper_url(p.id, page),
            }
            for alias, p in moved
        ],
    )
    return {page: text}
