"""The Messenger port on a terminal: what the bot sends is printed, in the pane it was sent to."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import assert_never

from bot.guess_messages import GuessPrompt, GuessThanks
from bot.handlers.shell import render
from bot.messages import (
    CallbackReminder,
    DetractorAlert,
    MessageRemoved,
    Notice,
    OutboundMessage,
    OwnerReminder,
    Praise,
    ScoreThanks,
    SurveyClosed,
    SurveyOptedOut,
    SurveyPrompt,
)
from bot.model import Platform
from bot.ports import MessageRef, Recipient
from bot.report_messages import WeeklyDigest

Write = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Shown:
    """A survey or alert on screen: what its buttons would carry, and where it is."""

    ref_id: str  # survey id or callback id
    where: str  # the requester's user id (a survey) or the channel (an alert)


@dataclass
class Screen:
    """What the terminal has shown so far, so `score` or `claim INC1` can find its message."""

    surveys: dict[str, Shown] = field(default_factory=dict)
    alerts: dict[str, Shown] = field(default_factory=dict)
    last_survey: str | None = None
    last_alert: str | None = None

    def tickets(self) -> set[str]:
        return set(self.surveys) | set(self.alerts)

    def saw(self, channel: str, message: OutboundMessage) -> None:
        match message:
            case SurveyPrompt() | ScoreThanks():
                self.surveys[message.ticket_id] = Shown(message.survey_id, person(channel))
                self.last_survey = message.ticket_id
            case DetractorAlert() | CallbackReminder():
                self.alerts[message.ticket_id] = Shown(message.callback_id, channel)
                self.last_alert = message.ticket_id
            case OwnerReminder():
                known = self.alerts.get(message.ticket_id)
                if known is None:  # the alert is from an earlier session: claim from its pane
                    self.alerts[message.ticket_id] = Shown(message.callback_id, channel)
            case SurveyClosed() | SurveyOptedOut() | MessageRemoved() | Praise() | WeeklyDigest():
                pass  # nothing on it to click
            case GuessPrompt() | GuessThanks():
                pass  # answered in Slack or Teams: the shell has no guess command
            case _:
                assert_never(message)


def person(channel: str) -> str:
    """A DM's channel is "@" and the person's user id (their e-mail, in the shell)."""
    return channel.removeprefix("@")


def pane(channel: str, only: str | None = None) -> str:
    if not channel.startswith("#"):
        return f"[DM {person(channel)}]"  # a DM is private already
    return f"[{channel} · only {only}]" if only else f"[{channel}]"


class ShellMessenger:
    """People are known by their e-mail; a DM is a conversation with "@" and that e-mail."""

    platform = Platform.SHELL.value

    def __init__(self, write: Write) -> None:
        self.write = write
        self.screen = Screen()
        self._ts = itertools.count(1)

    def show(self, where: str, lines: list[str]) -> None:
        self.write("")
        for line in lines:
            self.write(" ".join(part for part in (where, line) if part))

    async def find_recipient(self, email: str) -> Recipient:
        return Recipient(email.casefold(), f"@{email.casefold()}")

    async def send_dm(self, recipient: Recipient, message: OutboundMessage) -> MessageRef:
        return await self.post(recipient.address, message)

    async def post(self, channel: str, message: OutboundMessage) -> MessageRef:
        channel = channel if channel.startswith("#") else f"@{person(channel)}"
        self.screen.saw(channel, message)
        self.show(pane(channel), render.message(message))
        return MessageRef(channel, str(next(self._ts)))

    async def update(self, ref: MessageRef, message: OutboundMessage) -> None:
        self.screen.saw(ref.channel, message)
        self.show(pane(ref.channel) + " (edited)", render.message(message))

    async def delete(self, ref: MessageRef) -> None:
        self.show(pane(ref.channel), ["(a message was deleted)"])

    async def notify(self, user_id: str, channel: str, notice: Notice) -> None:
        self.show(pane(channel, user_id), notice.text.splitlines())

    async def display_name(self, user_id: str) -> str | None:
        return person(user_id)  # the shell knows people by their e-mail only

    async def email_of(self, user_id: str) -> str | None:
        return user_id if "@" in user_id else None
