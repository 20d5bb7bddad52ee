"""Jira Cloud / JSM: the admin webhook `jira:issue_updated`, or an automation's issue JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from bot.itsm.close import Close, ItsmError, NotAClose, Parsed
from bot.itsm.fields import (
    MAX_TITLE,
    Obj,
    email,
    first_time,
    flag,
    load_object,
    need,
    obj,
    text,
)
from bot.itsm.fields import timestamp as when
from bot.model import Ticket

SOURCE = "jira"
UPDATED = "jira:issue_updated"


def parse_jira(body: bytes, now: datetime) -> Parsed:
    data = load_object(body)
    event = text(data, "webhookEvent", "", limit=100)
    # An automation "Send web request" has no webhookEvent: its rule fires on the transition.
    if event and event != UPDATED:
        return NotAClose(f"event is {event}")
    issue = need(data, "issue", "") if "issue" in data or event else data
    path = "issue." if issue is not data else ""
    fields = need(issue, "fields", path)
    status = need(fields, "status", f"{path}fields.")
    name = text(status, "name", f"{path}fields.status.", limit=200) or "unknown"
    if event and not _status_changed(data):
        return NotAClose(f"status did not change (status is {name})")
    category = obj(status, "statusCategory", f"{path}fields.status.", required=False) or {}
    if text(category, "key", f"{path}fields.status.statusCategory.") != "done":
        return NotAClose(f"status is {name}")
    return _close(data, issue, fields, path, now)


def _status_changed(data: Obj) -> bool:
    changelog = obj(data, "changelog", "", required=False) or {}
    items = changelog.get("items") or []
    if not isinstance(items, list):
        raise ItsmError("changelog.items must be a list")
    return any(isinstance(i, dict) and i.get("field") == "status" for i in items)


def _close(data: Obj, issue: Obj, fields: Obj, path: str, now: datetime) -> Close:
    f = f"{path}fields."
    key = text(issue, "key", path, limit=128, required=True)
    reporter = obj(fields, "reporter", f, required=False) or {}
    assignee = obj(fields, "assignee", f, required=False) or {}
    project = obj(fields, "project", f, required=False) or {}
    ticket = Ticket(
        source=SOURCE,
        ticket_id=key,
        title=text(fields, "summary", f, limit=MAX_TITLE) or key,
        requester_email=email(reporter, "emailAddress", f"{f}reporter.") or "",
        agent_email=email(assignee, "emailAddress", f"{f}assignee."),
        agent_name=text(assignee, "displayName", f"{f}assignee.") or None,
        team_name=text(project, "name", f"{f}project.") or None,
        closed_at=first_time(now, when(fields, "resolutiondate", f), _sent_at(data)),
        url=_browse_url(issue, key, path),
        sla_met=_sla_met(fields, f),
    )
    return Close(
        ticket,
        requester_ref=text(reporter, "accountId", f"{f}reporter.") or None,
        agent_ref=text(assignee, "accountId", f"{f}assignee.") or None,
        teams=tuple(t for t in (text(project, "key", f"{f}project."), ticket.team_name) if t),
    )


RESOLUTION_SLA = "time to resolution"


def _sla_met(fields: Obj, path: str) -> bool | None:
    """JSM's "Time to resolution" SLA field (a customfield_… whose value names itself), not
    breached in its last cycle; or `sla_met` that an automation's custom data sets."""
    for value in fields.values():
        if isinstance(value, dict) and str(value.get("name", "")).casefold() == RESOLUTION_SLA:
            cycles = value.get("completedCycles") or []
            last = cycles[-1] if isinstance(cycles, list) and cycles else value.get("ongoingCycle")
            if isinstance(last, dict) and isinstance(last.get("breached"), bool):
                return not last["breached"]
    return flag(fields, "sla_met", path)


def _sent_at(data: Obj) -> datetime | None:
    ms = data.get("timestamp")
    if isinstance(ms, int) and not isinstance(ms, bool) and 0 < ms < 10**14:
        return datetime.fromtimestamp(ms / 1000, tz=UTC)
    return None


def _browse_url(issue: Obj, key: str, path: str) -> str | None:
    """https://site/browse/KEY, from the REST `self` link the webhook carries."""
    parts = urlsplit(text(issue, "self", path, limit=2000))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}/browse/{key}"
