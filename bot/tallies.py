"""Keeps the report roll-ups (store.rollups) current from the use cases that change what they
count, in the caller's transaction, with each team's days in its nps.toml time zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.directory import TeamDirectory
from bot.model import Survey
from store import Conn, guesses, rollups
from store import surveys as rows


def zones(directory: TeamDirectory) -> dict[str, str]:
    return {t.key: t.timezone for t in directory.teams}


async def count_answers(
    conn: Conn, directory: TeamDirectory, answered: list[tuple[Survey, int]], at: datetime
) -> None:
    """Best called last before the commit: every answer of the same 15 minutes updates one
    shared row, whose lock PostgreSQL holds until then; a batch of clicks updates it once.
    An answer whose agent has guessed also counts in the perception gap."""
    guessed = await guesses.scores_for_answers(conn, [survey.id for survey, _ in answered])
    counts = [
        count
        for survey, score in answered
        for count in rollups.answer_counts(
            survey.team_key, score, at, survey.delivered_at, survey.ticket.sla_met
        )
    ]
    counts += [
        count
        for survey, score in answered
        if survey.id in guessed
        for count in rollups.gap_counts(survey.team_key, at, guessed[survey.id], score)
    ]
    await rollups.add(conn, zones(directory), counts)


async def count_guess(conn: Conn, directory: TeamDirectory, survey_id: str, guess: int) -> None:
    """Just after the guess is set: counts it in the perception gap of its answer's week if
    the requester has answered (store.guesses.scores_for_answers says why then)."""
    answer = await guesses.answer_of(conn, survey_id)
    if answer is not None:
        counts = rollups.gap_counts(answer.team_key, answer.answered_at, guess, answer.score)
        await rollups.add(conn, zones(directory), counts)


async def count_lost_time(
    conn: Conn, directory: TeamDirectory, survey: Survey, after: str | None
) -> None:
    """Before the comment is stored: its answer's lost-time choice moves from the stored one,
    read with the row locked, so two comments at once cannot both move the same choice."""
    if survey.answer is None:
        return
    before = await rows.lock_lost_time(conn, survey.id)
    at = survey.answer.answered_at
    counts = rollups.lost_time_counts(survey.team_key, at, before, after)
    await rollups.add(conn, zones(directory), counts)


async def count_delivery(
    conn: Conn, directory: TeamDirectory, survey_id: str, now: datetime
) -> None:
    """Before mark_sent: a survey delivered again (a retried send) moves to its new week."""
    before = await rows.get_survey(conn, survey_id)
    if before is None:
        return
    answered = before.answer is not None
    counts = rollups.delivery_counts(before.team_key, now, answered)
    if before.delivered_at is not None:
        old = rollups.delivery_counts(before.team_key, before.delivered_at, answered)
        counts += [replace(c, by=-c.by) for c in old]
    await rollups.add(conn, zones(directory), counts)
