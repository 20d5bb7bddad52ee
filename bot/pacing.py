"""Client-side pacing per platform method: calls stay just under a rate learned from the 429s.

Slack limits each Web API method on its own and publishes no burst sizes, so nothing here is
configured: a method goes unpaced until it is refused. Each refusal means the platform's bucket
for it was empty; so was it at the refusal before, hence the calls served between the two, over
the time between them (the pause included), is the rate it refills at. Calls are then spaced a
little under that rate (GCRA, with the pause's refill as the burst a pause allows) and the pace
creeps up with every call served, so the next refusal comes only after many calls and measures
the rate again (AIMD: multiplicative decrease, slow increase).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.ports import Deferred, DeliveryError

# A wait longer than this goes back to the queue (Deferred) instead of holding a worker slot.
MAX_WAIT = 5.0
UNDER = 0.97  # the pace after a refusal, as a share of the rate measured
CREEP = 0.0005  # each call served raises the pace by this share: a refusal per ~100 calls
WINDOW = 60.0  # the rate is measured over the refusals of the last minute
MIN_SERVED = 10  # a window with fewer calls served says too little: ±1 call is ±10 % at 10


@dataclass
class Pacer:
    """The pace of one method; times are seconds on the caller's clock."""

    rate: float | None = None  # calls per second; None: not measured yet, not paced
    burst: float = 0.0  # seconds of calls that may go at once (GCRA's tolerance)
    next_at: float = 0.0  # GCRA's theoretical arrival time
    held_until: float = 0.0  # Retry-After: nothing goes before then
    served: int = 0  # calls served, ever
    # (when, calls served by then) for each refusal in the window: the bucket was empty then.
    marks: deque[tuple[float, int]] = field(default_factory=deque)
    refused_at: float = -math.inf
    unserved: bool = False  # refused and not served since: the next call goes alone
    probing: asyncio.Event | None = None  # set when the call that goes alone has its answer
    refusals: int = 0  # a call that slept through one looks at its slot again

    @property
    def alone(self) -> bool:
        """Whether the next call goes alone: the first after a refusal, and every call while
        the rate is being measured (calls sent together would be refused together)."""
        return self.unserved or (self.rate is None and bool(self.marks))

    def reserve(self, now: float) -> float:
        """When the next call may go (now or later), counted as taken; Deferred if too late."""
        at = max(now, self.held_until)
        if self.rate is None:
            if self.marks and now - self.marks[-1][0] > WINDOW:
                self.marks.clear()  # not refused again for a while: calls go together again
        else:
            if now > self.next_at + self.burst:
                # Idle for longer than a burst: the bucket may have overflowed since the
                # last refusal, so the calls served from then on undercount its rate.
                self.marks.clear()
            at = max(at, self.next_at - self.burst)
        if at - now > MAX_WAIT:
            raise Deferred("paced", retry_after=at - now)
        if self.rate is not None:
            self.next_at = max(self.next_at, at) + 1.0 / self.rate
        return at

    def serve(self) -> None:
        self.served += 1
        self.unserved = False
        if self.rate is not None:
            self.rate *= 1.0 + CREEP

    def refuse(self, sent_at: float, retry_after: float, now: float) -> None:
        self.held_until = max(self.held_until, now + retry_after)
        self.refusals += 1
        if sent_at < self.refused_at:
            return  # sent before the last refusal was known: the same empty bucket
        self.refused_at, self.unserved = now, True
        while len(self.marks) > 1 and now - self.marks[0][0] > WINDOW:
            self.marks.popleft()  # the last refusal stays: idle time clears it, not age
        self.rate = self._measured(now)
        self.marks.append((now, self.served))
        # The bucket is empty now; the pause refills it, and that refill may go at once after.
        self.burst = retry_after
        if self.rate is not None:
            self.next_at = now + self.burst + 1.0 / self.rate

    def _measured(self, now: float) -> float | None:
        """The rate after a refusal at `now`: the window's, or (too few calls served in it to
        tell) a little under the pace that was just refused."""
        if self.marks and self.served - self.marks[0][1] >= MIN_SERVED:
            since, served = self.marks[0]
            measured = (self.served - served) / (now - since) * UNDER
            # At most halved by one refusal, in case the window still undercounts.
            return max(measured, self.rate / 2) if self.rate is not None else measured
        return self.rate * UNDER if self.rate is not None else None


class Pacing:
    """One platform's pacers, by method. `now` is a clock in seconds (the bot's, in tests)."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self.now = now
        self.pacers: dict[str, Pacer] = {}

    @asynccontextmanager
    async def turn(self, method: str) -> AsyncIterator[None]:
        """Around one call of `method`: waits for its slot (Deferred if that is far off), and
        learns from its answer. A 429 leaves as DeliveryError with `method` set: only this
        method is held, for its Retry-After, not the platform's other calls."""
        pacer = self.pacers.setdefault(method, Pacer())
        at, probe = await self._slot(pacer)
        try:
            yield
        except DeliveryError as exc:
            if exc.retry_after is None or exc.method is not None or isinstance(exc, Deferred):
                raise  # not a 429 of this call's own
            pacer.refuse(at, exc.retry_after, self.now())
            raise DeliveryError(exc.reason, retry_after=exc.retry_after, method=method) from None
        else:
            pacer.serve()
        finally:
            _done(pacer, probe)

    async def _slot(self, pacer: Pacer) -> tuple[float, asyncio.Event | None]:
        """Waits for a slot; the event others wait on if this call goes alone after a refusal."""
        while True:
            while pacer.probing is not None:
                await pacer.probing.wait()
            at, refusals = pacer.reserve(self.now()), pacer.refusals
            probe = asyncio.Event() if pacer.alone else None
            pacer.probing = probe
            try:
                await asyncio.sleep(max(0.0, at - self.now()))
            except BaseException:
                _done(pacer, probe)
                raise
            if pacer.refusals == refusals:
                return at, probe
            _done(pacer, probe)  # refused while this call waited: that Retry-After comes first


def _done(pacer: Pacer, probe: asyncio.Event | None) -> None:
    if probe is not None:
        pacer.probing = None
        probe.set()
