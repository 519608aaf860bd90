"""The map page: a node per topic with its paper count, edges weighted by shared papers, links that resolve.

The SVG is checked as XML (so every text node is escaped), and the built seed site's map is compared with
the counts its own topic pages state.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO

from generator.core.model import Assignment, Enriched, Paper, Taxonomy, Topic
from generator.site import map as graph
from generator.site.render import render_site
from generator.site.settings import Settings

SVG = "{http://www.w3.org/2000/svg}"


def svg_blocks(text: str) -> list[ET.Element]:
    """The map's SVGs (role="img"), not the theme's icons."""
    return [ET.fromstring(block) for block in re.findall(r'<svg\b[^>]*role="img".*?</svg>', text, re.S)]


def topic_nodes(svg: ET.Element) -> dict[str, ET.Element]:
    return {a.get("data-topic"): a for a in svg.iter(f"{SVG}a") if a.get("data-topic")}


# ---------------------------------------------------------------- pure parts


def test_shared_papers_counts_pairs() -> None:
    edges = graph.shared_papers({"a": ["1", "2", "3"], "b": ["2", "3", "4"], "c": ["4"], "d": []})
    assert [(e.a, e.b, e.shared) for e in edges] == [("a", "b", 2), ("b", "c", 1)]


def test_neighbour_order_puts_strongly_linked_topics_side_by_side() -> None:
    edges = [graph.Edge("a", "c", 5), graph.Edge("c", "d", 3), graph.Edge("a", "b", 1)]
    assert graph.neighbour_order(["a", "b", "c", "d", "e"], edges) == ["a", "c", "d", "b", "e"]


def test_topic_svg_is_well_formed_escaped_and_sized_by_count() -> None:
    nasty = 'Risky <script>alert("x")</script> & co'
    nodes = [
        graph.Node("a", nasty, 40, "../topics/a/", 0),
        graph.Node("b", "Bee", 10, "../topics/b/?x=1&y=2", 137),
        graph.Node("c", "Sea", 0, "../topics/c/", 275),
    ]
    svg = ET.fromstring(
        graph.topic_map_svg(nodes, [graph.Edge("a", "b", 3), graph.Edge("b", "c", 1)], "Map & <co>")
    )
    assert svg.find(f"{SVG}title").text == "Map & <co>"
    found = topic_nodes(svg)
    assert set(found) == {"a", "b", "c"}
    assert found["a"].find(f"{SVG}text").text == f"{nasty} (40)"
    placeholder = graph.topic_map_svg([graph.Node("x", "a\x02wzxhzdk:0\x03b", 1, "x/", 0)], [], "m")
    assert "\x02" not in placeholder and "awzxhzdk:0b (1)" in placeholder
    assert found["a"].find(f"{SVG}title").text == f"{nasty}: 40 papers"
    assert found["b"].get("href") == "../topics/b/?x=1&y=2"
    radius = {t: float(a.find(f"{SVG}circle").get("r")) for t, a in found.items()}
    assert radius["a"] > radius["b"] > radius["c"] > 0
    widths = {p.get("data-shared"): float(p.get("stroke-width")) for p in svg.iter(f"{SVG}path")}
    assert set(widths) == {"3", "1"} and widths["3"] > widths["1"]
    assert not list(svg.iter(f"{SVG}script"))


def test_paper_coordinates_are_deterministic_and_in_the_unit_square() -> None:
    words = [
        "diffusion model image",
        "gradient descent momentum",
        "graph neural network",
        "language model text",
        "diffusion score image",
        "adam optimizer learning rate",
        "graph message passing",
        "token text model",
    ]
    papers = [
        Paper(id=f"p{i}", title=w, abstract=f"{w} {w} study", added="2024-01-01") for i, w in enumerate(words)
    ]
    first, second = graph.paper_coordinates(papers), graph.paper_coordinates(papers)
    assert first.shape == (8, 2)
    assert (first == second).all()
    assert first.min() >= 0 and first.max() <= 1
    assert graph.paper_coordinates(papers[:2]).tolist() == [[0.5, 0.5], [0.5, 0.5]]


def test_paper_coordinates_equal_scikit_learns_truncated_svd() -> None:
    """graph.py calls ARPACK through SciPy (importing scikit-learn costs 1.5-2 s per build); the result is
    the documented recipe: TruncatedSVD(3, arpack, random_state=0), components 2-3, signs fixed, ranks."""
    from scipy.stats import rankdata
    from sklearn.decomposition import TruncatedSVD

    from generator.enrich.related import vectorize
    from generator.store import load_store

    papers, _ = load_store(REPO / "data" / "papers.yaml")
    for n in (5, 60, len(papers)):
        sample = papers[:n]
        svd = TruncatedSVD(n_components=3, random_state=0, algorithm="arpack")
        coords = svd.fit_transform(vectorize(sample)[0].astype(np.float64))[:, 1:3]
        coords = coords * np.sign(coords[np.abs(coords).argmax(axis=0), range(2)])
        low, high = coords.min(axis=0), coords.max(axis=0)
        ranks = np.column_stack([(rankdata(coords[:, i]) - 1) / (n - 1) for i in range(2)])
        expected = np.round(0.5 * (coords - low) / (high - low) + 0.5 * ranks, 4)
        assert np.array_equal(graph.paper_coordinates(sample), expected), n


def test_average_ranks_match_scipy() -> None:
    from scipy.stats import rankdata

    rng = np.random.default_rng(3)
    for size in (1, 2, 7, 50):
        for high in (2, 5, 1000):
            values = rng.integers(0, high, size).astype(float)
            assert np.array_equal(graph._average_ranks(values), rankdata(values))


def test_map_page_has_every_topic_and_links_each_paper() -> None:
    papers = [
        Paper(
            id=f"p{i}",
            title=f"Title <{i}>",
            abstract=f"words {i} about topic {i % 2}",
            added=f"2024-01-0{i + 1}",
        )
        for i in range(5)
    ]
    taxonomy = Taxonomy(topics=(Topic("alpha", "Alpha & Omega"), Topic("beta", "Beta")), tags=())
    topics = {"p0": ("alpha",), "p1": ("alpha", "beta"), "p2": ("beta",), "p3": ("beta", "alpha")}
    enriched = Enriched(assignments={p.id: Assignment(topics=topics.get(p.id, ()), tags=()) for p in papers})
    site = render_site(papers, taxonomy, enriched, Settings(map_papers=4))
    assert {"Map": "map.md"} in site.nav
    topic_svg, paper_svg = svg_blocks(site.pages["map.md"])
    nodes = topic_nodes(topic_svg)
    assert {t: int(a.get("data-count")) for t, a in nodes.items()} == {"alpha": 3, "beta": 3, "unsorted": 1}
    assert {t: a.get("href") for t, a in nodes.items()} == {
        "alpha": "../topics/alpha/",
        "beta": "../topics/beta/",
        "unsorted": "../unsorted/",
    }
    assert [
        (p.get("data-a"), p.get("data-b"), p.get("data-shared")) for p in topic_svg.iter(f"{SVG}path")
    ] == [("alpha", "beta", "2")]
    points = {a.get("data-paper"): a for a in paper_svg.iter(f"{SVG}a")}
    assert set(points) == {"p4", "p3", "p2", "p1"}  # the 4 newest
    assert points["p3"].get("href") == "../topics/beta/#p3"
    assert points["p3"].find(f"{SVG}circle/{SVG}title").text == "Title <3>"


# ---------------------------------------------------------------- the built seed site


def _resolve(site: Path, page: Path, href: str) -> tuple[Path, str]:
    path, _, anchor = href.partition("#")
    target = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), path)))
    return (target / "index.html" if path.endswith("/") else target), anchor


@pytest.fixture(scope="module")
def map_page(seed_site: Path) -> tuple[Path, str]:
    page = seed_site / "map" / "index.html"
    return page, page.read_text(encoding="utf-8")


def test_seed_map_has_a_node_per_topic_with_the_count_its_page_states(seed_site: Path, map_page) -> None:
    page, text = map_page
    topic_svg, paper_svg = svg_blocks(text)
    nodes = topic_nodes(topic_svg)
    pages = sorted(
        p.parent.name for p in (seed_site / "topics").glob("*/index.html") if p.parent.name != "index"
    )
    assert sorted(nodes) == sorted([*pages, "unsorted"])
    for topic, node in nodes.items():
        target, _ = _resolve(seed_site, page, node.get("href"))
        stated = re.search(r"<strong>(\d+) papers?</strong>", target.read_text(encoding="utf-8"))
        assert stated and int(stated.group(1)) == int(node.get("data-count")), topic
    assert len(list(topic_svg.iter(f"{SVG}path"))) > 0


def test_seed_map_points_land_on_their_entries(seed_site: Path, map_page) -> None:
    page, text = map_page
    _, paper_svg = svg_blocks(text)
    points = list(paper_svg.iter(f"{SVG}a"))
    assert len(points) > 100
    ids_by_page: dict[Path, str] = {}
    for a in points:
        target, anchor = _resolve(seed_site, page, a.get("href"))
        if target not in ids_by_page:
            ids_by_page[target] = target.read_text(encoding="utf-8")
        assert anchor == a.get("data-paper")
        assert f'id="{anchor}"' in ids_by_page[target], a.get("href")


def test_map_is_in_the_navigation(seed_site: Path) -> None:
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="map/" class="md-tabs__link">\s*Map\s*</a>', home)
