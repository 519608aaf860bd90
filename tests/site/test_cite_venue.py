"""BibTeX entry types from the venue resolve found (issue 14): parsed back with bibtexparser."""

from __future__ import annotations

import bibtexparser
import pytest

from generator.core.model import Paper
from generator.site.cite import bibtex_entry, entry_type

BASE = dict(
    id="p",
    title="Mastering the game of Go",
    abstract="",
    added="2026-12-01",
    authors=("David Silver",),
    year=2016,
)


@pytest.mark.parametrize(
    ("venue", "kind", "field"),
    [
        ("Nature", "article", "journal"),
        ("International Conference on Machine Learning", "inproceedings", "booktitle"),
        ("Neural Information Processing Systems", "inproceedings", "booktitle"),
        ("Proceedings of the AAAI Conference on Artificial Intelligence", "inproceedings", "booktitle"),
        (None, "misc", None),
    ],
)
def test_entry_type_and_venue_field(venue, kind, field) -> None:
    paper = Paper(**BASE, venue=venue, doi="10.1038/nature16961", arxiv="1706.03762")
    assert entry_type(paper) == (kind, field)
    (entry,) = bibtexparser.parse_string(bibtex_entry(paper, "silver2016mastering")).entries
    assert entry.entry_type == kind
    fields = {k.lower(): v.value for k, v in entry.fields_dict.items()}
    assert fields["author"] == "David Silver" and fields["year"] == "2016"
    assert fields["doi"] == "10.1038/nature16961"
    assert fields["eprint"] == "1706.03762" and fields["archiveprefix"] == "arXiv"
    if field:
        assert fields[field].replace("{", "").replace("}", "") == venue  # acronyms are brace-protected


def test_a_hostile_venue_stays_one_balanced_field() -> None:
    paper = Paper(**BASE, venue="J. {of} 100% & $x$ } @misc{evil,")
    text = bibtex_entry(paper, "k")
    library = bibtexparser.parse_string(text + "\n" + bibtex_entry(Paper(**BASE), "k2"))
    assert [e.key for e in library.entries] == ["k", "k2"] and not library.failed_blocks
