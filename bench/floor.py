"""B1's local floor: bare aiohttp + the same HMAC check + one SQLite WAL insert per request."""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import web

from bench.common import WEBHOOK_KEY, serve
from bench.webhooks import drive
from bot.handlers.signing import SignatureRejected, verify_standard_webhook


def make_app(db_path: str) -> web.Application:
    # One synchronous connection, autocommit per insert: what reliability.md §0.10 timed with wrk.
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS receipt (id TEXT PRIMARY KEY, body BLOB NOT NULL)")

    async def tickets(request: web.Request) -> web.Response:
        body = await request.read()
        try:
            wid = verify_standard_webhook([WEBHOOK_KEY], request.headers, body, now=time.time())
        except SignatureRejected:
            return web.json_response({"error": "invalid signature"}, status=401)
        db.execute("INSERT INTO receipt (id, body) VALUES (?, ?)", (wid, body))
        return web.json_response({"status": "accepted"}, status=202)

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/webhooks/tickets", tickets)
    app.router.add_get("/healthz", healthz)
    return app


def count(db_path: str) -> int:
    with sqlite3.connect(db_path) as db:
        rows: int = db.execute("SELECT count(*) FROM receipt").fetchone()[0]
        return rows


async def bench_floor(seconds: float, warmup: float) -> dict[str, Any]:
    """B1's load generator against the floor server, in its own subprocess like the bot."""
    with tempfile.TemporaryDirectory(prefix="npsbot-floor-") as tmp:
        workdir = Path(tmp)
        db_path = str(workdir / "floor.db")
        argv = [sys.executable, "-m", "bench.floor"]
        async with serve(f"sqlite:///{db_path}", workdir, {"PYTHONPATH": _root()}, argv) as server:
            result = await drive(server.url, server.pid, seconds, warmup)
        result["rows"] = count(db_path)
        result["problems"] = server.problems()
    result["correct"] = result["rows"] == result["ok_ids"] and not result["non_2xx"]
    return result


def _root() -> str:
    return str(Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    database = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
    web.run_app(make_app(database), host="127.0.0.1", port=int(os.environ["PORT"]),
                print=None, access_log=None)  # fmt: skip
