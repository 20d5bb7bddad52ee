"""`/nps`, the slash command: one path for Bolt's listener (Socket Mode) and for HTTP, where a
verified, shape-checked command goes straight to the use case, as score clicks do (clicks.py).
Bolt's dispatch (a second signature check and parse, its middleware chain, and a task that polls
every 10 ms for the ack) cost more than reading a report's roll-ups. The HTTP response is what
the command acks, sent as soon as it acks; what follows the ack (the chart, or a late reply, to
the person's DM) goes on after the response, as it does under Bolt."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncAck
from slack_bolt.response import BoltResponse

from bot import commands, queries
from bot.deps import Deps
from bot.handlers.slack import replies
from bot.handlers.slack.messenger import SlackMessenger

log = logging.getLogger(__name__)

# The body Slack gets for a request npsbot failed on before answering (Bolt's listener error).
FAILED = {"error": "npsbot could not handle this request"}


async def run(deps: Deps, ack: AsyncAck, command: dict[str, Any]) -> None:
    """Parse, answer, and ack with the reply (or the late notice, then the reply in the DM)."""
    query = commands.parse(command.get("text", ""))
    channel, user = command.get("channel_id", ""), command.get("user_id", "")
    work = queries.answer(deps, query, channel, user, platform="slack")
    await replies.answer_command(ack, _messenger(deps), user, work)


def _messenger(deps: Deps) -> SlackMessenger:
    """The worker's messenger, whose client Bolt's app shares: a chart's calls take turns with
    the surveys' (bot.pacing), and share its DM channels."""
    found = deps.messengers["slack"]
    assert isinstance(found, SlackMessenger)  # noqa: S101 - registered with the Slack adapter
    return found


async def answer(deps: Deps, request: web.Request, command: dict[str, Any]) -> web.StreamResponse:
    """The HTTP path: `run` in a task of its own, and its ack as the response, sent as soon as
    it acks; the task goes on (to the chart) once the reply is out."""
    ack = _Ack()
    replies.after_response(_run_logged(deps, ack, command))
    try:
        response = await to_aiohttp_response(await ack.sent)
        await response.prepare(request)
        await response.write_eof()
    finally:
        ack.replied.set()
    return response


class _Ack(AsyncAck):
    """Bolt's own ack (so the body is byte for byte Bolt's), which also wakes the request, then
    waits until the reply is sent: the chart drawn next in a thread held the GIL meanwhile."""

    def __init__(self) -> None:
        self.response: BoltResponse | None = None
        self.sent: asyncio.Future[BoltResponse] = asyncio.get_running_loop().create_future()
        self.replied = asyncio.Event()

    async def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = await super().__call__(*args, **kwargs)
        if not self.sent.done():
            self.sent.set_result(response)
            await self.replied.wait()
        return response


async def _run_logged(deps: Deps, ack: _Ack, command: dict[str, Any]) -> None:
    try:
        await run(deps, ack, command)
    except Exception as exc:  # as Bolt's error handler (see _on_listener_error) logs it
        log.warning("slack_listener_failed", extra={"error": type(exc).__name__})
    finally:
        if not ack.sent.done():  # ended before its ack: Bolt's 400 for a listener that raised
            ack.sent.set_result(BoltResponse(status=400, body=FAILED))
