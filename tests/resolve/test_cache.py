"""Responses cached by request, atomically."""

from __future__ import annotations

from generator.resolve.cache import ResponseCache, request_key


def test_key_ignores_parameter_order() -> None:
    a = request_key("arxiv", "http://x/api", {"a": "1", "b": "2"})
    assert a == request_key("arxiv", "http://x/api", {"b": "2", "a": "1"})
    assert a != request_key("openalex", "http://x/api", {"a": "1", "b": "2"})
    assert a != request_key("arxiv", "http://x/api", {"a": "1", "b": "3"})
    assert a == request_key("arxiv", "http://x/api", {"a": "1", "b": "2", "mailto": "me@example.org"})


def test_put_then_get(tmp_path) -> None:
    cache = ResponseCache(tmp_path / "c")
    assert cache.get("arxiv", "u", {"q": "x"}) is None
    cache.put("arxiv", "u", {"q": "x"}, b"<feed/>")
    assert cache.get("arxiv", "u", {"q": "x"}) == b"<feed/>"
    assert not list((tmp_path / "c").rglob("*.tmp"))


def test_no_root_caches_nothing(tmp_path) -> None:
    cache = ResponseCache(None)
    cache.put("arxiv", "u", {}, b"x")
    assert cache.get("arxiv", "u", {}) is None
