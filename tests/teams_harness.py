"""Talks to the running bot as Teams does: signed activities to /api/messages, one per thing a
person does (installs the app, types a command, clicks a card)."""

from __future__ import annotations

import copy
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.fakes.bot_connector import TeamsRig
from tests.harness import RunningBot

PAYLOADS = Path(__file__).parent / "payloads"
TENANT = "72f988bf-0000-4a2b-9c3d-0123456789ab"
TEAM = "19:team5f2a0c7e9b4d4e1f8a6b3c2d1e0f9a8b@thread.tacv2"
LEADS = "19:leads7c3e1a9b5d2f4e6a8c0b1d3e5f7a9c1b@thread.tacv2"
# One Teams team whose leads' channel is LEADS: the deployment most Teams tests need.
TEAMS_TOML = f"""\
[defaults]
slack_lead_channel = "C0DEFAULT"
digest = "off"

[[team]]
key = "eus"
name = "End User Services"
platform = "teams"
teams_lead_channel = "{LEADS}"
"""
_serial = itertools.count(1)

Json = dict[str, Any]


def _base(name: str) -> Json:
    return dict(json.loads((PAYLOADS / name).read_text()))


def actions(card: Json, verb: str) -> list[Json]:
    """Every Action.Execute with this verb, wherever it sits (buttons, boxes, shown cards)."""
    found: list[Json] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute" and node.get("verb") == verb:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


@dataclass
class TeamsUser:
    bot: RunningBot
    name: str
    email: str
    aad: str
    mri: str  # the 29:… id Teams uses in activities
    chat: str  # their 1:1 conversation with the bot (long, as real ones are)

    @property
    def rig(self) -> TeamsRig:
        assert self.bot.teams is not None, "running_bot(teams=True) first"
        return self.bot.teams

    def activity(self, kind: str, conversation: Json | None = None, **fields: Any) -> Json:
        body = _base("teams_message_activity.json")
        for key in ("text", "textFormat", "localTimezone"):
            body.pop(key, None)
        body.update(
            type=kind,
            id=f"f:{next(_serial)}",
            serviceUrl=self.rig.service_url,
            **{"from": {"id": self.mri, "name": self.name, "aadObjectId": self.aad}},
            conversation=conversation
            or {"conversationType": "personal", "tenantId": TENANT, "id": self.chat},
            recipient={"id": f"28:{self.rig.app_id}", "name": "npsbot"},
            **fields,
        )
        return body

    async def post(self, activity: Json, token: str | None = None) -> tuple[int, Json]:
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token or self.rig.token()}",
        }
        return await self.bot.post_raw("/api/messages", json.dumps(activity).encode(), headers)

    async def install(self) -> None:
        """Adds the app for themselves (or an admin's setup policy does it for them)."""
        self.rig.connector.add_member(self.mri, self.name, self.email, self.aad)
        status, _ = await self.post(self.activity("installationUpdate", action="add"))
        assert status == 201, status

    async def say(self, text: str) -> tuple[int, Json]:
        return await self.post(self.activity("message", text=text, textFormat="plain"))

    async def say_in_channel(self, channel: str, text: str) -> tuple[int, Json]:
        mention = {
            "type": "mention",
            "text": "<at>npsbot</at>",
            "mentioned": {"id": f"28:{self.rig.app_id}", "name": "npsbot"},
        }
        activity = self.activity(
            "message",
            _channel(channel, f"{next(_serial)}"),
            text=f"<at>npsbot</at> {text}",
            entities=[mention],
            channelData={
                "team": {"id": TEAM},
                "channel": {"id": channel},
                "tenant": {"id": TENANT},
            },
        )
        return await self.post(activity)

    def cards(self) -> list[tuple[str, Json]]:
        return self.rig.connector.cards(self.chat)

    def survey_card(self) -> tuple[str, Json]:
        found = self.cards()
        assert found, f"no card in {self.name}'s chat"
        return found[-1]

    async def invoke(
        self, action: Json, reply_to: str, inputs: Json | None = None, channel: str | None = None
    ) -> tuple[int, Json]:
        """Clicks an Action.Execute: Teams merges the card's input values into its data."""
        body = _base("teams_adaptive_card_action_invoke.json")
        value = {
            "action": {
                "type": "Action.Execute",
                "id": action.get("title", ""),
                "verb": action["verb"],
                "data": {**copy.deepcopy(action.get("data") or {}), **(inputs or {})},
            },
            "trigger": "manual",
        }
        conversation = _channel(channel, reply_to) if channel else None
        activity = self.activity(
            "invoke",
            conversation,
            name="adaptiveCard/action",
            value=value,
            replyToId=reply_to,
            channelData=body["channelData"],
        )
        return await self.post(activity)

    async def click_score(
        self, score: int, card: tuple[str, Json] | None = None
    ) -> tuple[int, Json]:
        activity_id, content = card or self.survey_card()
        (box,) = [a for a in actions(content, "nps.score") if a["data"]["score"] == score]
        return await self.invoke(box, activity_id)

    async def submit_comment(
        self, comment: str, drivers: list[str], share: bool = False
    ) -> tuple[int, Json]:
        activity_id, content = self.survey_card()
        (send,) = actions(content, "nps.comment")
        inputs = {"comment": comment, "drivers": ",".join(drivers), "share": str(share).lower()}
        return await self.invoke(send, activity_id, inputs)

    async def click_in_channel(
        self, channel: str, activity_id: str, verb: str, inputs: Json | None = None
    ) -> tuple[int, Json]:
        content = self.rig.connector.activities[(channel, activity_id)]["attachments"][0]
        (action,) = actions(content["content"], verb)
        return await self.invoke(action, activity_id, inputs, channel=channel)


def _channel(channel: str, message_id: str) -> Json:
    return {
        "conversationType": "channel",
        "tenantId": TENANT,
        "isGroup": True,
        "id": f"{channel};messageid={message_id}",
    }


def teams_user(bot: RunningBot, name: str, email: str, n: int) -> TeamsUser:
    """Ids shaped and sized like real ones: Teams' exceed the 64 characters of our id columns."""
    aad = f"6f1c5e2a-{n:04d}-4a2b-9c3d-0123456789ab"
    mri = f"29:1{name.replace(' ', '')}{n:04d}" + "x" * 80
    chat = f"a:1PersonalChat{n:04d}" + "y" * 120
    return TeamsUser(bot, name, email, aad, mri, chat)


def invoke_text(body: Json) -> str:
    """What Teams shows the person who clicked, from an adaptiveCard/action answer."""
    assert body.get("statusCode") == 200, body
    if body.get("type") == "application/vnd.microsoft.activity.message":
        return str(body["value"])
    return json.dumps(body["value"])
