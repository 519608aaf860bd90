"""One HTTP client for every service: a descriptive User-Agent, timeouts, and retries with backoff.

Retried: timeouts, HTTP 429 and 5xx (exponential backoff, or the server's ``Retry-After`` when it
sends one, capped). Not retried: other 4xx (the request is wrong) and connection failures (no network:
one clear :class:`OfflineError`). ``sleep`` is injectable so tests never wait for the backoff.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from generator.resolve.errors import NotFound, OfflineError, ServiceError

TIMEOUT = 30.0  # seconds per request (connect, read)
ATTEMPTS = 4
MAX_WAIT = 60.0  # longest backoff or Retry-After honoured, in seconds
PROJECT_URL = "https://github.com/readinglist/readinglist"


def user_agent(contact: str) -> str:
    """``readinglist/<version> (+project; mailto:contact)``: who is asking, and how to reach them."""
    from generator import __version__

    who = f"mailto:{contact}" if contact else "contact unset: READINGLIST_CONTACT"
    return f"readinglist/{__version__} (+{PROJECT_URL}; {who})"


class _Retryable(Exception):
    """A failed attempt worth repeating; ``retry_after`` is the server's requested wait, if any."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class _Wait:
    """The server's Retry-After when given, else exponential backoff; never more than MAX_WAIT."""

    def __init__(self) -> None:
        self._backoff = wait_exponential(multiplier=1, min=1, max=MAX_WAIT)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return min(exc.retry_after, MAX_WAIT)
        return self._backoff(state)


class HttpClient:
    """GET with retries. ``before_request`` runs before every attempt (the rate limiter goes there)."""

    def __init__(
        self,
        contact: str = "",
        timeout: float = TIMEOUT,
        attempts: int = ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = httpx.Client(
            headers={"User-Agent": user_agent(contact), "Accept-Encoding": "gzip"},
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
        )
        self._attempts = attempts
        self._sleep = sleep

    def close(self) -> None:
        self._client.close()

    def get(
        self, url: str, params: Mapping[str, str], before_request: Callable[[], None] | None = None
    ) -> bytes:
        """The body of a 200 response; ServiceError or OfflineError once the retries are spent."""
        retrying = Retrying(
            stop=stop_after_attempt(self._attempts),
            wait=_Wait(),
            retry=retry_if_exception_type(_Retryable),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    if before_request is not None:
                        before_request()
                    return self._once(url, params)
        except _Retryable as exc:
            raise ServiceError(
                f"{exc.message} (gave up after {self._attempts} attempts)",
                url,
                hint="the service may be overloaded; run resolve again later (answers so far are cached)",
            ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str, params: Mapping[str, str]) -> bytes:
        try:
            response = self._client.get(url, params=dict(params))
        except httpx.TimeoutException:
            raise _Retryable("request timed out") from None
        except (httpx.ConnectError, httpx.NetworkError) as exc:
            raise OfflineError(
                f"cannot connect ({type(exc).__name__}: {exc})",
                url,
                hint="check the network (or READINGLIST_ARXIV_API / READINGLIST_OPENALEX_API); "
                "the store was not changed",
            ) from None
        status = response.status_code
        if status == 429 or status >= 500:
            raise _Retryable(f"HTTP {status}", retry_after(response.headers.get("Retry-After")))
        if status == 404:
            raise NotFound("HTTP 404: no such record", str(response.url))
        if status != 200:
            raise ServiceError(f"HTTP {status}: {response.text[:200]!r}", str(response.url))
        return response.content
