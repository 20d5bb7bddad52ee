"""POST /webhooks/tickets as an ITSM tool uses it, including everything a forger might send."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from pathlib import Path

import pytest

from bot.handlers.signing import parse_webhook_secret
from tests.harness import (
    PAYLOADS,
    WEBHOOK_SECRET,
    RunningBot,
    running_bot,
    signed_webhook_headers,
    ticket,
)


async def _counts(bot: RunningBot) -> tuple[int, int, int]:
    return (
        await bot.scalar("SELECT count(*) FROM survey"),
        await bot.scalar("SELECT count(*) FROM outbox"),
        await bot.scalar("SELECT count(*) FROM webhook_receipt"),
    )


async def test_readme_sample_body_is_accepted_and_surveyed(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        bot.user("ana.requester@example.com", "U0ANA")
        status, body = await bot.post_ticket((PAYLOADS / "generic_ticket_closed.json").read_bytes())
        assert status == 202
        assert body["status"] == "accepted"
        (call,) = await bot.slack.wait_for("chat.postMessage")
        assert call.params["channel"] == "D0ANA"


async def test_same_webhook_id_concurrently_makes_one_survey(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        bot.user("ana@example.com", "U0ANA")
        results = await asyncio.gather(*(bot.post_ticket(webhook_id="msg_same") for _ in range(20)))
        statuses = sorted(status for status, _ in results)
        assert statuses == [200] * 19 + [202]
        assert await _counts(bot) == (1, 1, 1)
        await bot.slack.wait_for("chat.postMessage")
        await bot.drain()
        assert len(bot.slack.calls_to("chat.postMessage")) == 1


async def test_same_ticket_under_new_ids_concurrently_makes_one_survey(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        bot.user("ana@example.com", "U0ANA")
        results = await asyncio.gather(*(bot.post_ticket() for _ in range(20)))
        assert sorted(s for s, _ in results) == [200] * 19 + [202]
        assert len({body["survey"] for _, body in results}) == 1
        assert await _counts(bot) == (1, 1, 20)
        await bot.slack.wait_for("chat.postMessage")
        await bot.drain()
        assert len(bot.slack.calls_to("chat.postMessage")) == 1


async def test_same_webhook_id_with_another_body_is_refused(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        assert (await bot.post_ticket(webhook_id="msg_1"))[0] == 202
        other = {"type": "ticket.closed", "ticket": ticket(id="INC999")}
        status, body = await bot.post_ticket(other, webhook_id="msg_1")
        assert status == 409
        assert "webhook-id" in body["error"]
        assert await bot.scalar("SELECT count(*) FROM survey") == 1


def _forgeries(body: bytes, now: int) -> list[dict[str, str]]:
    good = signed_webhook_headers(body, "msg_forged", now)
    stale = signed_webhook_headers(body, "msg_forged", now - 301)
    future = signed_webhook_headers(body, "msg_forged", now + 301)
    wrong = signed_webhook_headers(body + b" ", "msg_forged", now)
    return [
        {},
        {**good, "webhook-signature": wrong["webhook-signature"]},
        stale,
        future,
        {**good, "webhook-timestamp": "abc"},
        {**good, "webhook-timestamp": "1e30"},
        {**good, "webhook-timestamp": "9" * 20},
        {**good, "webhook-signature": "v1,é"},
        {**good, "webhook-signature": "v1nocomma"},
        {**good, "webhook-signature": "v1,a,b"},
        {**good, "webhook-signature": ""},
        {k: v for k, v in good.items() if k != "webhook-id"},
    ]


async def test_every_forged_or_garbled_signature_is_401_and_stores_nothing(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        body = json.dumps({"type": "ticket.closed", "ticket": ticket()}).encode()
        now = int(bot.clock.now().timestamp())
        for headers in _forgeries(body, now):
            status, reply = await bot.post_raw("/webhooks/tickets", body, headers)
            assert status == 401, (headers, reply)
            assert reply == {"error": "invalid signature"}
        non_utf8 = b'{"type": "ticket.closed", "x": "\xff\xfe"}'
        status, _ = await bot.post_raw(
            "/webhooks/tickets", non_utf8, signed_webhook_headers(non_utf8, "m", now - 999)
        )
        assert status == 401
        assert await _counts(bot) == (0, 0, 0)
        assert bot.slack.calls == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "not valid UTF-8 JSON"),
        (b'{"type": "ticket.closed", "x": "\xff"}', "not valid UTF-8 JSON"),
        (b"[]", "JSON object"),
        (json.dumps({"type": "ticket.opened", "ticket": ticket()}).encode(), "type"),
        (json.dumps({"type": "ticket.closed", "ticket": ticket(id="")}).encode(), "ticket.id"),
        (
            json.dumps({"type": "ticket.closed", "ticket": ticket(requester_email="x")}).encode(),
            "ticket.requester_email",
        ),
        (
            json.dumps({"type": "ticket.closed", "ticket": ticket(closed_at="yesterday")}).encode(),
            "ticket.closed_at",
        ),
    ],
)
async def test_signed_but_invalid_body_is_400_with_the_reason(
    db_url: str, tmp_path: Path, body: bytes, reason: str
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        status, reply = await bot.post_ticket(body)
        assert status == 400
        assert reason in reply["error"]
        assert await _counts(bot) == (0, 0, 0)


async def test_oversized_body_is_413_and_stores_nothing(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        big = {"type": "ticket.closed", "ticket": ticket(title="x" * 70_000)}
        status, _ = await bot.post_ticket(json.dumps(big).encode())
        assert status == 413
        assert await _counts(bot) == (0, 0, 0)


async def test_ticket_of_an_unknown_team_is_still_surveyed_under_its_own_name(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        bot.user("ana@example.com", "U0ANA")
        body = {"type": "ticket.closed", "ticket": ticket(team="Network Ops")}
        assert (await bot.post_ticket(body))[0] == 202
        await bot.slack.wait_for("chat.postMessage")
        assert await bot.scalar("SELECT team_key FROM survey") is None
        assert await bot.scalar("SELECT team_name FROM survey") == "Network Ops"
        assert "Network Ops" in json.dumps(bot.slack.calls_to("chat.postMessage")[0].params)


async def test_alias_maps_the_ticket_to_its_team(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        body = {"type": "ticket.closed", "ticket": ticket(team="service desk")}
        assert (await bot.post_ticket(body))[0] == 202
        assert await bot.scalar("SELECT team_key FROM survey") == "eus"


async def test_without_a_webhook_secret_tickets_get_503_to_retry(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, env={"TICKET_WEBHOOK_SECRET": ""}) as bot:
        status, reply = await bot.post_ticket()
        assert status == 503
        assert "TICKET_WEBHOOK_SECRET" in reply["error"]


def _readme_snippet() -> str:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("## Send a ticket", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0]


async def _bash(script: str, cwd: Path, **env: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        "bash",
        "-euc",
        script,
        cwd=cwd,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode()


async def test_the_readme_snippet_as_written_sends_a_ticket(db_url: str, tmp_path: Path) -> None:
    """The README's shell snippet runs unchanged (its .env step finds the server's secret) and
    its ticket, whose title has an apostrophe, is accepted and surveyed."""
    (tmp_path / ".env").write_text(f"TICKET_WEBHOOK_SECRET={WEBHOOK_SECRET}\n")
    async with running_bot(db_url, tmp_path) as bot:
        bot.user("ana@example.com", "U0ANA")
        code, out = await _bash(_readme_snippet(), tmp_path, NPSBOT_URL=bot.url)
        assert code == 0, out
        assert "HTTP/1.1 202" in out, out
        await bot.slack.wait_for("chat.postMessage")
        assert await bot.scalar("SELECT title FROM survey") == "VPN won't stay connected"


async def test_the_readme_secret_step_makes_one_valid_secret_once(tmp_path: Path) -> None:
    first_step = _readme_snippet().split("# 2.", 1)[0] + 'echo "$TICKET_WEBHOOK_SECRET"'
    code, made = await _bash(first_step, tmp_path)
    assert code == 0, made
    parse_webhook_secret(made.strip())
    code, again = await _bash(first_step, tmp_path)
    assert (code, again) == (0, made)
    assert (tmp_path / ".env").read_text() == f"TICKET_WEBHOOK_SECRET={made.strip()}\n"


async def test_without_a_secret_the_503_is_logged_and_counted(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(db_url, tmp_path, env={"TICKET_WEBHOOK_SECRET": ""}) as bot:
        assert (await bot.post_ticket())[0] == 503
        async with bot.http.get(bot.url + "/metrics") as response:
            metrics = await response.text()
    assert 'npsbot_webhooks_total{outcome="no_secret"} 1.0' in metrics
    assert any(r.getMessage() == "webhook_secret_not_set" for r in caplog.records)
