"""Retries, backoff, Retry-After, timeouts and the no-network error, against a real local server."""

from __future__ import annotations

import socket

import pytest

from generator.resolve.errors import OfflineError, ServiceError
from generator.resolve.http import HttpClient, retry_after, user_agent
from resolve.fakeserver import FakeServer, Reply


class Canned(FakeServer):
    def answer(self, request):  # noqa: ANN001, ANN201
        return Reply(200, b"ok")


def test_user_agent_names_the_project_and_the_contact() -> None:
    assert user_agent("me@example.org").startswith("readinglist/")
    assert "mailto:me@example.org" in user_agent("me@example.org")
    assert "READINGLIST_CONTACT" in user_agent("")


def test_backoff_is_exponential_on_5xx_then_success(clock) -> None:
    with Canned() as server:
        server.script += [Reply(500), Reply(502)]
        http = HttpClient("me@example.org", attempts=4, sleep=clock.sleep)
        assert http.get(server.url, {"q": "x"}) == b"ok"
    assert len(server.requests) == 3
    assert clock.sleeps == [1.0, 2.0]  # tenacity's wait_exponential: 1 s, then 2 s
    assert server.requests[0].headers["user-agent"] == user_agent("me@example.org")


def test_429_honours_retry_after(clock) -> None:
    with Canned() as server:
        server.script.append(Reply(429, b"slow down", {"Retry-After": "12"}))
        assert HttpClient(sleep=clock.sleep).get(server.url, {}) == b"ok"
    assert clock.sleeps == [12.0]


def test_retry_after_as_an_http_date() -> None:
    assert retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412500.0) == pytest.approx(10.0)
    assert retry_after("soon") is None and retry_after(None) is None


def test_gives_up_after_the_last_attempt(clock) -> None:
    with Canned() as server:
        server.script += [Reply(503)] * 3
        with pytest.raises(ServiceError, match="HTTP 503 .gave up after 3 attempts"):
            HttpClient(attempts=3, sleep=clock.sleep).get(server.url, {})
    assert len(server.requests) == 3


def test_timeout_is_retried_then_reported(clock) -> None:
    with Canned() as server:
        server.script += [Reply(200, b"late", delay=0.6)] * 2
        with pytest.raises(ServiceError, match="timed out"):
            HttpClient(timeout=0.2, attempts=2, sleep=clock.sleep).get(server.url, {})
    assert len(server.requests) == 2


def test_timeout_then_success(clock) -> None:
    with Canned() as server:
        server.script.append(Reply(200, b"late", delay=0.6))
        assert HttpClient(timeout=0.2, attempts=2, sleep=clock.sleep).get(server.url, {}) == b"ok"


def test_a_client_error_is_not_retried(clock) -> None:
    with Canned() as server:
        server.script.append(Reply(400, b"bad query"))
        with pytest.raises(ServiceError, match="HTTP 400"):
            HttpClient(sleep=clock.sleep).get(server.url, {})
    assert len(server.requests) == 1 and clock.sleeps == []


def test_no_network_is_one_clear_error(clock) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(OfflineError, match="cannot connect") as info:
        HttpClient(sleep=clock.sleep).get(f"http://127.0.0.1:{port}/api/query", {})
    assert "store was not changed" in str(info.value)
    assert clock.sleeps == []
