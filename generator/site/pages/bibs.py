"""BibTeX files: every paper (``bib/all.bib``) and the papers of each topic (``bib/topics/<id>.bib``)."""

from __future__ import annotations

import jinja2

from generator.site.cite import bib_file
from generator.site.urls import bib_path
from generator.site.views import Views


def render_bibs(views: Views, env: jinja2.Environment | None = None) -> dict[str, str]:
    """Every .bib file, newest paper first (``env`` unused: these files have no template)."""
    title = views.settings.title
    pages = {bib_path(): bib_file((views.bibtex[p.id] for p in views.order), title)}
    for topic_id in views.topic_order:
        papers = views.members.get(topic_id, [])
        pages[bib_path(topic_id)] = bib_file(
            (views.bibtex[p.id] for p in papers), f"{title}: {views.topic_title(topic_id)}"
        )
    return pages
