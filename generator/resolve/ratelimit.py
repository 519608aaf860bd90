"""At most one request every ``delay`` seconds to one service, with an injectable clock and sleep."""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimiter:
    """Call :meth:`wait` before each request: it sleeps until ``delay`` seconds have passed since the
    previous request started. ``clock`` and ``sleep`` are injectable so tests use a fake clock."""

    def __init__(
        self,
        delay: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = delay
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None

    def wait(self) -> None:
        if self._last is not None:
            remaining = self._last + self.delay - self._clock()
            if remaining > 0:
                self._sleep(remaining)
        self._last = self._clock()
