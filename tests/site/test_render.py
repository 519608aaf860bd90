"""Rendering (generator/site/render.py, pages/) on small in-memory models: pages, splitting, links, overrides.

Models are built by hand (papers, a Taxonomy, an Enriched with assignments and related links), so each
test states exactly which topics, tags and links a paper has. Links in the rendered Markdown are resolved
against the rendered pages: every relative link must name a page of the site, and every link to a paper
must point at the page holding its full entry (``## title { #id }``).
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import pytest
from conftest import FIXTURES

from generator.core.model import Assignment, Enriched, Link, Paper, TagDef, Taxonomy, Topic
from generator.site.environment import make_environment
from generator.site.render import Site, render_site
from generator.site.settings import Settings
from generator.site.urls import UNSORTED, page_url, tag_page, topic_page

TAXONOMY = Taxonomy(
    topics=(
        Topic("opt", "Optimization", "Training with $x_t$ steps"),
        Topic("sgd", "Stochastic gradients", parent="opt"),
        Topic("bayes", "Bayesian methods"),
    ),
    tags=(TagDef("adam", "Adam"), TagDef("gp", "Gaussian processes")),
)
LINK_RE = re.compile(r"\]\(<?([^)\s>]+)>?\)")
HREF_RE = re.compile(r'href="([^"]+)"')  # links in an entry's raw HTML: final URLs (directory URLs)
ENTRY_RE = re.compile(r'^## .* \{ #([a-z0-9-]+)(?: data-toc-label="[^"]*")? \}$', re.MULTILINE)


def paper(pid: str, added: str = "2024-01-01", **fields) -> Paper:
    return Paper(
        id=pid,
        title=fields.pop("title", f"Paper {pid}"),
        abstract=fields.pop("abstract", f"About {pid}."),
        added=added,
        **fields,
    )


def enriched(
    assign: dict[str, tuple[tuple[str, ...], tuple[str, ...]]], related: dict[str, list[str]] | None = None
) -> Enriched:
    return Enriched(
        assignments={pid: Assignment(topics=topics, tags=tags) for pid, (topics, tags) in assign.items()},
        related={
            pid: tuple(Link(t, 0.5, ("shared",)) for t in targets) for pid, targets in (related or {}).items()
        },
    )


def entry_ids(text: str) -> list[str]:
    """Ids of the full paper entries (``## title { #id }``) on a page, in order; other headings skipped."""
    return [anchor for anchor in ENTRY_RE.findall(text) if anchor in PAPER_IDS]


def full_entries(site: Site) -> dict[str, list[str]]:
    """Paper id -> the pages holding a full entry for it."""
    found: dict[str, list[str]] = {}
    for page, text in site.pages.items():
        if page.endswith(".md"):
            for pid in entry_ids(text):
                found.setdefault(pid, []).append(page)
    return found


def _docs_path(site: Site, page: str, url: str) -> str:
    """The docs path a final URL written on ``page`` points at (``../bayes/`` from topics/opt/index.md)."""
    base = page[: -len(".md")] + "/" if not page.endswith("index.md") else page[: -len("index.md")]
    target = posixpath.normpath(posixpath.join(base, url))
    if not url.endswith("/"):
        return target
    stem = "" if target == "." else target
    candidates = [f"{stem}.md", f"{stem}/index.md".lstrip("/")]
    return next((c for c in candidates if c in site.pages), candidates[0])


def links(site: Site, page: str) -> list[tuple[str, str]]:
    """(target docs path, anchor) of every relative link on ``page``: Markdown links (docs paths) and
    the raw HTML of paper entries (final URLs)."""
    out = []
    text = site.pages[page]
    for href in LINK_RE.findall(text):
        if re.match(r"[a-z]+:", href):
            continue
        path, _, anchor = href.partition("#")
        out.append(
            (posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page, anchor)
        )
    for href in HREF_RE.findall(text):
        href = html.unescape(href)
        if re.match(r"[a-z]+:", href) or href.endswith((".css", ".js")):
            continue
        path, _, anchor = href.partition("#")
        out.append((_docs_path(site, page, path) if path else page, anchor))
    return out


def assert_links_resolve(site: Site) -> int:
    """Every relative link names a page; every link to a paper lands on its full entry. Returns the count."""
    entries = full_entries(site)
    count = 0
    for page in site.pages:
        if not page.endswith(".md"):
            continue
        for target, anchor in links(site, page):
            count += 1
            assert target in site.pages, f"{page}: link to missing page {target}"
            if anchor in entries:
                assert entries[anchor] == [target], f"{page}: #{anchor} is on {entries[anchor]}, not {target}"
    return count


# ---------------------------------------------------------------- a small model

PAPERS = [
    paper("alpha", "2024-03-01", title="Alpha *steps* with $x_t$"),
    paper("beta", "2024-02-01", aliases=("old-beta",)),
    paper("gamma", "2024-01-01"),
    paper("delta", "2024-01-01"),
    paper("lost", "2024-01-01"),
    paper("secret", "2024-05-01", title="Hidden secret paper", hidden=True, aliases=("old-secret",)),
]
ENRICHED = enriched(
    {
        "alpha": (("opt", "bayes"), ("adam",)),
        "beta": (("sgd",), ("adam", "gp")),
        "gamma": (("bayes",), ("gp",)),
        "delta": (("gone-topic",), ()),
        "secret": (("opt",), ("adam",)),
    },
    related={"alpha": ["beta", "secret", "gamma"], "gamma": ["alpha"], "beta": ["secret"]},
)


PAPER_IDS = {p.id for p in PAPERS} | {"a", "side", *(f"p{i}" for i in range(5))}


@pytest.fixture(scope="module")
def site() -> Site:
    return render_site(PAPERS, TAXONOMY, ENRICHED)


def test_page_paths(site: Site) -> None:
    expected = {
        "index.md",
        "tags/index.md",
        "topics/opt/index.md",
        "topics/sgd/index.md",
        "topics/bayes/index.md",
        "unsorted/index.md",
        "tags/adam/index.md",
        "tags/gp/index.md",
    }
    assert expected <= set(site.pages)
    assert {p for p in site.pages if p.startswith("topics/") and p.endswith(".md")} == {
        "topics/opt/index.md",
        "topics/sgd/index.md",
        "topics/bayes/index.md",
    }
    assert topic_page("opt") == "topics/opt/index.md" and topic_page("opt", 3) == "topics/opt-3/index.md"
    assert topic_page(UNSORTED) == "unsorted/index.md" and topic_page(UNSORTED, 2) == "unsorted-2/index.md"
    assert tag_page("gp") == "tags/gp/index.md" and tag_page("gp", 2) == "tags/gp-2/index.md"


def test_every_page_is_the_index_of_its_url_folder(site: Site) -> None:
    """A relative link in raw HTML is read against the page's URL by MkDocs and ProperDocs and against the
    Markdown file by Zensical: they agree only when the file is the index.md of its URL's folder, with or
    without directory URLs."""
    pages = [p for p in site.pages if p.endswith(".md")]
    assert len(pages) > 8 and {"moved/index.md", "search/index.md", "map/index.md"} <= set(pages)
    for page in pages:
        assert posixpath.basename(page) == "index.md", page
        for directory_urls in (True, False):
            assert posixpath.dirname(page_url(page, directory_urls)) == posixpath.dirname(page), page


def test_each_visible_paper_has_one_full_entry_on_its_primary_topic(site: Site) -> None:
    assert full_entries(site) == {
        "alpha": ["topics/opt/index.md"],
        "beta": ["topics/sgd/index.md"],
        "gamma": ["topics/bayes/index.md"],
        "delta": ["unsorted/index.md"],
        "lost": ["unsorted/index.md"],
    }
    assert {k: v for k, v in site.locations.items() if not k.startswith("old-")} == {
        "alpha": "topics/opt/index.md",
        "beta": "topics/sgd/index.md",
        "gamma": "topics/bayes/index.md",
        "delta": "unsorted/index.md",
        "lost": "unsorted/index.md",
    }


def test_links_resolve_to_pages_and_entries(site: Site) -> None:
    assert assert_links_resolve(site) > 20
    assert ("topics/opt/index.md", "alpha") in links(
        site, "topics/bayes/index.md"
    )  # "Also in this topic" and related
    assert ("topics/opt/index.md", "alpha") in links(site, "tags/adam/index.md")
    assert ("topics/opt/index.md", "") in links(site, "index.md")


def test_hidden_papers_are_absent(site: Site) -> None:
    for page, text in site.pages.items():
        assert "secret" not in text.lower(), page
    assert "secret" not in site.locations and "old-secret" not in site.locations
    assert [t for t, a in links(site, "topics/opt/index.md") if a == "secret"] == []


def test_unsorted_holds_papers_without_a_known_topic(site: Site) -> None:
    text = site.pages["unsorted/index.md"]
    assert set(entry_ids(text)) == {"delta", "lost"}
    home = site.pages["index.md"]
    assert re.search(r"\| \[Unsorted\]\(unsorted/index\.md\) \| 2 \|", home)
    assert {"Unsorted": "unsorted/index.md"} in site.nav[1]["Topics"]


def test_unsorted_page_exists_when_empty() -> None:
    site = render_site([paper("a")], TAXONOMY, enriched({"a": (("opt",), ())}))
    assert "unsorted/index.md" in site.pages
    assert entry_ids(site.pages["unsorted/index.md"]) == []


def test_aliases_point_at_the_current_location(site: Site) -> None:
    assert site.locations["old-beta"] == site.locations["beta"] == "topics/sgd/index.md"


def test_topic_counts_and_also_in(site: Site) -> None:
    home = site.pages["index.md"]
    for topic_id, count in (("opt", 1), ("sgd", 1), ("bayes", 2)):
        assert re.search(rf"\]\(topics/{topic_id}/index\.md\) \| {count} \|", home), topic_id
    bayes = site.pages["topics/bayes/index.md"]
    also = bayes[bayes.index("{ #also-in-this-topic") :]
    assert 'href="../opt/#alpha"' in also
    opt = site.pages["topics/opt/index.md"]
    assert 'Also in: <a href="../bayes/">Bayesian methods</a>' in opt


def test_related_links_follow_the_enriched_order_and_skip_hidden(site: Site) -> None:
    opt = site.pages["topics/opt/index.md"]
    block = opt[opt.index('<div class="rl-related"') :]
    block = block[: block.index("</div>")]
    assert [a for _, a in links(Site(pages={"topics/opt/index.md": block}), "topics/opt/index.md")] == [
        "beta",
        "gamma",
    ]
    assert "rl-related" not in site.pages["topics/sgd/index.md"]  # beta's only related paper is hidden


def test_titles_are_escaped_and_math_is_mathml(site: Site) -> None:
    opt = site.pages["topics/opt/index.md"]
    heading = next(line for line in opt.splitlines() if "{ #alpha " in line)
    assert "*steps*" not in heading and "&#42;steps&#42;" in heading
    assert "<math" in heading and "$x_t$" not in heading.replace("&#36;", "$").split("<annotation")[0]
    # The table of contents gets the title's text, formulas as TeX, every special character escaped.
    assert heading.endswith('{ #alpha data-toc-label="Alpha &#42;steps&#42; with &#36;x&#95;t&#36;" }')


# ---------------------------------------------------------------- page splitting


def split_model(page_size: int) -> tuple[list[Paper], Enriched, Settings]:
    papers = [paper(f"p{i}", f"2024-01-{10 - i:02d}") for i in range(5)]  # p0 newest
    papers.append(paper("side", "2024-01-20"))
    assign = {p.id: (("opt",), ("adam",)) for p in papers[:5]}
    assign["side"] = (("bayes", "opt"), ("adam",))
    related = {"p0": ["p4", "p1"], "p4": ["p0", "p3"], "side": ["p4"]}
    return papers, enriched(assign, related), Settings(page_size=page_size, tag_page_size=2)


def test_topic_pages_split_at_page_size() -> None:
    papers, data, settings = split_model(2)
    site = render_site(papers, TAXONOMY, data, settings)
    pages = ["topics/opt/index.md", "topics/opt-2/index.md", "topics/opt-3/index.md"]
    assert [entry_ids(site.pages[p]) for p in pages] == [["p0", "p1"], ["p2", "p3"], ["p4"]]
    assert "topics/opt-4/index.md" not in site.pages
    assert {
        "topics/opt-2/index.md",
        "topics/opt-3/index.md",
    } <= site.not_in_nav and "topics/opt/index.md" not in site.not_in_nav
    assert {pid: site.locations[pid] for pid in ("p0", "p2", "p4", "side")} == {
        "p0": "topics/opt/index.md",
        "p2": "topics/opt-2/index.md",
        "p4": "topics/opt-3/index.md",
        "side": "topics/bayes/index.md",
    }
    # Links follow the split: to another split page, to the same page, from another topic and from tags.
    assert ("topics/opt-3/index.md", "p4") in links(site, "topics/opt/index.md")
    assert ("topics/opt/index.md", "p0") in links(site, "topics/opt-3/index.md")
    assert (
        'href="../opt-3/#p4"' in site.pages["topics/opt/index.md"]
        and 'href="#p1"' in site.pages["topics/opt/index.md"]
    )
    assert ("topics/opt-3/index.md", "p4") in links(site, "topics/bayes/index.md")
    tag_links = {
        a: t
        for page in ("tags/adam/index.md", "tags/adam-2/index.md", "tags/adam-3/index.md")
        for t, a in links(site, page)
    }
    assert tag_links["p4"] == "topics/opt-3/index.md" and tag_links["p2"] == "topics/opt-2/index.md"
    # Each split page links its siblings; the "also in" list (side) is only on the first page.
    for page in pages:
        assert {t for t, _ in links(site, page)} >= set(pages) - {page}
    assert 'href="../bayes/#side"' in site.pages["topics/opt/index.md"]
    assert "#side" not in site.pages["topics/opt-2/index.md"]
    assert assert_links_resolve(site) > 30


def test_also_in_this_topic_is_split_at_tag_page_size() -> None:
    """The one-line list of papers whose full entry is elsewhere is split too, over the topic's pages and
    more if it is longer: no page grows with it (at 50k papers it made page 1 1.8 MB of HTML)."""
    papers = [paper(f"p{i}", f"2024-01-{10 - i:02d}") for i in range(3)]  # full entries in opt
    papers += [
        paper(f"s{i}", f"2024-02-{10 - i:02d}") for i in range(7)
    ]  # full entries in bayes, also in opt
    assign = {p.id: (("opt",), ()) for p in papers[:3]}
    assign.update({p.id: (("bayes", "opt"), ()) for p in papers[3:]})
    site = render_site(papers, TAXONOMY, enriched(assign), Settings(page_size=2, tag_page_size=3))

    def also_in(page: str) -> list[str]:
        text = site.pages[page]
        return re.findall(r'href="\.\./bayes(?:-\d)?/#(s\d)"', text[text.index("{ #also-in-this-topic") :])

    pages = [
        "topics/opt/index.md",
        "topics/opt-2/index.md",
        "topics/opt-3/index.md",
    ]  # 2 pages of entries, 3 of the list
    assert [entry_ids(site.pages[p]) for p in pages] == [["p0", "p1"], ["p2"], []]
    assert [also_in(p) for p in pages] == [["s0", "s1", "s2"], ["s3", "s4", "s5"], ["s6"]]
    assert (
        "topics/opt-4/index.md" not in site.pages
        and {"topics/opt-2/index.md", "topics/opt-3/index.md"} <= site.not_in_nav
    )
    for page in pages:  # every page links its siblings
        assert {t for t, _ in links(site, page)} >= set(pages) - {page}
    assert "Page 3 of 3" in site.pages["topics/opt-3/index.md"]
    assert assert_links_resolve(site) > 20


def test_no_split_below_page_size() -> None:
    papers, data, _ = split_model(2)
    site = render_site(papers, TAXONOMY, data, Settings(page_size=5))
    assert "topics/opt-2/index.md" not in site.pages
    assert entry_ids(site.pages["topics/opt/index.md"]) == ["p0", "p1", "p2", "p3", "p4"]


# ---------------------------------------------------------------- determinism and templates


def test_rendering_is_deterministic() -> None:
    first = render_site(PAPERS, TAXONOMY, ENRICHED)
    again = render_site(PAPERS, TAXONOMY, ENRICHED)
    reordered = Enriched(
        assignments=dict(reversed(list(ENRICHED.assignments.items()))),
        related=dict(reversed(list(ENRICHED.related.items()))),
    )
    third = render_site(PAPERS, TAXONOMY, reordered)
    for other in (again, third):
        assert other.pages == first.pages
        assert other.nav == first.nav
        assert other.locations == first.locations
        assert other.not_in_nav == first.not_in_nav


def test_template_override_from_a_data_templates_folder(tmp_path: Path) -> None:
    override = FIXTURES / "render" / "templates"
    site = render_site(PAPERS, TAXONOMY, ENRICHED, env=make_environment(override))
    opt = site.pages["topics/opt/index.md"]
    assert "Curated entry for `alpha`, added 2024-03-01." in opt
    assert "rl-abstract" not in opt  # the override replaced the whole entry
    assert "newest first" in opt  # topic.md.j2 itself still comes from generator/templates
    assert full_entries(site)["alpha"] == ["topics/opt/index.md"]
    default = render_site(PAPERS, TAXONOMY, ENRICHED, env=make_environment(tmp_path / "no-such-folder"))
    assert default.pages == render_site(PAPERS, TAXONOMY, ENRICHED).pages
    assert "Curated entry" not in default.pages["topics/opt/index.md"]


# ---------------------------------------------------------------- relative()
