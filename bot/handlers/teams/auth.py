"""POST /api/messages: framing checks, then authentication, then the bot; never a 500 for a forgery.

CloudAdapter.process answers 500 for a garbage, expired or wrongly signed token and for a bad
body, because only PermissionError becomes 401 (platforms.md §2.3). Here every failure to
authenticate is a 401 and every unreadable body a 400, before any handler runs.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from aiohttp import web
from botbuilder.core import Bot, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult

from bot.deps import Deps
from bot.handlers import Handler

log = logging.getLogger(__name__)


class Rejected(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def messages_handler(adapter: CloudAdapter, bot: Bot, deps: Deps) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        try:
            activity = await _read_activity(request)
            result = await _authenticate(adapter, activity, request.headers.get("Authorization"))
        except Rejected as exc:
            deps.metrics.rejected.labels("teams", exc.reason).inc()
            log.warning("teams_request_rejected", extra={"reason": exc.reason})
            return web.json_response({"error": exc.reason}, status=exc.status)
        return await _turn(adapter, bot, result, activity)

    return handle


async def _turn(
    adapter: CloudAdapter, bot: Bot, result: AuthenticateRequestResult, activity: Activity
) -> web.Response:
    try:
        invoke = await adapter.process_activity(result, activity, bot.on_turn)
    except Exception:
        log.exception("teams_turn_failed", extra={"activity": activity.type})
        return web.json_response({"error": "internal error"}, status=500)
    if invoke is None:
        return web.Response(status=201)  # what CloudAdapter answers for a non-invoke activity
    return web.json_response(_json(invoke.body), status=invoke.status)


def _json(body: Any) -> Any:
    # botbuilder's serializer takes only its models (a dict in it raises, platforms.md §2.5).
    if body is None or isinstance(body, dict | list | str | int | float | bool):
        return body
    return serializer_helper(body)


async def _read_activity(request: web.Request) -> Activity:
    # botbuilder raises KeyError (a 500) on a missing Content-Type.
    if "application/json" not in request.headers.get("Content-Type", ""):
        raise Rejected(415, "content type must be application/json")
    try:
        body: Any = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        raise Rejected(400, "body is not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        raise Rejected(400, "body is not an activity: no type")
    for field in ("serviceUrl", "channelId"):
        if not isinstance(body.get(field), str):
            raise Rejected(400, f"body is not an activity: no {field}")
    try:
        return Activity().deserialize(body)
    except Exception:
        raise Rejected(400, "body is not an activity") from None


async def _authenticate(
    adapter: CloudAdapter, activity: Activity, header: str | None
) -> AuthenticateRequestResult:
    auth = adapter.bot_framework_authentication
    # None, not "", when there is no header: botbuilder's parameterized authentication treats
    # only None as missing, and would fail an emulator's anonymous request with "".
    try:
        # In a thread with its own loop: botbuilder fetches the OpenID keys with blocking
        # `requests`, which would stall every other request (and deadlock a fake on our loop).
        result: AuthenticateRequestResult = await asyncio.to_thread(
            asyncio.run, auth.authenticate_request(activity, header or None)
        )
    except Exception as exc:
        # The exception's text can quote claims; its class is enough to tell the cases apart.
        raise Rejected(401, f"unauthorized:{type(exc).__name__}") from None
    return result
