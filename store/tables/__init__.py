"""Table rows. They never leave store/: queries turn them into bot.model values.

Queries name the models (`select(SurveyRow)`, `col(SurveyRow.status) == …`); run on a
connection, as every store query is, they return rows of columns, never model objects.
Importing this package registers every table on SQLModel.metadata (store/migrations/env.py).
"""

from store.tables.callbacks import CallbackRow
from store.tables.columns import table_of
from store.tables.delivery import OutboxRow, RecipientRow, TeamsConversationRow
from store.tables.intake import OptOutRow, WebhookReceiptRow
from store.tables.privacy import ErasureItemRow, RetentionRunRow
from store.tables.reports import (
    DigestRunRow,
    TallyDayRow,
    TallyOrgDayRow,
    TallySlotRow,
    TallyWeekRow,
    TallyZoneRow,
)
from store.tables.surveys import AgentGuessRow, AnswerRow, SurveyRow

__all__ = [
    "AgentGuessRow",
    "AnswerRow",
    "CallbackRow",
    "DigestRunRow",
    "ErasureItemRow",
    "OptOutRow",
    "OutboxRow",
    "RecipientRow",
    "RetentionRunRow",
    "SurveyRow",
    "TallyDayRow",
    "TallyOrgDayRow",
    "TallySlotRow",
    "TallyWeekRow",
    "TallyZoneRow",
    "TeamsConversationRow",
    "WebhookReceiptRow",
    "table_of",
]
