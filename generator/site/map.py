"""The paper map as SVG: every paper placed by its text, coloured by its main topic, each topic named.

Pure and deterministic: papers are placed by a 2-D TruncatedSVD of their TF-IDF vectors (fixed
``random_state``, signs fixed, coordinates rounded); each topic's name is written, unrotated, at the median
of its papers, moved aside when it would cover another name. Topic colours keep 3:1 contrast against both
Material's light and dark backgrounds (WCAG 1.4.11). The drawing is ``aria-hidden`` and holds no tab stop:
its dots are links for the mouse, while the page lists every topic and paper as ordinary links.
Every text node and attribute is escaped.
"""

from __future__ import annotations

import colorsys
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from generator.core.model import Paper
from generator.core.text import control_table

WIDTH = 1000
HEIGHT = 600
PAD = 14
DOT = 4.5
FONT_SIZE = 15  # of the topic names (docs/assets/readinglist.css draws them at this size)
CHAR_WIDTH = 0.6  # a bold sans-serif character's width, in font sizes (for the label boxes)
MIN_LABELLED = 3  # a topic with fewer papers on the map gets no name on it (the legend has it)
UNSORTED_COLOUR = "#7d7d7d"
# Relative luminances of the topic colours, alternating so that neighbouring hues also differ in
# lightness: 0.17 is 4.9:1 against white and 3.4:1 against Material's dark background (slate, about
# 0.0144), 0.25 is 3.5:1 and 4.7:1, so the dots pass 3:1 (WCAG 1.4.11) in both schemes.
LUMINANCES = (0.17, 0.25)


@dataclass(frozen=True)
class Topic:
    """A topic as the map shows it: ``label`` is the short name written on the map."""

    id: str
    title: str
    label: str
    colour: str
    count: int  # papers on the map whose main topic this is


@dataclass(frozen=True)
class Point:
    """A paper on the map, ``x``/``y`` in [0, 1]."""

    id: str
    title: str
    href: str
    topic: str
    x: float
    y: float


@dataclass(frozen=True)
class Label:
    """A topic's name on the map: its box centre in SVG units."""

    topic: str
    text: str
    x: float
    y: float


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    shared: int


# ---------------------------------------------------------------- colours and names


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours."""

    def lum(text: str) -> float:
        return _luminance(tuple(int(text[i : i + 2], 16) / 255 for i in (1, 3, 5)))

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colour_for_hue(hue: float, luminance: float, saturation: float = 0.7) -> str:
    """The colour of ``hue`` (degrees) whose lightness gives it the relative ``luminance``."""
    low, high = 0.0, 1.0
    for _ in range(40):
        mid = (low + high) / 2
        if _luminance(colorsys.hls_to_rgb(hue / 360, mid, saturation)) < luminance:
            low = mid
        else:
            high = mid
    return _hex(colorsys.hls_to_rgb(hue / 360, (low + high) / 2, saturation))


def topic_colours(topic_ids: Sequence[str], unsorted: str = "unsorted") -> dict[str, str]:
    """A colour per topic, hues spread by the golden angle (neighbours in the taxonomy differ most) and
    lightness alternating; Unsorted is grey."""
    colours = {}
    for i, tid in enumerate(t for t in topic_ids if t != unsorted):
        colours[tid] = colour_for_hue(round(i * 137.508) % 360, LUMINANCES[i % len(LUMINANCES)])
    if unsorted in topic_ids:
        colours[unsorted] = UNSORTED_COLOUR
    return colours


def short_label(title: str, limit: int = 22) -> str:
    """The name written on the map: the title, or its part before the first ", " or " and " when the
    title is longer than ``limit`` (cut with an ellipsis if that part is still too long)."""
    if len(title) <= limit:
        return title
    cuts = [i for i in (title.find(", "), title.find(" and ")) if i >= 4]
    head = title[: min(cuts)] if cuts else title
    return head if len(head) <= limit else head[: limit - 1].rstrip() + "…"


def shared_papers(members: Mapping[str, Sequence[str]]) -> list[Edge]:
    """One edge per pair of topics with at least one paper in both, weighted by that number."""
    sets = {topic: set(papers) for topic, papers in members.items()}
    edges = []
    for a, b in combinations(list(members), 2):
        shared = len(sets[a] & sets[b])
        if shared:
            edges.append(Edge(a, b, shared))
    return edges


def neighbours(topic_id: str, edges: Sequence[Edge], limit: int = 3) -> list[tuple[str, int]]:
    """The topics sharing most papers with ``topic_id`` (most first, ties by id)."""
    found = [(e.b if e.a == topic_id else e.a, e.shared) for e in edges if topic_id in (e.a, e.b)]
    return sorted(found, key=lambda item: (-item[1], item[0]))[:limit]


# ---------------------------------------------------------------- placing


def paper_coordinates(papers: Sequence[Paper]) -> np.ndarray:
    """2-D coordinates in [0, 1]: a truncated SVD of the TF-IDF vectors (ARPACK from a fixed start vector,
    fixed signs), spread out by blending each axis with its ranks so the crowded middle stays readable.

    This is scikit-learn's ``TruncatedSVD(n_components=3, algorithm="arpack", random_state=0)`` of those
    rows done with SciPy directly: importing scikit-learn (through scipy.stats) costs 1.5-2 s on every
    cold build.
    """
    from scipy.sparse.linalg import svds

    from generator.enrich.related import vectorize

    if len(papers) < 4:
        return np.full((len(papers), 2), 0.5)
    # The papers' TF-IDF rows as the build's other stages ask for them (in id order), so a map of the
    # whole list reuses the matrix related papers and the topic model made; rows back in the map's order.
    by_id = sorted(range(len(papers)), key=lambda i: papers[i].id)
    matrix, _ = vectorize([papers[i] for i in by_id])
    matrix = matrix[np.argsort(by_id)]
    if min(matrix.shape) < 4:
        return np.full((len(papers), 2), 0.5)
    start = np.random.RandomState(0).uniform(-1, 1, min(matrix.shape))
    u, sigma, _ = svds(matrix.astype(np.float64), k=3, v0=start)
    order = np.argsort(-sigma, kind="stable")[1:3]  # the largest component mostly measures length
    coords = u[:, order] * sigma[order]
    signs = np.sign(coords[np.abs(coords).argmax(axis=0), range(2)])
    coords = coords * np.where(signs == 0, 1, signs)
    low, high = coords.min(axis=0), coords.max(axis=0)
    scaled = (coords - low) / np.where(high - low > 0, high - low, 1)
    ranks = np.column_stack([(_average_ranks(coords[:, i]) - 1) / (len(papers) - 1) for i in range(2)])
    return np.round(0.5 * scaled + 0.5 * ranks, 4)


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties sharing their average rank (``scipy.stats.rankdata``'s default)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(values)]
    average = (starts + ends + 1) / 2.0  # mean of the ranks starts+1 .. ends
    ranks = np.empty(len(values))
    ranks[order] = np.repeat(average, ends - starts)
    return ranks


def to_svg(x: float, y: float) -> tuple[float, float]:
    """Map coordinates in [0, 1] (y up) to SVG units (y down) inside the padding."""
    return PAD + x * (WIDTH - 2 * PAD), PAD + (1 - y) * (HEIGHT - 2 * PAD)


def _box(x: float, y: float, text: str) -> tuple[float, float, float, float]:
    half_w = CHAR_WIDTH * FONT_SIZE * len(text) / 2 + 3
    half_h = FONT_SIZE * 0.65
    return x - half_w, y - half_h, x + half_w, y + half_h


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


# Where to try a name, in line heights around its cluster's centre: the centre first, then outward.
_OFFSETS = [(0, 0)] + [
    (dx * r, dy * r)
    for r in range(1, 13)
    for dx, dy in ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, 1), (1, 1), (-1, -1))
]


def place_labels(topics: Sequence[Topic], points: Sequence[Point]) -> list[Label]:
    """A name per topic with at least MIN_LABELLED papers, at the median of its papers, biggest topic first;
    a name that would cover one already placed (or leave the frame) moves to the nearest free spot."""
    by_topic: dict[str, list[tuple[float, float]]] = {}
    for p in points:
        by_topic.setdefault(p.topic, []).append(to_svg(p.x, p.y))
    placed: list[tuple[Label, tuple[float, float, float, float]]] = []
    for topic in sorted(topics, key=lambda t: (-len(by_topic.get(t.id, [])), t.id)):
        spots = by_topic.get(topic.id, [])
        if len(spots) < MIN_LABELLED:
            continue
        cx = float(np.median([s[0] for s in spots]))
        cy = float(np.median([s[1] for s in spots]))
        best = None
        for dx, dy in _OFFSETS:
            x, y = cx + dx * FONT_SIZE * 1.6, cy + dy * FONT_SIZE * 1.4
            box = _box(x, y, topic.label)
            outside = box[0] < PAD or box[1] < PAD or box[2] > WIDTH - PAD or box[3] > HEIGHT - PAD
            cost = sum(_overlap(box, other) for _, other in placed) + (1e6 if outside else 0)
            if best is None or cost < best[0]:
                best = (cost, x, y, box)
            if cost == 0:
                break
        _, x, y, box = best
        placed.append((Label(topic.id, topic.label, round(x, 1), round(y, 1)), box))
    return [label for label, _ in placed]


# ---------------------------------------------------------------- drawing


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


# Control characters and lone surrogates are dropped ("\x02...\x03" is Python-Markdown's placeholder syntax).
_CONTROLS = control_table(keep="\t\n\r", spaces=False)


def esc(text: str) -> str:
    """Text as safe HTML/SVG text or attribute value."""
    return html.escape(text.translate(_CONTROLS), quote=True)


def map_svg(topics: Sequence[Topic], points: Sequence[Point]) -> str:
    """The map: per topic a group (``id="map-<topic>"``, the legend's link target) of linked dots, the
    groups of big topics drawn first; then the topic names on top. Not focusable, hidden from assistive
    technology: the page's listing is its text equivalent."""
    colours = {t.id: t.colour for t in topics}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="rl-map-drawing" aria-hidden="true" focusable="false">',
        f'<rect class="rl-frame" x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}"/>',
    ]
    groups: dict[str, list[Point]] = {}
    for p in points:
        groups.setdefault(p.topic, []).append(p)
    labels = place_labels(topics, points)
    own = {label.topic: label for label in labels}
    for topic in sorted(groups, key=lambda t: (-len(groups[t]), t)):
        out.append(f'<g class="rl-cluster" id="map-{esc(topic)}" data-topic="{esc(topic)}">')
        for p in groups[topic]:
            x, y = to_svg(p.x, p.y)
            out.append(
                f'<a href="{esc(p.href)}" data-paper="{esc(p.id)}" tabindex="-1">'
                f'<circle class="rl-dot" cx="{_fmt(x)}" cy="{_fmt(y)}" r="{DOT}" fill="{colours[topic]}">'
                f"<title>{esc(p.title)}</title></circle></a>"  # the link's text: the title as stored
            )
        if topic in own:  # drawn only while the cluster is highlighted (see readinglist.css)
            out.append(_label_svg(own[topic]))
        out.append("</g>")
    out.append('<g class="rl-labels">')
    out.extend(_label_svg(label) for label in labels)
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _label_svg(label: Label) -> str:
    return (
        f'<text class="rl-label" data-topic="{esc(label.topic)}" x="{_fmt(label.x)}" y="{_fmt(label.y)}" '
        f'text-anchor="middle" dominant-baseline="central">{esc(label.text)}</text>'
    )


def swatch(colour: str) -> str:
    """A legend's colour sample (decorative: the topic's name follows it)."""
    return f'<span class="rl-swatch" style="background-color: {colour}" aria-hidden="true"></span>'
