"""GitHub: the `issues` event with action `closed`; only `state_reason: completed` is a close."""

from __future__ import annotations

from datetime import datetime

from bot.itsm.close import Close, ItsmError, NotAClose, Parsed
from bot.itsm.fields import MAX_TITLE, Obj, first_time, load_object, need, obj, text, url
from bot.itsm.fields import timestamp as when
from bot.model import Ticket

SOURCE = "github"
TEAM_LABEL = "team:"


def parse_github(body: bytes, now: datetime, event: str | None = None) -> Parsed:
    if event is not None and event != "issues":
        return NotAClose(f"event is {event[:40]}")  # e.g. the "ping" sent on creation
    data = load_object(body)
    action = text(data, "action", "", limit=64, required=True)
    if action != "closed":
        return NotAClose(f"action is {action}")
    issue = need(data, "issue", "")
    reason = text(issue, "state_reason", "issue.", limit=64)
    if reason != "completed":
        return NotAClose(f"state_reason is {reason or 'null'}")
    return _close(data, issue, now)


def _close(data: Obj, issue: Obj, now: datetime) -> Close:
    repo = need(data, "repository", "")
    number = issue.get("number")
    if isinstance(number, bool) or not isinstance(number, int) or number <= 0:
        raise ItsmError("issue.number must be a positive whole number")
    ticket_id = f"{text(repo, 'full_name', 'repository.', limit=100, required=True)}#{number}"
    agent = _login(issue, "assignee") or _login(data, "sender")
    ticket = Ticket(
        source=SOURCE,
        ticket_id=ticket_id,
        title=text(issue, "title", "issue.", limit=MAX_TITLE) or ticket_id,
        requester_email="",
        agent_email=None,
        agent_name=agent,
        team_name=text(repo, "name", "repository.", limit=100) or None,
        closed_at=first_time(now, when(issue, "closed_at", "issue.")),
        url=url(issue, "html_url", "issue."),
    )
    teams = (*_team_labels(issue), *((ticket.team_name,) if ticket.team_name else ()))
    return Close(ticket, requester_ref=_login(issue, "user"), agent_ref=agent, teams=teams)


def _login(parent: Obj, key: str) -> str | None:
    user = obj(parent, key, "", required=False) or {}
    return text(user, "login", f"{key}.", limit=100) or None


def _team_labels(issue: Obj) -> list[str]:
    labels = issue.get("labels") or []
    if not isinstance(labels, list):
        raise ItsmError("issue.labels must be a list")
    names = [text(x, "name", "issue.labels[].") for x in labels[:100] if isinstance(x, dict)]
    return [n[len(TEAM_LABEL) :].strip() for n in names if n.startswith(TEAM_LABEL)]
