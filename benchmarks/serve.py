"""Edit-to-visible time of ``mkdocs serve``: change one paper's title in data/papers.yaml, poll its page.

    python benchmarks/serve.py PROJECT [--edits 3] [--full]

Starts ``mkdocs serve --dirty`` (what ``make serve`` runs: only the pages that changed are rendered
again, see generator/build/rebuild.py; ``--full``: plain ``mkdocs serve``, every page) on a free
127.0.0.1 port in PROJECT (an ingested project: the repo's mkdocs.yml and hook), waits until the site
answers, then ``--edits`` times: appends a new word to one paper's title in the store, and polls that
paper's topic page every 20 ms until the word is in it. Reports each edit's seconds (write to visible)
and the first build's seconds. The page of the paper comes from the generator's own model (the hook's
``site.locations``), so no page is guessed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

_TITLE_LINE = re.compile(r"^  title: ([A-Za-z][A-Za-z0-9 ,'()-]*)$", re.M)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, needle: str, timeout: float, poll: float = 0.02) -> float:
    """Seconds until ``needle`` is in the page at ``url`` (raises after ``timeout``)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        text = fetch(url)
        if text is not None and needle in text:
            return time.perf_counter() - start
        time.sleep(poll)
    raise RuntimeError(f"{needle!r} did not appear at {url} within {timeout:.0f} s")


def paper_page(project: Path, paper_id: str) -> str:
    """The served path of the page holding the paper's full entry: ``mkdocs serve`` serves the site
    under its ``site_url``'s path (e.g. /readinglist/), with the config's URL style."""
    from urllib.parse import urlsplit

    from mkdocs.config import load_config

    from generator.build.pipeline import build_site
    from generator.core.project import Project
    from generator.site.urls import page_url

    config = load_config(str(project / "mkdocs.yml"))
    site = build_site(Project(project))
    prefix = urlsplit(config.site_url or "/").path.strip("/")
    page = page_url(site.locations[paper_id], config.use_directory_urls)
    return f"{prefix}/{page}" if prefix else page


def serve_latency(project: Path, edits: int = 3, timeout: float = 600, dirty: bool = True) -> dict:
    store = project / "data" / "papers.yaml"
    text = store.read_text(encoding="utf-8")
    match = _TITLE_LINE.search(text)
    if match is None:
        raise RuntimeError(f"{store}: no plain title line to edit")
    paper_id = re.findall(r"^- id: (\S+)$", text[: match.start()], re.M)[-1]
    path = paper_page(project, paper_id)
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": os.environ.get("PYTHONPATH", str(REPO))}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *(["--dirty"] if dirty else [])],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/{path}"
    try:
        first = wait_for(url, f'id="{paper_id}"', timeout)
        times = []
        for i in range(edits):
            word = f"Zqvxw{i}k"
            time.sleep(1.0)  # let the watcher settle after the previous rebuild
            edited = text[: match.start()] + f"  title: {match.group(1)} {word}" + text[match.end() :]
            store.write_text(edited, encoding="utf-8")
            times.append(wait_for(url, word, timeout))  # from the write to the first page with the word
        return {
            "mode": "dirty" if dirty else "full",
            "paper": paper_id,
            "page": path,
            "first_build_s": round(first, 3),
            "edit_to_visible_s": [round(t, 3) for t in times],
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        store.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="mkdocs serve: edit-to-visible seconds")
    parser.add_argument("project", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument(
        "--full", action="store_true", help="plain `mkdocs serve` (every page rebuilt) instead of --dirty"
    )
    args = parser.parse_args(argv)
    print(json.dumps(serve_latency(args.project.resolve(), args.edits, dirty=not args.full)))


if __name__ == "__main__":
    main()
