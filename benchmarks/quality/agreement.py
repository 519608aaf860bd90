"""How far two labellers of the same papers agree, scored the way ``evaluate.py`` scores the build.

    .venv/bin/python benchmarks/quality/agreement.py [FIRST] [SECOND]

Defaults: ``labels/batch_C.yaml`` (the held-out batch's labeller) against ``labels/batch_C_second.yaml``
(a second, blind labelling of the same 50 papers from the same inputs; README "A second labelling").
The second labeller's choices are treated as a system's output and scored against the first's labels:
related precision and recall (their related lists, inside the pool), topic first choice and acceptable,
tag precision (a tag the first labeller proposed in ``new_tags`` counts as right) and 2-6 tag coverage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from benchmarks.quality.evaluate import Scores, load_pool, score  # noqa: E402
from generator.core.model import Assignment, Enriched, Link  # noqa: E402


def as_enrichment(labels: list[dict]) -> Enriched:
    """A labeller's choices as if a build had made them: primary topic, tags, related links."""
    return Enriched(
        assignments={
            label["id"]: Assignment(topics=(label["primary"],), tags=tuple(label["tags"])) for label in labels
        },
        related={label["id"]: tuple(Link(t, 0.0) for t in label["related"]) for label in labels},
    )


def agreement(first: list[dict], second: list[dict], pool: dict[str, list[str]]) -> Scores:
    """``second`` scored as a system against ``first`` (the same papers, in any order), exactly as
    ``evaluate.score`` scores the build."""
    if {label["id"] for label in second} != {label["id"] for label in first}:
        raise SystemExit("the two label files do not hold the same papers")
    return score(as_enrichment(second), first, pool)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", nargs="?", type=Path, default=HERE / "labels" / "batch_C.yaml")
    parser.add_argument("second", nargs="?", type=Path, default=HERE / "labels" / "batch_C_second.yaml")
    args = parser.parse_args(argv)
    first, second = (yaml.safe_load(p.read_text(encoding="utf-8")) for p in (args.first, args.second))
    scores = agreement(first, second, load_pool())
    print(f"{args.second.name} scored against {args.first.name}: {scores.papers} papers")
    print("\n".join(scores.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
