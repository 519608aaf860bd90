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

from benchmarks.quality.evaluate import Scores, load_pool  # noqa: E402


def agreement(first: list[dict], second: list[dict], pool: dict[str, list[str]]) -> Scores:
    """``second`` scored as a system against ``first`` (the same papers, in any order)."""
    theirs = {label["id"]: label for label in second}
    if set(theirs) != {label["id"] for label in first}:
        raise SystemExit("the two label files do not hold the same papers")
    counts = dict.fromkeys(Scores.__dataclass_fields__, 0)
    for label in first:
        other = theirs[label["id"]]
        relevant, candidates = set(label["related"]), set(pool.get(label["id"], ()))
        shown = list(other["related"])
        counts["papers"] += 1
        counts["shown_links"] += len(shown)
        counts["relevant_shown"] += sum(t in relevant and t in candidates for t in shown)
        counts["relevant"] += len(relevant)
        counts["topic_first"] += other["primary"] == label["primary"]
        counts["topic_acceptable"] += other["primary"] in label["acceptable"]
        correct = set(label["tags"]) | {t["id"] for t in label.get("new_tags") or ()}
        counts["shown_tags"] += len(other["tags"])
        counts["correct_tags"] += sum(t in correct for t in other["tags"])
        counts["tag_coverage"] += 2 <= len(other["tags"]) <= 6
    return Scores(**counts)


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
