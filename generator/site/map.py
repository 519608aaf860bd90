"""The map of the reading list as SVG: topics linked by shared papers, and papers placed by their text.

Pure and deterministic: topics sit on a circle (a chord diagram), ordered so that topics sharing many
papers are neighbours; papers are placed by a 2-D TruncatedSVD of their TF-IDF vectors (fixed
``random_state``, signs fixed, coordinates rounded).
Every text node and attribute is escaped; colours come from Material's CSS variables (with fallbacks),
so the inline SVG follows the light and dark schemes and needs no JavaScript.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from generator.core.model import Paper
from generator.core.text import control_table

WIDTH = 1000
RADIUS = 300  # of the circle the topics sit on
MAX_NODE = 34  # radius of the biggest topic's circle
FONT_SIZE = 17
STYLE = f"""<style>
.rl-map svg {{ width: 100%; height: auto; }}
.rl-topic-map svg {{ display: block; max-width: 56rem; margin: 0 auto; }}
.rl-map .rl-edge {{ fill: none; stroke: var(--md-typeset-a-color, #4051b5); }}
.rl-map .rl-node circle {{ stroke: var(--md-default-bg-color, #fff); stroke-width: 1.5; }}
.rl-map .rl-node text {{ fill: var(--md-default-fg-color, #222); font-size: {FONT_SIZE}px; }}
.rl-map a:hover circle, .rl-map a:focus circle {{ stroke: var(--md-default-fg-color, #222); }}
.rl-map a:hover text, .rl-map a:focus text {{ text-decoration: underline; }}
.rl-map .rl-point {{ fill-opacity: 0.8; }}
.rl-map .rl-frame {{ fill: none; stroke: var(--md-default-fg-color--lightest, #ddd); }}
</style>"""


@dataclass(frozen=True)
class Node:
    """A topic on the map: ``href`` is the URL of its page, relative to the page showing the map."""

    id: str
    title: str
    count: int
    href: str
    hue: int


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    shared: int


@dataclass(frozen=True)
class Point:
    """A paper on the paper map."""

    id: str
    title: str
    href: str
    hue: int
    x: float
    y: float


def topic_hues(topic_ids: Sequence[str]) -> dict[str, int]:
    """A hue per topic, spread around the colour wheel by the golden angle (neighbours differ)."""
    return {tid: round(i * 137.508) % 360 for i, tid in enumerate(topic_ids)}


def shared_papers(members: Mapping[str, Sequence[str]]) -> list[Edge]:
    """One edge per pair of topics with at least one paper in both, weighted by that number."""
    sets = {topic: set(papers) for topic, papers in members.items()}
    edges = []
    for a, b in combinations(list(members), 2):
        shared = len(sets[a] & sets[b])
        if shared:
            edges.append(Edge(a, b, shared))
    return edges


def neighbour_order(ids: Sequence[str], edges: Sequence[Edge]) -> list[str]:
    """Order topics for the circle so that topics sharing many papers sit side by side (shorter chords):
    start with the first, then repeatedly take the topic sharing most with the last one placed (ties and
    unconnected topics in the given order)."""
    weight: dict[tuple[str, str], int] = {}
    for e in edges:
        weight[(e.a, e.b)] = weight[(e.b, e.a)] = e.shared
    order = list(ids[:1])
    rest = list(ids[1:])
    while rest:
        best = max(rest, key=lambda t: (weight.get((order[-1], t), 0), -rest.index(t)))
        order.append(best)
        rest.remove(best)
    return order


def circle_layout(count: int, radius: float, center: tuple[float, float]) -> list[tuple[float, float, float]]:
    """``count`` points clockwise on a circle, the first at the top: (x, y, angle in degrees)."""
    cx, cy = center
    out = []
    for i in range(count):
        angle = 2 * math.pi * i / max(count, 1)
        out.append((cx + radius * math.sin(angle), cy - radius * math.cos(angle), math.degrees(angle)))
    return out


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


# Control characters and lone surrogates are dropped ("\x02...\x03" is Python-Markdown's placeholder syntax).
_CONTROLS = control_table(keep="\t\n\r", spaces=False)


def _esc(text: str) -> str:
    return html.escape(text.translate(_CONTROLS), quote=True)


def topic_map_svg(nodes: Sequence[Node], edges: Sequence[Edge], label: str) -> str:
    """The topic map as a chord diagram: node area proportional to paper count, chord width and
    opacity growing with the number of shared papers, labels pointing outward (they never overlap)."""
    order = neighbour_order([node.id for node in nodes], edges)
    by_id = {node.id: node for node in nodes}
    biggest = max((node.count for node in nodes), default=1) or 1
    most_shared = max((e.shared for e in edges), default=1)
    places = {tid: place for tid, place in zip(order, circle_layout(len(order), RADIUS, (0, 0)), strict=True)}
    sizes = {tid: 4 + (MAX_NODE - 4) * math.sqrt(by_id[tid].count / biggest) for tid in order}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_view_box(by_id, places, sizes)}" '
        f'role="img" aria-label="{_esc(label)}">',
        f"<title>{_esc(label)}</title>",
    ]
    for e in sorted(edges, key=lambda e: (e.shared, e.a, e.b)):  # strongest drawn last, on top
        (x1, y1, _), (x2, y2, _) = places[e.a], places[e.b]
        qx, qy = (x1 + x2) / 4, (y1 + y2) / 4  # bend the chord toward the centre (0, 0)
        strength = e.shared / most_shared
        out.append(
            f'<path class="rl-edge" data-a="{_esc(e.a)}" data-b="{_esc(e.b)}" data-shared="{e.shared}" '
            f'stroke-width="{_fmt(1 + 13 * strength)}" stroke-opacity="{0.12 + 0.6 * strength:.2f}" '
            f'd="M{_fmt(x1)} {_fmt(y1)} Q{_fmt(qx)} {_fmt(qy)} {_fmt(x2)} {_fmt(y2)}">'
            f"<title>{_esc(by_id[e.a].title)} and {_esc(by_id[e.b].title)}: {e.shared} shared "
            f"paper{'s' if e.shared != 1 else ''}</title></path>"
        )
    for tid in order:
        out.append(_node_svg(by_id[tid], places[tid], sizes[tid]))
    out.append("</svg>")
    return "\n".join(out)


def _view_box(
    nodes: Mapping[str, Node], places: Mapping[str, tuple[float, float, float]], sizes: Mapping[str, float]
) -> str:
    """The box around every circle and (estimated) label end, with a margin."""
    xs, ys = [-RADIUS, RADIUS], [-RADIUS, RADIUS]
    for tid, (x, y, angle) in places.items():
        reach = sizes[tid] + 6 + 0.56 * FONT_SIZE * len(_node_label(nodes[tid]))
        xs += [x - sizes[tid], x + sizes[tid], x + reach * math.sin(math.radians(angle))]
        ys += [y - sizes[tid], y + sizes[tid], y - reach * math.cos(math.radians(angle))]
    margin = FONT_SIZE
    left, top = min(xs) - margin, min(ys) - margin
    return f"{_fmt(left)} {_fmt(top)} {_fmt(max(xs) + margin - left)} {_fmt(max(ys) + margin - top)}"


def _node_label(node: Node) -> str:
    return f"{node.title} ({node.count})"


def _node_svg(node: Node, place: tuple[float, float, float], r: float) -> str:
    x, y, angle = place
    outward = angle <= 180  # right half: text reads outward; left half: flipped to stay upright
    rotation = angle - 90 if outward else angle - 270
    offset = r + 6
    tx = x + offset * math.sin(math.radians(angle))
    ty = y - offset * math.cos(math.radians(angle))
    return (
        f'<a class="rl-node" href="{_esc(node.href)}" data-topic="{_esc(node.id)}" data-count="{node.count}">'
        f"<title>{_esc(node.title)}: {node.count} paper{'s' if node.count != 1 else ''}</title>"
        f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(r)}" fill="hsl({node.hue} 65% 55%)"/>'
        f'<text x="{_fmt(tx)}" y="{_fmt(ty)}" dy="0.35em" text-anchor="{"start" if outward else "end"}" '
        f'transform="rotate({_fmt(rotation)} {_fmt(tx)} {_fmt(ty)})">{_esc(_node_label(node))}</text></a>'
    )


def paper_coordinates(papers: Sequence[Paper]) -> np.ndarray:
    """2-D coordinates in [0, 1]: a truncated SVD of the TF-IDF vectors (ARPACK from a fixed start vector,
    fixed signs), spread out by blending each axis with its ranks so the crowded middle stays readable.

    This is scikit-learn's ``TruncatedSVD(n_components=3, algorithm="arpack", random_state=0)`` done with
    SciPy directly: importing scikit-learn (through scipy.stats) costs 1.5-2 s on every cold build.
    """
    from scipy.sparse.linalg import svds

    from generator.enrich.related import vectorize

    if len(papers) < 4:
        return np.full((len(papers), 2), 0.5)
    matrix, _ = vectorize(papers)
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


def paper_map_svg(points: Sequence[Point], label: str, width: float = WIDTH, height: float = 640) -> str:
    """The paper map: one linked dot per paper, coloured by its primary topic, title as tooltip."""
    pad = 12
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_fmt(width)} {_fmt(height)}" '
        f'role="img" aria-label="{_esc(label)}">',
        f"<title>{_esc(label)}</title>",
        f'<rect class="rl-frame" fill="none" x="0.5" y="0.5" '
        f'width="{_fmt(width - 1)}" height="{_fmt(height - 1)}"/>',
    ]
    for p in points:
        x = pad + p.x * (width - 2 * pad)
        y = pad + (1 - p.y) * (height - 2 * pad)
        out.append(
            f'<a href="{_esc(p.href)}" data-paper="{_esc(p.id)}"><circle class="rl-point" '
            f'cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" fill="hsl({p.hue} 65% 50%)">'
            f"<title>{_esc(p.title)}</title></circle></a>"
        )
    out.append("</svg>")
    return "\n".join(out)
