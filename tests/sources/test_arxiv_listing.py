"""generator.sources.arxiv_listing: arXiv "new" and "list" pages as copied from the browser."""

from __future__ import annotations

from pathlib import Path

from generator.sources.arxiv_listing import detect, parse, split_authors

INPUTS = Path(__file__).resolve().parent.parent / "resolve" / "fixtures" / "inputs"


def _fields(entry) -> dict:
    return dict(entry.fields)


def test_new_page_with_unlabelled_authors_and_abstracts() -> None:
    result = parse((INPUTS / "arxiv_new.txt").read_text(), "raw/new.txt")
    assert [_fields(e)["arxiv"] for e in result.entries] == ["2211.08422", "2306.00732", "2010.13154"]
    first, second, third = result.entries
    assert first.title == "Mechanistic Mode Connectivity"
    assert _fields(first)["authors"][0] == "Ekdeep Singh Lubana" and len(_fields(first)["authors"]) == 5
    assert first.abstract.startswith("We study neural network loss landscapes")
    assert first.source.line == 9
    assert second.title == "Sharper Bounds for $\\ell_p$ Sensitivity Sampling"  # the version is dropped
    # the section heading and the page footer are not part of any abstract
    assert "Cross submissions" not in second.abstract and "About" not in third.abstract
    assert third.abstract.endswith("sequence-to-sequence learning.")
    assert result.problems == []


def test_list_page_with_labelled_wrapped_authors_and_no_abstract() -> None:
    result = parse((INPUTS / "arxiv_list.txt").read_text(), "raw/list.txt")
    pitfalls, attention = result.entries
    assert _fields(pitfalls)["authors"][-1] == "Praneeth Netrapalli"  # wrapped over two lines
    assert pitfalls.abstract == "" and pitfalls.title == "The Pitfalls of Simplicity Bias in Neural Networks"
    assert _fields(attention)["authors"][-2:] == ("Lukasz Kaiser", "Illia Polosukhin")  # "... and ..."


def test_detection() -> None:
    assert detect((INPUTS / "arxiv_new.txt").read_text())
    assert detect((INPUTS / "arxiv_list.txt").read_text())
    assert not detect("A title line\nAn abstract line that is long enough to be an abstract.\n")
    assert not detect((INPUTS / "ids.txt").read_text())


def test_an_entry_without_a_title_is_kept_for_resolve() -> None:
    result = parse("[1] arXiv:2401.01234 [pdf]\nSubjects: Machine Learning (cs.LG)\n", "raw/x.txt")
    (entry,) = result.entries
    assert entry.title is None and _fields(entry)["arxiv"] == "2401.01234"
    assert "no 'Title:' line" in result.problems[0].message and result.problems[0].line == 1


def test_split_authors() -> None:
    assert split_authors("A. One (MIT), B. Two and C. Three") == ["A. One", "B. Two", "C. Three"]
