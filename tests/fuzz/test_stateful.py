"""A Hypothesis state machine over the use cases, on the real server's deps and store (both
backends): tickets closed (and closed again), scores clicked (and double-clicked), comments,
claims, releases, outcomes, and a worker that dies holding its jobs. After every step: at most
one answer per survey, one survey per ticket, the callback's owner is the one claim that won,
and once a lease has run out and the worker has run, no job is left held.

NPSBOT_STATEFUL_EXAMPLES sets how many runs (default 10; the README's long run uses 200).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from bot import callbacks, surveys
from bot.callbacks_model import Claimed, Outcome, Released
from bot.delivery import LEASE
from bot.model import Ticket
from bot.server import DEPS, WORKER
from store import outbox
from store.intake import ReceiptConflict
from tests.harness import RunningBot, running_bot

EXAMPLES = int(os.environ.get("NPSBOT_STATEFUL_EXAMPLES", "10"))
T = TypeVar("T")
PEOPLE = ["U0ANA", "U0OTHER"]
LEADS = ["U0LEAD", "U0LEAD2"]
# The team's lead channel, and a DM a claim must be refused from.
CHANNELS = ["C0LEADS", "D0ELSEWHERE"]


class Loop:
    """The server's event loop in a thread, so the (synchronous) state machine can drive it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        return future.result(timeout=60)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()


class Lifecycle(RuleBasedStateMachine):
    bot: ClassVar[RunningBot]
    loop: ClassVar[Loop]
    run_no: ClassVar[int] = 0

    def __init__(self) -> None:
        super().__init__()
        type(self).run_no += 1
        self.prefix = f"R{self.run_no}-"
        self.owners: dict[str, str | None] = {}  # callback id → who the model says holds it
        self.closed: set[str] = set()

    def _do(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run(coroutine)

    def _ids(self, sql: str) -> list[str]:
        rows = self._do(self._all(sql, f"{self.prefix}%"))
        return [str(r[0]) for r in rows]

    async def _all(self, sql: str, prefix: str) -> list[Any]:
        from sqlalchemy import text

        async with self.bot.store.read() as conn:
            return list((await conn.execute(text(sql), {"p": prefix})).all())

    def _surveys(self) -> list[str]:
        return self._ids("SELECT id FROM survey WHERE ticket_id LIKE :p ORDER BY id")

    def _callbacks(self) -> list[str]:
        return self._ids(
            "SELECT c.id FROM callback c JOIN survey s ON s.id = c.survey_id"
            " WHERE s.ticket_id LIKE :p ORDER BY c.id"
        )

    @initialize()
    def a_detractor_answered(self) -> None:
        """Each run starts with one open callback, so every run can claim, release and close."""
        self.close_ticket(9, same_delivery=True)
        self._do(self._run_worker())
        (survey,) = self._surveys()
        self._do(surveys.record_score(self.bot.app[DEPS], survey, 2, "U0ANA"))

    @rule(n=st.integers(0, 3), same_delivery=st.booleans())
    def close_ticket(self, n: int, same_delivery: bool) -> None:
        ticket = Ticket(
            "generic",
            f"{self.prefix}{n}",
            "VPN",
            "ana@example.com",
            None,
            None,
            "End User Services",
            datetime.now(UTC),
            None,
        )
        delivery = (
            f"{self.prefix}d{n}" if same_delivery else f"{self.prefix}d{n}-{os.urandom(4).hex()}"
        )
        # The same delivery id with another body is refused (ReceiptConflict), as it should be.
        with contextlib.suppress(ReceiptConflict):
            self._do(surveys.accept_ticket(self.bot.app[DEPS], ticket, delivery, f"h{n}"))

    @rule()
    def deliver(self) -> None:
        self._do(self._run_worker())

    async def _run_worker(self) -> None:
        """This replica's worker, until nothing is due: not bot.drain(), which waits for every
        job in flight, including those the dead worker holds until its lease runs out."""
        while await self.bot.app[WORKER].run_once():
            pass

    @rule()
    def crash_a_worker(self) -> None:
        """A worker claims due jobs and dies: its lease must run out and another take them."""
        deps = self.bot.app[DEPS]

        async def claim_and_die() -> None:
            async with deps.store.write() as conn:
                await outbox.claim_due(
                    conn,
                    now=deps.clock.now(),
                    owner="dead-worker",
                    lease=LEASE,
                    limit=5,
                    platforms=["slack"],
                )

        self._do(claim_and_die())

    @rule()
    def lease_runs_out(self) -> None:
        self.bot.clock.advance(seconds=LEASE.total_seconds() + 1)
        self._do(self._run_worker())
        held = self._do(self._held_past_lease())
        assert held == 0, f"{held} jobs still held past their lease after the worker ran"

    async def _held_past_lease(self) -> int:
        from sqlalchemy import text

        now = self.bot.clock.now()
        sql = "SELECT count(*) FROM outbox WHERE status = 'sending' AND lease_until < :now"
        async with self.bot.store.read() as conn:
            return int((await conn.execute(text(sql), {"now": now})).scalar_one())

    @rule(
        i=st.integers(0, 5),
        score=st.integers(0, 10),
        who=st.sampled_from(PEOPLE),
        times=st.integers(1, 2),
    )
    def click_score(self, i: int, score: int, who: str, times: int) -> None:
        self._do(self._run_worker())  # a survey is clicked once it has been sent
        found = self._surveys()
        if found:
            for _ in range(times):  # a double click
                self._do(
                    surveys.record_score(self.bot.app[DEPS], found[i % len(found)], score, who)
                )

    @rule(i=st.integers(0, 5), words=st.text(max_size=30), who=st.sampled_from(PEOPLE))
    def comment(self, i: int, words: str, who: str) -> None:
        found = self._surveys()
        if found:
            self._do(
                surveys.record_comment(
                    self.bot.app[DEPS], found[i % len(found)], words, [], False, actor=who
                )
            )

    @rule(i=st.integers(0, 5), lead=st.sampled_from(LEADS), channel=st.sampled_from(CHANNELS))
    def claim(self, i: int, lead: str, channel: str) -> None:
        found = self._callbacks()
        if not found:
            return
        cid = found[i % len(found)]
        outcome = self._do(callbacks.claim_callback(self.bot.app[DEPS], cid, lead, channel))
        if isinstance(outcome, Claimed):
            assert channel == "C0LEADS", "claimed from outside the team's lead channel"
            assert self.owners.get(cid) is None, "a second owner"
            assert cid not in self.closed, "a closed callback claimed"
            self.owners[cid] = lead

    @rule(i=st.integers(0, 5), who=st.sampled_from(LEADS))
    def release(self, i: int, who: str) -> None:
        found = self._callbacks()
        if not found:
            return
        cid = found[i % len(found)]
        outcome = self._do(callbacks.release_callback(self.bot.app[DEPS], cid, who))
        if isinstance(outcome, Released):
            self.owners[cid] = None

    @rule(i=st.integers(0, 5), who=st.sampled_from(LEADS))
    def done(self, i: int, who: str) -> None:
        found = self._callbacks()
        if not found:
            return
        cid = found[i % len(found)]
        self._do(callbacks.record_outcome(self.bot.app[DEPS], cid, who, Outcome.REACHED, None))
        status = self._ids_where("SELECT status FROM callback WHERE id = :p", cid)
        if status == ["closed"]:
            self.closed.add(cid)

    def _ids_where(self, sql: str, value: str) -> list[str]:
        return [str(r[0]) for r in self._do(self._all(sql, value))]

    @invariant()
    def one_answer_per_survey(self) -> None:
        dupes = self._ids(
            "SELECT a.survey_id FROM answer a JOIN survey s ON s.id = a.survey_id"
            " WHERE s.ticket_id LIKE :p GROUP BY a.survey_id HAVING count(*) > 1"
        )
        assert dupes == []

    @invariant()
    def one_survey_per_ticket(self) -> None:
        dupes = self._ids(
            "SELECT ticket_id FROM survey WHERE ticket_id LIKE :p"
            " GROUP BY source, ticket_id HAVING count(*) > 1"
        )
        assert dupes == []

    @invariant()
    def the_owner_is_the_claim_that_won(self) -> None:
        for cid, owner in self.owners.items():
            stored = self._ids_where("SELECT owner_id FROM callback WHERE id = :p", cid)
            if cid not in self.closed:
                assert stored == [owner or "None"], (cid, stored, owner)


@pytest.mark.timeout(120 + EXAMPLES * 10)
def test_survey_and_callback_lifecycle_keeps_its_invariants(db_url: str, tmp_path: Path) -> None:
    loop = Loop()
    context: AbstractAsyncContextManager[RunningBot] = running_bot(db_url, tmp_path)
    try:
        Lifecycle.bot = loop.run(context.__aenter__())
        Lifecycle.loop = loop
        # The machine runs the worker itself. The server's own loop, woken by every queued
        # job, would claim with a clock read before a lease_runs_out jump and commit after
        # it, leaving jobs held past their lease that no step of the machine had let happen.
        loop.run(Lifecycle.bot.app[WORKER].stop())
        for user, email in [("U0ANA", "ana@example.com"), ("U0OTHER", "o@example.com")]:
            Lifecycle.bot.user(email, user)
        run_state_machine_as_test(
            Lifecycle,
            settings=settings(
                max_examples=EXAMPLES,
                stateful_step_count=30,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
        # The runs reached the states the invariants are about, or they proved nothing.
        for table in ("answer", "callback"):
            assert loop.run(Lifecycle.bot.scalar(f"SELECT count(*) FROM {table}")) > 0, table  # noqa: S608
        assert (
            loop.run(
                Lifecycle.bot.scalar(
                    "SELECT count(*) FROM callback WHERE owner_id IS NOT NULL OR status = 'closed'"
                )
            )
            > 0
        )
    finally:
        loop.run(context.__aexit__(None, None, None))
        loop.close()
