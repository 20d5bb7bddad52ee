"""/api/messages refuses every request Teams did not sign, with 401 and without side effects."""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from pathlib import Path
from typing import Any

import jwt
import pytest

from bot.server import DEPS
from tests.fakes.bot_connector import APP_PASSWORD, mint, signing_key, teams_rig
from tests.harness import RunningBot, running_bot
from tests.teams_harness import TeamsUser, teams_user


async def _nothing_happened(bot: RunningBot) -> None:
    assert bot.teams is not None
    assert await bot.scalar("SELECT count(*) FROM teams_conversation") == 0
    assert bot.teams.connector.calls == []


def _ana(bot: RunningBot) -> TeamsUser:
    ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
    assert bot.teams is not None
    bot.teams.connector.add_member(ana.mri, ana.name, ana.email, ana.aad)
    return ana


async def test_a_validly_signed_activity_is_processed(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, teams=True) as bot:
        ana = _ana(bot)
        status, _ = await ana.say("nps help")
        assert status == 201
        assert await bot.scalar("SELECT email FROM teams_conversation") == "ana@example.com"
        assert bot.teams is not None
        (reply,) = await bot.teams.connector.wait_for("POST", conversation=ana.chat)
        assert reply.authorization == "Bearer test"


def _unsigned(service_url: str) -> str:
    now = int(time.time())
    claims = {
        "iss": "https://api.botframework.com",
        "aud": "x",
        "serviceurl": service_url,
        "exp": now + 300,
    }
    return jwt.encode(claims, None, algorithm="none")


# Each names how a token is wrong; the value builds it from the fake connector's service URL.
FORGED: dict[str, Any] = {
    "expired": lambda url: mint(url, expires_in=-600),  # beyond the 5 minutes of leeway
    "signed by another key": lambda url: mint(url, key=signing_key("attacker")),
    "unknown kid": lambda url: mint(url, kid="no-such-key"),
    "wrong aud": lambda url: mint(url, app_id="99999999-2222-3333-4444-555555555555"),
    "wrong issuer": lambda url: mint(url, issuer="https://evil.example.com"),
    "wrong serviceurl": lambda url: mint(url, serviceurl="https://smba.evil.example.com/"),
    "alg none": _unsigned,
    "garbage": lambda url: "garbage",
    "two dots": lambda url: "abc.def.ghi",
}


@pytest.mark.parametrize("case", sorted(FORGED))
async def test_a_forged_token_is_refused_with_401(db_url: str, tmp_path: Path, case: str) -> None:
    async with running_bot(db_url, tmp_path, teams=True) as bot:
        assert bot.teams is not None
        ana = _ana(bot)
        token = FORGED[case](bot.teams.service_url)
        status, body = await ana.post(ana.activity("message", text="nps help"), token)
        assert status == 401, body
        await _nothing_happened(bot)


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwdw==", "bearer x y"]
)
async def test_a_missing_or_malformed_authorization_header_is_refused_with_401(
    db_url: str, tmp_path: Path, authorization: str | None
) -> None:
    async with running_bot(db_url, tmp_path, teams=True) as bot:
        ana = _ana(bot)
        headers = {"Content-Type": "application/json"}
        if authorization is not None:
            headers["Authorization"] = authorization
        body = ana.activity("message", text="nps help")
        status, _ = await bot.post_raw("/api/messages", _json(body), headers)
        assert status == 401
        await _nothing_happened(bot)


def _json(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    ("content_type", "raw", "expected"),
    [
        ("text/plain", b"{}", 415),
        ("", b"{}", 415),
        ("application/json", b"{not json", 400),
        ("application/json", b"\xff\xfe", 400),
        ("application/json", b"[1, 2]", 400),
        ("application/json", b'{"text": "no type"}', 400),
        ("application/json", b'{"type": "message"}', 400),  # no serviceUrl to answer to
    ],
)
async def test_a_body_that_is_no_activity_is_refused_before_authentication(
    db_url: str, tmp_path: Path, content_type: str, raw: bytes, expected: int
) -> None:
    async with running_bot(db_url, tmp_path, teams=True) as bot:
        assert bot.teams is not None
        headers = {"Content-Type": content_type, "Authorization": f"Bearer {bot.teams.token()}"}
        status, body = await bot.post_raw("/api/messages", raw, headers)
        assert status == expected
        assert body["error"]
        await _nothing_happened(bot)


async def test_without_an_app_id_the_teams_endpoint_is_off(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        status, _ = await bot.post_raw("/api/messages", b"{}", {"Content-Type": "application/json"})
        assert status == 404
        assert "teams" not in bot.app[DEPS].messengers


async def test_unauthenticated_mode_is_explicit_and_warned_about_once(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """For the Bot Framework Emulator: no app id, and TEAMS_ALLOW_UNAUTHENTICATED=1."""
    async with teams_rig() as rig:
        anonymous = dataclasses.replace(rig, app_id="")
        env = {"TEAMS_ALLOW_UNAUTHENTICATED": "1"}
        with caplog.at_level(logging.WARNING, logger="bot.server"):
            async with running_bot(db_url, tmp_path, teams=anonymous, env=env) as bot:
                ana = _ana(bot)
                body = ana.activity("message", text="nps help")
                headers = {"Content-Type": "application/json"}
                status, _ = await bot.post_raw("/api/messages", _json(body), headers)
                assert status == 201
                assert await bot.scalar("SELECT count(*) FROM teams_conversation") == 1
    warnings = [r for r in caplog.records if r.getMessage() == "teams_authentication_off"]
    assert len(warnings) == 1


async def test_no_secret_or_token_reaches_the_logs(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_bot(db_url, tmp_path, teams=True) as bot:
        assert bot.teams is not None
        ana = _ana(bot)
        good = bot.teams.token()
        await ana.post(ana.activity("message", text="nps help"), good)
        bad = mint(bot.teams.service_url, expires_in=-600)
        await ana.post(ana.activity("message", text="nps help"), bad)
        await bot.drain()
    logged = "\n".join(
        f"{r.getMessage()} {r.__dict__}" + (f" {r.exc_text}" if r.exc_text else "")
        for r in caplog.records
    )
    assert "teams_request_rejected" in logged
    for secret in (APP_PASSWORD, good, bad, good.split(".")[2]):
        assert secret not in logged
