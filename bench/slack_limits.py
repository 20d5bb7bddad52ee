"""Slack's published Web API rate limits as token buckets, enforced by a subclass of tests' fake.

Tier 3 (`users.lookupByEmail`, `conversations.open`, `chat.update`) is "50+ per minute" per
method per workspace with "sporadic bursts welcome"; `chat.postMessage` allows "one message per
second per channel" with "short bursts >1", "while also maintaining a workspace-wide limit"
(docs.slack.dev/apis/web-api/rate-limits). Slack publishes no burst size and no number for the
workspace ceiling: BURSTS and the ceiling below are our assumptions, named in the report.

`speed` multiplies every rate and every burst alike: a Slack `speed` times as generous, whose
buckets still hold the same seconds of refill. The bot pauses in whole seconds (Retry-After is
an integer, and the bot's floor is 1 s), so scaling rates alone would make each pause cost it
more tokens than on the real Slack; scaling bursts too keeps that cost as it is.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

TIER3_PER_MIN = 50.0
TIER3_BURST = 20.0  # assumption: "sporadic bursts are welcome", no size published
POST_PER_CHANNEL_PER_S, POST_CHANNEL_BURST = 1.0, 3.0  # "short bursts >1 allowed"
POST_WORKSPACE_PER_MIN, POST_WORKSPACE_BURST = 600.0, 20.0  # assumption: no figure published
TIER3 = ("users.lookupByEmail", "conversations.open", "chat.update")


@dataclass
class Bucket:
    rate: float  # tokens per second
    capacity: float
    tokens: float | None = None  # full on first use
    last: float = 0.0

    def _refill(self, now: float) -> float:
        if self.tokens is None:
            self.tokens, self.last = self.capacity, now
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        return self.tokens

    def wait(self, now: float) -> float:
        """Seconds until one token is there; 0 when one is there now (nothing is taken)."""
        tokens = self._refill(now)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def take(self, now: float) -> None:
        self.tokens = self._refill(now) - 1


@dataclass(frozen=True)
class Limits:
    """Rates (per second) and bursts per method for the workspace, and per channel."""

    workspace: dict[str, tuple[float, float]]
    per_channel: dict[str, tuple[float, float]] = field(default_factory=dict)
    speed: float = 1.0

    def describe(self) -> dict[str, Any]:
        return {"workspace": self.workspace, "per_channel": self.per_channel, "speed": self.speed}


def slack_limits(speed: float = 1.0) -> Limits:
    """Slack's published limits (with our assumed bursts and ceiling), `speed` times over."""
    tier3 = (TIER3_PER_MIN / 60 * speed, TIER3_BURST * speed)
    post = (POST_WORKSPACE_PER_MIN / 60 * speed, POST_WORKSPACE_BURST * speed)
    channel = (POST_PER_CHANNEL_PER_S * speed, POST_CHANNEL_BURST * speed)
    workspace = dict.fromkeys(TIER3, tier3) | {"chat.postMessage": post}
    return Limits(workspace, {"chat.postMessage": channel}, speed)


def min_seconds(limits: Limits, calls: dict[str, int]) -> float:
    """The least time the workspace buckets allow for `calls` (method → count), all starting
    full; per-channel buckets never bind here, as every DM is its own channel."""
    need = [
        (count - limits.workspace[m][1]) / limits.workspace[m][0]
        for m, count in calls.items()
        if m in limits.workspace
    ]
    return max([0.0, *need])


class Limiter:
    """FakeSlack.limiter: a 429 whenever a call would overdraw one of its buckets."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._buckets: dict[tuple[str, str], Bucket] = {}

    def _bucket(self, method: str, channel: str) -> Bucket | None:
        rates = self.limits.per_channel if channel else self.limits.workspace
        if method not in rates:
            return None
        key = (method, channel)
        if key not in self._buckets:
            self._buckets[key] = Bucket(*rates[method])
        return self._buckets[key]

    def __call__(self, method: str, params: dict[str, Any]) -> int | None:
        """None, and the call is served (a token from each bucket); or Retry-After seconds."""
        now, channel = time.monotonic(), str(params.get("channel", ""))
        found = [self._bucket(method, ""), self._bucket(method, channel) if channel else None]
        buckets = [b for b in found if b is not None]
        wait = max([0.0, *(b.wait(now) for b in buckets)])
        if wait > 0:
            # Slack's Retry-After is whole seconds; rounding up never lets a retry come early.
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.take(now)
        return None
