"""generator.site.authors: author lists shortened as readers expect them."""

from __future__ import annotations

import pytest

from generator.site.authors import short_authors, short_name


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Ashish Vaswani", "A. Vaswani"),
        ("Ekdeep Singh Lubana", "E. S. Lubana"),
        ("Lubana, Ekdeep Singh", "E. S. Lubana"),
        ("George van den Driessche", "G. van den Driessche"),
        ("Jean-Pierre Serre", "J.-P. Serre"),
        ("David P. Woodruff", "D. P. Woodruff"),
        ("H1 Collaboration", "H1 Collaboration"),
        ("The ATLAS Collaboration", "The ATLAS Collaboration"),
        ("Plato", "Plato"),
    ],
)
def test_short_name(name: str, short: str) -> None:
    assert short_name(name) == short


def test_long_lists_keep_the_first_two_and_the_last() -> None:
    authors = ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit", "Illia Polosukhin"]
    assert short_authors(authors) == "A. Vaswani, N. Shazeer, … I. Polosukhin"
    assert short_authors(authors[:3]) == "A. Vaswani, N. Shazeer, N. Parmar"
    assert short_authors(["Ada Lovelace"]) == "A. Lovelace" and short_authors([]) == ""


def test_markup_in_a_name_stays_text_in_the_entry() -> None:
    from generator.core.model import Paper
    from generator.site.escape import html_plain

    name = "<script>alert(1)</script> Smith"
    assert "<script>" not in html_plain(short_authors([name]))
    assert Paper  # the view escapes with html_plain (see views.PaperView.authors_html)
