"""Everything a use case needs, built once by the server."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.directory import TeamDirectory
from bot.group_commit import GroupCommit
from bot.metrics import Metrics
from bot.model import ScoreClick, ScoreOutcome, TicketArrival
from bot.ports import Clock, Messenger
from bot.settings import Settings
from store import Store
from store.intake import Accepted, ReceiptConflict


@dataclass(frozen=True)
class Deps:
    store: Store
    directory: TeamDirectory
    clock: Clock
    settings: Settings
    metrics: Metrics = field(default_factory=Metrics)
    messengers: Mapping[str, Messenger] = field(default_factory=dict)
    # Waited on by the delivery worker, when there is one (the CLI's use cases run without).
    delivery_wanted: asyncio.Event = field(default_factory=asyncio.Event)
    # Directory lookups by (platform, e-mail), so concurrent sends to one person share one.
    lookups: dict[tuple[str, str], asyncio.Lock] = field(default_factory=dict)
    # Concurrent score clicks, committed together (bot/scores.py).
    scores: GroupCommit[ScoreClick, ScoreOutcome] = field(default_factory=GroupCommit)
    # Concurrent closed tickets, stored together (bot/intake.py).
    intake: GroupCommit[TicketArrival, Accepted | ReceiptConflict] = field(
        default_factory=GroupCommit
    )
    # Delivery jobs finished at the same time, marked done together (bot/jobs.py).
    completions: GroupCommit[tuple[int, str], bool] = field(default_factory=GroupCommit)

    def __post_init__(self) -> None:
        # PostgreSQL commits several batches of webhooks at once, SQLite one. Not clicks: with
        # three click batches at once, the thank-yous they queue came 107 s later than Slack's
        # limits force instead of 0.3 s (bench/thankyous.py), for no click rate measured.
        self.intake.at_once = self.store.batches_at_once

    def wake_delivery(self) -> None:
        """Called by a use case that queued work, so nobody waits for the next poll."""
        self.delivery_wanted.set()
