"""Score the real enrichment of the seed store against the blind labels (benchmarks/quality/README.md).

    .venv/bin/python benchmarks/quality/evaluate.py [--split tune|heldout|all] [--details]

Runs ``generator.build.pipeline.enrich`` (topics, tags, related papers: exactly what a build shows) on
``data/papers.yaml`` with ``data/topics.yaml`` and ``data/tags.yaml`` and prints, per split:

* related precision: shown links judged relevant / shown links (a shown link outside the paper's
  candidate pool counts as not relevant), and recall: relevant pool neighbours shown / relevant ones;
* topic accuracy: primary topic = the labeller's first choice, and primary topic among the acceptable;
* tag precision: shown tags the labeller marked correct / shown tags (a tag whose id the labeller
  proposed in ``new_tags`` counts as correct once the vocabulary has it), and coverage: papers with
  2-6 tags / papers.

Splits: ``tune`` = batches A and B (tune on these), ``heldout`` = batch C (evaluate only), ``all``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from generator.core.model import Enriched  # noqa: E402

SPLITS = {"tune": ("A", "B"), "heldout": ("C",), "all": ("A", "B", "C")}


@dataclass(frozen=True)
class Scores:
    papers: int
    shown_links: int
    relevant_shown: int
    relevant: int
    topic_first: int
    topic_acceptable: int
    shown_tags: int
    correct_tags: int
    tag_coverage: int

    def lines(self) -> list[str]:
        def pct(a: int, b: int) -> str:
            return f"{100 * a / b:5.1f}% ({a}/{b})" if b else "  n/a"

        return [
            f"related precision   {pct(self.relevant_shown, self.shown_links)}",
            f"related recall      {pct(self.relevant_shown, self.relevant)}",
            f"links per paper     {self.shown_links / max(1, self.papers):.2f}",
            f"topic first choice  {pct(self.topic_first, self.papers)}",
            f"topic acceptable    {pct(self.topic_acceptable, self.papers)}",
            f"tag precision       {pct(self.correct_tags, self.shown_tags)}",
            f"tag coverage 2-6    {pct(self.tag_coverage, self.papers)}",
        ]

    def as_dict(self) -> dict[str, float]:
        return {
            "related_precision": self.relevant_shown / max(1, self.shown_links),
            "related_recall": self.relevant_shown / max(1, self.relevant),
            "topic_first": self.topic_first / max(1, self.papers),
            "topic_acceptable": self.topic_acceptable / max(1, self.papers),
            "tag_precision": self.correct_tags / max(1, self.shown_tags),
            "tag_coverage": self.tag_coverage / max(1, self.papers),
        }


def load_labels(split: str) -> list[dict]:
    """The labelled seed papers of a split, batch by batch in file order."""
    labels: list[dict] = []
    for batch in SPLITS[split]:
        labels += yaml.safe_load((HERE / "labels" / f"batch_{batch}.yaml").read_text(encoding="utf-8"))
    return labels


def load_pool() -> dict[str, list[str]]:
    return json.loads((HERE / "pool.json").read_text(encoding="utf-8"))


def score(
    enriched: Enriched, labels: Sequence[dict], pool: Mapping[str, Sequence[str]], details: list | None = None
) -> Scores:
    """Compare an enrichment with the labels; ``details`` (if given) receives one line per miss."""
    counts = dict.fromkeys(Scores.__dataclass_fields__, 0)
    for label in labels:
        pid = label["id"]
        counts["papers"] += 1
        relevant = set(label["related"])
        candidates = set(pool.get(pid, ()))
        shown = [link.target for link in enriched.related.get(pid, ())]
        good = [t for t in shown if t in relevant and t in candidates]
        counts["shown_links"] += len(shown)
        counts["relevant_shown"] += len(good)
        counts["relevant"] += len(relevant)
        assignment = enriched.assignments.get(pid)
        topics = assignment.topics if assignment else ()
        primary = topics[0] if topics else None
        counts["topic_first"] += primary == label["primary"]
        counts["topic_acceptable"] += primary in label["acceptable"]
        tags = assignment.tags if assignment else ()
        correct = set(label["tags"]) | {t["id"] for t in label.get("new_tags") or ()}
        counts["shown_tags"] += len(tags)
        counts["correct_tags"] += sum(t in correct for t in tags)
        counts["tag_coverage"] += 2 <= len(tags) <= 6
        if details is not None:
            wrong = [t for t in shown if t not in good]
            missed = sorted(relevant - set(shown))
            bad_tags = [t for t in tags if t not in correct]
            if wrong or missed or primary != label["primary"] or bad_tags or not 2 <= len(tags) <= 6:
                details.append(
                    f"{pid}\n  topic {primary} (label {label['primary']}; ok {label['acceptable']})"
                    f"\n  wrong links {wrong}\n  missed links {missed}"
                    f"\n  tags {list(tags)} wrong {bad_tags} (label {label['tags']})"
                )
    return Scores(**counts)


def run_enrichment(root: Path) -> Enriched:
    """The build's own enrichment of the store and taxonomy under ``root``."""
    from generator.build.pipeline import enrich
    from generator.core.project import Project
    from generator.store import load_store
    from generator.taxonomy.load import load_taxonomy

    project = Project(root)
    papers, _ = load_store(project.store)
    return enrich(papers, load_taxonomy(project.topics, project.tags), parallel=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="tune")
    parser.add_argument("--root", type=Path, default=REPO, help="project folder (default: this repo)")
    parser.add_argument(
        "--labels", type=Path, help="score against this label file instead of the split's batches"
    )
    parser.add_argument("--details", action="store_true", help="list every paper with a miss")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    enriched = run_enrichment(args.root)
    pool = load_pool()
    details: list[str] | None = [] if args.details else None
    labels = (
        yaml.safe_load(args.labels.read_text(encoding="utf-8")) if args.labels else load_labels(args.split)
    )
    scores = score(enriched, labels, pool, details)
    if args.json:
        print(json.dumps(scores.as_dict(), indent=1, sort_keys=True))
        return 0
    print(f"{args.labels.name if args.labels else 'split ' + args.split}: {scores.papers} labelled papers")
    print("\n".join(scores.lines()))
    if details:
        print("\n" + "\n".join(details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
