"""How much a line of a dump looks like a title rather than an abstract, from its shape alone.

:func:`title_odds` is a log-odds score: positive for a title (short, capitalized words, no sentence end),
negative for abstract text (long, several sentences, "We ...", a final period). The listing reader
combines it with the neighbours of each line; nothing here looks beyond one line.
"""

from __future__ import annotations

import re
from functools import lru_cache

from generator.sources.blocks import ABSTRACT_PREFIX_RE

# A sentence boundary inside a line: ". " / "? " / "! " followed by an upper-case letter or a digit.
_BOUNDARY_RE = re.compile(r"[.!?][\"')\]]*\s+(?=[A-Z0-9])")
_ABBREVIATIONS = ("al", "vs", "cf", "eg", "ie", "etc", "Fig", "Eq", "No")
_PERIOD_BOUNDARY_RE = re.compile(  # the period first: the look-behinds then run only at periods
    r"\.(?<![A-Z]\.)" + "".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS) + r"[\"')\]]*\s+(?=[A-Z0-9])"
)
_WORD_RE = re.compile(r"[^\W\d_][\w'\-]*")
_MINOR_WORDS = """
a an the of for and or in on to with via by from at as is are be vs versus into over under
without through using towards toward beyond
"""
_MINOR = frozenset(_MINOR_WORDS.split())
_OPENERS_RE = re.compile(
    r"^(?:We|Our|In this (?:paper|work|study)|This (?:paper|work|study)|Here,? we|Recent(?:ly)?|"
    r"Although|While|However|Despite|Existing|Current)\b"
)
# Words a line that stops mid-sentence (a wrapped line) ends with; a comma, semicolon or hyphen too.
_DANGLING = _MINOR | {"that", "which", "we", "our"}
LETTERS_RE = re.compile(r"[^\W\d_]")


def is_abstract_line(line: str) -> bool:
    """An explicit ``Abstract:`` line."""
    return ABSTRACT_PREFIX_RE.match(line) is not None


def ends_sentence(line: str) -> bool:
    return line.rstrip("\"')]")[-1:] in (".", "!", "?")


def dangles(line: str) -> bool:
    """Does the line stop mid-sentence (after "of", "the", a comma, a hyphen, ...)?"""
    if line[-1:] in (",", ";", "-"):
        return True
    last = line[-12:].rsplit(None, 1)[-1] if line else ""
    return last.lower() in _DANGLING


def capitalized_share(line: str) -> float:
    """Share of the line's significant words that start with a capital letter (Title Case -> 1.0)."""
    words = [w for w in _WORD_RE.findall(line) if w.lower() not in _MINOR]
    if not words:
        return 0.0
    return sum(w[0].isupper() or any(c.isupper() for c in w[1:]) for w in words) / len(words)


@lru_cache(maxsize=1 << 16)  # detection, parsing and the doubt report ask for the same lines
def title_odds(line: str) -> float:
    """Log-odds that ``line`` is a title (positive) rather than abstract text (negative)."""
    if is_abstract_line(line):
        return -20.0
    length = len(line)
    odds = 2.0 if length <= 120 else 0.5 if length <= 200 else -1.5 if length <= 300 else -4.0
    if line.endswith(".") and not line.endswith(("et al.", "...")):
        odds -= 2.5
    if length > 300:  # no title is this long: the cheap evidence is decisive, skip the word-level one
        return odds - (4.0 if length > 600 else 0.0) - 1.5 * min(line.count(". "), 3)
    words = len(line.split())
    periods = len(_PERIOD_BOUNDARY_RE.findall(line))
    odds -= 1.5 * periods + 0.3 * (len(_BOUNDARY_RE.findall(line)) - periods)
    share = capitalized_share(line)
    if share >= 0.7:
        odds += 1.5
    elif share <= 0.35 and words >= 6:
        odds -= 1.0
    if _OPENERS_RE.match(line):
        odds -= 1.5
    if line[:1].islower() and not any(c.isupper() for c in line.split(" ", 1)[0]):
        odds -= 1.5
    if dangles(line):
        odds -= 1.5
    return odds
