"""Normalization rules, one test per rule, on the kinds of text found in the real dumps."""

import pytest

from generator.normalize import (
    fingerprint,
    normalize_text,
    provisional_title,
    slugify,
    split_math,
    strip_bibtex_braces,
    text_key,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (r"Schr\"odinger bridges", "Schrödinger bridges"),
        (r"IPF for Schr{\"o}dinger", "IPF for Schrödinger"),
        (r"na\"{\i}ve model", "naïve model"),
        (r"H\"older continuity", "Hölder continuity"),
        (r"Fr\'echet distance", "Fréchet distance"),
        (r"\v{s}ik \c{c}a", "šik ça"),
        (r"a 44.49\% gain", "a 44.49% gain"),
        (r"R\&D and a\_b", "R&D and a_b"),
        (r"delta ({\delta}) that", "delta (δ) that"),
        (r"a {\em finite sample} setting", "a finite sample setting"),
    ],
)
def test_latex_accents_and_escapes_become_unicode(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("select ``interesting'' instances", "select \u201cinteresting\u201d instances"),
        ("a mild ''informative'' prior", "a mild \u201cinformative\u201d prior"),
        ("forget (or \"unlearn'') a skill", "forget (or \u201cunlearn\u201d) a skill"),
        ("a `mountainside and ridge' perspective", "a \u2018mountainside and ridge\u2019 perspective"),
        ("(SB)---the tendency", "(SB)\u2014the tendency"),
    ],
)
def test_typographic_quotes_and_dashes(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "p(Y|X) and x_t where MNIST < CIFAR10",
        "the `larger` groups",
        "an unbalanced ` backtick",
        '--8<-- "/etc/hostname" and {{ config }} and {: onclick=x }',
        "LiveXiv -- A Multi-Modal Live Benchmark",
        "costs $5 and $10 today",
    ],
)
def test_text_that_looks_like_markup_is_kept_verbatim(text: str) -> None:
    assert normalize_text(text) == text


def test_inline_math_is_kept_intact() -> None:
    raw = r"a $1.8$ gain and $\mathcal{O}(n^2)$ cost with Schr\"odinger"
    assert normalize_text(raw) == r"a $1.8$ gain and $\mathcal{O}(n^2)$ cost with Schrödinger"
    assert [p for is_math, p in split_math(normalize_text(raw)) if is_math] == ["$1.8$", r"$\mathcal{O}(n^2)$"]


def test_unknown_macros_never_lose_a_word() -> None:
    assert normalize_text(r"with \foo bar and \textbf baz") == r"with \foo bar and \textbf baz"


def test_whitespace_and_control_characters() -> None:
    assert normalize_text("  a\tb\r\n c\x00d\x07  ") == "a b cd"
    assert normalize_text("keeps \u202e bidi") == "keeps \u202e bidi"  # format characters are text


def test_normalize_is_idempotent_on_real_fragments() -> None:
    for raw in [r"Schr\"odinger ``x''", "a `b' c", r"{\em x} $y_t$ 10\%"]:
        once = normalize_text(raw)
        assert normalize_text(once) == once


def test_bibtex_braces() -> None:
    assert strip_bibtex_braces(r"{Bayesian} Optimization for {Schr\"odinger} Bridges") == (
        r"Bayesian Optimization for Schr\"odinger Bridges"
    )
    assert strip_bibtex_braces(r"keep $\mathcal{O}(n)$ math") == r"keep $\mathcal{O}(n)$ math"


def test_keys_and_fingerprints_ignore_case_accents_and_punctuation() -> None:
    assert text_key("The Pitfalls of Simplicity-Bias!") == text_key("the pitfalls of simplicity bias")
    assert text_key("Schrödinger") == text_key("Schrodinger")
    assert fingerprint("t", "A Title") == fingerprint("t", "a title.")
    assert fingerprint("t", "A Title") != fingerprint("a", "A Title")


def test_slugify() -> None:
    assert slugify("End-to-end Training of Deep Boltzmann Machines by Unbiased Contrastive Divergence") == (
        "end-end-training-deep-boltzmann-machines-unbiased"
    )
    assert slugify("A model's predictions") == "models-predictions"
    assert slugify("Schrödinger Bridges") == "schrodinger-bridges"
    assert slugify("!!!") == "paper"
    assert len(slugify("word " * 40)) <= 60


def test_provisional_title_is_the_first_sentence_cut_short() -> None:
    assert provisional_title("Short first sentence. Then more.") == "Short first sentence"
    long = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen. Next."
    assert provisional_title(long) == "One two three four five six seven eight nine ten eleven twelve\u2026"
