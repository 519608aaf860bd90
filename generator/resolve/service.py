"""One service endpoint as the clients see it: cache first, then a rate-limited, retried request."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from generator.resolve.cache import ResponseCache
from generator.resolve.http import HttpClient
from generator.resolve.ratelimit import RateLimiter

T = TypeVar("T")


class Service:
    """``get(url, params, parse)``: a cached body if there is one (and it still parses), else a request.
    A response is cached only after ``parse`` accepted it, so a malformed answer is asked again next
    time. ``requests`` counts the requests actually sent."""

    def __init__(self, name: str, http: HttpClient, limiter: RateLimiter, cache: ResponseCache) -> None:
        self.name = name
        self.http = http
        self.limiter = limiter
        self.cache = cache
        self.requests = 0

    def get(self, url: str, params: Mapping[str, str], parse: Callable[[bytes], T]) -> T:
        cached = self.cache.get(self.name, url, params)
        if cached is not None:
            try:
                return parse(cached)
            except Exception:  # noqa: BLE001 - a damaged cache file is simply fetched again
                pass

        def before() -> None:
            self.limiter.wait()
            self.requests += 1

        body = self.http.get(url, params, before_request=before)
        value = parse(body)
        self.cache.put(self.name, url, params, body)
        return value
