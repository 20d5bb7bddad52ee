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
starts at or before its answer, the answer's own, which its answer already counts in. Start-up
counts the last days' pairs again by their guess's time too (store.rollup_gaps), hence the
index on agent_guess.guessed_at.
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
    [
        *_category("guess"),
        *_category("score"),
        "sum(abs(guess - score))",
        "sum(guess)",
        "sum(score)",
    ]
)


def _fill(table: str, start: str, sqlite: bool) -> None:
    """Each (team, day or week) that holds pairs gets their sums. Each pair's row is looked up
    once, into a typed temporary table searched by it (a column of CREATE TABLE AS has no type
    on SQLite, which could then not search it: a minute at a million answers, a third of them
    guessed), from the guesses, fewer than the answers (CROSS JOIN: SQLite keeps that order)."""
    stamp = "DATETIME" if sqlite else "TIMESTAMP WITH TIME ZONE"
    op.execute(
        f"CREATE TEMPORARY TABLE npsbot_gap_fill (team_key VARCHAR(32), starts {stamp},"
        " guess INTEGER, score INTEGER)"
    )
    op.execute("CREATE INDEX npsbot_gap_fill_key ON npsbot_gap_fill (team_key, starts)")
    holding = (
        f"SELECT max(r.{start}) FROM {table} r"
        f" WHERE r.team_key = a.team_key AND r.{start} <= a.answered_at"
    )
    op.execute(
        f"INSERT INTO npsbot_gap_fill SELECT a.team_key, ({holding}), g.score, a.score"
        " FROM agent_guess g CROSS JOIN answer a WHERE a.survey_id = g.survey_id"
        " AND g.score IS NOT NULL AND a.team_key IS NOT NULL"
    )
    matching = f"f.team_key = {table}.team_key AND f.starts = {table}.{start}"
    op.execute(
        f"UPDATE {table} SET ({', '.join(GAP)}) = (SELECT {SUMS} FROM npsbot_gap_fill f"
        f" WHERE {matching}) WHERE EXISTS (SELECT 1 FROM npsbot_gap_fill f WHERE {matching})"
    )
    op.execute("DROP TABLE npsbot_gap_fill")


def upgrade() -> None:
    for table in ("tally_day", "tally_week"):
        with op.batch_alter_table(table) as batch:
            for name in GAP:
                batch.add_column(sa.Column(name, sa.Integer(), server_default="0", nullable=False))
    sqlite = op.get_bind().dialect.name == "sqlite"
    _fill("tally_day", "day_start", sqlite)
    _fill("tally_week", "week_start", sqlite)
    op.create_index("ix_agent_guess_guessed_at", "agent_guess", ["guessed_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_agent_guess_guessed_at", table_name="agent_guess")
    for table in ("tally_week", "tally_day"):
        with op.batch_alter_table(table) as batch:
            for name in GAP:
                batch.drop_column(name)
