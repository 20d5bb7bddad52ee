"""Accepting closed tickets. Concurrent deliveries share one transaction (group commit) and a
fixed handful of statements for the whole batch: per ticket, a transaction of ten statements
held SQLite's one writer for ten thread hops, so webhooks queued behind it (issue 13). Each
sender is answered after the commit; a known delivery or ticket is a no-op, as one at a time.

A batch reads what it needs first (opt-outs, recent surveys, known receipts, latest rounds),
decides every ticket in order in memory (a later ticket of the batch sees the earlier ones),
then inserts. If another replica wrote one of those rows since the reads, the batch rolls back
and each ticket is tried again on its own; one that loses a race again takes the one-at-a-time
path, whose constraints settle it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from bot import guesses
from bot.deps import Deps
from bot.jobs import JobKind, queue_job, queue_jobs
from bot.model import Ticket, TicketArrival
from bot.survey_ids import new_survey_id
from store import Conn
from store import intake as rows
from store.intake import Accepted, NewSurvey, ReceiptConflict, survey_row

log = logging.getLogger(__name__)

SEND_SURVEY = JobKind.SEND_SURVEY
NO_REQUESTER_EMAIL = "no_requester_email"
Outcome = Accepted | ReceiptConflict


class _Raced(Exception):
    """Another writer took a round or a delivery id between the batch's reads and its inserts."""


async def accept(deps: Deps, arrival: TicketArrival) -> Accepted:
    outcome = await deps.intake.submit(arrival, partial(_accept_all, deps))
    if isinstance(outcome, ReceiptConflict):
        raise outcome
    return outcome


async def _accept_all(deps: Deps, arrivals: list[TicketArrival]) -> list[Outcome]:
    # A lone ticket takes the batch's path too: its few driver statements cost a third of the
    # one-at-a-time path's, and under load a tenth of the batches are lone (py-spy, issue 13).
    try:
        return await _accept_batch(deps, arrivals)
    except _Raced:
        if len(arrivals) > 1:
            raise  # the group commit retries each ticket on its own
        # Lost a race: the path whose constraints decide it.
        return [await _accept_one(deps, arrivals[0])]


async def _accept_one(deps: Deps, arrival: TicketArrival) -> Accepted:
    now, ticket = deps.clock.now(), arrival.ticket
    key = _team_key(deps, ticket)
    async with deps.store.write(brief=True) as conn:
        people = await _read_people(deps, conn, [ticket], now)
        survey = _new_survey(deps, ticket, key, now, people.skip_reason(deps, ticket, key, now))
        accepted = await rows.insert_survey(conn, survey, arrival.delivery_id, arrival.body_sha256)
        if accepted.new and survey.skip_reason is None:
            await queue_job(deps, conn, SEND_SURVEY, accepted.survey_id, survey.platform.value)
            await guesses.queue_ask(deps, conn, accepted.survey_id, survey.platform, key, ticket)
    _announce(deps, [(accepted, survey)] if accepted.new else [])
    return accepted


@dataclass
class _People:
    """Who is opted out, and when each was last surveyed: what decides a skip."""

    opted_out: set[str]
    surveyed: dict[str, datetime]

    def skip_reason(self, deps: Deps, ticket: Ticket, key: str | None, now: datetime) -> str | None:
        """Why this person is not to be asked now, or None: the skipped ticket keeps the reason."""
        email = ticket.requester_email
        if not email:
            return NO_REQUESTER_EMAIL  # stored and counted, never silently dropped
        if email in self.opted_out:
            return "opted_out"
        days = deps.directory.survey_every(key)
        last = self.surveyed.get(email)
        if days > 0 and last is not None and last >= now - timedelta(days=days):
            return "surveyed_recently"
        return None


async def _read_people(deps: Deps, conn: Conn, tickets: list[Ticket], now: datetime) -> _People:
    emails = {t.requester_email for t in tickets if t.requester_email}
    longest = max(deps.directory.survey_every(_team_key(deps, t)) for t in tickets)
    since = now - timedelta(days=longest)
    return _People(
        opted_out=await rows.opted_out_among(conn, emails) if emails else set(),
        surveyed=await rows.last_surveyed(conn, emails, since) if emails and longest > 0 else {},
    )


async def _accept_batch(deps: Deps, arrivals: list[TicketArrival]) -> list[Outcome]:
    now = deps.clock.now()
    async with deps.store.write(brief=True) as conn:
        plan = await _read(deps, conn, arrivals, now)
        for arrival in arrivals:
            plan.take(deps, arrival, now)
        if not await rows.insert_all(conn, plan.survey_rows, plan.receipt_rows):
            raise _Raced  # rolled back; the group commit retries each ticket on its own
        await queue_jobs(deps, conn, SEND_SURVEY, [(s.id, s.platform.value) for s in plan.asked])
        for s in plan.asked:  # after every survey's own job: the agent is asked after the DM
            await guesses.queue_ask(deps, conn, s.id, s.platform, s.team_key, s.ticket)
    _announce(deps, plan.created)
    return plan.outcomes


@dataclass
class _Plan:
    """What the batch found in the database, and what it decided so far, ticket by ticket."""

    people: _People
    receipts: dict[rows.Key, rows.Receipt]
    rounds: dict[rows.Key, rows.Round]
    outcomes: list[Outcome] = field(default_factory=list)
    created: list[tuple[Accepted, NewSurvey]] = field(default_factory=list)
    survey_rows: list[dict[str, object]] = field(default_factory=list)
    receipt_rows: list[dict[str, object]] = field(default_factory=list)

    @property
    def asked(self) -> list[NewSurvey]:
        return [s for _, s in self.created if s.skip_reason is None]

    def take(self, deps: Deps, arrival: TicketArrival, now: datetime) -> None:
        ticket = arrival.ticket
        receipt_key = (ticket.source, arrival.delivery_id)
        known = self.receipts.get(receipt_key)
        if known is not None:  # a retry, or a reused id with another body
            same = known.body_sha256 == arrival.body_sha256
            outcome = Accepted(str(known.survey_id), new=False)
            self.outcomes.append(outcome if same else ReceiptConflict(arrival.delivery_id))
            return
        survey_id = self._survey_for(deps, ticket, now)
        self.receipts[receipt_key] = rows.Receipt(arrival.body_sha256, survey_id)
        row = {"source": ticket.source, "delivery_id": arrival.delivery_id}
        stamp = {"body_sha256": arrival.body_sha256, "received_at": now, "survey_id": survey_id}
        self.receipt_rows.append(row | stamp)

    def _survey_for(self, deps: Deps, ticket: Ticket, now: datetime) -> str:
        """The new survey's id, or the ticket's recent survey's (then a duplicate close)."""
        resurvey = timedelta(days=deps.directory.resurvey_after_days)
        latest = self.rounds.get((ticket.source, ticket.ticket_id))
        if latest is not None and latest.created_at > now - resurvey:
            self.outcomes.append(Accepted(latest.survey_id, new=False))
            return latest.survey_id
        key = _team_key(deps, ticket)
        skip = self.people.skip_reason(deps, ticket, key, now)
        survey = _new_survey(deps, ticket, key, now, skip)
        seq = latest.close_seq + 1 if latest is not None else 0
        self.rounds[ticket.source, ticket.ticket_id] = rows.Round(survey.id, seq, now)
        self.survey_rows.append(survey_row(survey, seq))
        if skip is None:  # a later ticket of this batch sees this survey
            self.people.surveyed[ticket.requester_email] = now
        accepted = Accepted(survey.id, new=True)
        self.outcomes.append(accepted)
        self.created.append((accepted, survey))
        return survey.id


async def _read(deps: Deps, conn: Conn, arrivals: list[TicketArrival], now: datetime) -> _Plan:
    tickets = [a.ticket for a in arrivals]
    return _Plan(
        people=await _read_people(deps, conn, tickets, now),
        receipts=await rows.receipts_among(
            conn, {(a.ticket.source, a.delivery_id) for a in arrivals}
        ),
        rounds=await rows.latest_rounds(conn, {(t.source, t.ticket_id) for t in tickets}),
    )


def _team_key(deps: Deps, ticket: Ticket) -> str | None:
    team = deps.directory.match(ticket.team_name)
    return team.key if team else None


def _new_survey(
    deps: Deps, ticket: Ticket, key: str | None, now: datetime, skip: str | None
) -> NewSurvey:
    platform = deps.directory.platform(key)
    resurvey = timedelta(days=deps.directory.resurvey_after_days)
    return NewSurvey(
        new_survey_id(), ticket, key, platform, now, skip_reason=skip, resurvey_after=resurvey
    )


def _announce(deps: Deps, created: list[tuple[Accepted, NewSurvey]]) -> None:
    for _, survey in created:
        if survey.skip_reason is not None:
            deps.metrics.skipped.labels(survey.skip_reason).inc()
    if created:
        deps.metrics.survey("received", len(created))
        # One line per transaction, not per ticket (a line per request is CPU, issue 13).
        surveys = " ".join(f"{s.ticket.source}:{a.survey_id}" for a, s in created)
        log.info("tickets_accepted", extra={"count": len(created), "surveys": surveys})
        deps.wake_delivery()
