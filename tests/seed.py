"""Puts surveys and answers straight into a real database, for report tests that need weeks of
history (clicking through the fake Slack for each would test nothing more and take minutes)."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import datetime

from store import Store, rollup_rebuild
from store.tables import AnswerRow, SurveyRow

_ids = itertools.count(1)


@dataclass(frozen=True)
class Seeded:
    team: str | None
    answered_at: datetime | None  # None: delivered, never answered
    score: int = 8
    delivered_at: datetime | None = None  # default: an hour before the answer
    comment: str | None = None
    share_ok: bool = False
    agent_email: str | None = "carol@example.com"
    status: str = "sent"
    drivers: tuple[str, ...] = ()


async def seed(store: Store, *rows: Seeded) -> list[str]:
    survey_rows, answer_rows, ids = [], [], []
    for row in rows:
        survey_id = f"{next(_ids):032x}"
        ids.append(survey_id)
        delivered = row.delivered_at or row.answered_at
        assert delivered is not None
        survey_rows.append(
            {
                "id": survey_id,
                "source": "generic",
                "ticket_id": f"INC{survey_id[-6:]}",
                "title": f"Ticket {survey_id[-4:]}",
                "url": None,
                "requester_email": f"req{survey_id[-4:]}@example.com",
                "agent_email": row.agent_email,
                "agent_name": "Carol",
                "team_key": row.team,
                "team_name": row.team,
                "platform": "slack",
                "status": row.status,
                "closed_at": delivered,
                "created_at": delivered,
                "delivered_at": delivered if row.status != "failed" else None,
                "failure_reason": "users_not_found" if row.status == "failed" else None,
            }
        )
        if row.answered_at is not None:
            answer_rows.append(
                {
                    "survey_id": survey_id,
                    "score": row.score,
                    "answered_at": row.answered_at,
                    "comment": row.comment,
                    "share_ok": row.share_ok,
                    "team_key": row.team,
                    "drivers": json.dumps(list(row.drivers)) if row.drivers else None,
                }
            )
    async with store.write() as conn:
        await conn.execute(SurveyRow.__table__.insert(), survey_rows)  # type: ignore[attr-defined]
        if answer_rows:
            await conn.execute(AnswerRow.__table__.insert(), answer_rows)  # type: ignore[attr-defined]
        # Written around the bot, so its report roll-ups are counted again from the rows.
        await rollup_rebuild.refresh(conn)
    return ids
