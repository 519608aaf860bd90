"""OpenAlex works API: DOI, venue, authors and year of a paper found by its title.

``GET <base>/works?filter=title.search:<words>&per-page=5&select=...&mailto=<contact>`` returns
``{"meta": {...}, "results": [Work, ...]}``; a Work holds ``id``, ``doi`` (a ``https://doi.org/`` URL),
``title``, ``publication_year``, ``authorships[].author.display_name`` and
``primary_location.source.display_name`` (the venue; a ``repository`` source such as arXiv is not a
venue) and ``locations[].landing_page_url`` (where an arXiv abstract page gives the arXiv id). The
``mailto`` parameter puts requests in OpenAlex's polite pool.
"""

from __future__ import annotations

import json

from generator.resolve.candidate import Candidate, arxiv_id
from generator.resolve.errors import NotFound, ServiceError
from generator.resolve.service import Service
from generator.sources.normalize import collapse_ws, normalize_text, text_key

SEARCH_RESULTS = 5
SELECT = "id,doi,title,display_name,publication_year,type,authorships,primary_location,locations"
ARXIV_DOI_PREFIX = "10.48550/arxiv."  # DataCite DOIs arXiv gives every preprint: not a publication


def parse_works(body: bytes, url: str = "OpenAlex API") -> list[Candidate]:
    """The ``results`` of a works list as candidates. ServiceError for anything else."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ServiceError(f"malformed JSON from OpenAlex ({exc})", url) from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ServiceError("OpenAlex answered without a 'results' list", url)
    return [c for c in (_candidate(w) for w in data["results"] if isinstance(w, dict)) if c is not None]


def parse_work(body: bytes, url: str = "OpenAlex API") -> Candidate | None:
    """One Work object (the answer of ``/works/doi:...``) as a candidate."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ServiceError(f"malformed JSON from OpenAlex ({exc})", url) from None
    if not isinstance(data, dict) or "id" not in data:
        raise ServiceError("OpenAlex answered without a work", url)
    return _candidate(data)


def _text(value: object) -> str:
    return collapse_ws(value) if isinstance(value, str) else ""


def _candidate(work: dict) -> Candidate | None:
    work_id = _text(work.get("id")).rsplit("/", 1)[-1]
    title = normalize_text(_text(work.get("title")) or _text(work.get("display_name")))
    if not work_id or not title:
        return None
    doi = _text(work.get("doi")).removeprefix("https://doi.org/").removeprefix("http://doi.org/") or None
    found_arxiv = None
    if doi and doi.lower().startswith(ARXIV_DOI_PREFIX):
        found_arxiv = arxiv_id(doi[len(ARXIV_DOI_PREFIX) :])
        doi = None
    authors = []
    for authorship in work.get("authorships") or ():
        author = authorship.get("author") if isinstance(authorship, dict) else None
        name = _text(author.get("display_name")) if isinstance(author, dict) else ""
        if name:
            authors.append(name)
    venue = None
    primary = work.get("primary_location")
    source = primary.get("source") if isinstance(primary, dict) else None
    if isinstance(source, dict) and source.get("type") != "repository":
        venue = _text(source.get("display_name")) or None
    landing = None
    for location in work.get("locations") or ():
        page = _text(location.get("landing_page_url")) if isinstance(location, dict) else ""
        if "arxiv.org/abs/" in page and found_arxiv is None:
            found_arxiv = arxiv_id(page)
    if isinstance(primary, dict) and venue:  # a repository's page is the preprint, linked from arxiv
        landing = _text(primary.get("landing_page_url")) or None
    year = work.get("publication_year")
    return Candidate(
        source="openalex",
        id=work_id,
        title=title,
        authors=tuple(authors),
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        venue=venue,
        doi=doi,
        arxiv=found_arxiv,
        url=landing if landing and landing.lower().startswith(("http://", "https://")) else None,
    )


class OpenAlexClient:
    def __init__(self, service: Service, base_url: str, contact: str = "") -> None:
        self.service = service
        self.base_url = base_url.rstrip("/")
        self.contact = contact

    def by_title(self, title: str) -> list[Candidate]:
        words = text_key(title)  # no commas or colons: they are OpenAlex filter syntax
        if not words:
            return []
        params = {"filter": f"title.search:{words}", "per-page": str(SEARCH_RESULTS), "select": SELECT}
        if self.contact:
            params["mailto"] = self.contact
        url = f"{self.base_url}/works"
        return self.service.get(url, params, lambda body: parse_works(body, url))

    def by_doi(self, doi: str) -> Candidate | None:
        """The work with this DOI (``/works/doi:<DOI>``), None if OpenAlex does not know it."""
        url = f"{self.base_url}/works/doi:{doi}"
        params = {"select": SELECT, **({"mailto": self.contact} if self.contact else {})}
        try:
            return self.service.get(url, params, lambda body: parse_work(body, url))
        except NotFound:
            return None
