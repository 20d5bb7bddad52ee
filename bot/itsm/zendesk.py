"""Zendesk: the trigger's "Notify active webhook" JSON body (the template in docs/itsm-setup.md)."""

from __future__ import annotations

from datetime import datetime

from bot.itsm.close import Close, NotAClose, Parsed
from bot.itsm.fields import (
    MAX_TITLE,
    email,
    first_time,
    flag,
    load_object,
    need,
    obj,
    text,
    url,
)
from bot.itsm.fields import timestamp as when
from bot.model import Ticket

SOURCE = "zendesk"
CLOSED = {"solved", "closed"}


def parse_zendesk(body: bytes, now: datetime) -> Parsed:
    data = load_object(body)
    t = need(data, "ticket", "")
    status = text(t, "status", "ticket.", limit=64, required=True)
    if status.casefold() not in CLOSED:
        return NotAClose(f"status is {status}")
    ticket_id = text(t, "id", "ticket.", limit=128, required=True)
    requester = obj(t, "requester", "ticket.", required=False) or {}
    assignee = obj(t, "assignee", "ticket.", required=False) or {}
    team = text(t, "group", "ticket.") or None
    ticket = Ticket(
        source=SOURCE,
        ticket_id=ticket_id,
        title=text(t, "title", "ticket.", limit=MAX_TITLE) or ticket_id,
        requester_email=email(requester, "email", "ticket.requester.") or "",
        agent_email=email(assignee, "email", "ticket.assignee."),
        agent_name=text(assignee, "name", "ticket.assignee.") or None,
        team_name=team,
        closed_at=first_time(now, when(t, "solved_at", "ticket.")),
        url=url(t, "link", "ticket."),
        sla_met=flag(t, "sla_met", "ticket."),
    )
    return Close(ticket, teams=(team,) if team else ())
