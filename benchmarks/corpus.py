"""Make synthetic listing dumps of N papers from the seed abstracts in data/raw (deterministic per N, seed).

Each synthetic paper recombines the seeds with a seeded ``random.Random``: its title joins the start of
one seed title to the end of another; its abstract opens with a sentence of a "base" seed and continues
with sentences drawn from the base and one or two partner seeds, so papers cluster around the seeds'
subjects the way real listings do. Titles and abstracts are unique by the store's dedup keys
(``normalize.text_key``), so ingest adds exactly N papers. The files use the listing format of
``data/raw/001_*.txt`` (boilerplate lines, an optional date line, then title line / abstract line pairs),
alternating the two boilerplate styles of the seeds.

    python benchmarks/corpus.py 10000 /tmp/raw10k [--seed 1] [--per-file 2000]
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass
from pathlib import Path

from generator.sources.normalize import text_key
from generator.sources.parse import parse_file

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "raw"
PER_FILE = 2000
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
_SMALL_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "for",
    "and",
    "in",
    "on",
    "to",
    "with",
    "via",
    "by",
    "from",
    "at",
    "as",
}


@dataclass(frozen=True)
class Seeds:
    titles: tuple[tuple[str, ...], ...]  # seed titles as word tuples
    abstracts: tuple[tuple[str, ...], ...]  # seed abstracts as sentence tuples


def load_seeds(folder: Path = SEEDS) -> Seeds:
    """Titles and abstract sentences of every seed dump (titleless abstracts give only sentences)."""
    titles: list[tuple[str, ...]] = []
    abstracts: list[tuple[str, ...]] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        for entry in parse_file(path, path.name).entries:
            if entry.title and len(entry.title.split()) >= 3:
                titles.append(tuple(entry.title.split()))
            sentences = tuple(s for s in _SENTENCE_RE.split(entry.abstract) if _balanced(s))
            if len(sentences) >= 3:
                abstracts.append(sentences)
    if not titles or not abstracts:
        raise SystemExit(f"no seed papers found in {folder}")
    return Seeds(tuple(titles), tuple(abstracts))


def _balanced(sentence: str) -> bool:
    """Keep sentences whose inline math and brackets are closed (they are recombined freely)."""
    return sentence.count("$") % 2 == 0 and sentence.count("(") == sentence.count(")")


def make_title(rng: random.Random, seeds: Seeds) -> str:
    """The start of one seed title joined to the end of another."""
    a, b = rng.choice(seeds.titles), rng.choice(seeds.titles)
    cut_a = rng.randint(1, max(1, len(a) - 1))
    cut_b = rng.randint(1, max(1, len(b) - 1))
    head, tail = list(a[:cut_a]), list(b[cut_b:])
    while head and head[-1].lower().rstrip(":") in _SMALL_WORDS:  # "Learning of" + ... reads badly
        head.pop()
    words = head + tail if head else list(b)
    title = " ".join(words).rstrip(":,;")
    return title[:1].upper() + title[1:]


def make_abstract(rng: random.Random, seeds: Seeds) -> str:
    """A first sentence of a base seed, then 3-7 sentences from the base and one or two partners."""
    base = rng.randrange(len(seeds.abstracts))
    partners = [rng.randrange(len(seeds.abstracts)) for _ in range(rng.randint(1, 2))]
    pool = [s for i in (base, *partners) for s in seeds.abstracts[i][1:]]
    count = min(len(pool), rng.randint(3, 7))
    return " ".join([seeds.abstracts[base][0], *rng.sample(pool, count)])


def make_papers(n: int, seed: int = 1, seeds: Seeds | None = None) -> list[tuple[str, str]]:
    """``n`` (title, abstract) pairs, unique by the store's title and abstract keys."""
    seeds = seeds or load_seeds()
    rng = random.Random(f"readinglist-bench-{seed}")
    titles: set[str] = set()
    abstracts: set[str] = set()
    papers: list[tuple[str, str]] = []
    while len(papers) < n:
        title, abstract = make_title(rng, seeds), make_abstract(rng, seeds)
        tkey, akey = text_key(title), text_key(abstract)
        if not tkey or tkey in titles or akey in abstracts:
            continue
        titles.add(tkey)
        abstracts.add(akey)
        papers.append((title, abstract))
    return papers


def listing_text(papers: list[tuple[str, str]], number: int, rng: random.Random) -> str:
    """One dump in the listing format; odd files use the spaced style with a date line."""
    body: list[str] = []
    if number % 2 == 0:
        head = [
            "Get trending papers in your email inbox once a day!",
            "Get trending papers in your email inbox!",
        ]
        first_title, first_abstract = papers[0]
        body = [*head, f"Subscribe{first_title}", first_abstract]
        for title, abstract in papers[1:]:
            body += [title, abstract]
        return "\n".join(body) + "\n"
    date = f"{MONTHS[rng.randrange(12)]} {rng.randint(1, 28)}"
    body = [
        "new",
        "",
        "Get trending papers in your email inbox!",
        "",
        "Subscribe",
        "",
        "byAK and the research community",
        "",
        date,
        "",
    ]
    for title, abstract in papers:
        body += [title, "", abstract, ""]
    return "\n".join(body)


def write_corpus(n: int, out: Path, seed: int = 1, per_file: int = PER_FILE) -> list[Path]:
    """Write ``n`` papers as listing dumps of at most ``per_file`` papers each (at least 4 files)."""
    papers = make_papers(n, seed)
    files = max(4, -(-n // per_file)) if n >= 4 else 1
    size = -(-n // files)
    rng = random.Random(f"readinglist-bench-files-{seed}")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, start in enumerate(range(0, n, size)):
        path = out / f"{number:03d}_bench.txt"
        path.write_text(listing_text(papers[start : start + size], number, rng), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of papers")
    parser.add_argument("out", type=Path, help="folder for the dump files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=PER_FILE)
    args = parser.parse_args(argv)
    paths = write_corpus(args.n, args.out, args.seed, args.per_file)
    print(f"{args.n} papers in {len(paths)} files under {args.out}")


if __name__ == "__main__":
    main()
