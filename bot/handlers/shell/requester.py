"""The ITSM tool and the requester in the shell: close a ticket, answer its survey."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import assert_never

from bot import surveys
from bot.deps import Deps
from bot.handlers.shell import parse as p
from bot.handlers.shell import render
from bot.handlers.shell.messenger import ShellMessenger, Shown, pane
from bot.messages import CommentForm
from bot.model import CommentRecorded, OptedOut, ScoreOutcome
from bot.texts import score_notice
from bot.ticket_event import TicketEventError, parse_ticket_event

SOURCE = "shell"  # the tickets' `source`: a ticket closed in the shell is never the ITSM's


def ticket_event(close: p.Close, closed_at: str) -> bytes:
    """The generic webhook's body for this close, so the shell takes the webhook's path."""
    ticket = {
        "id": close.ticket_id,
        "title": close.title,
        "requester_email": close.requester,
        "agent_email": close.agent,
        "agent_name": close.agent,
        "team": close.team,
        "closed_at": closed_at,
        "url": close.url,
    }
    found = {k: v for k, v in ticket.items() if v is not None}
    return json.dumps({"type": "ticket.closed", "source": SOURCE, "ticket": found}).encode()


@dataclass
class RequesterActions:
    deps: Deps
    messenger: ShellMessenger
    say: Callable[[list[str]], None]  # the shell's own words, outside the panes

    async def run(self, command: p.Close | p.Score | p.Comment | p.OptOut) -> None:
        match command:
            case p.Close():
                await self.close(command)
            case p.Score() | p.Comment() | p.OptOut():
                survey = self._survey(command.ticket)
                if survey is not None:
                    await self.answer(command, survey)
            case _:
                assert_never(command)

    async def close(self, command: p.Close) -> None:
        team = self.deps.directory.match(command.team)
        if team is not None:  # the ITSM tool sends the team's name; people type its key
            command = replace(command, team=team.name)
        body = ticket_event(command, self.deps.clock.now().isoformat())
        try:
            ticket = parse_ticket_event(body)
        except TicketEventError as exc:
            self.say([f"The ticket was refused, as the webhook would refuse it: {exc}"])
            return
        delivery = f"shell-{secrets.token_hex(8)}"
        accepted = await surveys.accept_ticket(
            self.deps, ticket, delivery, hashlib.sha256(body).hexdigest()
        )
        if not accepted.new:
            self.say([f"{ticket.ticket_id} was already received: it gets no second survey."])

    def _survey(self, ticket: str | None) -> Shown | None:
        screen = self.messenger.screen
        key = ticket or screen.last_survey
        found = screen.surveys.get(key) if key else None
        if found is None:
            what = f"for {ticket}" if ticket else "yet"
            self.say([f"No survey {what} in this session: `close` a ticket first."])
        return found

    async def answer(self, command: p.Score | p.Comment | p.OptOut, survey: Shown) -> None:
        """As the survey's requester: the shell shows their DM, so it acts as them."""
        match command:
            case p.Score():
                outcome = await surveys.record_score(
                    self.deps, survey.ref_id, command.score, survey.where
                )
                self._tell(survey, outcome)
            case p.Comment():
                await self.comment(command, survey)
            case p.OptOut():
                opted = await surveys.opt_out(self.deps, survey.ref_id, survey.where)
                if not isinstance(opted, OptedOut):
                    self._tell(survey, opted)
            case _:
                assert_never(command)

    async def comment(self, command: p.Comment, survey: Shown) -> None:
        form = await surveys.comment_form(self.deps, survey.ref_id, survey.where)
        if form is None:  # no answer yet: in a chat the comment button comes with the thanks
            self.say(["Score it first (`score 0-10`), then add a comment."])
            return
        if not isinstance(form, CommentForm):
            self._tell(survey, form)
            return
        if command.text is None and not command.drivers:
            self.messenger.show(pane(f"@{survey.where}"), render.comment_form(form))
            return
        if unknown := [d for d in command.drivers if d not in form.offered]:
            listed = render.comment_form(form)[2]  # the drivers this form offers
            self.say([f"Not offered: {', '.join(unknown)}; nothing was saved.", listed])
            return
        await self._record(command, survey)

    async def _record(self, command: p.Comment, survey: Shown) -> None:
        drivers = list(command.drivers)
        try:
            done = await surveys.record_comment(
                self.deps, survey.ref_id, command.text, drivers, command.share, actor=survey.where
            )
        except surveys.CommentTooLong as exc:
            self.say([f"Your comment was not saved: {exc}."])
            return
        if not isinstance(done, CommentRecorded):
            self._tell(survey, done)

    def _tell(self, survey: Shown, outcome: ScoreOutcome) -> None:
        text = score_notice(outcome)
        if text is not None:  # None: recorded, and the survey, redrawn by the worker, thanks them
            self.messenger.show(pane(f"@{survey.where}"), [text])
