"""The "plain" baseline: the same papers as bare MkDocs + Material pages, built side by side with ours.

    python benchmarks/plain.py 1000 /tmp/plain1k [--seed 1]    # then: mkdocs build -f /tmp/plain1k/mkdocs.yml

The recipe of ../shared/BASELINES.md: 20 topic pages, each paper an ``##`` heading with an anchor, a
tags line, its abstract and five Markdown links to papers on other pages, plus a tag index page; a
``mkdocs.yml`` with Material and its search plugin and nothing else (no hook, no generator). Papers are
``corpus.make_papers(N, seed)`` (the synthetic corpus the benchmark ingests), dealt round-robin to the
topics; tags and links are chosen with a seeded ``random.Random``. Deterministic for N and seed.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from benchmarks.corpus import make_papers

TOPICS = 20
TAGS = 60
TAGS_PER_PAPER = 3
LINKS = 5
_SLUG = re.compile(r"[^a-z0-9]+")

CONFIG = """\
site_name: Plain baseline
site_url: http://127.0.0.1:8000/
theme:
  name: material
  font: false
plugins:
  - search
markdown_extensions:
  - toc:
      permalink: true
  - attr_list
validation:
  links:
    anchors: warn
"""


def _escape(text: str) -> str:
    # Enough for these synthetic texts: no Markdown syntax is meant to act.
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("[", "\\[")


def write_plain_project(n: int, root: Path, seed: int = 1) -> Path:
    """Write ``mkdocs.yml`` and ``docs/`` of the plain baseline for ``n`` papers under ``root``."""
    papers = make_papers(n, seed)
    rng = random.Random(seed)
    docs = root / "docs"
    (docs / "topics").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    topic_of = [i % TOPICS for i in range(n)]
    ids = [f"p{i}-{_SLUG.sub('-', t.lower()).strip('-')[:40]}" for i, (t, _) in enumerate(papers)]
    tags = [sorted(rng.sample(range(TAGS), TAGS_PER_PAPER)) for _ in range(n)]
    tagged: dict[int, list[int]] = {t: [] for t in range(TAGS)}
    pages: dict[int, list[str]] = {t: [f"# Topic {t}\n"] for t in range(TOPICS)}
    for i, (title, abstract) in enumerate(papers):
        for t in tags[i]:
            tagged[t].append(i)
        tag_line = " ".join(f"[tag {t}](../tags.md#tag-{t})" for t in tags[i])
        others = [j for j in rng.sample(range(n), min(n, LINKS * 2)) if topic_of[j] != topic_of[i]][:LINKS]
        links = "\n".join(f"- [{_escape(papers[j][0])}](topic-{topic_of[j]}.md#{ids[j]})" for j in others)
        pages[topic_of[i]].append(
            f"## {_escape(title)} {{ #{ids[i]} }}\n\n{tag_line}\n\n{_escape(abstract)}\n\n{links}\n"
        )
    for t, parts in pages.items():
        (docs / "topics" / f"topic-{t}.md").write_text("\n".join(parts), encoding="utf-8")
    index = ["# Tags\n"]
    for t in range(TAGS):
        index.append(f"## tag {t} {{ #tag-{t} }}\n")
        index += [f"- [{_escape(papers[i][0])}](topics/topic-{topic_of[i]}.md#{ids[i]})" for i in tagged[t]]
        index.append("")
    (docs / "tags.md").write_text("\n".join(index), encoding="utf-8")
    (docs / "index.md").write_text(
        f"# Plain baseline\n\n{n} papers on {TOPICS} topic pages.\n", encoding="utf-8"
    )
    return root


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="write the plain MkDocs baseline project")
    parser.add_argument("n", type=int)
    parser.add_argument("root", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    write_plain_project(args.n, args.root, args.seed)


if __name__ == "__main__":
    main()
