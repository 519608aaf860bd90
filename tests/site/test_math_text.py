"""Inline math as readable text for feed readers (generator/site/math_text.py)."""

from __future__ import annotations

import pytest

from generator.site.math_text import readable_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("train on $1.8$ million points in $10$ hours", "train on 1.8 million points in 10 hours"),
        (r"a rate of $\mathcal{O}(1/\sqrt{T})$", "a rate of 𝒪(1/√(T))"),
        (r"$x_{t+1} = x_t - \eta \nabla f(x_t)$", "xₜ₊₁ = xₜ - η∇f(xₜ)"),
        (r"for $1\leq p<2$", "for 1≤p<2"),
        (r"$\tilde{O}(\epsilon^{-2})$ samples", "Õ(ϵ⁻²) samples"),
        (r"the $\ell_p$ ball in $\mathbb{R}^d$", "the ℓₚ ball in ℝ^d"),
        (r"$\mathfrak S^{2/p}$", "𝔖^(2/p)"),  # no superscript slash: kept visible, grouped
        (r"$e^{-x^2}$", "e^(-x²)"),
        (r"$a^{b^{c}}$", "a^(b^c)"),
        (r"$\alpha_{\max}$", "αₘₐₓ"),
        ("it costs $5 and $6 more", "it costs $5 and $6 more"),  # not math
        ("no math at all", "no math at all"),
    ],
)
def test_readable_text(text: str, expected: str) -> None:
    assert readable_text(text) == expected


def test_unreadable_math_is_kept_as_written() -> None:
    assert readable_text(r"see $\bad{$ here") == r"see \bad{ here"
    assert "$" not in readable_text(r"$\mathcal{O}(n)$ and $\frac{a}{b}$")


def test_feed_entries_show_math_as_text() -> None:
    import xml.etree.ElementTree as ET

    from generator.site.feeds import Feed, FeedEntry, atom_feed

    entry = FeedEntry(
        "p1", r"Rates $O(1/\sqrt{T})$", r"On $1.8$ million points, $x_{t+1}$ < $5", "p1.html", "2024-01-01"
    )
    feed = Feed("all", "T", "S", "feed.xml", "index.html", "A", (entry,))
    root = ET.fromstring(atom_feed(feed))
    ns = "{http://www.w3.org/2005/Atom}"
    assert root.find(f"{ns}entry/{ns}title").text == r"Rates $O(1/\sqrt{T})$"  # titles stay as stored
    assert root.find(f"{ns}entry/{ns}summary").text == "On 1.8 million points, xₜ₊₁ < $5"
