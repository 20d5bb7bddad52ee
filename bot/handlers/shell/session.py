"""One line typed in the shell → one use case, then the outbox delivered to the terminal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from bot import callbacks, commands, queries
from bot.callbacks_model import (
    Claimed,
    Closed,
    NotLeadChannel,
    NotOwner,
    OwnedByOther,
    Released,
    UnknownCallback,
)
from bot.delivery import DeliveryWorker
from bot.deps import Deps
from bot.escalation import escalate_overdue
from bot.handlers.shell import parse as p
from bot.handlers.shell import render, render_reports
from bot.handlers.shell.charts import save_chart
from bot.handlers.shell.directory import lead_channel
from bot.handlers.shell.help import SHELL_HELP
from bot.handlers.shell.messenger import ShellMessenger, Shown, pane
from bot.handlers.shell.requester import RequesterActions
from bot.texts import refusal

ME = "lead@example.com"  # who you are until `as EMAIL`: a lead of every team


@dataclass
class Session:
    deps: Deps
    worker: DeliveryWorker
    messenger: ShellMessenger
    me: str = ME
    channel: str = "#leads"  # where `/nps` is typed: a lead channel, or "@you" for a DM

    @property
    def requester(self) -> RequesterActions:
        return RequesterActions(self.deps, self.messenger, self.note)

    def say(self, lines: list[str]) -> None:
        """A reply only the person typing sees (Slack's ephemeral message)."""
        self.messenger.show(pane(self.channel, self.me), lines)

    def note(self, lines: list[str]) -> None:
        """The shell's own words (help, a typo, where you are), outside every pane."""
        self.messenger.show("", lines)

    async def handle(self, line: str) -> bool:
        """False once the user asked to leave."""
        keep = await self.run(p.parse(line, self.messenger.screen.tickets()))
        await self.deliver()
        return keep

    async def deliver(self) -> None:
        """What the use case queued reaches the terminal before the next prompt, as the
        delivery worker sends it to Slack or Teams."""
        await escalate_overdue(self.deps)
        while await self.worker.run_once():
            pass

    async def run(self, command: p.Command) -> bool:
        match command:
            case p.Close() | p.Score() | p.Comment() | p.OptOut():
                await self.requester.run(command)
            case p.Claim() | p.Done() | p.Release():
                await self.lead(command)
            case p.Nps():
                await self.nps(command.text)
            case p.As() | p.In() | p.WhoAmI():
                self.who(command)
            case p.ShellHelp():
                self.note(SHELL_HELP.splitlines())
            case p.Mistake():
                self.note([f"{command.reason} (type `help` for the commands)"])
            case p.Nothing():
                pass
            case p.Quit():
                return False
            case _:
                assert_never(command)
        return True

    async def nps(self, text: str) -> None:
        query = commands.parse(text)
        reply = await queries.answer(self.deps, query, self.channel, self.me, platform="shell")
        lines = render_reports.reply(reply)
        chart = getattr(reply, "chart", None)
        if chart is not None:
            lines.append(f"📈 chart saved: {save_chart(chart)}")
        self.say(lines)

    def who(self, command: p.As | p.In | p.WhoAmI) -> None:
        match command:
            case p.As():
                self.me = command.email
            case p.In():
                if not self._move(command.team):
                    return
            case p.WhoAmI():
                pass
            case _:
                assert_never(command)
        where = self.channel if self.channel.startswith("#") else "a DM with npsbot"
        self.note([f"You are {self.me}, typing in {where}."])

    def _move(self, where: str) -> bool:
        """To a team's lead channel, or to your DM with the bot; False if there is no such team."""
        team = self.deps.directory.match(where)
        if where.lower() == "dm":
            self.channel = f"@{self.me}"
        elif team is not None:
            self.channel = lead_channel(team.key)
        else:
            keys = ", ".join(t.key for t in self.deps.directory.teams)
            self.note([f"`in` takes a team ({keys}) or `dm`; nothing changed"])
        return where.lower() == "dm" or team is not None

    async def lead(self, command: p.Claim | p.Done | p.Release) -> None:
        alert = self._alert(command.ticket)
        if alert is None:
            return
        match command:
            case p.Claim():
                outcome = await callbacks.claim_callback(
                    self.deps, alert.ref_id, self.me, alert.where
                )
                await self._claimed(outcome, alert)
            case p.Done():
                done = await callbacks.record_outcome(
                    self.deps, alert.ref_id, self.me, command.outcome, command.notes
                )
                self._owner_refusal(done, alert)
            case p.Release():
                released = await callbacks.release_callback(self.deps, alert.ref_id, self.me)
                self._owner_refusal(released, alert)
            case _:
                assert_never(command)

    def _alert(self, ticket: str | None) -> Shown | None:
        screen = self.messenger.screen
        key = ticket or screen.last_alert
        found = screen.alerts.get(key) if key else None
        if found is None:
            what = f"for {ticket}" if ticket else "yet"
            self.note([f"No detractor alert {what} in this session: a score of 0-6 raises one."])
        return found

    async def _claimed(
        self, outcome: Claimed | OwnedByOther | UnknownCallback | NotLeadChannel, alert: Shown
    ) -> None:
        where = pane(alert.where, self.me)
        match outcome:
            case Claimed():
                details = await callbacks.requester_details(self.deps, outcome.callback, self.me)
                if details is not None:
                    self.messenger.show(where, render.requester_details(details))
            case OwnedByOther():
                self.messenger.show(where, [refusal(outcome, outcome.callback.owner_id)])
            case UnknownCallback() | NotLeadChannel():
                self.messenger.show(where, [refusal(outcome, None)])
            case _:
                assert_never(outcome)

    def _owner_refusal(
        self, outcome: Released | Closed | NotOwner | UnknownCallback, alert: Shown
    ) -> None:
        match outcome:
            case Released() | Closed():
                return  # the alert, redrawn by the delivery worker, shows the change
            case NotOwner():
                text = refusal(outcome, outcome.callback.owner_id)
            case UnknownCallback():
                text = refusal(outcome, None)
            case _:
                assert_never(outcome)
        self.messenger.show(pane(alert.where, self.me), [text])
