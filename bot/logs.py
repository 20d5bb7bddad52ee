"""key=value logging that never prints a secret, an e-mail address or a library's payload dump."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
REDACTED = "[redacted]"
# Shapes that are secret whatever the configuration says: Slack tokens, Standard Webhooks
# secrets, bearer tokens and JWTs, passwords inside URLs, and e-mail addresses (personal data).
_SHAPES = re.compile(
    r"xox[a-z]-[\w-]+|xapp-[\w-]+|whsec_[\w+/=]+|(?i:bearer)\s+[\w.~+/=-]+"
    r"|eyJ[\w-]+\.[\w-]+\.[\w-]*|(?<=://)[^/\s:@]+:[^/\s@]+(?=@)"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
# These libraries log whole request bodies, SQL parameters or HTTP payloads below WARNING
# (reliability.md §0.4): comment text and e-mails. Their chatter is dropped whatever the level.
_PAYLOAD_LOGGERS = (
    "slack_bolt",
    "slack_sdk",
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "msrest",
    "botbuilder",
    "msal",
    "urllib3",
    "aiohttp.client",
    "alembic.runtime.plugins",
)


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
        if record.stack_info:
            text += "\n" + self.formatStack(record.stack_info)
        return text


class RedactingFormatter(KeyValueFormatter):
    """Redacts the whole formatted line: message, extras and traceback alike."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is replaced whole.
        self.secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return _SHAPES.sub(REDACTED, text)


class DropPayloadLogs(logging.Filter):
    """Lets a payload-logging library through only at WARNING and above."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return not any(
            record.name == name or record.name.startswith(name + ".") for name in _PAYLOAD_LOGGERS
        )


def configure_logging(level: str, secrets: Iterable[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(secrets))
    handler.addFilter(DropPayloadLogs())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    quiet_libraries()


def quiet_libraries() -> None:
    # Bolt logs the whole request body at INFO when a signature fails, and slack_sdk logs every
    # payload at DEBUG: comments and tokens would land in the logs (reliability.md §0.4).
    # DropPayloadLogs enforces this at the handler; the levels here save the formatting work.
    logging.getLogger("slack_bolt").setLevel(logging.WARNING)
    logging.getLogger("slack_sdk").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # The database drivers log SQL parameters at DEBUG: e-mails and comment text.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    logging.getLogger("asyncpg").setLevel(logging.INFO)
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
