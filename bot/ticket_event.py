"""Parses the generic ticket-closed event into a Ticket, or says precisely what is wrong."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from bot.model import Ticket
from bot.storable import UNSTORABLE

MAX_TITLE = 1000
MAX_URL = 2000
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}")
_SOURCE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")


class TicketEventError(ValueError):
    """The body is not a valid ticket-closed event; the message is safe to return to the sender."""


def parse_ticket_event(body: bytes) -> Ticket:
    data = _json_object(body)
    if data.get("type") != "ticket.closed":
        raise TicketEventError("type must be 'ticket.closed'")
    ticket = data.get("ticket")
    if not isinstance(ticket, dict):
        raise TicketEventError("ticket must be an object")
    return Ticket(
        source=_source(data.get("source", "generic")),
        ticket_id=_text(ticket, "id", limit=128),
        title=_text(ticket, "title", limit=MAX_TITLE),
        requester_email=_email(ticket, "requester_email", required=True) or "",
        agent_email=_email(ticket, "agent_email", required=False),
        agent_name=_text(ticket, "agent_name", limit=200, required=False) or None,
        team_name=_text(ticket, "team", limit=200, required=False) or None,
        closed_at=_timestamp(ticket, "closed_at"),
        url=_url(ticket, "url"),
        sla_met=_sla_met(ticket),
        resolution_minutes=_minutes(ticket, "resolution_minutes"),
    )


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise TicketEventError("body is not valid UTF-8 JSON") from None
    except (RecursionError, ValueError):  # "[[[[…" thousands deep; a 5,000-digit number
        raise TicketEventError("body is not valid JSON: nested too deeply or too large") from None
    if not isinstance(data, dict):
        raise TicketEventError("body must be a JSON object")
    return data


def _sla_met(obj: dict[str, Any]) -> bool | None:
    value = obj.get("sla_met")
    if value is not None and not isinstance(value, bool):
        raise TicketEventError("ticket.sla_met must be true or false")
    return value


def _minutes(obj: dict[str, Any], key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**8:
        raise TicketEventError(f"ticket.{key} must be a whole number of minutes, 0 or more")
    return value


def _text(obj: dict[str, Any], key: str, *, limit: int, required: bool = True) -> str:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise TicketEventError(f"ticket.{key} must be a string")
    text = (value or "").strip()
    if UNSTORABLE.search(text):
        raise TicketEventError(f"ticket.{key} contains a NUL character or a lone surrogate")
    if not text and required:
        raise TicketEventError(f"ticket.{key} is required")
    if len(text) > limit:
        raise TicketEventError(f"ticket.{key} is longer than {limit} characters")
    return text


def _email(obj: dict[str, Any], key: str, *, required: bool) -> str | None:
    value = _text(obj, key, limit=320, required=required)
    if not value:
        return None
    if not _EMAIL.fullmatch(value):
        raise TicketEventError(f"ticket.{key} is not an e-mail address")
    # E-mail is the join key with the chat platform's directory, which matches case-insensitively.
    return value.lower()


def _timestamp(obj: dict[str, Any], key: str) -> datetime:
    value = _text(obj, key, limit=64)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise TicketEventError(f"ticket.{key} must be an ISO 8601 timestamp") from None
    if parsed.tzinfo is None:
        raise TicketEventError(f"ticket.{key} must include a time zone, e.g. Z")
    return parsed.astimezone(UTC)


def _url(obj: dict[str, Any], key: str) -> str | None:
    value = _text(obj, key, limit=MAX_URL, required=False)
    if not value:
        return None
    if not value.startswith(("https://", "http://")):
        raise TicketEventError(f"ticket.{key} must be an http(s) URL")
    return value


def _source(value: object) -> str:
    if not isinstance(value, str) or not _SOURCE.fullmatch(value):
        raise TicketEventError("source must be a short lowercase name such as 'servicenow'")
    return value
