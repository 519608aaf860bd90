"""The match rule's precision and recall on the labelled fixture cases, through the real clients.

Every case in ``fixtures/match_cases.yaml`` is a paper as stored and the identifier it really is (or
null when no candidate the fake services return is that paper). Precision = accepted matches that are
right / all accepted; recall = right accepted / cases that have an answer. The conservative rule must
never accept a wrong paper; run with ``-s`` to see the figures (they are quoted in the README).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.core.model import Paper
from generator.resolve.lookup import look_up
from generator.sources.normalize import provisional_title

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "match_cases.yaml").read_text())


def _paper(case: dict) -> Paper:
    if "title" in case:
        return Paper(id="case", title=case["title"], abstract="", added="2026-12-01")
    return Paper(
        id="case",
        title=provisional_title(case["abstract"]),
        abstract=case["abstract"],
        added="2026-12-01",
        needs_title=True,
    )


def _answer(found) -> str | None:  # noqa: ANN001
    if found is None:
        return None
    if found.arxiv is not None:
        return f"arxiv:{found.arxiv.id}"
    return f"doi:{found.openalex.doi}" if found.openalex.doi else f"openalex:{found.openalex.id}"


def test_precision_and_recall_on_the_fixtures(arxiv, openalex, capsys) -> None:
    accepted = right = answerable = 0
    rows = []
    for case in CASES:
        verdict = look_up(_paper(case), arxiv, openalex, {})
        got = _answer(verdict.found)
        answerable += case["expected"] is not None
        if got is not None:
            accepted += 1
            right += got == case["expected"]
        outcome = "review" if verdict.review else ("accept" if got else "none")
        rows.append(f"{outcome:6} {str(got):26} expected {str(case['expected']):26} {case['note']}")
    precision, recall = right / accepted, right / answerable
    with capsys.disabled():
        print(
            f"\nmatch rule on {len(CASES)} fixture cases: accepted {accepted}, right {right}, "
            f"precision {precision:.2f}, recall {recall:.2f}"
        )
        print("\n".join(rows))
    assert precision == 1.0, "\n".join(rows)
    assert recall == 1.0, "\n".join(rows)
