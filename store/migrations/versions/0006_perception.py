"""perception: the agent's guess, the SLA a ticket event reports, the work time an issue cost

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 06:30:00

agent_guess holds at most one guess per survey (its primary key), who may make it, and where
the question was sent; survey.sla_met and survey.resolution_minutes are what the ticket event
said (NULL: nothing); answer.lost_time is the requester's lost-time choice.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import store.types


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('agent_guess',
    sa.Column('survey_id', sa.String(length=32), nullable=False),
    sa.Column('agent_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('team_key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('asked_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('guessed_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('message_channel', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('message_ts', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.CheckConstraint('score BETWEEN 0 AND 10', name='ck_agent_guess_score'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id')
    )
    with op.batch_alter_table('agent_guess', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_guess_team_key'), ['team_key'], unique=False)
    # Plain ADD COLUMNs (no table rebuild on SQLite), so no foreign-key dance as in 0005.
    op.add_column('survey', sa.Column('sla_met', sa.Boolean(), nullable=True))
    op.add_column('survey', sa.Column('resolution_minutes', sa.Integer(), nullable=True))
    op.add_column(
        'answer', sa.Column('lost_time', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
    )


def _foreign_keys(on: bool) -> None:
    """SQLite only, as in 0005: rebuilding `survey` to drop a column must not cascade-delete
    every answer and callback; the pragma works only between transactions."""
    bind = op.get_bind()
    bind.commit()
    cursor = bind.connection.dbapi_connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    cursor.close()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _foreign_keys(False)
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('lost_time')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_column('resolution_minutes')
        batch_op.drop_column('sla_met')
    with op.batch_alter_table('agent_guess', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_guess_team_key'))
    op.drop_table('agent_guess')
    if sqlite:
        _foreign_keys(True)
