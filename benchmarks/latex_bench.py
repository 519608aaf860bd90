"""LaTeX normalization on adversarial input: is it linear? ``python benchmarks/latex_bench.py``.

Builds inputs of 250 KB, 500 KB and 1 MB (by default) from pieces that defeat backtracking regexes and
recursive parsers: unclosed ``\\emph{`` and ``{`` (thousands deep), runs of known and unknown macros,
escapes, accents, per cent signs, math. Times ``normalize_text`` on each (best of ``--repeat`` runs)
and prints seconds and microseconds per KB; linear time means a flat us/KB column. Writes the figures
to ``benchmarks/out/latex.json`` as well.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.sources import latex  # noqa: E402
from generator.sources.normalize import normalize_text  # noqa: E402

PIECES = (
    r"\emph{",
    r"\textbf{",
    "{",
    "}",
    r"\alpha",
    r"\foo",
    r"\unknownmacro{x}",
    r"\"o",
    r"{\O}",
    r"\%",
    "%",
    r"\&",
    r"\_",
    "$x_1$",
    r"\cite{k}",
    r"\\",
    "word",
    'Schr\\"odinger',
    " ",
    " ",
    " ",
)


def adversarial(size: int, deep: bool, seed: int = 12) -> str:
    """About ``size`` characters of random pieces; ``deep`` adds runs of 50-3,000 unclosed ``\\emph{``."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        run = deep and rng.random() < 0.03
        piece = r"\emph{" * rng.randrange(50, 3000) if run else rng.choice(PIECES)
        parts.append(piece)
        total += len(piece)
    return "".join(parts)[:size]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250000,500000,1000000", help="input sizes in characters")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rows = []
    for deep in (False, True):
        for size in (int(s) for s in args.sizes.split(",")):
            text = adversarial(size, deep)
            best = min(_timed(text) for _ in range(args.repeat))
            kind = "macro soup + deep unclosed runs" if deep else "macro soup, unclosed braces"
            us = round(best * 1e6 / (size / 1000))
            rows.append({"input": kind, "chars": size, "seconds": round(best, 3), "us_per_kb": us})
            print(f"{kind:<32} {size / 1000:>6.0f} KB  {best:7.3f} s  {us:>7} us/KB", flush=True)
    out = REPO / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latex.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


def _timed(text: str) -> float:
    latex._chunk_to_text.cache_clear()  # every run starts cold: no piece of an earlier run is remembered
    start = time.perf_counter()
    out = normalize_text(text)
    elapsed = time.perf_counter() - start
    assert out  # the work is used
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
