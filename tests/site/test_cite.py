"""Citations: keys, BibTeX escaping, the Cite block on each entry and the downloadable .bib files.

Every generated .bib is read back with bibtexparser (v2): no failed blocks, the expected keys and titles.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import bibtexparser
import pytest
import yaml
from conftest import REPO, make_project, mkdocs_build

from generator.core.model import Paper
from generator.site.cite import bib_file, bib_text, bibtex_entry, citation_keys
from generator.store import load_store

TRICKY_TITLES = [
    "Plain title",
    "50% of {braces} & #hashes_with underscores",
    "A backslash \\ and \\textbf{fake} commands",
    "Unbalanced { brace",
    "Unbalanced } brace",
    "Dollar $5 price",
    "Math $\\mathcal{O}(n^2)$ bound and $x_{i}$",
    "Broken math $\\{ x$ here",
    "Tilde ~ caret ^ and @ at",
    'Title with "quotes" and , commas = equals',
    "</div> <script>alert(1)</script> ``` fence",
    "Ünïcödé façade naïve",
]

_UNTEX = [
    ("\\textbackslash{}", "\\"),
    ("\\textbraceleft{}", "{"),
    ("\\textbraceright{}", "}"),
    ("\\textasciitilde{}", "~"),
    ("\\textasciicircum{}", "^"),
    ("\\%", "%"),
    ("\\&", "&"),
    ("\\#", "#"),
    ("\\_", "_"),
    ("\\$", "$"),
]


def untex(value: str) -> str:
    """Undo bib_text for text without math: drop case-protecting braces, then the escapes."""
    out = []
    i = 0
    while i < len(value):
        for escaped, plain in _UNTEX:
            if value.startswith(escaped, i):
                out.append(plain)
                i += len(escaped)
                break
        else:
            if value[i] not in "{}":
                out.append(value[i])
            i += 1
    return "".join(out)


def paper(pid: str, title: str = "A title", **fields) -> Paper:
    return Paper(id=pid, title=title, abstract="", added="2024-01-01", **fields)


def parse_bib(text: str):
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [], [b.error for b in library.failed_blocks]
    return library


# ---------------------------------------------------------------- keys


def test_key_is_author_year_first_word_or_the_paper_id() -> None:
    papers = [
        paper("p1", "The Attention Is All You Need", authors=("Ashish Vaswani", "Noam Shazeer"), year=2017),
        paper("p2", "On Muller's method", authors=("Müller, Jörg",), year=2020),
        paper("p3", "Untitled", authors=()),
        paper("p4", "Graphs", authors=("Ann Lee",)),
    ]
    assert citation_keys(papers) == {
        "p1": "vaswani2017attention",
        "p2": "muller2020mullers",
        "p3": "p3",
        "p4": "leegraphs",
    }


def test_keys_are_unique_and_the_first_paper_keeps_its_key() -> None:
    same = dict(title="Deep nets", authors=("Bo Chen",), year=2021)
    papers = [paper("a", **same), paper("b", **same), paper("c", **same), paper("chen2021deepb", authors=())]
    keys = citation_keys(papers)
    assert keys["a"] == "chen2021deep"
    assert len(set(keys.values())) == len(papers)
    assert keys["chen2021deepb"] == "chen2021deepb"  # an id that happens to look like a suffixed key wins
    assert keys["b"] == "chen2021deepc" and keys["c"] == "chen2021deepd"
    assert (
        citation_keys(papers + [paper("z", **same)])["a"] == "chen2021deep"
    )  # a newcomer never steals a key


# ---------------------------------------------------------------- escaping


def test_text_is_escaped_and_math_kept() -> None:
    assert bib_text("50% & #1_x {y} \\ ~^") == (
        "50\\% \\& \\#1\\_x \\textbraceleft{}y\\textbraceright{} \\textbackslash{} "
        "\\textasciitilde{}\\textasciicircum{}"
    )
    assert bib_text("costs $5 and $x_{i}^2$ here") == "costs \\$5 and $x_{i}^2$ here"
    assert bib_text("broken $\\{ x$") == "broken \\$\\textbackslash{}\\textbraceleft{} x\\$"
    assert bib_text("GPs beat ImageNet baselines", protect_case=True) == "{GPs} beat {ImageNet} baselines"
    # Python-Markdown's placeholder characters (the Cite block is Markdown) and other controls are dropped.
    assert bib_text("a\x02wzxhzdk:0\x03 b\x1fc\td\x7f") == "awzxhzdk:0 b c d"


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_every_tricky_title_parses_back_to_the_same_text(title: str) -> None:
    entry = bibtex_entry(
        paper(
            "tricky-paper",
            title,
            authors=("Ann {Odd} Author", "Bob and Co"),
            year=2020,
            doi="10.1234/abc{1}",
            url="https://example.org/a%20b?q=1#frag",
        ),
        "key2020",
    )
    library = parse_bib(bib_file([entry], "List"))
    (parsed,) = library.entries
    assert parsed.key == "key2020"
    value = parsed.fields_dict["title"].value
    if "$" in title and "\\mathcal" in title:
        assert "$\\mathcal{O}(n^2)$" in value and "$x_{i}$" in value
    else:
        assert untex(value) == title
    assert value.count("{") == value.count("}")
    assert (
        parsed.fields_dict["author"].value
        == "Ann \\textbraceleft{}Odd\\textbraceright{} Author and {Bob and Co}"
    )
    assert parsed.fields_dict["doi"].value == "10.1234/abc%7B1%7D"


def test_a_file_of_many_entries_loses_none() -> None:
    papers = [
        paper(f"p{i}", title, authors=("A. Person",), year=2000 + i) for i, title in enumerate(TRICKY_TITLES)
    ]
    keys = citation_keys(papers)
    library = parse_bib(bib_file([bibtex_entry(p, keys[p.id]) for p in papers], "All @ once"))
    assert [e.key for e in library.entries] == [keys[p.id] for p in papers]


def test_fields_come_only_from_what_is_known() -> None:
    bare = parse_bib(bibtex_entry(paper("bare"), "bare")).entries[0]
    assert set(bare.fields_dict) == {"title"}
    linked = parse_bib(bibtex_entry(paper("bare"), "bare", fallback_url="https://site/x/#bare")).entries[0]
    assert linked.fields_dict["url"].value == "https://site/x/#bare"
    arxiv = parse_bib(bibtex_entry(paper("ax", arxiv="2301.01234", year=2023), "ax")).entries[0]
    assert {k: f.value for k, f in arxiv.fields_dict.items()} == {
        "title": "A title",
        "year": "2023",
        "eprint": "2301.01234",
        "archiveprefix": "arXiv",
        "url": "https://arxiv.org/abs/2301.01234",
    }


# ---------------------------------------------------------------- the built site


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    records = [
        {
            "id": "noisy-sgd",
            "title": "Noisy SGD: 100% & {more}",
            "abstract": "Stochastic gradient descent with momentum and learning rate schedules.",
            "added": "2024-02-01",
            "authors": ["Ann Smith", "Bo Chen"],
            "year": 2023,
            "arxiv": "2301.01234",
        },
        {
            "id": "noisy-sgd-again",
            "title": "Noisy SGD: 100% & {more}",
            "abstract": "Learning rate and momentum for stochastic gradient descent, again.",
            "added": "2024-02-02",
            "authors": ["Ann Smith"],
            "year": 2023,
        },
        {
            "id": "no-authors",
            "title": "Diffusion models $\\alpha_t$",
            "abstract": "Score-based diffusion models.",
            "added": "2024-02-03",
        },
    ]
    project = make_project(tmp_path_factory.mktemp("cite"), records)
    mkdocs_build(project, project / "site")
    return project / "site"


def test_each_entry_offers_its_bibtex_and_search_skips_it(small_site: Path) -> None:
    pages = {p: p.read_text(encoding="utf-8") for p in (small_site / "topics").rglob("index.html")}
    pages[small_site / "unsorted" / "index.html"] = (small_site / "unsorted" / "index.html").read_text()
    blocks = [
        b
        for text in pages.values()
        for b in re.findall(
            r'<div class="rl-cite">\s*<details class="quote">\s*<summary>Cite</summary>(.*?)</details>',
            text,
            re.S,
        )
    ]
    assert len(blocks) == 3
    keys = sorted(re.search(r"<code>@\w+\{([^,]+),", b).group(1) for b in blocks)  # no highlighting pass
    assert keys == ["no-authors", "smith2023noisy", "smith2023noisyb"]
    index = json.loads((small_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = json.dumps(index)
    assert "@misc" not in text and "smith2023noisy" not in text and "archiveprefix" not in text
    # The entries themselves are in the paper search (topic pages left Material's index), without BibTeX.
    fragments = [
        gzip.decompress(f.read_bytes()).decode("utf-8")
        for f in (small_site / "pagefind" / "fragment").glob("*.pf_fragment")
    ]
    assert any("Noisy SGD" in f for f in fragments)
    assert not any("@misc" in f or "smith2023noisy" in f for f in fragments)


def test_built_bib_files_parse_back(small_site: Path) -> None:
    whole = parse_bib((small_site / "bib" / "all.bib").read_text(encoding="utf-8"))
    assert [e.key for e in whole.entries] == [
        "no-authors",
        "smith2023noisyb",
        "smith2023noisy",
    ]  # newest first
    assert (
        whole.entries[1].fields_dict["title"].value
        == "Noisy {SGD}: 100\\% \\& \\textbraceleft{}more\\textbraceright{}"
    )
    assert whole.entries[0].fields_dict["title"].value == "Diffusion models $\\alpha_t$"
    topic_files = sorted((small_site / "bib" / "topics").glob("*.bib"))
    assert topic_files
    for path in topic_files:
        parse_bib(path.read_text(encoding="utf-8"))
    home = (small_site / "index.html").read_text(encoding="utf-8")
    assert 'href="bib/all.bib"' in home
    for page in (small_site / "topics").glob("*/index.html"):
        assert f'href="../../bib/topics/{page.parent.name}.bib"' in page.read_text(encoding="utf-8")


def test_seed_site_bib_holds_every_paper_with_its_key_and_title(seed_site: Path) -> None:
    papers, _ = load_store(REPO / "data" / "papers.yaml")
    visible = [p for p in papers if not p.hidden]
    keys = citation_keys(visible)
    library = parse_bib((seed_site / "bib" / "all.bib").read_text(encoding="utf-8"))
    titles = {e.key: e.fields_dict["title"].value for e in library.entries}
    assert titles == {keys[p.id]: bib_text(p.title, protect_case=True) for p in visible}
    records = yaml.safe_load((REPO / "data" / "papers.yaml").read_text(encoding="utf-8"))
    assert len(library.entries) == sum(1 for r in records if not r.get("hidden"))
    total = 0
    for path in sorted((seed_site / "bib" / "topics").glob("*.bib")):
        entries = parse_bib(path.read_text(encoding="utf-8")).entries
        assert all(e.key in titles for e in entries)
        total += len(entries)
    assert total >= len(visible)  # every paper is in at least one topic's file (or Unsorted's)


def test_protected_titles_equal_the_word_by_word_recipe() -> None:
    """bib_text escapes ASCII text between words that need braces in one go; it must equal escaping and
    protecting every word on its own (the definition), on the seeds and on random punctuation soup."""
    import random

    from generator.site import cite
    from generator.store import load_store

    def word_by_word(text: str) -> str:
        out = []
        for is_math, piece in cite.split_math(" ".join(text.translate(cite._CONTROLS).split())):
            if is_math and cite._balanced(piece) and "\n" not in piece:
                out.append(piece)
            else:
                out.append("".join(cite._protect(word) for word in re.split(r"(\s+)", piece)))
        return "".join(out)

    rng = random.Random(5)
    alphabet = "aB Z_{}\\$%&#~^-:(),.xYéÉ\t\nGPs"
    texts = [p.title for p in load_store(REPO / "data" / "papers.yaml")[0]]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(20_000)]
    assert [bib_text(t, protect_case=True) for t in texts] == [word_by_word(t) for t in texts]
