"""Listing dumps aligned on evidence: each defect of issue 12, and a property over damaged listings."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.sources.listing import parse as parse_listing
from generator.sources.normalize import normalize_text
from generator.sources.parse import parse_file

DEFECTS = Path(__file__).parent / "fixtures"


def read(name: str):
    return parse_file(DEFECTS / name, name)


def test_each_defect_is_recovered_and_reported_at_its_line() -> None:
    result = read("listing_defects.txt")
    got = [(e.source.line, e.title, e.abstract[:24]) for e in result.entries]
    assert (
        got
        == [
            (3, "Sparse Mixtures of Linear Experts", "We study sparse mixtures"),
            (7, "A Title Whose Abstract Went Missing", ""),  # kept, not shifted into the next pair
            (
                9,
                "Attention? Yes! A Study of Attention in Vision Transformers",
                "We revisit attention in v"[:24],
            ),
            (13, "Marigold 2", "Marigold 2 repurposes dif"[:24]),  # a title, not the listing's date
            (17, None, "This abstract lost its t"),  # kept with a provisional title
            (19, "Blank Lines Everywhere Still Align", "The abstract of the last"),
        ]
    )
    assert all(e.listed == "Mar 13" for e in result.entries)
    assert result.entries[-1].abstract.endswith(
        "copied from an e-mail, and it must come out as one abstract of one paper."
    )
    assert [(p.line, p.message.split(":")[0].split(";")[0]) for p in result.problems] == [
        (7, "title with no abstract"),
        (17, "abstract without a title line"),
    ]


def test_every_unicode_line_break_separates_lines() -> None:
    result = read("line_breaks.txt")
    assert [e.title for e in result.entries] == [
        "Title Before A Form Feed",
        "Second Title After The Page Break",
        "Third Title After A Bare CR",
        "Fourth Title After U+2028",
        "Fifth Title After U+2029",
    ]
    assert all(e.abstract.endswith(".") and "Title" not in e.abstract for e in result.entries)
    assert [e.source.line for e in result.entries] == [1, 3, 5, 7, 9]


def test_never_a_title_from_an_abstract_arxiv_or_authors_line() -> None:
    result = parse_listing((DEFECTS / "wrapped_abstracts.txt").read_text(), "w.txt")  # forced as listing
    assert result.entries and all(e.title is None for e in result.entries)
    assert len(result.entries) == 3
    arxiv = read("arxiv_lines.txt")
    assert [e.title for e in arxiv.entries] == ["Learning Without Forgetting In Practice"]
    assert [p.line for p in arxiv.problems] == [2, 3]


def test_a_short_abstract_missing_does_not_shift_the_rest() -> None:
    text = (
        "First Paper Title\nWe do one thing. It works.\nSecond Paper Title\n"
        "Third Paper Title\nWe do a third thing. It works too.\n"
    )
    result = parse_listing(text, "s.txt")
    assert [(e.title, e.abstract) for e in result.entries] == [
        ("First Paper Title", "We do one thing. It works."),
        ("Second Paper Title", ""),
        ("Third Paper Title", "We do a third thing. It works too."),
    ]


# ------------------------------------------------------------------ property: damaged listings

_TITLE_WORDS = """Deep Sparse Learning Graphs Neural Bayesian Optimal Transport Diffusion Models Kernels
Robust Scaling Laws Attention"""
TITLE_WORDS = _TITLE_WORDS.split()
_WORDS = """we show that the model learns from data and our method improves results on several benchmarks
with less compute"""
WORDS = _WORDS.split()


@st.composite
def paper(draw) -> tuple[str, str]:
    words = draw(st.lists(st.sampled_from(TITLE_WORDS), min_size=2, max_size=8))
    title = " ".join(words)
    if draw(st.booleans()):
        title = draw(st.sampled_from(["Attention? Yes! ", "Marigold 2: ", "Why ", ""])) + title
    sentences = []
    for _ in range(draw(st.integers(2, 6))):
        body = draw(st.lists(st.sampled_from(WORDS), min_size=6, max_size=20))
        sentences.append(" ".join(body).capitalize() + ".")
    return title, " ".join(sentences)


@st.composite
def damaged_listing(draw):
    papers = draw(st.lists(paper(), min_size=3, max_size=10, unique_by=lambda p: p[0]))
    blank_style = draw(st.booleans())  # papers separated by blank lines, or one line after the other
    defects: dict[int, str] = {}
    for i in range(len(papers)):
        if i - 1 not in defects and draw(st.integers(0, 3)) == 0:  # never two damaged papers in a row
            defects[i] = draw(st.sampled_from(["no title", "no abstract", "wrapped", "blank"]))
    lines: list[str] = [draw(st.sampled_from(["", "Subscribe", "Mar 13"]))]
    for i, (title, abstract) in enumerate(papers):
        defect = defects.get(i)
        chunk = []
        if defect != "no title":
            chunk.append(title)
            if blank_style or defect == "blank":
                chunk.append("")
        if defect == "wrapped":
            words = abstract.split(" ")
            cuts = [k for k in range(2, len(words) - 1) if not words[k - 1].endswith(".")]
            cut = draw(st.sampled_from(cuts))
            chunk += [" ".join(words[:cut]), " ".join(words[cut:])]
        elif defect != "no abstract":
            chunk.append(abstract)
        if blank_style:
            chunk.append("")
        lines += chunk
    return papers, defects, "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None)
@given(damaged_listing())
def test_every_intact_paper_comes_out_whole_and_aligned(case) -> None:
    papers, defects, text = case
    result = parse_listing(text, "p.txt")
    got = [(e.title, e.abstract) for e in result.entries]
    expected = []
    for i, (title, abstract) in enumerate(papers):
        title, abstract = normalize_text(title), normalize_text(abstract)
        defect = defects.get(i)
        expected.append(
            (None if defect == "no title" else title, "" if defect == "no abstract" else abstract)
        )
    assert got == expected, text
    damaged = sum(d in ("no title", "no abstract") for d in defects.values())
    assert len([p for p in result.problems if p.line]) >= damaged  # each lost line is reported
