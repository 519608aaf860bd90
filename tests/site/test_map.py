"""The map page: papers placed by their text, coloured by topic, named clusters, a legend and a listing.

The SVG is checked as XML (so every text node is escaped), its colours against both schemes' backgrounds,
its labels for overlap, and the built seed site's map against the entries its links point to.
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
WHITE = "#ffffff"
SLATE = "#1e2029"  # Material's dark background, hsl(232 15% 14%)


def map_drawing(text: str) -> ET.Element:
    """The map's SVG (class rl-map-drawing), not the theme's icons."""
    (block,) = re.findall(r'<svg\b[^>]*class="rl-map-drawing".*?</svg>', text, re.S)
    return ET.fromstring(block)


def dots(svg: ET.Element) -> dict[str, ET.Element]:
    return {a.get("data-paper"): a for a in svg.iter(f"{SVG}a")}


# ---------------------------------------------------------------- pure parts


def test_topic_colours_keep_3_to_1_against_both_backgrounds() -> None:
    ids = [f"t{i}" for i in range(30)] + ["unsorted"]
    colours = graph.topic_colours(ids)
    assert colours["unsorted"] == graph.UNSORTED_COLOUR
    assert len(set(colours.values())) == len(ids)
    for tid, colour in colours.items():
        assert re.fullmatch(r"#[0-9a-f]{6}", colour), colour
        assert graph.contrast(colour, WHITE) >= 3, (tid, colour)
        assert graph.contrast(colour, SLATE) >= 3, (tid, colour)
    assert graph.topic_colours(ids) == colours


def test_short_label_cuts_long_titles_at_a_natural_break() -> None:
    assert graph.short_label("Causality") == "Causality"
    assert graph.short_label("Optimization and training dynamics") == "Optimization"
    assert graph.short_label("Bayesian inference, uncertainty and sampling") == "Bayesian inference"
    assert graph.short_label("Reinforcement learning and bandits") == "Reinforcement learning"
    long = graph.short_label("Supercalifragilisticexpialidocious learning")
    assert len(long) <= 22 and long.endswith("…")


def test_shared_papers_and_neighbours() -> None:
    edges = graph.shared_papers({"a": ["1", "2", "3"], "b": ["2", "3", "4"], "c": ["4", "1"], "d": []})
    assert [(e.a, e.b, e.shared) for e in edges] == [("a", "b", 2), ("a", "c", 1), ("b", "c", 1)]
    assert graph.neighbours("a", edges) == [("b", 2), ("c", 1)]
    assert graph.neighbours("d", edges) == []


def _points(n: int, topics: int, seed: int = 1) -> list[graph.Point]:
    rng = np.random.default_rng(seed)
    return [
        graph.Point(f"p{i}", f"Paper {i}", f"#p{i}", f"t{i % topics}", float(x), float(y))
        for i, (x, y) in enumerate(rng.uniform(0.3, 0.7, (n, 2)))  # crowded: labels must move apart
    ]


def test_labels_do_not_overlap_and_stay_in_the_frame() -> None:
    points = _points(400, 20)
    topics = [graph.Topic(f"t{i}", f"Topic {i}", f"Topic number {i}", "#777777", 20) for i in range(20)]
    labels = graph.place_labels(topics, points)
    assert {label.topic for label in labels} == {t.id for t in topics}
    boxes = [graph._box(label.x, label.y, label.text) for label in labels]
    for i, a in enumerate(boxes):
        assert a[0] >= graph.PAD and a[2] <= graph.WIDTH - graph.PAD, labels[i]
        assert a[1] >= graph.PAD and a[3] <= graph.HEIGHT - graph.PAD, labels[i]
        for b in boxes[i + 1 :]:
            assert graph._overlap(a, b) == 0, (a, b)
    assert graph.place_labels(topics, points) == labels
    few = graph.place_labels(topics, points[: graph.MIN_LABELLED * 20 - 1])
    assert len(few) < 20  # a topic with fewer than MIN_LABELLED papers on the map gets no name


def test_map_svg_is_escaped_hidden_and_has_no_tab_stop() -> None:
    nasty = 'Risky <script>alert("x")</script> & co'
    topics = [
        graph.Topic("a", nasty, graph.short_label(nasty), "#aa3377", 3),
        graph.Topic("b", "Bee", "Bee", "#3377aa", 1),
    ]
    points = [
        graph.Point("p1", "T <1>", "../topics/a/#p1", "a", 0.1, 0.2),
        graph.Point("p2", "T & 2", "../topics/a/?x=1&y=2#p2", "a", 0.2, 0.3),
        graph.Point("p3", "T3", "../topics/a/#p3", "a", 0.15, 0.25),
        graph.Point("p4", "x\x02wzxhzdk:0\x03y", "../topics/b/#p4", "b", 0.9, 0.9),
    ]
    text = graph.map_svg(topics, points)
    svg = ET.fromstring(text)
    assert svg.get("aria-hidden") == "true" and svg.get("role") is None
    found = dots(svg)
    assert set(found) == {"p1", "p2", "p3", "p4"}
    assert all(a.get("tabindex") == "-1" for a in found.values())
    assert found["p2"].get("href") == "../topics/a/?x=1&y=2#p2"
    assert found["p1"].find(f"{SVG}circle/{SVG}title").text == "T <1>"
    assert "\x02" not in text and "xwzxhzdk:0y" in text
    groups = {g.get("id"): g for g in svg.iter(f"{SVG}g") if g.get("class") == "rl-cluster"}
    assert set(groups) == {"map-a", "map-b"}
    names = [t.text for t in svg.iter(f"{SVG}text")]
    assert names.count(graph.short_label(nasty)) == 2  # in its cluster and in the names layer
    assert "Bee" not in names  # one paper: too few for a name on the map
    assert not list(svg.iter(f"{SVG}script")) and "<style" not in text


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
        by_id = sorted(range(n), key=lambda i: sample[i].id)
        rows = vectorize([sample[i] for i in by_id])[0][np.argsort(by_id)]  # id order, as the build's
        coords = svd.fit_transform(rows.astype(np.float64))[:, 1:3]
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


def _site(papers, topics, taxonomy, **settings):
    enriched = Enriched(assignments={p.id: Assignment(topics=topics.get(p.id, ()), tags=()) for p in papers})
    return render_site(papers, taxonomy, enriched, Settings(**settings))


def test_map_page_draws_the_newest_papers_and_lists_each_by_topic() -> None:
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
    site = _site(papers, topics, taxonomy, map_papers=4)
    (map_path,) = [item["Map"] for item in site.nav if "Map" in item]
    page = site.pages[map_path]
    up = "../" * map_path.count("/")  # Markdown links are relative to the map page's folder
    svg = map_drawing(page)
    points = dots(svg)
    assert set(points) == {"p4", "p3", "p2", "p1"}  # the 4 newest
    assert points["p3"].get("href") == "../topics/beta/#p3"
    clusters = {
        g.get("data-topic"): {a.get("data-paper") for a in g.iter(f"{SVG}a")}
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "rl-cluster"
    }
    assert clusters == {"alpha": {"p1"}, "beta": {"p2", "p3"}, "unsorted": {"p4"}}
    legend = page[page.index('<nav class="rl-legend"') : page.index("</nav>")]
    assert 'href="#map-alpha"' in legend and "Alpha &amp; Omega" in legend and "<script" not in legend
    listing = page[page.index("{ #papers-by-topic }") :]  # raw HTML: final hrefs, as the drawing's
    for pid, topic in (("p1", "alpha"), ("p2", "beta"), ("p3", "beta"), ("p4", "unsorted")):
        assert f'href="{up}{topic}/#{pid}"' in listing or f'href="{up}topics/{topic}/#{pid}"' in listing, pid
    assert '#p0"' not in listing  # not drawn, not listed
    assert f'href="{up}topics/alpha/">Alpha &amp; Omega: all 3 papers</a>' in listing  # all its papers
    assert f'href="{up}unsorted/">Unsorted: all 1 paper</a>' in listing
    assert "Title &lt;4&gt;" in listing and "<4>" not in listing  # text, never markup


# ---------------------------------------------------------------- the built seed site


def _resolve(site: Path, page: Path, href: str) -> tuple[Path, str]:
    path, _, anchor = href.partition("#")
    target = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), path)))
    return (target / "index.html" if path.endswith("/") else target), anchor


@pytest.fixture(scope="module")
def map_page(seed_site: Path) -> tuple[Path, str]:
    page = seed_site / "map" / "index.html"
    return page, page.read_text(encoding="utf-8")


def test_seed_map_points_land_on_their_entries_and_are_listed(seed_site: Path, map_page) -> None:
    page, text = map_page
    points = list(map_drawing(text).iter(f"{SVG}a"))
    assert len(points) > 100
    ids_by_page: dict[Path, str] = {}
    for a in points:
        target, anchor = _resolve(seed_site, page, a.get("href"))
        if target not in ids_by_page:
            ids_by_page[target] = target.read_text(encoding="utf-8")
        assert anchor == a.get("data-paper")
        assert f'id="{anchor}"' in ids_by_page[target], a.get("href")
    listing = text[text.index('id="papers-by-topic"') :]
    listed = set(re.findall(r'<li><a href="[^"#]*#([^"]+)"', listing))
    assert {a.get("data-paper") for a in points} <= listed


def test_seed_map_legend_counts_match_the_dots(map_page) -> None:
    _, text = map_page
    svg = map_drawing(text)
    drawn = {
        g.get("data-topic"): len(list(g.iter(f"{SVG}a")))
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "rl-cluster"
    }
    legend = text[
        text.index('<nav class="rl-legend"') : text.index("</nav>", text.index('<nav class="rl-legend"'))
    ]
    shown = {
        m[0]: int(m[1])
        for m in re.findall(r'href="#map-([^"]+)">.*?</a> <span class="rl-count">(\d+)</span>', legend)
    }
    assert {t: n for t, n in shown.items() if n} == drawn
    assert len(re.findall(r'class="rl-label"', text)) >= 10  # named clusters


def test_map_is_in_the_navigation(seed_site: Path) -> None:
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="map/" class="md-tabs__link">\s*Map\s*</a>', home)


def test_a_map_of_the_whole_list_reuses_the_builds_tfidf_matrix() -> None:
    """Related papers and the topic model vectorize the papers in id order; the map draws them newest
    first. Asking in id order makes a map of every paper a cache hit instead of a second TF-IDF pass."""
    from generator.enrich import vectors
    from generator.store import load_store

    papers, _ = load_store(REPO / "data" / "papers.yaml")
    vectors._vectorize.cache_clear()
    vectors.vectorize(sorted(papers, key=lambda p: p.id))
    graph.paper_coordinates(list(reversed(papers)))
    assert vectors._vectorize.cache_info().hits == 1
    assert vectors._vectorize.cache_info().misses == 1
