"""The perception gap of `/nps team` reads the team's answers from their index alone: before
migration 0009, each answer of the period cost a table lookup for its survey id, 2 to 5 ms a
report at a million answers even for a team without a single guess."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from store import Store, perception
from tests.store.plans import query_plans

WEEKS = [datetime(2026, 10, 5, tzinfo=UTC) + timedelta(weeks=i) for i in range(9)]


async def test_the_perception_gap_reads_the_answers_from_their_index_alone(store: Store) -> None:
    if store.dialect != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    plans = await query_plans(store, lambda conn: perception.raw_gap_tallies(conn, WEEKS, ["eus"]))
    assert plans
    assert all("COVERING INDEX ix_answer_team_week" in plan for plan in plans), plans
