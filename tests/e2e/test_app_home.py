"""The Slack App Home tab through the real server and the fake Slack: what each person sees, and
clicks taken from the tab (score, claim, done, the opt-out switch) with the tab redrawn."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.harness import NPS_TOML, RunningBot, SlackUser, running_bot, slack_headers, ticket
from tests.seed import Seeded, seed

LEAD = "U0LEAD"
TOML = NPS_TOML.replace("[defaults]\n", f'[defaults]\nadmins = ["{LEAD}"]\n', 1)


def _home_event(user_id: str, tab: str = "home") -> dict[str, Any]:
    return {
        "token": "x",
        "team_id": "T0001",
        "api_app_id": "A0NPSBOT1",
        "type": "event_callback",
        "event": {
            "type": "app_home_opened",
            "user": user_id,
            "channel": "D" + user_id[1:],
            "tab": tab,
            "event_ts": f"{time.time():.6f}",
        },
        "event_id": f"Ev{time.monotonic_ns()}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": "T0001",
                "user_id": "U0BOT",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


async def post_event(bot: RunningBot, event: dict[str, Any]) -> int:
    body = json.dumps(event)
    headers = slack_headers(body, int(bot.clock.now().timestamp()))
    headers["content-type"] = "application/json"
    status, _ = await bot.post_raw("/slack/events", body.encode(), headers)
    return status


async def open_home(bot: RunningBot, user_id: str) -> dict[str, Any]:
    published = len(bot.slack.calls_to("views.publish"))
    assert await post_event(bot, _home_event(user_id)) == 200
    return await _next_home(bot, user_id, published)


async def _next_home(bot: RunningBot, user_id: str, published: int) -> dict[str, Any]:
    await bot.slack.wait_for("views.publish", count=published + 1)
    assert bot.slack.invalid == []
    return bot.slack.homes[user_id]


async def click_on_home(
    bot: RunningBot, user_id: str, view: dict[str, Any], action_id: str, value: str | None = None
) -> dict[str, Any]:
    """Clicks a button of the Home tab as Slack sends it (no channel), returns the redrawn tab."""
    button = _button(view, action_id, value)
    payload = {
        "type": "block_actions",
        "user": {"id": user_id, "team_id": "T0001"},
        "api_app_id": "A0NPSBOT1",
        "token": "x",
        "trigger_id": "1.2.3",
        "container": {"type": "view", "view_id": view["id"]},
        "team": {"id": "T0001", "domain": "example"},
        "is_enterprise_install": False,
        "view": {**view, "team_id": "T0001", "state": {"values": {}}, "hash": "1.a"},
        "actions": [{**button, "action_ts": f"{time.time():.6f}"}],
    }
    published = len(bot.slack.calls_to("views.publish"))
    status, _ = await bot.post_interaction(payload)
    assert status == 200
    return await _next_home(bot, user_id, published)


def _button(view: dict[str, Any], action_id: str, value: str | None) -> dict[str, Any]:
    for block in view["blocks"]:
        elements = block.get("elements", []) + (
            [block["accessory"]] if "accessory" in block else []
        )
        for element in elements:
            if element.get("action_id") == action_id and value in (None, element.get("value")):
                return {**element, "block_id": block.get("block_id", "b")}
    raise AssertionError(f"no {action_id} on the Home tab: {_text(view)[:800]}")


def _text(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


async def _survey_delivered(bot: RunningBot, **fields: Any) -> SlackUser:
    ana = bot.user("ana@example.com", "U0ANA")
    posts = len(bot.slack.calls_to("chat.postMessage"))
    assert (await bot.post_ticket({"type": "ticket.closed", "ticket": ticket(**fields)}))[0] == 202
    await bot.slack.wait_for("chat.postMessage", count=posts + 1)
    await bot.drain()
    return ana


async def test_a_requester_sees_the_pending_survey_on_home_and_answers_from_there(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _survey_delivered(bot)
        view = await open_home(bot, ana.user_id)
        assert view["type"] == "home"
        assert "INC0012345" in _text(view)
        assert "VPN keeps disconnecting" in _text(view)
        redrawn = await click_on_home(bot, ana.user_id, view, "nps.score.9")
        assert await bot.scalar("SELECT score FROM answer") == 9
        assert "INC0012345" not in _text(redrawn)
        assert "No survey is waiting for your answer." in _text(redrawn)
        await bot.drain()
        _, dm = ana.survey_message()
        assert "Thank you! You gave *9*" in json.dumps(dm["blocks"])  # the DM follows the tab
        assert bot.slack.invalid == []


async def test_a_lead_sees_the_score_and_open_callback_claims_and_closes_it_from_home(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        now = bot.clock.now()
        await seed(bot.store, *[Seeded("eus", now - timedelta(days=1), score=10)] * 6)
        ana = await _survey_delivered(bot)
        await ana.click_score(3)
        await bot.drain()
        bot.user("priya@example.com", LEAD)
        view = await open_home(bot, LEAD)
        text = _text(view)
        assert "End User Services" in text
        assert "+71" in text  # 6 promoters and a detractor: (6 − 1) / 7 → 71
        assert "INC0012345" in text
        assert "unclaimed" in text
        claimed = await click_on_home(bot, LEAD, view, "nps.callback.claim")
        assert await bot.scalar("SELECT owner_id FROM callback") == LEAD
        assert "ana@example.com" in _text(claimed)  # whom to call, for the owner only
        await bot.drain()
        alert = next(m for (ch, _), m in bot.slack.messages.items() if ch == "C0LEADS")
        assert "is calling back" in json.dumps(alert["blocks"])  # the channel's alert follows
        opened = len(bot.slack.calls_to("views.open"))
        await _click_done(bot, claimed)
        (modal_call,) = (await bot.slack.wait_for("views.open", count=opened + 1))[opened:]
        modal = modal_call.params["view"]
        published = len(bot.slack.calls_to("views.publish"))
        values = {
            "outcome": {
                "choice": {"type": "radio_buttons", "selected_option": {"value": "resolved"}}
            }
        }
        lead = SlackUser(bot, "priya@example.com", LEAD)
        assert (await lead.submit_view(modal, values))[0] == 200
        done = await _next_home(bot, LEAD, published)
        assert await bot.scalar("SELECT status FROM callback") == "closed"
        assert "No open callbacks for you." in _text(done)


async def _click_done(bot: RunningBot, view: dict[str, Any]) -> None:
    button = _button(view, "nps.callback.done", None)
    payload = {
        "type": "block_actions",
        "user": {"id": LEAD, "team_id": "T0001"},
        "api_app_id": "A0NPSBOT1",
        "token": "x",
        "trigger_id": "1.2.3",
        "container": {"type": "view", "view_id": view["id"]},
        "team": {"id": "T0001", "domain": "example"},
        "view": {**view, "state": {"values": {}}},
        "actions": [button],
    }
    assert (await bot.post_interaction(payload))[0] == 200


async def test_a_stranger_sees_nothing_of_others_and_cannot_claim_from_home(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TOML) as bot:
        ana = await _survey_delivered(bot)
        await ana.click_score(3)
        await bot.drain()
        bob = bot.user("bob@example.com", "U0BOB")
        view = await open_home(bot, bob.user_id)
        text = _text(view)
        for private in ("INC0012345", "VPN", "End User Services", "nps.callback", "ana@"):
            assert private not in text
        lead_view = await open_home(bot, LEAD)  # a tab with a Call back button, replayed by Bob
        refused = await click_on_home(bot, bob.user_id, lead_view, "nps.callback.claim")
        assert await bot.scalar("SELECT status FROM callback") == "open"
        assert "lead channel" in _text(refused)
        assert "INC0012345" not in _text(refused)


async def test_the_opt_out_switch_on_home_toggles_both_ways(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _survey_delivered(bot)
        view = await open_home(bot, ana.user_id)
        out = await click_on_home(bot, ana.user_id, view, "nps.home.optout")
        assert await bot.scalar("SELECT count(*) FROM opt_out") == 1
        assert "You asked not to be surveyed" in _text(out)
        back = await click_on_home(bot, ana.user_id, out, "nps.home.optin")
        assert await bot.scalar("SELECT count(*) FROM opt_out") == 0
        assert "You are asked how it went" in _text(back)


async def test_someone_never_surveyed_can_opt_out_from_home_by_their_profile_email(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        bob = bot.user("Bob@Example.com", "U0BOB")
        view = await open_home(bot, bob.user_id)
        await click_on_home(bot, bob.user_id, view, "nps.home.optout")
        assert await bot.scalar("SELECT email FROM opt_out") == "bob@example.com"
        body = {"type": "ticket.closed", "ticket": ticket(requester_email="bob@example.com")}
        assert (await bot.post_ticket(body))[0] == 202
        await bot.drain()
        assert await bot.scalar("SELECT status FROM survey") == "skipped"


async def test_only_the_home_tab_is_drawn_and_a_malformed_event_is_refused(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        bot.user("ana@example.com", "U0ANA")
        assert await post_event(bot, _home_event("U0ANA", tab="messages")) == 200
        bad = _home_event("U0ANA")
        bad["event"]["user"] = {"id": ["U0ANA"]}
        assert await post_event(bot, bad) == 400
        await open_home(bot, "U0ANA")  # the next good one is drawn, and it is the only one
        assert len(bot.slack.calls_to("views.publish")) == 1


async def test_the_home_tab_is_drawn_over_socket_mode_and_only_for_the_home_tab(
    db_url: str, tmp_path: Path
) -> None:
    """Socket Mode skips the HTTP shape check: the listener itself ignores the Messages tab, and
    acks it (Bolt's adapter closes the socket on an event no listener takes)."""
    env = {"SLACK_APP_TOKEN": "xapp-1-test-app-token", "SLACK_SIGNING_SECRET": ""}
    async with running_bot(db_url, tmp_path, env=env) as bot:
        await bot.slack.wait_for_socket()
        ana = await _survey_delivered(bot)
        await bot.slack.socket_send("events_api", _home_event(ana.user_id, tab="messages"))
        await bot.slack.socket_send("events_api", _home_event(ana.user_id))
        await _next_home(bot, ana.user_id, 0)
        assert bot.slack.socket_connected
        assert "INC0012345" in _text(bot.slack.homes[ana.user_id])
        assert len(bot.slack.calls_to("views.publish")) == 1
