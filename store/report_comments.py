"""The comments a report quotes: the newest of each category in a period, for a team or an agent.
In the driver's SQL (store/driver_sql.py), as every `/nps team` runs it: SQLAlchemy's work around
the statement took longer than the database's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from store.driver_sql import Params, fetch, read_datetime

CATEGORIES = ((0, 6), (7, 8), (9, 10))  # detractors, passives, promoters


async def comments(
    conn: AsyncConnection,
    since: datetime,
    until: datetime,
    *,
    team: str | None = None,
    agent: str | None = None,
    shared_only: bool = False,
    per_category: int = 1,
) -> list[tuple[int, str, str, datetime]]:
    """The newest comments of each category (detractor, passive, promoter) in the period, as
    (score, comment, ticket id, answered_at): a spread of views rather than the latest three."""
    p, only = Params(conn.dialect.name), CommentFilter(team, agent, shared_only)
    # One statement for the three categories: a report's time is mostly round trips.
    newest = [_newest(p, n, (since, until), only, per_category) for n in range(len(CATEGORIES))]
    rows = await fetch(conn, " UNION ALL ".join(newest), p)
    found = [(r[0], r[1], r[2], read_datetime(r[3])) for r in rows]
    return sorted(found, key=lambda c: c[3], reverse=True)


@dataclass(frozen=True, slots=True)
class CommentFilter:
    team: str | None = None
    agent: str | None = None
    shared_only: bool = False

    def conditions(self, p: Params) -> list[str]:
        found = [f"a.team_key = {p.one(self.team)}"] if self.team is not None else []
        found += [f"s.agent_email = {p.one(self.agent)}"] if self.agent is not None else []
        return found + (["a.share_ok IS TRUE"] if self.shared_only else [])


def _newest(
    p: Params, n: int, period: tuple[datetime, datetime], only: CommentFilter, per_category: int
) -> str:
    """Category n's newest comments, its values added to p in the order the text needs them
    (`?` on SQLite)."""
    low, high = CATEGORIES[n]
    where = [
        f"a.answered_at >= {p.one(period[0])}",
        f"a.answered_at < {p.one(period[1])}",
        "a.comment IS NOT NULL",
        "a.comment != ''",
        f"a.score BETWEEN {low} AND {high}",
        *only.conditions(p),
    ]
    return (
        "SELECT * FROM (SELECT a.score, a.comment, s.ticket_id, a.answered_at FROM answer AS a "
        f"JOIN survey AS s ON s.id = a.survey_id WHERE {' AND '.join(where)} "
        f"ORDER BY a.answered_at DESC LIMIT {int(per_category)}) AS c{n}"
    )
