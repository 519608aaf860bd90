"""Author names as readers expect them in a list entry: "A. Vaswani, N. Shazeer, … I. Polosukhin".

Given names become initials ("Jean-Pierre" -> "J.-P."), the family name is kept whole with its
particles ("George van den Driessche" -> "G. van den Driessche"; "Lubana, Ekdeep Singh" ->
"E. S. Lubana"). More than :data:`SHOWN` authors: the first ones, an ellipsis, and the last.
"""

from __future__ import annotations

from collections.abc import Sequence

SHOWN = 3  # at most this many names; longer lists show the first SHOWN - 1, "…", and the last
_GROUPS = frozenset(("collaboration", "consortium", "team", "group", "project", "initiative"))
_PARTICLES = frozenset(
    (
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "le",
        "la",
        "dos",
        "das",
        "ter",
        "ten",
        "bin",
        "al",
    )
)


def _initial(given: str) -> str:
    parts = [p for p in given.split("-") if p]
    if not parts or not parts[0][:1].isalpha():
        return given
    return "-".join(f"{p[0]}." for p in parts)


def short_name(name: str) -> str:
    """ "Ashish Vaswani" -> "A. Vaswani"; a one-word name, or an initial already, stays as written."""
    name = " ".join(name.split())
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        words = given.split()
    else:
        words = name.split()
        if len(words) < 2 or words[-1].lower() in _GROUPS or any(c.isdigit() for c in name):
            return name
        cut = len(words) - 1
        while cut > 1 and words[cut - 1].lower() in _PARTICLES:
            cut -= 1
        family, words = " ".join(words[cut:]), words[:cut]
    if not family:
        return name
    initials = " ".join(_initial(w) if not w.endswith(".") else w for w in words)
    return f"{initials} {family}".strip()


def short_authors(authors: Sequence[str], shown: int = SHOWN) -> str:
    """The author list shortened: every name as :func:`short_name`, at most ``shown`` of them."""
    names = [short_name(a) for a in authors if a.strip()]
    if len(names) > shown:
        names = [*names[: shown - 1], "… " + names[-1]]
        return ", ".join(names[:-1]) + ", " + names[-1]
    return ", ".join(names)
