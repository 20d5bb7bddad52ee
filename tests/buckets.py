"""A platform's rate limit as a token bucket, for pacing tests on a driven or a real clock."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any


class Bucket:
    """`rate` calls a second, `burst` at once; Retry-After in whole seconds, rounded up, as
    Slack sends it."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.last = burst, 0.0

    def call(self, now: float) -> int | None:
        """None when served; else the Retry-After of the 429."""
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return None
        return max(1, math.ceil((1 - self.tokens) / self.rate))


def limiter(method: str, bucket: Bucket) -> Callable[[str, dict[str, Any]], int | None]:
    """FakeSlack.limiter for one method, on the host's clock; other methods go unlimited."""
    return lambda called, _params: bucket.call(time.monotonic()) if called == method else None
