"""`npsbot serve` starts with Slack only, Teams only, both, or neither, and says what is on."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.test_cli import NPSBOT, _free_port, wait_healthy

SLACK_HTTP = {"SLACK_BOT_TOKEN": "xoxb-start-test", "SLACK_SIGNING_SECRET": "start-test-signing"}
# A closed port: Socket Mode keeps retrying in the background while HTTP serves.
SLACK_SOCKET = {
    "SLACK_BOT_TOKEN": "xoxb-start-test",
    "SLACK_APP_TOKEN": "xapp-start-test",
    "SLACK_API_URL": "http://127.0.0.1:9/",
}
TEAMS = {
    "MICROSOFT_APP_ID": "00000000-0000-0000-0000-000000000000",
    "MICROSOFT_APP_PASSWORD": "start-test-password",
}
CASES = {
    "slack-http": (SLACK_HTTP, "slack='on, HTTP at /slack/events'", "teams='off (set MICROSOFT"),
    "slack-socket": (SLACK_SOCKET, "slack='on, Socket Mode'", "teams='off (set MICROSOFT"),
    "teams": (TEAMS, "slack='off (set SLACK_BOT_TOKEN", "teams='on, /api/messages'"),
    "both": ({**SLACK_HTTP, **TEAMS}, "slack='on, HTTP", "teams='on, /api/messages'"),
}


async def _serve(tmp_path: Path, env: dict[str, str]) -> tuple[int, str, dict[str, int]]:
    """Start, probe each route, stop with SIGTERM: exit code, log and each route's status."""
    port = _free_port()
    full = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", **env}
    proc = await asyncio.create_subprocess_exec(
        *NPSBOT, "serve", cwd=tmp_path, env=full, stderr=subprocess.PIPE
    )
    statuses: dict[str, int] = {}
    try:
        async with aiohttp.ClientSession() as http:
            # Generous: loading both Slack's and Teams' libraries on a busy machine takes a while.
            await wait_healthy(http, port, seconds=60)
            for route in ("/slack/events", "/api/messages", "/webhooks/tickets"):
                async with http.post(f"http://127.0.0.1:{port}{route}", data=b"{}") as r:
                    statuses[route] = r.status
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode is not None
    return proc.returncode, stderr.decode(), statuses


@pytest.mark.parametrize("case", list(CASES))
async def test_each_platform_combination_starts_and_says_what_is_on(
    tmp_path: Path, case: str
) -> None:
    env, slack_says, teams_says = CASES[case]
    code, log, statuses = await _serve(tmp_path, env)
    assert code == 0, log
    serving = [line for line in log.splitlines() if " npsbot_serving " in line]
    assert len(serving) == 1, log
    assert slack_says in serving[0]
    assert teams_says in serving[0]
    assert "/webhooks/tickets off (set TICKET_WEBHOOK_SECRET" in serving[0]
    assert log.index(" npsbot_serving ") < log.index(" listening on http://127.0.0.1:")
    assert "AssertionError" not in log
    assert "`token`" not in log  # Bolt's two start-up warnings about our own client are gone
    assert (statuses["/slack/events"] != 404) is (env.get("SLACK_SIGNING_SECRET") is not None)
    assert (statuses["/api/messages"] != 404) is ("MICROSOFT_APP_ID" in env)
    for secret in ("start-test-signing", "start-test-password"):
        assert secret not in log
