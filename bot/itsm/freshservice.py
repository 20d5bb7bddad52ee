"""Freshservice: the Workflow Automator "Trigger Webhook" body (template in docs/itsm-setup.md)."""

from __future__ import annotations

from datetime import datetime

from bot.itsm.close import Close, NotAClose, Parsed
from bot.itsm.fields import MAX_TITLE, email, first_time, flag, load_object, need, text, url
from bot.itsm.fields import timestamp as when
from bot.model import Ticket

SOURCE = "freshservice"
CLOSED = {"resolved", "closed"}
P = "freshservice_webhook."


def parse_freshservice(body: bytes, now: datetime) -> Parsed:
    data = load_object(body)
    t = need(data, "freshservice_webhook", "")
    status = text(t, "ticket_status", P, limit=64, required=True)
    if status.casefold() not in CLOSED:
        return NotAClose(f"status is {status}")
    ticket_id = text(t, "ticket_id", P, limit=128, required=True)
    team = text(t, "ticket_group_name", P) or None
    ticket = Ticket(
        source=SOURCE,
        ticket_id=ticket_id,
        title=text(t, "ticket_subject", P, limit=MAX_TITLE) or ticket_id,
        # Placeholders of unset fields render as "": absent, not invalid.
        requester_email=email(t, "ticket_requester_email", P) or "",
        agent_email=email(t, "ticket_agent_email", P),
        agent_name=text(t, "ticket_agent_name", P) or None,
        team_name=team,
        closed_at=first_time(now, when(t, "ticket_resolved_at", P)),
        url=url(t, "ticket_url", P),
        sla_met=flag(t, "sla_met", P),
    )
    return Close(ticket, teams=(team,) if team else ())
