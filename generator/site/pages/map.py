"""The map page: the newest papers placed by their text and coloured by topic, a legend, and every paper
on the map listed by topic (the drawing's text equivalent)."""

from __future__ import annotations

from collections import Counter

import jinja2

from generator.site import map as graph
from generator.site.feeds import newest
from generator.site.urls import MAP_PAGE, UNSORTED, topic_page, url_between
from generator.site.views import Views, paper_views

PAGE = MAP_PAGE


def render_map(views: Views, env: jinja2.Environment) -> dict[str, str]:
    """``map/index.md``: the drawing, its legend and the listing."""
    page = PAGE
    directory_urls = views.settings.directory_urls
    papers = list(newest(views.order, views.settings.map_papers))
    coords = graph.paper_coordinates(papers)
    points = [
        graph.Point(
            p.id,
            p.title,
            url_between(page, views.location[p.id], p.id, directory_urls),
            views.primary[p.id],
            x,
            y,
        )
        for p, (x, y) in zip(papers, coords.tolist(), strict=True)
    ]
    on_map = Counter(point.topic for point in points)
    colours = graph.topic_colours(views.topic_order, UNSORTED)
    topics = [
        graph.Topic(t, views.topic_title(t), graph.short_label(views.topic_title(t)), colours[t], on_map[t])
        for t in views.topic_order
    ]
    edges = graph.shared_papers({t: [p.id for p in views.members.get(t, [])] for t in views.topic_order})
    by_topic: dict[str, list] = {}
    for p in papers:
        by_topic.setdefault(views.primary[p.id], []).append(p)
    text = env.get_template("map.md.j2").render(
        page=page,
        svg=graph.map_svg(topics, points),
        paper_count=len(points),
        total=len(views.papers),
        topics=[
            {
                "id_html": graph.esc(t.id),
                "title_html": graph.esc(t.title),
                "swatch_html": graph.swatch(t.colour),
                "count": t.count,
                "total": len(views.members.get(t.id, [])),
                "href": views.href(topic_page(t.id), page),
                "neighbours": [
                    {
                        "title_html": graph.esc(views.topic_title(n)),
                        "href": views.href(topic_page(n), page),
                        "shared": shared,
                    }
                    for n, shared in graph.neighbours(t.id, edges)
                ],
                "papers": paper_views(views, by_topic.get(t.id, []), page),
            }
            for t in topics
            if t.count or views.members.get(t.id)
        ],
    )
    return {page: text}
