"""generator.sources.id_list: one arXiv id, arXiv URL or DOI per line, merged and deduped on the id."""

from __future__ import annotations

from pathlib import Path

from generator.core.model import Paper
from generator.sources.arxiv_listing import parse as parse_listing
from generator.sources.id_list import detect, identifier, parse
from generator.sources.merge import merge_entries

INPUTS = Path(__file__).resolve().parent.parent / "resolve" / "fixtures" / "inputs"


def test_every_identifier_form() -> None:
    result = parse((INPUTS / "ids.txt").read_text(), "raw/ids.txt")
    assert [e.fields for e in result.entries] == [
        (("arxiv", "2211.08422"),),
        (("arxiv", "1706.03762"),),
        (("arxiv", "2010.13154"),),
        (("arxiv", "2306.00732"),),
        (("doi", "10.1038/nature16961"),),
        (("arxiv", "2006.07710"),),  # arXiv's own DOI is its arXiv id
    ]
    assert all(e.title is None and e.abstract == "" for e in result.entries)
    (problem,) = result.problems
    assert problem.line == 9 and "not an arXiv id" in problem.message


def test_identifier() -> None:
    assert identifier("hep-th/9901001v2") == ("arxiv", "hep-th/9901001")
    assert identifier("https://dx.doi.org/10.1000/a%2Fb") == ("doi", "10.1000/a/b")
    assert identifier("12401.01234") is None and identifier("see 2401.01234") is None


def test_detection() -> None:
    assert detect((INPUTS / "ids.txt").read_text())
    assert not detect((INPUTS / "arxiv_new.txt").read_text())


def test_ids_dedupe_against_a_listing_and_an_earlier_paper() -> None:
    earlier = Paper(
        id="attention-is-all-you-need",
        title="Attention Is All You Need",
        abstract="The dominant sequence transduction models ...",
        added="2026-11-01",
        arxiv="1706.03762",  # set by resolve on a paper ingested from a listing dump
    )
    ids = parse((INPUTS / "ids.txt").read_text(), "raw/ids.txt").entries
    listing = parse_listing((INPUTS / "arxiv_new.txt").read_text(), "raw/new.txt").entries
    papers, summary = merge_entries([earlier], [*ids, *listing], "2026-12-01")
    by_arxiv = {p.arxiv: p for p in papers if p.arxiv}
    assert len(papers) == 1 + 5 and summary.added == 5  # 6 ids + 3 listed, 4 of them shared
    assert by_arxiv["1706.03762"].id == "attention-is-all-you-need"
    assert by_arxiv["2211.08422"].title == "Mechanistic Mode Connectivity"  # the listing named it
    assert not by_arxiv["2211.08422"].needs_title and by_arxiv["2211.08422"].authors
    only_id = by_arxiv["2006.07710"]
    assert only_id.needs_title and only_id.title == "arXiv:2006.07710" and only_id.id == "arxiv-2006-07710"
    assert {m.evidence for m in summary.merges} == {"same arXiv id"}
    doi = next(p for p in papers if p.doi)
    assert doi.title == "doi:10.1038/nature16961" and doi.needs_title


def test_a_bibtex_eprint_is_the_same_paper_as_its_id() -> None:
    from generator.sources.parse import parse_bibtex

    bib = parse_bibtex(
        "@inproceedings{lubana2023,\n  title = {Mechanistic Mode Connectivity},\n"
        "  author = {Lubana, Ekdeep Singh},\n  year = {2023},\n  eprint = {2211.08422v3},\n"
        "  archivePrefix = {arXiv},\n}\n",
        "raw/a.bib",
    ).entries
    ids = parse("https://arxiv.org/abs/2211.08422\n", "raw/ids.txt").entries
    papers, summary = merge_entries([], [*bib, *ids], "2026-12-01")
    assert len(papers) == 1 and summary.merges[0].evidence == "same arXiv id"
