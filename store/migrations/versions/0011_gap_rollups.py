"""gap roll-ups: a team's days and weeks also keep the perception gap of their answers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 08:00:00

`/nps team` joined every answer of the period to the agents' guesses for the perception gap:
the one read of the report that grew with the answers (0.10 ms at 1M answers, 0.87 ms at 10M
on SQLite, bench.profile_reports). The days and weeks now count the tickets with both a guess
and an answer, in the answer's day and week, as they count the SLA and the lost time.

The new columns are filled here from the guesses and answers already stored, so no team's days
need rebuilding at start-up: each pair goes to the latest day (and week) of its team that
starts at or before its answer, the answer's own, which its answer already counts in.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GAP = (
    "guess_promoters",
    "guess_passives",
    "guess_detractors",
    "paired_promoters",
    "paired_passives",
    "paired_detractors",
    "gap_abs_sum",
    "guess_sum",
    "paired_score_sum",
)


def _category(score: str) -> list[str]:
    return [
        f"sum(CASE WHEN {score} >= 9 THEN 1 ELSE 0 END)",
        f"sum(CASE WHEN {score} BETWEEN 7 AND 8 THEN 1 ELSE 0 END)",
        f"sum(CASE WHEN {score} <= 6 THEN 1 ELSE 0 END)",
    ]


SUMS = ", ".join(
    f"{sql} AS c{i}"
    for i, sql in enumerate(
        [
            *_category("g.score"),
            *_category("a.score"),
            "sum(abs(g.score - a.score))",
            "sum(g.score)",
            "sum(a.score)",
        ]
    )
)


def _fill(table: str, start: str) -> None:
    """Each (team, day or week) that holds pairs gets their sums, from a temporary table."""
    holding = (
        f"SELECT max(r.{start}) FROM {table} r"
        f" WHERE r.team_key = a.team_key AND r.{start} <= a.answered_at"
    )
    op.execute(
        f"CREATE TEMPORARY TABLE npsbot_gap_fill AS SELECT a.team_key AS team_key,"
        f" ({holding}) AS starts, {SUMS} FROM answer a JOIN agent_guess g ON g.survey_id = a.survey_id"
        " WHERE g.score IS NOT NULL AND a.team_key IS NOT NULL GROUP BY 1, 2"
    )
    names = ", ".join(GAP)
    found = ", ".join(f"f.c{i}" for i in range(len(GAP)))
    matching = f"f.team_key = {table}.team_key AND f.starts = {table}.{start}"
    op.execute(
        f"UPDATE {table} SET ({names}) = (SELECT {found} FROM npsbot_gap_fill f WHERE {matching})"
        f" WHERE EXISTS (SELECT 1 FROM npsbot_gap_fill f WHERE {matching})"
    )
    op.execute("DROP TABLE npsbot_gap_fill")


def upgrade() -> None:
    for table in ("tally_day", "tally_week"):
        with op.batch_alter_table(table) as batch:
            for name in GAP:
                batch.add_column(sa.Column(name, sa.Integer(), server_default="0", nullable=False))
    _fill("tally_day", "day_start")
    _fill("tally_week", "week_start")


def downgrade() -> None:
    for table in ("tally_week", "tally_day"):
        with op.batch_alter_table(table) as batch:
            for name in GAP:
                batch.drop_column(name)
