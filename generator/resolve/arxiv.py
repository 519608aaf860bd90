"""The arXiv API's Atom ``query`` interface: batched ``id_list`` lookups, title and abstract searches.

Requests follow the API user manual: ``search_query`` with field prefixes (``ti:``, ``abs:``) and a
quoted phrase, ``id_list`` with comma-separated ids, ``max_results``. Answers are Atom 1.0 feeds, read
with feedparser (never by hand); an error is an ``<entry>`` whose id is ``.../api/errors#...``. The terms
of use ask for one request every 3 seconds, which the service's rate limiter enforces.
"""

from __future__ import annotations

import xml.sax
from collections.abc import Iterable

import feedparser

from generator.resolve.candidate import Candidate, arxiv_id
from generator.resolve.errors import ServiceError
from generator.resolve.service import Service
from generator.sources.normalize import collapse_ws, normalize_text, text_key

BATCH = 50  # ids per id_list request
SEARCH_RESULTS = 5  # candidates asked for per title or abstract search


def parse_feed(body: bytes, url: str = "arXiv API") -> list[Candidate]:
    """The entries of an arXiv API answer as candidates. ServiceError for anything not a clean feed."""
    feed = feedparser.parse(body)
    exc = feed.get("bozo_exception")
    if feed.get("bozo") and isinstance(exc, xml.sax.SAXException):
        raise ServiceError(f"malformed Atom feed from arXiv ({exc})", url, hint="run resolve again later")
    if not str(feed.get("version", "")).startswith("atom"):
        raise ServiceError("arXiv answered with something that is not an Atom feed", url)
    candidates = []
    for entry in feed.entries:
        entry_id = str(entry.get("id", ""))
        if "/api/errors" in entry_id:
            raise ServiceError(f"arXiv API error: {collapse_ws(entry.get('summary', ''))}", url)
        found = arxiv_id(entry_id)
        if found is None:
            continue
        candidates.append(_candidate(entry, found))
    return candidates


def _candidate(entry: feedparser.FeedParserDict, found: str) -> Candidate:
    published = str(entry.get("published", ""))
    year = int(published[:4]) if published[:4].isdigit() else None
    authors = tuple(
        collapse_ws(a.get("name", "")) for a in entry.get("authors", ()) if collapse_ws(a.get("name", ""))
    )
    doi = collapse_ws(entry.get("arxiv_doi", "")) or None
    return Candidate(
        source="arxiv",
        id=found,
        title=normalize_text(entry.get("title", "")),
        abstract=normalize_text(entry.get("summary", "")),
        authors=authors,
        year=year,
        doi=doi,
        arxiv=found,
        url=f"https://arxiv.org/abs/{found}",
    )


def phrase(text: str) -> str:
    """Words safe inside a quoted search phrase: letters and digits only (no quotes, colons, brackets)."""
    return text_key(text)


class ArxivClient:
    def __init__(self, service: Service, base_url: str) -> None:
        self.service = service
        self.base_url = base_url

    def _query(self, params: dict[str, str]) -> list[Candidate]:
        return self.service.get(self.base_url, params, lambda body: parse_feed(body, self.base_url))

    def by_ids(self, ids: Iterable[str]) -> dict[str, Candidate]:
        """Each known id's record, in batches of :data:`BATCH` ids per request (sorted: stable keys)."""
        wanted = sorted(set(ids))
        found: dict[str, Candidate] = {}
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            params = {"id_list": ",".join(chunk), "start": "0", "max_results": str(len(chunk))}
            for candidate in self._query(params):
                if candidate.id in chunk:
                    found[candidate.id] = candidate
        return found

    def by_title(self, title: str) -> list[Candidate]:
        return self._search("ti", title)

    def by_abstract(self, words: str) -> list[Candidate]:
        return self._search("abs", words)

    def _search(self, field: str, text: str) -> list[Candidate]:
        words = phrase(text)
        if not words:
            return []
        params = {"search_query": f'{field}:"{words}"', "start": "0", "max_results": str(SEARCH_RESULTS)}
        return self._query(params)
