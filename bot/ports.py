"""The edges the use cases cannot run for real in every test: the chat platform and the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from bot.messages import Notice, OutboundMessage


@dataclass(frozen=True, slots=True)
class Recipient:
    """A person on a platform, and the conversation where the bot can write to them."""

    user_id: str
    address: str


@dataclass(frozen=True, slots=True)
class MessageRef:
    """Where a message the bot sent lives, so it can be updated later."""

    channel: str
    ts: str


class DeliveryError(Exception):
    """A platform call failed. `permanent` errors are not retried; `retry_after` is a floor.
    `method` names the platform method refused when the messenger paces each method itself
    (bot.pacing): then only that method waits, not every call to the platform."""

    def __init__(
        self,
        reason: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        method: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after
        self.method = method


class Deferred(DeliveryError):
    """Nothing was sent: the messenger holds this method for `retry_after` seconds, longer
    than a job should wait for it, so the job goes back to the queue until then."""


def retry_after_seconds(value: str | float | None) -> float:
    """A platform's Retry-After header as a floor in seconds: at least 1, and 30 when missing or
    unreadable (an HTTP date, say), so a 429 always pauses its lane."""
    try:
        return max(1.0, float(value)) if value is not None else 30.0
    except ValueError:
        return 30.0


class Messenger(Protocol):
    platform: str

    async def find_recipient(self, email: str) -> Recipient: ...

    async def send_dm(self, recipient: Recipient, message: OutboundMessage) -> MessageRef: ...

    async def post(self, channel: str, message: OutboundMessage) -> MessageRef: ...

    async def update(self, ref: MessageRef, message: OutboundMessage) -> None: ...

    async def delete(self, ref: MessageRef) -> None:
        """Removes a message the bot sent (`npsbot forget`); DeliveryError as the others."""
        ...

    async def notify(self, user_id: str, channel: str, notice: Notice) -> None: ...

    async def display_name(self, user_id: str) -> str | None:
        """How people see this person's name (the agent's guess names the requester)."""
        ...

    async def email_of(self, user_id: str) -> str | None:
        """The e-mail of a person on this platform (for `/nps me`); None if it is not known."""
        ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
