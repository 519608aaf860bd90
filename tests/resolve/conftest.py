"""Fake arXiv and OpenAlex servers on 127.0.0.1 and clients wired to them (no sleeping, no network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.resolve.arxiv import ArxivClient
from generator.resolve.cache import ResponseCache
from generator.resolve.http import HttpClient
from generator.resolve.openalex import OpenAlexClient
from generator.resolve.ratelimit import RateLimiter
from generator.resolve.service import Service
from resolve.fakeserver import FakeArxiv, FakeOpenAlex


class FakeClock:
    """A monotonic clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def arxiv_server() -> Iterator[FakeArxiv]:
    with FakeArxiv() as server:
        yield server


@pytest.fixture
def openalex_server() -> Iterator[FakeOpenAlex]:
    with FakeOpenAlex() as server:
        yield server


def make_service(name: str, clock: FakeClock, cache: Path | None, delay: float = 3.0, timeout=5.0) -> Service:
    http = HttpClient("curator@example.org", timeout=timeout, attempts=3, sleep=clock.sleep)
    return Service(name, http, RateLimiter(delay, clock=clock, sleep=clock.sleep), ResponseCache(cache))


@pytest.fixture
def arxiv(arxiv_server: FakeArxiv, clock: FakeClock, tmp_path: Path) -> ArxivClient:
    return ArxivClient(make_service("arxiv", clock, tmp_path / "cache"), arxiv_server.api)


@pytest.fixture
def openalex(openalex_server: FakeOpenAlex, clock: FakeClock, tmp_path: Path) -> OpenAlexClient:
    service = make_service("openalex", clock, tmp_path / "cache", delay=0.1)
    return OpenAlexClient(service, openalex_server.url, "curator@example.org")
