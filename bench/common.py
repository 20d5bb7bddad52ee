"""Shared bench plumbing: the real server as a subprocess, fresh databases, signing, statistics."""

from __future__ import annotations

import asyncio
import base64
import json
import math
import os
import re
import secrets
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import aiohttp
import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.handlers.signing import parse_webhook_secret, sign_standard_webhook
from store import open_store

CONCURRENCY = 50
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"npsbot-bench-key-0123456789abcdef").decode()
WEBHOOK_KEY = parse_webhook_secret(WEBHOOK_SECRET)
SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-bench-bot-token"
NPS_TOML = (
    '[defaults]\nslack_lead_channel = "C0DEFAULT"\n\n[[team]]\nkey = "eus"\n'
    'name = "End User Services"\naliases = ["EUS"]\nslack_lead_channel = "C0LEADS"\n'
)
# Same rule as tests/conftest.py: no developer token, database or proxy may reach the server.
_CLEARED_PREFIXES = ("SLACK_", "MICROSOFT_", "TEAMS_", "TICKET_", "NPS_", "SURVEY_", "DELIVERY_")
_CLEARED = {
    "DATABASE_URL",
    "HOST",
    "PORT",
    "LOG_LEVEL",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
}
PROBLEM_MARKERS = (" ERROR ", " CRITICAL ", "Traceback", "locked")
_RECORD_START = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")  # bot.logs' asctime


def user_email(i: int) -> str:
    return f"bench.user{i}@example.com"


def user_id(i: int) -> str:
    return f"U{i:07d}"


def signed_ticket(tag: str, i: int, timestamp: int) -> tuple[str, bytes, dict[str, str]]:
    """One unique ticket-closed delivery (unique webhook-id and ticket id), signed up front."""
    ticket = {
        "id": f"{tag}-{i}",
        "title": f"Bench ticket {i}",
        "requester_email": user_email(i),
        "agent_email": "carol@example.com",
        "agent_name": "Carol",
        "team": "End User Services",
        "closed_at": "2026-11-20T10:00:00Z",
        "url": f"https://itsm.example.com/{tag}-{i}",
    }
    body = json.dumps({"type": "ticket.closed", "source": "bench", "ticket": ticket}).encode()
    wid = f"msg_{tag}_{i}"
    headers = {
        "webhook-id": wid,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign_standard_webhook(WEBHOOK_KEY, wid, timestamp, body),
        "content-type": "application/json",
    }
    return wid, body, headers


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile; nan for no samples."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy (all cores, steal included), from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _clean_env(extra: dict[str, str]) -> dict[str, str]:
    kept = {
        k: v
        for k, v in os.environ.items()
        if k not in _CLEARED and not k.startswith(_CLEARED_PREFIXES)
    }
    return {**kept, **extra}


def _open_log(path: Path) -> IO[bytes]:
    return path.open("wb")


@dataclass
class Server:
    url: str
    pid: int
    log: Path

    def problems(self) -> list[str]:
        """Log records that look like errors (ERROR, tracebacks, 'locked'): "first ⏎ last line"."""
        records: list[list[str]] = []
        for line in self.log.read_text(errors="replace").splitlines():
            if _RECORD_START.match(line) or not records:
                records.append([line])
            else:  # a traceback or other continuation of the record above
                records[-1].append(line)
        found = [r for r in records if any(m in line for line in r for m in PROBLEM_MARKERS)]
        return [r[0] if len(r) == 1 else f"{r[0]} ⏎ {r[-1]}" for r in found]


@asynccontextmanager
async def serve(
    db_url: str,
    workdir: Path,
    env: dict[str, str],
    argv: list[str] | None = None,
    config_text: str = NPS_TOML,
) -> AsyncIterator[Server]:
    """`python -m bot serve` (or argv) on a free loopback port; stopped with SIGINT, then killed."""
    port = free_port()
    config = workdir / "nps.toml"
    config.write_text(config_text)
    settings = {
        "DATABASE_URL": db_url,
        "TICKET_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "NPS_CONFIG": str(config),
        **env,
    }
    log_path = workdir / f"server-{port}.log"
    log = _open_log(log_path)
    command = argv or [sys.executable, "-m", "bot", "serve"]
    # cwd is the temp dir, so a developer's .env in the checkout is never read.
    proc = await asyncio.create_subprocess_exec(
        *command, cwd=workdir, env=_clean_env(settings), stdout=log, stderr=log
    )
    server = Server(f"http://127.0.0.1:{port}", proc.pid, log_path)
    try:
        await _wait_healthy(server, proc)
        yield server
    finally:
        await _stop(proc)
        log.close()


async def _wait_healthy(server: Server, proc: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if proc.returncode is not None:
                break
            try:
                async with http.get(server.url + "/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    tail = server.log.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"server did not become healthy (exit {proc.returncode}):\n{tail}")


async def _stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(proc.wait(), timeout=15)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def _admin(admin_url: str, sql: str) -> Any:
    u = make_url(admin_url)
    conn = await asyncpg.connect(
        host=u.host,
        port=u.port,
        user=u.username,
        password=u.password,
        database=u.database or "postgres",
    )
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


async def postgres_version(admin_url: str) -> str:
    return str(await _admin(admin_url, "SHOW server_version"))


@asynccontextmanager
async def fresh_database(admin_url: str | None, workdir: Path) -> AsyncIterator[str]:
    """A new SQLite file in workdir, or a new PostgreSQL database npsbot_bench_* dropped after."""
    if admin_url is None:
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    name = f"npsbot_bench_{secrets.token_hex(5)}"
    await _admin(admin_url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def scalar(db_url: str, sql: str) -> Any:
    store = open_store(db_url)
    try:
        async with store.read() as conn:
            return (await conn.execute(text(sql))).scalar_one()
    finally:
        await store.close()


async def warm_connections(http: aiohttp.ClientSession, base_url: str) -> None:
    """Opens CONCURRENCY keep-alive connections so no timed request pays for a TCP handshake."""

    async def hit() -> None:
        async with http.get(base_url + "/healthz") as resp:
            await resp.read()

    await asyncio.gather(*(hit() for _ in range(CONCURRENCY)))


def client(limit: int = CONCURRENCY) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=limit)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30))
