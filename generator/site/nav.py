"""The site's navigation (MkDocs ``nav``): home, the topics in taxonomy order, the tag index and the map."""

from __future__ import annotations

import html

from generator.core.model import Taxonomy
from generator.site.urls import HOME_PAGE, MAP_PAGE, SEARCH_PAGE, TAGS_INDEX, UNSORTED, topic_page


def site_nav(taxonomy: Taxonomy) -> list:
    """The site's navigation: home, the topics, the tag index, the map and the paper search."""
    return [
        {"Home": HOME_PAGE},
        {"Topics": topic_nav(taxonomy)},
        {"Tags": TAGS_INDEX},
        {"Map": MAP_PAGE},
        {"Search": SEARCH_PAGE},  # the paper search (pages/search.py)
    ]


def topic_nav(taxonomy: Taxonomy) -> list:
    """Navigation follows the taxonomy order; children nest under their parent; Unsorted last."""
    nav: list = []
    for t in taxonomy.topics:
        if t.parent:
            continue
        kids = [c for c in taxonomy.topics if c.parent == t.id]
        if kids:
            # The parent's own page carries its title too: a dirty rebuild (make serve) shows the labels
            # of pages it did not read again from here.
            own = {_label(t.title): topic_page(t.id)}
            nav.append({_label(t.title): [own, *({_label(k.title): topic_page(k.id)} for k in kids)]})
        else:
            nav.append({_label(t.title): topic_page(t.id)})
    nav.append({"Unsorted": topic_page(UNSORTED)})
    return nav


def _label(title: str) -> str:
    """A curator's title as a navigation label: the theme prints labels as HTML, so it is escaped here."""
    return html.escape(title, quote=True)
