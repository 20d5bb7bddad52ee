"""Everything a use case needs, built once by the server."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.directory import TeamDirectory
from bot.group_commit import GroupCommit
from bot.metrics import Metrics
from bot.model import ScoreClick, ScoreOutcome
from bot.ports import Clock, Messenger
from bot.settings import Settings
from store import Store


def _nothing() -> None:
    return None


@dataclass
class Deps:
    store: Store
    directory: TeamDirectory
    clock: Clock
    settings: Settings
    metrics: Metrics = field(default_factory=Metrics)
    messengers: dict[str, Messenger] = field(default_factory=dict)
    # Set by the delivery worker: a use case that queued work calls it so nobody waits a poll.
    wake_delivery: Callable[[], None] = _nothing
    # Directory lookups by (platform, e-mail), so concurrent sends to one person share one.
    lookups: dict[tuple[str, str], asyncio.Lock] = field(default_factory=dict)
    # Concurrent score clicks, committed together (bot/scores.py).
    scores: GroupCommit[ScoreClick, ScoreOutcome] = field(default_factory=GroupCommit)
    # Delivery jobs finished at the same time, marked done together (bot/jobs.py).
    completions: GroupCommit[tuple[int, str], bool] = field(default_factory=GroupCommit)
