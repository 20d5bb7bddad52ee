"""One row of an answers CSV (`npsbot import`) checked into an ImportedAnswer, or the reason not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.directory import TeamDirectory
from bot.lost_time import HOURS, LostTimeError, check_lost_time
from bot.model import MAX_COMMENT_CHARS, Driver, Platform
from bot.storable import storable

REQUIRED = ("ticket_id", "team", "score", "answered_at")
_SOURCE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")
_SCORE = re.compile(r"[0-9]{1,2}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}")
# `npsbot export` prefixes cells a spreadsheet would run with "'": taken off again here.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
_DRIVERS = {d.value: d for d in Driver}


class RowRejected(ValueError):
    """The row cannot be imported; the message is the reason shown with its line number."""


@dataclass(frozen=True, slots=True)
class ImportedAnswer:
    source: str
    ticket_id: str
    title: str
    team_key: str | None
    team_name: str | None
    platform: Platform
    score: int
    answered_at: datetime
    agent_email: str | None
    agent_name: str | None
    requester_email: str
    comment: str | None
    drivers: tuple[Driver, ...]
    sla_met: bool | None = None
    lost_time: str | None = None


def parse_row(row: dict[str, str], directory: TeamDirectory) -> ImportedAnswer:
    ticket_id = _cell(row, "ticket_id", 128, required=True)
    # An export leaves `team` empty for a team nps.toml does not know: its name is in team_name.
    label = _cell(row, "team", 200) or _cell(row, "team_name", 200)
    if not label:
        raise RowRejected("team is required")
    team = directory.match(label)
    key = team.key if team else None
    return ImportedAnswer(
        source=_source(row.get("source")),
        ticket_id=ticket_id,
        title=_cell(row, "title", 1000) or ticket_id,
        team_key=key,
        team_name=_cell(row, "team_name", 200) or (team.name if team else label),
        platform=directory.platform(key),
        score=_score(row.get("score")),
        answered_at=_when(row.get("answered_at")),
        agent_email=_email(row, "agent_email"),
        agent_name=_cell(row, "agent_name", 200) or None,
        requester_email=_email(row, "requester_email") or "",
        comment=_cell(row, "comment", MAX_COMMENT_CHARS) or None,
        drivers=_drivers(row),
        sla_met=_sla_met(row),
        lost_time=_lost_time(row),
    )


def _cell(row: dict[str, str], key: str, limit: int, *, required: bool = False) -> str:
    value = storable(row.get(key) or "").strip()
    if value.startswith("'") and value[1:2] and value[1] in _FORMULA_START:
        value = value[1:]
    if required and not value:
        raise RowRejected(f"{key} is required")
    if len(value) > limit:
        raise RowRejected(f"{key} is longer than {limit} characters")
    return value


def _source(value: str | None) -> str:
    source = (value or "").strip() or "import"
    if not _SOURCE.fullmatch(source):
        raise RowRejected("source must be a short lowercase name such as 'servicenow'")
    return source


def _score(value: str | None) -> int:
    text = (value or "").strip()
    if not _SCORE.fullmatch(text) or int(text) > 10:
        raise RowRejected(f"score must be a whole number from 0 to 10, not {text[:20]!r}")
    return int(text)


def _when(value: str | None) -> datetime:
    text = (value or "").strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise RowRejected(
            "answered_at must be an ISO 8601 time like 2026-01-31T10:00:00Z"
        ) from None
    if parsed.tzinfo is None:
        raise RowRejected("answered_at must include a time zone, e.g. Z or +01:00")
    return parsed.astimezone(UTC)


def _email(row: dict[str, str], key: str) -> str | None:
    value = _cell(row, key, 320)
    if value and not _EMAIL.fullmatch(value):
        raise RowRejected(f"{key} is not an e-mail address")
    return value.lower() or None


def _sla_met(row: dict[str, str]) -> bool | None:
    value = _cell(row, "sla_met", 8).casefold()
    if value in ("", "true", "false"):
        return None if not value else value == "true"
    raise RowRejected("sla_met must be true, false or empty")


def _lost_time(row: dict[str, str]) -> str | None:
    try:
        return check_lost_time(_cell(row, "lost_time", 16))
    except LostTimeError:
        raise RowRejected(f"lost_time must be empty or one of {', '.join(HOURS)}") from None


def _drivers(row: dict[str, str]) -> tuple[Driver, ...]:
    names = [d.strip() for d in (row.get("drivers") or "").split(";") if d.strip()]
    unknown = [n for n in names if n not in _DRIVERS]
    if unknown:
        raise RowRejected(f"unknown driver {unknown[0][:40]!r}; known: {', '.join(_DRIVERS)}")
    return tuple(_DRIVERS[n] for n in dict.fromkeys(names))
