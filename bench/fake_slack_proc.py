"""tests' FakeSlack in a child process, so its work never delays the load generator's clock."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from bench.common import user_email, user_id
from bench.slack_limits import Limiter, Limits
from tests.fakes.slack_api import Call, FakeSlack

# What B2's conditions do to the calls a click causes (chat.postMessage is left alone, so the
# surveys still get delivered): answer 429, or answer after 2 s. The "cold" ones do it to the
# auth.test that Bolt makes (once, then cached) on the first requests after the server starts.
AFTER_CLICK = ("chat.update", "chat.postEphemeral", "views.open")
CONDITIONS = ("healthy", "429", "2s-latency", "cold+auth.test-2s", "cold+auth.test-429")


def _apply(fake: FakeSlack, condition: str) -> None:
    methods = ("auth.test",) if condition.startswith("cold") else AFTER_CLICK
    for method in methods:
        if "429" in condition:
            fake.fail_next(method, status=429, retry_after=2, times=1_000_000)
        elif "2s" in condition:
            fake.delay(method, 2.0)


def _summary(fake: FakeSlack) -> dict[str, Any]:
    calls = Counter(f"{c.method} {c.fault or 'ok'}" for c in fake.calls)
    return {"calls": dict(sorted(calls.items())), "invalid": [i["errors"] for i in fake.invalid]}


def _log(calls: list[Call]) -> list[tuple[str, float, str | None, str, str]]:
    """Every call as (method, monotonic time, fault, channel, ts): enough to time each DM."""
    return [
        (c.method, c.at, c.fault, str(c.params.get("channel", "")), str(c.params.get("ts", "")))
        for c in calls
    ]


def _ok(fake: FakeSlack, method: str) -> int:
    return sum(1 for c in fake.calls if c.method == method and c.fault is None)


def _query(fake: FakeSlack, command: str, arg: Any) -> Any:
    """ "log": every call; "ok": successful calls to method `arg`; "seed": arg is (channel, ts)
    of DMs the bench stored without Slack, so that their chat.update succeeds."""
    if command == "log":
        return _log(fake.calls)
    if command == "ok":
        return _ok(fake, arg)
    for key in arg:
        fake.messages[tuple(key)] = {"text": "", "blocks": None, "history": []}
    return ("ok", len(arg))


async def _serve(conn: Connection, users: int, condition: str, limits: Limits | None) -> None:
    async with FakeSlack() as fake:
        fake.limiter = Limiter(limits) if limits else None
        for i in range(users):
            fake.add_user(user_email(i), user_id(i))
        _apply(fake, condition)
        conn.send(fake.base_url)
        loop = asyncio.get_running_loop()
        while True:
            try:
                command, arg = await loop.run_in_executor(None, conn.recv)
            except EOFError:  # the parent went away
                return
            if command == "stop":
                conn.send(_summary(fake))
                return
            if command in ("log", "ok", "seed"):
                conn.send(_query(fake, command, arg))
                continue
            try:  # "wait": arg chat.postMessage calls, then every stored message
                await fake.wait_for("chat.postMessage", arg, timeout=180)
            except AssertionError as exc:
                conn.send(("error", str(exc)))
                continue
            conn.send(("ok", [(ch, ts, m) for (ch, ts), m in fake.messages.items()]))


def _main(conn: Connection, users: int, condition: str, limits: Limits | None) -> None:
    asyncio.run(_serve(conn, users, condition, limits))


class FakeSlackProcess:
    def __init__(self, conn: Connection, proc: BaseProcess) -> None:
        self.conn = conn
        self.proc = proc
        self.base_url = ""

    async def _recv(self, timeout: float) -> Any:  # noqa: ASYNC109 - bounded pipe read
        deadline = time.monotonic() + timeout
        while not await asyncio.to_thread(self.conn.poll, 0.5):
            if not self.proc.is_alive():
                raise RuntimeError(f"fake Slack process exited ({self.proc.exitcode})")
            if time.monotonic() > deadline:
                raise TimeoutError(f"fake Slack did not answer within {timeout}s")
        return self.conn.recv()

    async def messages(self, count: int) -> list[tuple[str, str, dict[str, Any]]]:
        """Waits for `count` chat.postMessage calls; returns (channel, ts, message) for each DM."""
        self.conn.send(("wait", count))
        status, data = await self._recv(200)
        if status != "ok":
            raise RuntimeError(data)
        return list(data)

    async def seed(self, refs: list[tuple[str, str]]) -> None:
        """Makes the fake know DMs that were stored directly, so their chat.update succeeds."""
        self.conn.send(("seed", refs))
        await self._recv(60)

    async def ok_calls(self, method: str) -> int:
        """How many calls to `method` the fake answered normally so far."""
        self.conn.send(("ok", method))
        return int(await self._recv(30))

    async def log(self) -> list[tuple[str, float, str | None, str, str]]:
        """(method, time.monotonic() in the fake, fault, channel, ts) of every call so far;
        CLOCK_MONOTONIC is system-wide on Linux, so the times compare with the bench's."""
        self.conn.send(("log", None))
        return list(await self._recv(60))

    async def summary(self) -> dict[str, Any]:
        self.conn.send(("stop", None))
        return dict(await self._recv(30))


@asynccontextmanager
async def fake_slack(
    users: int, condition: str, limits: Limits | None = None
) -> AsyncIterator[FakeSlackProcess]:
    """With `limits`, the fake enforces them as Slack would (bench.slack_limits)."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_main, args=(child, users, condition, limits), daemon=True)
    proc.start()
    try:
        handle = FakeSlackProcess(parent, proc)
        handle.base_url = str(await handle._recv(60))
        yield handle
    finally:
        parent.close()  # the child's recv() raises EOFError and it returns
        await asyncio.to_thread(proc.join, 5)
        if proc.is_alive():
            proc.terminate()
            await asyncio.to_thread(proc.join, 5)
