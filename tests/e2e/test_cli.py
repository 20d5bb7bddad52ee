"""The `npsbot` command as an admin runs it: clear one-line errors, idempotent migrate, serve."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from tests.harness import NPS_TOML, WEBHOOK_SECRET, signed_webhook_headers, ticket

NPSBOT = [sys.executable, "-m", "bot"]


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        NPSBOT + args,
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = _run(["--help"], tmp_path)
    assert result.returncode == 0
    assert "serve" in result.stdout
    assert "migrate" in result.stdout


def test_invalid_settings_stop_the_start_with_one_line_naming_the_setting(tmp_path: Path) -> None:
    cases = {
        "PORT": ("abc", "PORT"),
        "SLACK_BOT_TOKEN": ("xapp-SECRET-VALUE-123", "SLACK_BOT_TOKEN"),
        "TICKET_WEBHOOK_SECRET": ("nope-SECRET-VALUE-123", "TICKET_WEBHOOK_SECRET"),
        "DATABASE_URL": ("mysql://u:SECRET-VALUE-123@h/db", "DATABASE_URL"),
    }
    for name, (value, named) in cases.items():
        result = _run(["serve"], tmp_path, **{name: value})
        assert result.returncode == 2, name
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert named in lines[0]
        assert "SECRET-VALUE" not in result.stderr + result.stdout


def test_invalid_nps_toml_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "nps.toml").write_text('[[team]]\nkey = "eus"\n\n[[team]]\nname = "No key"\n')
    result = _run(["migrate"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "npsbot: nps.toml:4: [[team]] #2: key is required"


def test_migrate_is_idempotent_and_creates_the_default_sqlite_file(tmp_path: Path) -> None:
    assert _run(["migrate"], tmp_path).returncode == 0
    assert _run(["migrate"], tmp_path).returncode == 0
    assert (tmp_path / "npsbot.db").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_serve_with_no_platform_accepts_tickets_and_says_what_to_set(tmp_path: Path) -> None:
    (tmp_path / "nps.toml").write_text(NPS_TOML)
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "TICKET_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    proc = await asyncio.create_subprocess_exec(
        *NPSBOT, "serve", cwd=tmp_path, env=env, stderr=subprocess.PIPE
    )
    try:
        async with aiohttp.ClientSession() as http:
            await wait_healthy(http, port)
            body = json.dumps({"type": "ticket.closed", "ticket": ticket()}).encode()
            headers = signed_webhook_headers(body, "msg_cli", int(time.time()))
            async with http.post(
                f"http://127.0.0.1:{port}/webhooks/tickets", data=body, headers=headers
            ) as r:
                assert r.status == 202
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0
    log = stderr.decode()
    hints = [line for line in log.splitlines() if "no chat platform configured" in line]
    assert len(hints) == 1
    assert "SLACK_BOT_TOKEN" in hints[0]
    assert WEBHOOK_SECRET not in log


async def wait_healthy(http: aiohttp.ClientSession, port: int, seconds: float = 10) -> None:
    """Polls /healthz of an `npsbot serve` subprocess until it answers 200."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError("npsbot serve did not become healthy")


def _closed_port() -> int:
    return _free_port()  # nothing listens on it once the probe socket is closed


def test_unreachable_postgresql_stops_serve_and_migrate_with_one_line_naming_the_host(
    tmp_path: Path,
) -> None:
    url = f"postgresql://npsbot:S3cret-Pa55word@127.0.0.1:{_closed_port()}/nps"
    for command in ("serve", "migrate"):
        result = _run([command], tmp_path, DATABASE_URL=url, PORT=str(_free_port()))
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "127.0.0.1" in lines[0]
        assert "Traceback" not in result.stderr
        assert "S3cret-Pa55word" not in result.stderr + result.stdout


def test_sqlite_file_that_cannot_be_created_stops_serve_with_one_line(tmp_path: Path) -> None:
    # A file where the directory should be: unwritable even for root, who ignores chmod.
    (tmp_path / "a-file").write_text("")
    for path in (tmp_path / "missing" / "dir" / "npsbot.db", tmp_path / "a-file" / "npsbot.db"):
        for command in ("serve", "migrate"):
            result = _run([command], tmp_path, DATABASE_URL=f"sqlite:///{path}")
            assert result.returncode == 2, (path, result.stderr)
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1, result.stderr
            assert str(path) in lines[0]
