"""The review list (``data/review.yaml``): candidates resolve would not apply on its own.

One entry per paper: its id, why it waits (a near-miss title, two papers with one title, a partial
abstract match), and the candidates with their scores. ``check`` lists every entry by paper id. To accept
a candidate, set ``arxiv:`` (or ``doi:``) on the paper in ``data/papers.yaml`` and run resolve again:
an id is looked up directly. A paper that is resolved, or deleted, leaves the list on the next run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.core.errors import Problem, ReadingListError
from generator.resolve.candidate import Candidate
from generator.store import write_atomic

HEADER = """\
# Papers `python -m generator resolve` found candidates for but would not match on its own.
# To accept one: set `arxiv:` (or `doi:`) on the paper in data/papers.yaml, then run resolve again.
# This file is rewritten by resolve; edits here are not kept.
"""


@dataclass(frozen=True)
class ReviewEntry:
    paper: str
    reason: str
    candidates: tuple[tuple[Candidate, float], ...]

    def as_dict(self) -> dict:
        return {
            "id": self.paper,
            "reason": self.reason,
            "candidates": [
                {"source": c.source, "id": c.id, "title": c.title, "score": round(s, 3)}
                for c, s in self.candidates
            ],
        }


def dump_review(entries: Sequence[dict]) -> str:
    """The review file's text: entries sorted by paper id (same entries -> same bytes)."""
    ordered = sorted(entries, key=lambda e: e["id"])
    body = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100) if ordered else "[]\n"
    return HEADER + body


def load_review(path: Path) -> list[dict]:
    """The entries of the review file (a missing file is an empty list); malformed YAML is an error."""
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ReadingListError(
            f"malformed review list ({type(exc).__name__})", str(path), hint="delete it; resolve rewrites it"
        ) from None
    if data is None:
        return []
    if not isinstance(data, list) or not all(
        isinstance(e, dict) and isinstance(e.get("id"), str) for e in data
    ):
        raise ReadingListError("the review list must be a list of {id, reason, candidates}", str(path))
    return data


def merged_review(
    old: Iterable[dict], new: Mapping[str, ReviewEntry | None], known: set[str], resolved: set[str]
) -> list[dict]:
    """The review list after a run: this run's verdict for every paper it looked at (``None``: no longer
    waiting), earlier entries for the others, nothing for papers resolved or gone from the store."""
    out = {e["id"]: e for e in old if e["id"] in known and e["id"] not in resolved}
    for paper, entry in new.items():
        if entry is None:
            out.pop(paper, None)
        else:
            out[paper] = entry.as_dict()
    return [out[k] for k in sorted(out)]


def save_review(path: Path, entries: Sequence[dict]) -> bool:
    """Write the review list if its bytes change (no file at all while it is empty and absent)."""
    text = dump_review(entries)
    if not path.exists() and not entries:
        return False
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text)
    return True


_ID_LINE_RE = re.compile(r"^- id: (.+)$", re.M)


def review_problems(path: Path) -> list[Problem]:
    """One warning per paper waiting for review, located at its line of the review file."""
    entries = load_review(path)
    text = path.read_text(encoding="utf-8") if entries else ""
    lines = {}
    for match in _ID_LINE_RE.finditer(text):
        lines.setdefault(yaml.safe_load(match.group(1)), text[: match.start()].count("\n") + 1)
    problems = []
    for entry in entries:
        candidates = entry.get("candidates") or []
        best = candidates[0] if candidates and isinstance(candidates[0], dict) else {}
        what = (
            f"best: {best.get('source')} {best.get('id')} {best.get('title')!r}" if best else "no candidate"
        )
        problems.append(
            Problem(
                "warning",
                f"waiting for review: {entry.get('reason', '')} ({len(candidates)} candidate(s); {what})",
                str(path),
                lines.get(entry["id"]),
                entry["id"],
                hint="set arxiv: (or doi:) on the paper and run `python -m generator resolve` again",
            )
        )
    return problems
