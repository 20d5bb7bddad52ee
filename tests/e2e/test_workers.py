"""`npsbot serve --workers N`: N processes answer on one port and share one database."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from tests.e2e.test_cli import _free_port
from tests.harness import NPS_TOML, WEBHOOK_SECRET, signed_webhook_headers, ticket

TICKETS = 31  # odd: two processes cannot have counted the same number
RECEIVED = re.compile(r'^npsbot_surveys_total\{event="received"\} (\S+)$', re.MULTILINE)


def _text(log: Path) -> str:
    return log.read_text()


async def _listening(log: Path, count: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while _text(log).count("listening on") < count:
        assert time.monotonic() < deadline, _text(log)[-2000:]
        await asyncio.sleep(0.1)


async def _post_tickets(base: str) -> list[int]:
    # A new connection per request: the kernel spreads connections, not requests.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:

        async def one(i: int) -> int:
            body = json.dumps({"type": "ticket.closed", "ticket": ticket(id=f"INC{i}")}).encode()
            headers = signed_webhook_headers(body, f"msg_workers_{i}", int(time.time()))
            async with http.post(base + "/webhooks/tickets", data=body, headers=headers) as r:
                return r.status

        return list(await asyncio.gather(*(one(i) for i in range(TICKETS))))


async def _received_counts(base: str, scrapes: int = 30) -> set[float]:
    """npsbot_surveys_total{event="received"} as each scrape's process counted it."""
    seen = set()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
        for _ in range(scrapes):
            async with http.get(base + "/metrics") as r:
                seen.add(float(RECEIVED.findall(await r.text())[0]))
    return seen


async def test_two_workers_share_the_port_and_the_database_and_stop_on_sigterm(
    db_url: str, tmp_path: Path
) -> None:
    (tmp_path / "nps.toml").write_text(NPS_TOML)
    port, log = _free_port(), tmp_path / "serve.log"
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "TICKET_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    with log.open("w") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "serve",
            "--workers",
            "2",
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            await _listening(log, 2)
            base = f"http://127.0.0.1:{port}"
            assert set(await _post_tickets(base)) == {202}
            counts = await _received_counts(base)
        finally:
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 40)
    assert proc.returncode == 0
    # Two processes each counted their own share of the tickets, and together all of them.
    assert len(counts) == 2, counts
    assert sum(counts) == TICKETS
    assert "Traceback" not in _text(log)
