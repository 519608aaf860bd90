"""Normalization rules, one test per rule, on the kinds of text found in the real dumps."""

import pytest

from generator.sources.normalize import (
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
    assert [p for is_math, p in split_math(normalize_text(raw)) if is_math] == [
        "$1.8$",
        r"$\mathcal{O}(n^2)$",
    ]


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


# ---------------------------------------------------------------- fast paths against their slow definitions

import random  # noqa: E402
import re  # noqa: E402
import unicodedata  # noqa: E402
from pathlib import Path  # noqa: E402

from generator.sources import normalize  # noqa: E402
from generator.sources.latex import latex_to_text  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent.parent / "data" / "raw"


def _slow_collapse_ws(text: str) -> str:
    return " ".join(normalize._CONTROL_RE.sub("", text.replace("\r\n", "\n")).split())


def _slow_segment(text: str) -> str:
    """_convert_text_segment without the substring gates: every regex runs."""
    text = latex_to_text(text)
    text = normalize._DOUBLE_QUOTES_RE.sub(lambda m: f"\u201c{m.group(1)}\u201d", text)
    text = normalize._SINGLE_QUOTES_RE.sub(lambda m: f"\u2018{m.group(1)}\u2019", text)
    return normalize._EMDASH_RE.sub("\u2014", text)


def _slow_normalize_text(text: str) -> str:
    """normalize_text as first written: passes until the text stops changing, no shortcut."""

    def one_pass(t: str) -> str:
        t = unicodedata.normalize("NFC", _slow_collapse_ws(t))
        pieces = [p if is_math else _slow_segment(p) for is_math, p in normalize.split_math(t)]
        return _slow_collapse_ws("".join(pieces))

    out = one_pass(text)
    for _ in range(normalize._MAX_PASSES):
        again = one_pass(out)
        if again == out:
            break
        out = again
    return out


def _slow_text_key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", normalize.fold_ascii(text).casefold()))


def _samples() -> list[str]:
    texts = [
        line
        for path in sorted(SEEDS.iterdir())
        if path.is_file()
        for line in path.read_text(encoding="utf-8", errors="replace").split("\n")
    ]
    rng = random.Random(20240611)
    alphabet = [
        *"abcXYZ019 \t\n\r\\{}$`'\"-.,;:()[]_^~=%&#",
        "\x00",
        "\x07",
        "\x0b",
        "\x1c",
        "\x85",
        "\xa0",
        "\u2000",
        "\u2028",
        "\u202e",
        "\ufeff",
        "\ud800",
        "é",
        "e\u0301",
        "ö",
        "ß",
        "ﬁ",
        "\uac00\u11a8",
        r"\'",
        r"\"",
        r"\em ",
        r"{\bf ",
        r"\cite{x}",
        r"\today",
        "``",
        "''",
        "---",
        "$x$",
        r"\alpha",
        r"\v{s}",
        r"\c c",
        "\\\\",
        r"\%",
        "  ",
        r"\i",
        r"\{",
    ]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(30))) for _ in range(3000)]
    return texts


def test_fast_paths_give_what_the_slow_definitions_give() -> None:
    for text in _samples():
        assert normalize.collapse_ws(text) == _slow_collapse_ws(text), repr(text)
        assert normalize.normalize_text(text) == _slow_normalize_text(text), repr(text)
        assert normalize.text_key.__wrapped__(text) == _slow_text_key(text), repr(text)
        piece = normalize.collapse_ws(text)
        assert normalize._convert_text_segment(piece) == _slow_segment(piece), repr(text)


def test_code_point_facts_behind_the_fast_paths() -> None:
    """collapse_ws: what _CONTROL_RE drops, and every space but " ", is non-printable. _normalize_pass: NFC
    turns no character that collapse_ws keeps into a space or a control character."""

    def blank(c: str) -> bool:
        return c.isspace() or normalize._CONTROL_RE.match(c) is not None

    for code in range(0x110000):
        char = chr(code)
        if blank(char):
            assert char == " " or not char.isprintable(), hex(code)
            continue
        if 0xD800 <= code <= 0xDFFF:
            continue
        # NFC maps a character to its singleton decomposition, or composes it with marks into a character
        # whose canonical decomposition it starts: neither is ever blank.
        assert not any(blank(c) for c in unicodedata.normalize("NFC", char)), hex(code)
        decomposition = unicodedata.decomposition(char)
        if decomposition and not decomposition.startswith("<") and " " in decomposition:
            assert not blank(char), hex(code)
