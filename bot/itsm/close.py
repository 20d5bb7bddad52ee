"""What a tool's body says: a close to survey, or an update that is not one; and its resolution."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.directory import TeamDirectory
from bot.model import Ticket


class ItsmError(ValueError):
    """The body is not what the tool sends; the message names the field and is safe to return."""


@dataclass(frozen=True, slots=True)
class Close:
    """A ticket that closed. `ticket.requester_email` is "" when the body has none."""

    ticket: Ticket
    requester_ref: str | None = None  # a Jira accountId or GitHub login, for [people]
    agent_ref: str | None = None
    teams: tuple[str, ...] = ()  # names to match against nps.toml, in order of preference


@dataclass(frozen=True, slots=True)
class NotAClose:
    reason: str  # e.g. "status is In Progress": answered 200 ignored, nothing stored


Parsed = Close | NotAClose


def resolve_close(directory: TeamDirectory, close: Close) -> Ticket:
    """Fills the e-mails from `[people]` and picks the first team name nps.toml knows."""
    t = close.ticket
    requester = t.requester_email or directory.email_of(close.requester_ref) or ""
    agent = t.agent_email or directory.email_of(close.agent_ref)
    team = next((name for name in close.teams if directory.match(name)), t.team_name)
    return replace(t, requester_email=requester, agent_email=agent, team_name=team)
