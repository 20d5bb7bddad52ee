"""itsm: a re-closed ticket may get a new survey after resurvey_after_days

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-02 17:40:00

survey.close_seq numbers the surveys of one ticket (0 for the first close); the unique key
becomes (source, ticket_id, close_seq), so each close round still has at most one survey
whatever the number of concurrent deliveries.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _foreign_keys(on: bool) -> None:
    """SQLite only: recreating `survey` drops the old table, and a DROP TABLE with foreign keys
    on deletes every answer and callback through ON DELETE CASCADE. The pragma is ignored
    inside a transaction, so it is set on the raw connection between two commits."""
    bind = op.get_bind()
    bind.commit()
    cursor = bind.connection.dbapi_connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    cursor.close()


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _foreign_keys(False)
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('close_seq', sa.Integer(), server_default='0', nullable=False))
        batch_op.drop_constraint('uq_survey_source_ticket', type_='unique')
        batch_op.create_unique_constraint(
            'uq_survey_source_ticket_seq', ['source', 'ticket_id', 'close_seq']
        )
    if sqlite:
        _foreign_keys(True)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _foreign_keys(False)
    # Later rounds cannot fit the old one-survey-per-ticket key.
    op.execute("DELETE FROM survey WHERE close_seq > 0")
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_constraint('uq_survey_source_ticket_seq', type_='unique')
        batch_op.create_unique_constraint('uq_survey_source_ticket', ['source', 'ticket_id'])
        batch_op.drop_column('close_seq')
    if sqlite:
        _foreign_keys(True)
