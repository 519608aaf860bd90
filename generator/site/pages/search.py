"""The paper search page (``search/index.md``, URL ``search/``): the form, facet panel and result list that
``docs/assets/paper-search.js`` fills from the Pagefind bundle (``generator.search`` writes it)."""

from __future__ import annotations

import jinja2

from generator.search.index import BUNDLE
from generator.site.urls import HOME_PAGE, SEARCH_PAGE, url_between
from generator.site.views import Views

PAGE = SEARCH_PAGE


def render_search(views: Views, env: jinja2.Environment) -> dict[str, str]:
    """``search/index.md``: raw HTML with links that MkDocs does not rewrite, so they are final URLs here."""
    directory_urls = views.settings.directory_urls

    def url(target: str) -> str:
        return url_between(PAGE, target, "", directory_urls)

    text = env.get_template("search.md.j2").render(
        page=PAGE,
        total=len(views.papers),
        bundle_url=url(f"{BUNDLE}/"),
        root_url=url(HOME_PAGE),
        script_url=url("assets/paper-search.js"),
        style_url=url("assets/paper-search.css"),
    )
    return {PAGE: text}
