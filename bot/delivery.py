"""Delivers queued work to the chat platforms: claims jobs under a lease, retries, gives up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import assert_never

from bot import alerts, digests, guesses, praise, tallies
from bot.deps import Deps
from bot.jobs import JobKind, complete_job
from bot.messages import SurveyOptedOut, current_message, prompt_for
from bot.model import Survey, SurveyState
from bot.ports import Deferred, DeliveryError, MessageRef, Messenger
from bot.privacy import erase_messages
from bot.recipients import recipient_for
from bot.surveys import SEND_SURVEY, offered
from store import optouts, outbox
from store import surveys as rows
from store.outbox import Job

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
BATCH = 20
# At most this many platform calls in flight per replica: bounds duplicates after a crash.
CONCURRENCY = 4


def backoff(attempt: int, rng: random.Random | None = None) -> float:
    """5 s, 15 s, 45 s … capped at an hour, ±20 % jitter so replicas do not retry in step."""
    base = min(3600.0, 5.0 * 3.0 ** min(max(0, attempt - 1), 10))  # capped before it grows
    jitter = (rng or random).uniform(0.8, 1.2)
    return base * jitter


Handler = Callable[[Deps, Messenger, Job, str], Awaitable[None]]


class DeliveryWorker:
    """One per replica. Woken when work is queued, and by the scheduler's tick as a safety net."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.owner = f"worker-{secrets.token_hex(4)}"
        self.paused_until: dict[str, datetime] = {}
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._limit = asyncio.Semaphore(CONCURRENCY)

    def wake(self) -> None:
        self.deps.delivery_wanted.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="npsbot-delivery")

    async def stop(self, grace: float = 10.0) -> None:
        """Finishes the batch in flight and claims no more; a job cut off mid-send would be
        sent again by another replica once its lease ran out."""
        if self._task is None:
            return
        self._stopping = True
        self.deps.delivery_wanted.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while not self._stopping:
            await self.deps.delivery_wanted.wait()
            self.deps.delivery_wanted.clear()
            try:
                while not self._stopping and await self.run_once():
                    pass
            except Exception:
                log.exception("delivery_loop_failed")

    def _ready_platforms(self) -> list[str]:
        now = self.deps.clock.now()
        return [p for p in self.deps.messengers if self.paused_until.get(p, now) <= now]

    async def run_once(self) -> int:
        """Claims and runs one batch of due jobs; returns how many it took."""
        platforms = self._ready_platforms()
        if not platforms:
            return 0  # no platform, or all paused: not even a write lock to take
        async with self.deps.store.write(brief=True) as conn:
            # Read once the lock is held: a lease counted from before a long wait for it
            # would run out early, and another replica would send the same job again.
            now = self.deps.clock.now()
            jobs = await outbox.claim_due(
                conn, now=now, owner=self.owner, lease=LEASE, limit=BATCH, platforms=platforms
            )
        lanes: dict[str, list[Job]] = {}
        for job in jobs:
            lanes.setdefault(job.platform, []).append(job)
        await asyncio.gather(*(self._run_lane(lane) for lane in lanes.values()))
        return len(jobs)

    async def _run_lane(self, jobs: list[Job]) -> None:
        """One call opens the lane: a lane over its limit answers one 429, not CONCURRENCY."""
        first, rest = jobs[0], jobs[1:]
        await self._run(first)
        if rest and self._paused(first.platform):
            await self._release(rest)
            return
        await asyncio.gather(*(self._run(job) for job in rest))

    def _pause(self, platform: str, seconds: float, now: datetime) -> None:
        """A 429 that names no method is about the whole app on this platform (Teams), not
        this one message. The worker is woken when the lane reopens: waiting for the next 5 s
        tick left sends idle (bench/fanout: 37–43 % of the rate Slack allowed)."""
        until = now + timedelta(seconds=seconds)
        self.paused_until[platform] = max(until, self.paused_until.get(platform, now))
        self._wake_in(seconds)

    def _paused(self, platform: str) -> bool:
        until = self.paused_until.get(platform)
        return until is not None and self.deps.clock.now() < until

    def _wake_in(self, seconds: float) -> None:
        asyncio.get_running_loop().call_later(max(seconds, 0.0), self.wake)

    async def _release(self, jobs: list[Job], at: datetime | None = None) -> None:
        """Puts claimed jobs back, unsent and uncounted, until their lane (or method) reopens."""
        at = at or self.paused_until[jobs[0].platform]
        async with self.deps.store.write(brief=True) as conn:
            await outbox.release(conn, [job.id for job in jobs], self.owner, at)

    async def _run(self, job: Job) -> None:
        messenger = self.deps.messengers[job.platform]
        async with self._limit:
            # A 429 seen while this job waited for a slot closes its lane to it as well.
            if self._paused(job.platform):
                await self._release([job])
                return
            try:
                await handler_for(JobKind(job.kind))(self.deps, messenger, job, self.owner)
            except Deferred as exc:
                # Its method is held for longer than a job should wait: back until then.
                seconds = exc.retry_after or 0.0
                await self._release([job], self.deps.clock.now() + timedelta(seconds=seconds))
                self._wake_in(seconds)
            except DeliveryError as exc:
                await self._failed(job, exc)
            except Exception as exc:
                log.exception("delivery_job_crashed", extra={"job": job.id, "kind": job.kind})
                await self._failed(job, DeliveryError(type(exc).__name__))

    async def _failed(self, job: Job, exc: DeliveryError) -> None:
        now = self.deps.clock.now()
        if exc.retry_after is not None and exc.method is None:
            self._pause(job.platform, exc.retry_after, now)
        if exc.permanent or now >= job.give_up_at:
            await _give_up(self.deps, job, self.owner, exc.reason)
            return
        at = _retry_at(job, exc, now)
        async with self.deps.store.write(brief=True) as conn:
            await outbox.retry_later(conn, job.id, self.owner, at, exc.reason)
        in_s = round((at - now).total_seconds(), 1)
        log.warning("delivery_retry", extra={"job": job.id, "reason": exc.reason, "in_s": in_s})


def _retry_at(job: Job, exc: DeliveryError, now: datetime) -> datetime:
    """Rate-limited, the job was not at fault: no backoff. A method the messenger paces holds
    the job in its pacer, so it keeps its place in the queue (pushed behind the backlog, the
    last thank-you came 19 s later than the limits force); a 429 for a lane, when it reopens."""
    if exc.retry_after is None:
        return now + timedelta(seconds=backoff(job.attempts))
    if exc.method is not None:
        return min(job.due_at or now, now)
    return now + timedelta(seconds=max(exc.retry_after, 1.0))


async def _give_up(deps: Deps, job: Job, owner: str, reason: str) -> None:
    async with deps.store.write(brief=True) as conn:
        await outbox.give_up(conn, job.id, owner, reason, deps.clock.now())
        if job.kind == SEND_SURVEY:
            await rows.mark_failed(conn, job.ref, reason)
    if job.kind == SEND_SURVEY:
        deps.metrics.survey("failed")
    log.warning("delivery_failed", extra={"job": job.id, "kind": job.kind, "reason": reason})


async def _send_survey(deps: Deps, messenger: Messenger, job: Job, owner: str) -> None:
    async with deps.store.read() as conn:
        survey = await rows.get_survey(conn, job.ref)
    if survey is None or survey.state is not SurveyState.PENDING:
        await complete_job(deps, job, owner)
        return
    recipient = await recipient_for(deps, messenger, survey.ticket.requester_email)
    ref = await messenger.send_dm(recipient, prompt_for(survey))
    now = deps.clock.now()
    expires = now + timedelta(days=deps.settings.survey_expiry_days)
    async with deps.store.write(brief=True) as conn:
        await tallies.count_delivery(conn, deps.directory, survey.id, now)
        await rows.mark_sent(conn, survey.id, recipient, ref, now, expires)
        await outbox.complete(conn, job.id, owner, now)
    deps.metrics.survey("sent")
    log.info("survey_sent", extra={"survey": survey.id, "platform": job.platform})


async def _survey_state(
    deps: Deps, survey_id: str
) -> tuple[Survey | None, MessageRef | None, bool]:
    """The survey, where its DM is, and whether its requester opted out since."""
    async with deps.store.read() as conn:
        survey, ref = await rows.survey_and_ref(conn, survey_id)
        email = survey.ticket.requester_email if survey else None
        opted_out = await optouts.is_opted_out(conn, email) if email else False
    return survey, ref, opted_out


async def _update_survey(deps: Deps, messenger: Messenger, job: Job, owner: str) -> None:
    survey, ref, opted_out = await _survey_state(deps, job.ref)
    # Rendered from the database now, not from the event: a late update shows the latest state.
    if survey is not None and ref is not None:
        asks = deps.directory.asks_lost_time(survey.team_key)
        message = current_message(survey, deps.clock.now(), offered(deps, survey), asks)
        if opted_out and survey.answer is None:
            message = SurveyOptedOut(survey.ticket.ticket_id, survey.ticket.title)
        await messenger.update(ref, message)
    await complete_job(deps, job, owner)


async def _remind_survey(deps: Deps, messenger: Messenger, job: Job, owner: str) -> None:
    survey, ref, opted_out = await _survey_state(deps, job.ref)
    # Answered, expired or opted out since it was queued: no reminder after all.
    if (
        survey is not None
        and ref is not None
        and survey.answer is None
        and not opted_out
        and not survey.is_expired(deps.clock.now())
    ):
        await messenger.post(ref.channel, replace(prompt_for(survey), reminder=True))
    await complete_job(deps, job, owner)


# long: one case per job kind, in one match that assert_never proves whole
def handler_for(kind: JobKind) -> Handler:
    match kind:
        case JobKind.SEND_SURVEY:
            return _send_survey
        case JobKind.UPDATE_SURVEY:
            return _update_survey
        case JobKind.POST_ALERT:
            return alerts.post_alert
        case JobKind.UPDATE_ALERT:
            return alerts.update_alert
        case JobKind.REMIND_CHANNEL:
            return alerts.remind_channel
        case JobKind.REMIND_OWNER:
            return alerts.remind_owner
        case JobKind.REMIND_SURVEY:
            return _remind_survey
        case JobKind.SEND_PRAISE:
            return praise.send_praise
        case JobKind.POST_DIGEST:
            return digests.post_digest
        case JobKind.ERASE:
            return erase_messages
        case JobKind.ASK_AGENT:
            return guesses.ask_agent
        case JobKind.UPDATE_GUESS:
            return guesses.update_guess
        case _:
            assert_never(kind)
