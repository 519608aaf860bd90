"""The map page: topics linked by shared papers, and the newest papers placed by their text."""

from __future__ import annotations

import jinja2

from generator.site import map as graph
from generator.site.feeds import newest
from generator.site.urls import topic_page, url_between
from generator.site.views import Views

PAGE = "map.md"


def render_map(views: Views, env: jinja2.Environment) -> dict[str, str]:
    """``map.md`` with its two inline SVG drawings."""
    page = PAGE
    topic_ids = views.topic_order
    hues = graph.topic_hues(topic_ids)
    directory_urls = views.settings.directory_urls

    def url(path: str, anchor: str = "") -> str:
        return url_between(page, path, anchor, directory_urls)

    nodes = [
        graph.Node(t, views.topic_title(t), len(views.members.get(t, [])), url(topic_page(t)), hues[t])
        for t in topic_ids
    ]
    edges = graph.shared_papers({t: [p.id for p in views.members.get(t, [])] for t in topic_ids})
    papers = list(newest(views.order, views.settings.map_papers))
    coords = graph.paper_coordinates(papers)
    points = [
        graph.Point(p.id, p.title, url(views.location[p.id], p.id), hues[views.primary[p.id]], x, y)
        for p, (x, y) in zip(papers, coords.tolist(), strict=True)
    ]
    text = env.get_template("map.md.j2").render(
        page=page,
        style=graph.STYLE,
        topic_svg=graph.topic_map_svg(nodes, edges, "Topics linked by shared papers"),
        paper_svg=graph.paper_map_svg(points, "Papers placed by the words of their titles and abstracts"),
        topics=[
            {"title_md": views.md_plain(n.title), "count": n.count, "url": views.url(topic_page(n.id), page)}
            for n in nodes
        ],
        paper_count=len(points),
        total=len(views.papers),
    )
    return {page: text}
