"""key=value logging that never prints a configured secret."""

from __future__ import annotations

import logging
from collections.abc import Iterable

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = {k: v for k, v in vars(record).items() if k not in _STANDARD}
        line = f"{self.formatTime(record)} {record.levelname} {record.name} {record.getMessage()}"
        extras = " ".join(
            f"{k}={v!r}" if isinstance(v, str) else f"{k}={v}" for k, v in fields.items()
        )
        text = f"{line} {extras}".rstrip()
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


class RedactSecrets(logging.Filter):
    """Replaces secret values wherever they appear, including in library messages."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        redacted = message
        for secret in self.secrets:
            redacted = redacted.replace(secret, "[redacted]")
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(level: str, secrets: Iterable[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(KeyValueFormatter())
    handler.addFilter(RedactSecrets(secrets))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    quiet_libraries()


def quiet_libraries() -> None:
    # Bolt logs the whole request body at INFO when a signature fails, and slack_sdk logs every
    # payload at DEBUG: comments and tokens would land in the logs (reliability.md §0.4).
    logging.getLogger("slack_bolt").setLevel(logging.WARNING)
    logging.getLogger("slack_sdk").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # The database drivers log SQL parameters at DEBUG: e-mails and comment text.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    logging.getLogger("asyncpg").setLevel(logging.INFO)
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
