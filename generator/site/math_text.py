"""Inline math as plain text a person can read where no MathML renders (feed readers): ``$x_{t+1}$`` -> xₜ₊₁.

Each ``$...$`` span is converted on its own and its delimiters dropped; the text around it is kept exactly.
Sub- and superscripts become Unicode sub/superscript characters when every character has one, else they
stay visible as ``_(...)`` / ``^(...)`` so nothing is lost or misread; macros become Unicode through
pylatexenc (``\\alpha`` -> α, ``\\leq`` -> ≤, ``\\frac{a}{b}`` -> a/b). A span pylatexenc cannot read is kept
as written, without its ``$``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from generator.sources.normalize import split_math

_SUP = dict(zip("0123456789+-=()niTt", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀᵗ", strict=True))
_SUB = dict(zip("0123456789+-=()aeijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
_SCRIPT = re.compile(r"([\^_])(?:\{([^{}]*)\}|(\\[A-Za-z]+|[^\s{}\\]))")
_KEPT = {"^": "\ue000", "_": "\ue001"}
_RESTORE = str.maketrans({"\ue000": "^", "\ue001": "_"})
_MACRO_BEFORE_SCRIPT = re.compile(r"(\\[A-Za-z]+)(?=[\^_])")  # "\ell_p": keep the macro's name apart


def _script(match: re.Match) -> str:
    mark, group, single = match.groups()
    body = math_text(group) if group is not None else math_text(single)
    table = _SUP if mark == "^" else _SUB
    if body and all(c in table for c in body):
        return "".join(table[c] for c in body)
    kept = _KEPT[mark]  # a placeholder, so the next pass does not read it as a script again
    return f"{kept}({body})" if len(body) > 1 else f"{kept}{body}"


@lru_cache(maxsize=4096)
def math_text(latex: str) -> str:
    """One formula (without ``$``) as readable text."""
    from pylatexenc.latex2text import LatexNodes2Text

    scripted = _MACRO_BEFORE_SCRIPT.sub(r"\1 ", latex)
    for _ in range(4):  # innermost scripts first: a^{b^{c}} -> a^{b^c} -> a^(b^c)
        scripted, count = _SCRIPT.subn(_script, scripted)
        if not count:
            break
    try:
        text = LatexNodes2Text(math_mode="text", strict_latex_spaces=True).latex_to_text(scripted)
    except Exception:  # pylatexenc raises several parse errors; the source is still readable
        return latex
    return " ".join(text.translate(_RESTORE).split()) or latex


def readable_text(text: str) -> str:
    """``text`` with every inline ``$...$`` turned into readable text."""
    if "$" not in text:
        return text
    return "".join(math_text(piece[1:-1]) if is_math else piece for is_math, piece in split_math(text))
