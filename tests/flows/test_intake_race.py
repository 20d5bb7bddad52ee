"""A closed ticket whose batch lost a race (another replica stored the same close between the
batch's reads and its inserts) still gets one survey, named to every sender: the batch rolls
back and the one-at-a-time path, whose constraints decide races, stores it."""

from __future__ import annotations

import hashlib
import tomllib
from datetime import UTC, datetime
from typing import Any

import pytest

from bot import intake
from bot.deps import Deps
from bot.directory import parse_directory
from bot.model import Ticket, TicketArrival
from bot.settings import Settings
from store import Store, open_store
from store import intake as rows
from tests.harness import FakeClock

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
TOML = '[defaults]\nslack_lead_channel = "C0DEFAULT"\n'


def arrival(delivery_id: str) -> TicketArrival:
    ticket = Ticket("jira", "SD-1", "VPN down", "ana@example.com", None, None, None, NOW, None)
    return TicketArrival(ticket, delivery_id, hashlib.sha256(delivery_id.encode()).hexdigest())


async def count(store: Store, table: str) -> int:
    async with store.read() as conn:
        result = await conn.exec_driver_sql(f"SELECT count(*) FROM {table}")  # noqa: S608
        return int(result.scalar_one())


@pytest.mark.parametrize("lone", [True, False], ids=["lone", "in-a-batch"])
async def test_a_batch_that_lost_the_race_for_a_close_stores_it_once(
    db_url: str, monkeypatch: pytest.MonkeyPatch, lone: bool
) -> None:
    store = open_store(db_url)
    try:
        deps = Deps(
            store,
            parse_directory(tomllib.loads(TOML), TOML, "nps.toml"),
            FakeClock(NOW),
            Settings(),
        )
        (first,) = await intake._accept_all(deps, [arrival("msg_a")])  # the other replica's
        assert isinstance(first, rows.Accepted)

        async def stale(_conn: Any, _tickets: Any) -> dict[rows.Key, rows.Round]:
            return {}  # read before the other replica's commit: no round of SD-1 yet

        monkeypatch.setattr(rows, "latest_rounds", stale)
        arrivals = [arrival("msg_b")] if lone else [arrival("msg_b"), arrival("msg_c")]
        if lone:
            outcomes = await intake._accept_all(deps, arrivals)
        else:  # as the group commit does after a batch raised: each ticket on its own
            with pytest.raises(intake._Raced):
                await intake._accept_all(deps, arrivals)
            outcomes = [(await intake._accept_all(deps, [a]))[0] for a in arrivals]
        assert outcomes == [rows.Accepted(first.survey_id, new=False)] * len(arrivals)
        assert await count(store, "survey") == 1
        assert await count(store, "webhook_receipt") == 1 + len(arrivals)
        assert await count(store, "outbox") == 1
    finally:
        await store.close()
