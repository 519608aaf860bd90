"""The site's "newest first": the one order of the home page, topic and tag pages, feeds, BibTeX and map.

Papers are ordered by the day they were added (newest first); within a day, papers with a real title come
before those whose title is provisional (``needs_title``); then by the date of the listing page they were
copied from (newest first; a paper without one after those with one); then by their place in the store,
which is the order their dump listed them in.

A listing date is written as on the page ("Mar 13", "Mar 13, 2025", "13 Mar 2025" or an ISO date); without
a year it is taken as the last such day on or before the day the paper was added.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from generator.core.model import Paper

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, start=1)}
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH_DAY = re.compile(r"^(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?$")
_DAY_MONTH = re.compile(r"^(?:[A-Za-z]{3},?\s+)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?(?:,?\s+(\d{4}))?$")


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def listed_date(listed: str | None, added: str) -> str:
    """The ISO date of a listing date line, or "" when it cannot be read."""
    text = (listed or "").strip()
    if not text:
        return ""
    iso = _ISO.match(text)
    if iso:
        found = _date(*(int(g) for g in iso.groups()))
        return found.isoformat() if found else ""
    match = _MONTH_DAY.match(text)
    if match:
        month_name, day, year = match.groups()
    else:
        match = _DAY_MONTH.match(text)
        if not match:
            return ""
        day, month_name, year = match.groups()
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return ""
    if year:
        found = _date(int(year), month, int(day))
        return found.isoformat() if found else ""
    added_iso = _ISO.match(added or "")
    if not added_iso:
        return ""
    added_day = dt.date(*(int(g) for g in added_iso.groups()))
    for back in range(9):  # this year or the last; Feb 29 the last leap year's
        found = _date(added_day.year - back, month, int(day))
        if found and found <= added_day:
            return found.isoformat()
    return ""


_INVERT = str.maketrans("0123456789", "9876543210")


def _descending(date: str) -> str:
    # A string key that sorts ISO dates newest first; "" (no date) after every date.
    return date.translate(_INVERT) if date else "~"


def recency_key(paper: Paper, position: int) -> tuple:
    """The sort key of ``paper`` at ``position`` in the store (see the module docstring)."""
    return (
        _descending(paper.added or ""),
        bool(paper.needs_title),
        _descending(listed_date(paper.listed, paper.added)),
        position,
    )


def newest_first(papers: Sequence[Paper]) -> list[Paper]:
    """``papers`` (in store order) newest first."""
    return [p for _, p in sorted(((recency_key(p, i), p) for i, p in enumerate(papers)), key=lambda x: x[0])]
