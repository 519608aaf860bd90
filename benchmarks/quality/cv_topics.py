"""Leave-one-batch-out check of the primary-topic blend's two settings (benchmarks/quality/README.md).

    .venv/bin/python benchmarks/quality/cv_topics.py

For every (SIMILARITY_WEIGHT, RULE_FLOOR) of a small grid, the topic accuracy (first choice, and
acceptable) on tune batch A and on tune batch B, with the rules of data/topics.yaml; then each batch in
turn chooses the setting (best first choice, then acceptable, then the shipped setting) and the other
batch scores it: an estimate of how a setting chosen on labels does on labels it was not chosen on.
Batch C (held out) is never read.
"""

from __future__ import annotations

import sys
from itertools import product

import evaluate

from generator.enrich import topic_model

WEIGHTS = (0.0, 0.1, 0.15, 0.25, 0.4, 0.6, 1.0)
FLOORS = (0.0, 3.0, 6.0)


def accuracy(labels: list[dict], primary: dict[str, str | None]) -> tuple[int, int]:
    first = sum(primary.get(label["id"]) == label["primary"] for label in labels)
    return first, sum(primary.get(label["id"]) in label["acceptable"] for label in labels)


def main() -> int:
    from generator.core.project import Project
    from generator.enrich.classify import assign_all
    from generator.store import load_store
    from generator.taxonomy.load import load_taxonomy

    project = Project(evaluate.REPO)
    papers, _ = load_store(project.store)
    papers = [p for p in papers if not p.hidden]
    taxonomy = load_taxonomy(project.topics, project.tags)
    batches = {b: evaluate.load_labels("tune")[i * 50 : (i + 1) * 50] for i, b in enumerate("AB")}
    assert all(len(v) == 50 for v in batches.values())
    shipped = (topic_model.SIMILARITY_WEIGHT, topic_model.RULE_FLOOR)
    table: dict[tuple[float, float], dict[str, tuple[int, int]]] = {}
    try:
        for weight, floor in product(WEIGHTS, FLOORS):
            topic_model.SIMILARITY_WEIGHT, topic_model.RULE_FLOOR = weight, max(floor, 1e-9)
            primary = {pid: (a.topics or (None,))[0] for pid, a in assign_all(papers, taxonomy).items()}
            table[(weight, floor)] = {b: accuracy(labels, primary) for b, labels in batches.items()}
    finally:
        topic_model.SIMILARITY_WEIGHT, topic_model.RULE_FLOOR = shipped
    print("weight floor   A first/ok   B first/ok")
    for (weight, floor), row in table.items():
        mark = "  <- shipped" if (weight, floor) == shipped else ""
        print(
            f"{weight:6g} {floor:5g}   {row['A'][0]:2d}/{row['A'][1]:2d}        "
            f"{row['B'][0]:2d}/{row['B'][1]:2d}{mark}"
        )
    total = [0, 0]
    for fit, test in (("A", "B"), ("B", "A")):
        best = max(table, key=lambda k: (*table[k][fit], k == shipped))
        first, ok = table[best][test]
        total[0] += first
        total[1] += ok
        print(
            f"chosen on {fit}: weight {best[0]:g}, floor {best[1]:g} -> "
            f"on {test}: first {first}/50, ok {ok}/50"
        )
    print(f"leave-one-batch-out: first choice {total[0]}%, acceptable {total[1]}% (of 100 tune papers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
