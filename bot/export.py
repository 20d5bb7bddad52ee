"""`npsbot export`: every answer with its ticket, team, agent, score, comment and drivers."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from typing import Any, TextIO

from bot.scoring import category
from store import Store
from store import export as rows
from store.export import ExportRow

FORMATS = ("csv", "json")
COLUMNS = (
    "survey_id",
    "source",
    "ticket_id",
    "title",
    "url",
    "team",
    "team_name",
    "agent_name",
    "agent_email",
    "closed_at",
    "answered_at",
    "score",
    "category",
    "comment",
    "drivers",
    "agent_guess",
    "sla_met",
    "lost_time",
)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")


def _record(row: ExportRow) -> dict[str, Any]:
    return {
        "survey_id": row.survey_id,
        "source": row.source,
        "ticket_id": row.ticket_id,
        "title": row.title,
        "url": row.url,
        "team": row.team_key,
        "team_name": row.team_name,
        "agent_name": row.agent_name,
        "agent_email": row.agent_email,
        "closed_at": row.closed_at.isoformat(),
        "answered_at": row.answered_at.isoformat(),
        "score": row.score,
        "category": category(row.score).value,
        "comment": row.comment,
        "drivers": list(row.drivers),
        "agent_guess": row.agent_guess,
        "sla_met": row.sla_met,
        "lost_time": row.lost_time,
    }


def csv_cell(value: Any) -> Any:
    """Numbers stay numbers; text that a spreadsheet would run is prefixed with a quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


async def export(store: Store, since: datetime, team: str | None, fmt: str, out: TextIO) -> int:
    """Writes the answers to `out` as they stream from the database; returns how many."""
    count = 0
    async with store.read() as conn:
        answers = rows.export_rows(conn, since, team)
        if fmt == "csv":
            writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
            writer.writerow(COLUMNS)
            async for row in answers:
                record = _record(row)
                writer.writerow([csv_cell(record[c]) for c in COLUMNS])
                count += 1
            return count
        out.write("[")
        async for row in answers:
            out.write(("," if count else "") + "\n" + json.dumps(_record(row), ensure_ascii=False))
            count += 1
        out.write("\n]\n")
    return count
