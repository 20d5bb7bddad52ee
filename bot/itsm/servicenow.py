"""ServiceNow: the incident JSON a Business Rule sends (the template in docs/itsm-setup.md)."""

from __future__ import annotations

from datetime import datetime

from bot.itsm.close import Close, ItsmError, NotAClose, Parsed
from bot.itsm.fields import MAX_TITLE, Obj, email, first_time, flag, load_object, text, url
from bot.itsm.fields import timestamp as when
from bot.model import Ticket

SOURCE = "servicenow"
CLOSED_STATES = {"6", "7"}  # Resolved, Closed
STATE_NAMES = {
    "1": "New",
    "2": "In Progress",
    "3": "On Hold",
    "6": "Resolved",
    "7": "Closed",
    "8": "Canceled",
}


def parse_servicenow(body: bytes, now: datetime) -> Parsed:
    data = load_object(body)
    state = text(data, "state", "", limit=16, required=True)
    if state not in CLOSED_STATES:
        label = text(data, "state_label", "", limit=100) or STATE_NAMES.get(state, state)
        return NotAClose(f"state is {label}")
    sys_id = text(data, "sys_id", "", limit=64, required=True)
    # People read the number (INC0012345); the sys_id stays behind it as the fallback.
    number = text(data, "number", "", limit=128) or sys_id
    closed = _closed_at(data, now)
    team = _display(data, "assignment_group")
    ticket = Ticket(
        source=SOURCE,
        ticket_id=number,
        title=text(data, "short_description", "", limit=MAX_TITLE) or number,
        requester_email=email(data, "caller_email", "") or "",
        agent_email=email(data, "assigned_to_email", ""),
        agent_name=_display(data, "assigned_to"),
        team_name=team,
        closed_at=closed,
        url=url(data, "url", ""),
        sla_met=flag(data, "made_sla", ""),
    )
    return Close(ticket, teams=(team,) if team else ())


def _closed_at(data: Obj, now: datetime) -> datetime:
    """When it was resolved, else closed, else `now`; ServiceNow's times without a zone are UTC."""
    return first_time(
        now,
        when(data, "resolved_at", "", naive_utc=True),
        when(data, "closed_at", "", naive_utc=True),
    )


def _display(data: Obj, key: str) -> str | None:
    """A reference as {"value", "display_value"} or as its display string."""
    value = data.get(key)
    if isinstance(value, dict):
        return text(value, "display_value", f"{key}.") or None
    if value is None or isinstance(value, str):
        return text(data, key, "") or None
    raise ItsmError(f"{key} must be an object with display_value, or a string")
