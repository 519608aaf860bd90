"""Shared tags and the primary topic as related-paper evidence, on the tune labels (fourth round).

    .venv/bin/python benchmarks/quality/tag_evidence.py [--split tune]

For every labelled seed and every candidate of its pool: the candidate's rank among the seed's TF-IDF
neighbours, the tags both papers get from the build's own enrichment (and the rarest one's document
frequency), and whether both have the same primary topic. Prints precision and recall (over the
labelled relevant neighbours, as ``evaluate.py`` counts them) of rules over these: what a link rule
built on the build's own tags and topics could reach, beside the shipped links.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from evaluate import REPO, load_labels, load_pool, run_enrichment  # noqa: E402
from related_frontier import ranks  # noqa: E402

from generator.core.model import visible  # noqa: E402
from generator.core.project import Project  # noqa: E402
from generator.enrich.vectors import vectorize  # noqa: E402
from generator.store import load_store  # noqa: E402


def pairs(split: str) -> tuple[list[dict], int]:
    """One row per (labelled seed, pool candidate), and the number of relevant neighbours."""
    enriched = run_enrichment(REPO)
    papers, _ = load_store(Project(REPO).store)
    ordered = sorted(visible(papers), key=lambda p: p.id)
    index = {p.id: i for i, p in enumerate(ordered)}
    matrix, _ = vectorize(ordered)
    cosine = (matrix @ matrix.T).toarray()
    np.fill_diagonal(cosine, -np.inf)
    rank = ranks(cosine)
    tags = {p.id: set(enriched.assignments[p.id].tags) for p in ordered}
    primary = {p.id: (enriched.assignments[p.id].topics or (None,))[0] for p in ordered}
    df = Counter(t for p in ordered for t in tags[p.id])
    shown = {p.id: {link.target for link in enriched.related.get(p.id, ())} for p in ordered}
    labels, pool = load_labels(split), load_pool()
    rows = []
    for label in labels:
        seed, relevant = label["id"], set(label["related"])
        for other in pool[seed]:
            shared = tags[seed] & tags[other]
            rows.append(
                {
                    "relevant": other in relevant,
                    "rank": int(rank[index[seed], index[other]]),
                    "shared": len(shared),
                    "rarest": min((df[t] for t in shared), default=10**9),
                    "same_topic": primary[seed] == primary[other],
                    "shown": other in shown[seed],
                }
            )
    return rows, sum(len(label["related"]) for label in labels)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="tune", choices=("tune", "heldout", "all"))
    args = parser.parse_args(argv)
    rows, relevant = pairs(args.split)

    def report(name: str, rule) -> None:
        chosen = [r for r in rows if rule(r)]
        hits = sum(r["relevant"] for r in chosen)
        print(f"{name:52s} precision {hits / max(1, len(chosen)):.3f}  recall {hits / relevant:.3f}")

    report("shown by the build", lambda r: r["shown"])
    for k in (3, 5, 12):
        report(f"TF-IDF top {k}", lambda r, k=k: r["rank"] < k)
        report(f"top {k}, a shared tag", lambda r, k=k: r["rank"] < k and r["shared"] >= 1)
        report(f"top {k}, a shared tag in <= 10 papers", lambda r, k=k: r["rank"] < k and r["rarest"] <= 10)
        report(f"top {k}, two shared tags", lambda r, k=k: r["rank"] < k and r["shared"] >= 2)
        report(
            f"top {k}, a shared tag, same primary topic",
            lambda r, k=k: r["rank"] < k and r["shared"] >= 1 and r["same_topic"],
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
