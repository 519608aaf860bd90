"""A local HTTP server on 127.0.0.1 that answers like arXiv's and OpenAlex's APIs, from fixture files.

``FakeArxiv`` implements the documented query semantics the client relies on over the entries in
``fixtures/arxiv/*.xml`` (``id_list``; ``ti:"..."``/``abs:"..."`` phrase search, case and punctuation
insensitive) and answers with an Atom feed in the API's documented shape. ``FakeOpenAlex`` does the same
for ``/works?filter=title.search:...`` over ``fixtures/openalex/*.json``. ``script`` holds canned
replies (a 503, a slow answer, malformed XML) served before the normal answers.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from generator.sources.normalize import text_key

FIXTURES = Path(__file__).parent / "fixtures"

FEED_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?{query}" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: {title}</title>
  <id>http://arxiv.org/api/fake{digest}</id>
  <updated>2026-12-01T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{total}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{per_page}</opensearch:itemsPerPage>
"""


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Request:
    path: str
    params: dict[str, str]
    headers: dict[str, str]


class FakeServer:
    """Start with ``with FakeServer() as server``; ``server.url`` is its base URL."""

    def __init__(self) -> None:
        self.script: list[Reply] = []
        self.requests: list[Request] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                request = Request(parts.path, params, {k.lower(): v for k, v in self.headers.items()})
                outer.requests.append(request)
                reply = outer.script.pop(0) if outer.script else outer.answer(request)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, request: Request) -> Reply:
        return Reply(404, b"not found")

    def __enter__(self) -> FakeServer:
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


# The English stop words arXiv's search engine drops from a phrase (Lucene's default English set).
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    ]
)


def _terms(text: str) -> str:
    return " ".join(w for w in text_key(text).split() if w not in STOP_WORDS)


def _entry_fields(xml: str) -> tuple[str, str, str]:
    """(id, title, summary) of one fixture entry, for the fake's own query matching."""
    entry_id = re.search(r"<id>http://arxiv\.org/abs/(.+?)(?:v\d+)?</id>", xml).group(1)
    title = re.search(r"<title>(.*?)</title>", xml, re.S).group(1)
    summary = re.search(r"<summary>(.*?)</summary>", xml, re.S).group(1)
    return entry_id, title, summary


class FakeArxiv(FakeServer):
    def __init__(self, entries_dir: Path = FIXTURES / "arxiv") -> None:
        super().__init__()
        self.entries = [p.read_text(encoding="utf-8") for p in sorted(entries_dir.glob("*.xml"))]

    @property
    def api(self) -> str:
        return f"{self.url}/api/query"

    def answer(self, request: Request) -> Reply:
        if request.path != "/api/query":
            return Reply(404, b"not found")
        max_results = int(request.params.get("max_results", "10"))
        ids = [i for i in request.params.get("id_list", "").split(",") if i]
        query = request.params.get("search_query", "")
        found = []
        for xml in self.entries:
            entry_id, title, summary = _entry_fields(xml)
            if ids and entry_id not in ids:
                continue
            match = re.fullmatch(r'(ti|abs):"(.*)"', query)
            if query and not match:
                return Reply(400, b"unsupported query in the fake")
            if match:
                text = title if match.group(1) == "ti" else summary
                if f" {_terms(match.group(2))} " not in f" {_terms(text)} ":
                    continue
            found.append(xml)
        head = FEED_HEAD.format(
            query="", title="fake", digest=len(self.requests), total=len(found), per_page=max_results
        )
        return Reply(
            200,
            (head + "".join(found[:max_results]) + "</feed>\n").encode("utf-8"),
            {"Content-Type": "application/atom+xml; charset=utf-8"},
        )


class FakeOpenAlex(FakeServer):
    def __init__(self, works_dir: Path = FIXTURES / "openalex") -> None:
        super().__init__()
        self.works = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(works_dir.glob("*.json"))]

    def answer(self, request: Request) -> Reply:
        if request.path.startswith("/works/doi:"):
            doi = request.path.removeprefix("/works/doi:").lower()
            for work in self.works:
                if (work.get("doi") or "").lower() == f"https://doi.org/{doi}":
                    return Reply(200, json.dumps(work).encode(), {"Content-Type": "application/json"})
            return Reply(404, json.dumps({"error": "NotFoundError", "message": "not found"}).encode())
        if request.path != "/works":
            return Reply(404, json.dumps({"error": "not found"}).encode())
        filt = request.params.get("filter", "")
        if not filt.startswith("title.search:"):
            return Reply(400, json.dumps({"error": "unsupported filter in the fake"}).encode())
        words = text_key(filt.removeprefix("title.search:")).split()
        found = [w for w in self.works if all(word in text_key(w["title"]).split() for word in words)]
        per_page = int(request.params.get("per-page", "25"))
        body = {
            "meta": {"count": len(found), "db_response_time_ms": 12, "page": 1, "per_page": per_page},
            "results": found[:per_page],
            "group_by": [],
        }
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
