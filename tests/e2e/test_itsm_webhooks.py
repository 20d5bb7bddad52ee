"""Each ITSM tool's real body, signed as the tool signs it, through the real server to a DM."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from tests.harness import NPS_TOML, RunningBot, running_bot
from tests.itsm import (
    FRESH,
    ITSM_ENV,
    PEOPLE_TOML,
    REQUESTER,
    TOOLS,
    WRONG,
    basic,
    encode,
    fresh_close,
    not_a_close,
    sign,
    unsigned,
)

pytestmark = pytest.mark.parametrize("tool", TOOLS)


def _bot(db_url: str, tmp_path: Path, toml: str = NPS_TOML + PEOPLE_TOML, **env: str) -> Any:
    return running_bot(db_url, tmp_path, env={**ITSM_ENV, **env}, toml=toml)


async def _post(
    bot: RunningBot, tool: str, body: bytes, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    headers = headers if headers is not None else sign(tool, body, bot.clock.now())
    return await bot.post_raw(f"/webhooks/{tool}", body, headers)


async def _stored(bot: RunningBot) -> tuple[int, int, int]:
    return (
        await bot.scalar("SELECT count(*) FROM survey"),
        await bot.scalar("SELECT count(*) FROM outbox"),
        await bot.scalar("SELECT count(*) FROM webhook_receipt"),
    )


async def test_a_signed_close_reaches_the_requester_naming_ticket_and_agent(
    db_url: str, tmp_path: Path, tool: str
) -> None:
    async with _bot(db_url, tmp_path) as bot:
        bea = bot.user(REQUESTER, "U0BEA")
        status, reply = await _post(bot, tool, encode(fresh_close(tool)))
        assert status == 202, reply
        assert reply["status"] == "accepted"
        await bot.slack.wait_for("chat.postMessage")
        _, dm = bea.survey_message()
        ticket_id, agent = FRESH[tool]
        text = dm["blocks"][0]["text"]["text"]
        assert ticket_id in text
        assert agent in text
        assert "Printer is on fire" in text
        assert await bot.scalar("SELECT team_key FROM survey") == "eus"
        assert await bot.scalar("SELECT source FROM survey") == tool


async def test_unsigned_wrongly_signed_and_mutated_copies_are_401_and_store_nothing(
    db_url: str, tmp_path: Path, tool: str
) -> None:
    async with _bot(db_url, tmp_path) as bot:
        body = encode(fresh_close(tool))
        now = bot.clock.now()
        good = sign(tool, body, now)
        forged = [(body, unsigned(good)), (body, sign(tool, body, now, WRONG[tool]))]
        if tool == "freshservice":  # Basic auth covers no body: a wrong user instead
            forged.append(
                (
                    body,
                    {
                        **good,
                        "authorization": basic("admin", ITSM_ENV["FRESHSERVICE_WEBHOOK_SECRET"]),
                    },
                )
            )
        else:
            for at in (0, len(body) // 2, len(body) - 2):
                mutated = body[:at] + bytes([body[at] ^ 0x01]) + body[at + 1 :]
                forged.append((mutated, good))
        for forged_body, headers in forged:
            status, reply = await _post(bot, tool, forged_body, headers)
            assert status == 401, (headers, reply)
        assert await _stored(bot) == (0, 0, 0)
        assert bot.slack.calls_to("chat.postMessage") == []


async def test_a_replay_and_an_update_that_is_no_close_send_nothing_more(
    db_url: str, tmp_path: Path, tool: str
) -> None:
    async with _bot(db_url, tmp_path) as bot:
        bot.user(REQUESTER, "U0BEA")
        body = encode(fresh_close(tool))
        headers = sign(tool, body, bot.clock.now())
        assert (await _post(bot, tool, body, headers))[0] == 202
        status, reply = await _post(bot, tool, body, headers)
        assert (status, reply["status"]) == (200, "duplicate")
        status, reply = await _post(bot, tool, encode(not_a_close(tool)))
        assert status == 200
        assert reply["status"] == "ignored"
        assert reply["reason"]
        await bot.slack.wait_for("chat.postMessage")
        await bot.drain()
        assert len(bot.slack.calls_to("chat.postMessage")) == 1
        assert await bot.scalar("SELECT count(*) FROM survey") == 1


async def test_a_close_without_requester_email_is_found_in_people_or_recorded_skipped(
    db_url: str, tmp_path: Path, tool: str
) -> None:
    mapped = tool in ("jira", "github")  # these name the requester by account id or login
    async with _bot(db_url, tmp_path) as bot:
        bot.user(REQUESTER, "U0BEA")
        status, _ = await _post(bot, tool, encode(fresh_close(tool, email=None)))
        assert status == 202
        if mapped:
            (call,) = await bot.slack.wait_for("chat.postMessage")
            assert call.params["channel"] == "D0BEA"
            return
        assert await bot.scalar("SELECT status FROM survey") == "skipped"
        assert await bot.scalar("SELECT failure_reason FROM survey") == "no_requester_email"
        assert await bot.scalar("SELECT count(*) FROM outbox") == 0
        async with bot.http.get(bot.url + "/metrics") as response:
            metrics = await response.text()
        assert 'npsbot_surveys_skipped_total{reason="no_requester_email"} 1.0' in metrics


async def test_a_close_nobody_can_name_is_stored_skipped_with_the_reason(
    db_url: str, tmp_path: Path, tool: str
) -> None:
    async with _bot(db_url, tmp_path, toml=NPS_TOML) as bot:  # no [people]
        status, reply = await _post(bot, tool, encode(fresh_close(tool, email=None)))
        assert status == 202, reply
        assert await bot.scalar("SELECT failure_reason FROM survey") == "no_requester_email"
        assert bot.slack.calls_to("chat.postMessage") == []


async def test_an_endpoint_without_its_secret_is_404(
    db_url: str, tmp_path: Path, tool: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    env = dict.fromkeys(ITSM_ENV, "")
    async with running_bot(db_url, tmp_path, env=env) as bot:
        body = encode(fresh_close(tool))
        status, reply = await _post(bot, tool, body)
        assert status == 404
        assert f"{tool.upper()}_WEBHOOK_SECRET" in reply["error"]
        assert await _stored(bot) == (0, 0, 0)
    (line,) = [r for r in caplog.records if r.getMessage() == "webhooks_enabled"]
    assert vars(line)["on"] == "/webhooks/tickets"
    assert f"/webhooks/{tool}" in vars(line)["off"]


async def test_during_a_rotation_both_secrets_are_accepted(
    db_url: str, tmp_path: Path, tool: str
) -> None:
    name = f"{tool.upper()}_WEBHOOK_SECRET"
    async with _bot(db_url, tmp_path, **{name: f"{WRONG[tool]} {ITSM_ENV[name]}"}) as bot:
        body = encode(fresh_close(tool))
        assert (await _post(bot, tool, body, sign(tool, body, bot.clock.now(), WRONG[tool])))[
            0
        ] == 202
        other = fresh_close(tool)
        _set_title(tool, other, "Second ticket")
        assert (await _post(bot, tool, encode(other)))[0] in (200, 202)


def _set_title(tool: str, body: dict[str, Any], title: object) -> None:
    target = {
        "jira": lambda b: b["issue"]["fields"],
        "servicenow": lambda b: b,
        "zendesk": lambda b: b["ticket"],
        "freshservice": lambda b: b["freshservice_webhook"],
        "github": lambda b: b["issue"],
    }[tool](body)
    key = {
        "jira": "summary",
        "servicenow": "short_description",
        "zendesk": "title",
        "freshservice": "ticket_subject",
        "github": "title",
    }[tool]
    target[key] = title


async def test_oversized_bodies_are_413_and_bad_fields_are_400_naming_them(
    db_url: str, tmp_path: Path, tool: str
) -> None:
    async with _bot(db_url, tmp_path) as bot:
        big = fresh_close(tool)
        _set_title(tool, big, "x" * 70_000)
        assert (await _post(bot, tool, encode(big)))[0] == 413
        bad = fresh_close(tool)
        _set_title(tool, bad, {"not": "a string"})  # type: ignore[arg-type]
        status, reply = await _post(bot, tool, encode(bad))
        assert status == 400
        assert "must be a string" in reply["error"]
        for garbage in (b"not json", b"[1]", b"[" * 100_00 + b"]" * 100_00, b'{"x": "\xff"}'):
            status, _ = await _post(bot, tool, garbage)
            assert status in (400, 413), garbage[:20]
        assert await _stored(bot) == (0, 0, 0)


async def test_no_itsm_secret_or_requester_email_reaches_the_logs(
    db_url: str, tmp_path: Path, tool: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with _bot(db_url, tmp_path) as bot:
        bot.user(REQUESTER, "U0BEA")
        body = encode(fresh_close(tool))
        await _post(bot, tool, body)
        await _post(bot, tool, body, sign(tool, body, bot.clock.now(), WRONG[tool]))
        await bot.slack.wait_for("chat.postMessage")
        await bot.drain()
    logged = "\n".join(r.getMessage() + repr(vars(r)) for r in caplog.records)
    assert "webhook_rejected" in logged
    for secret in (*ITSM_ENV.values(), *WRONG.values(), REQUESTER):
        assert secret not in logged
