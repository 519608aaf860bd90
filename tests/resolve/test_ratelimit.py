"""One request every N seconds, on a fake clock (no test sleeps)."""

from __future__ import annotations

from generator.resolve.ratelimit import RateLimiter


def test_requests_are_spaced_by_the_delay(clock) -> None:
    limiter = RateLimiter(3.0, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(4):
        limiter.wait()
        starts.append(clock.now)
    assert [b - a for a, b in zip(starts, starts[1:], strict=False)] == [3.0, 3.0, 3.0]
    assert clock.sleeps == [3.0, 3.0, 3.0]  # the first request does not wait


def test_time_already_spent_counts(clock) -> None:
    limiter = RateLimiter(3.0, clock=clock, sleep=clock.sleep)
    limiter.wait()
    clock.now += 2.5  # parsing took 2.5 s
    limiter.wait()
    assert clock.sleeps == [0.5]
    clock.now += 10
    limiter.wait()
    assert clock.sleeps == [0.5]


def test_every_attempt_of_a_service_is_rate_limited(clock, arxiv, arxiv_server) -> None:
    from resolve.fakeserver import Reply

    arxiv_server.script.append(Reply(503))
    arxiv.by_title("Mechanistic Mode Connectivity")
    arxiv.by_title("The Pitfalls of Simplicity Bias in Neural Networks")
    assert len(arxiv_server.requests) == 3
    # backoff of 1 s after the 503, then the limiter tops it up to 3 s; 3 s before the next search
    assert clock.sleeps == [1.0, 2.0, 3.0]
