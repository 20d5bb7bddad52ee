"""POST /api/messages: framing checks, then authentication, then the bot; never a 500 for a forgery.

CloudAdapter.process answers 500 for a garbage, expired or wrongly signed token and for a bad
body, because only PermissionError becomes 401 (platforms.md §2.3). Here every failure to
authenticate is a 401 and every unreadable body a 400, before any handler runs.
"""

from __future__ import annotations

import asyncio
import json
import logging
from http import HTTPStatus
from typing import Any

from aiohttp import web
from botbuilder.core import Bot, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult

from bot.deps import Deps
from bot.handlers import Handler
from bot.handlers.teams.shape import ActivityShapeError, check_activity

log = logging.getLogger(__name__)


class Rejected(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def messages_handler(adapter: CloudAdapter, bot: Bot, deps: Deps) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        header = request.headers.get("Authorization")
        try:
            _check_content_type(request)
            # The token first, with no activity: nothing reads the body before it is verified.
            await _authenticate(adapter, _UNREAD, header)
            activity = await _read_activity(request)
            # Again with the activity: its serviceUrl and channelId must match the token's claims.
            result = await _authenticate(adapter, activity, header)
        except Rejected as exc:
            deps.metrics.rejected.labels("teams", exc.reason).inc()
            log.warning("teams_request_rejected", extra={"reason": exc.reason})
            return web.json_response({"error": exc.reason}, status=exc.status)
        return await _turn(adapter, bot, result, activity)

    return handle


# What authentication reads of an activity before there is one: no channel, so no endorsement
# to check yet, and no serviceUrl, so no claim to compare yet (both are checked the second time).
_UNREAD = Activity(channel_id="", service_url=None)
TURN_FAILED = "npsbot could not handle this activity"


async def _turn(
    adapter: CloudAdapter, bot: Bot, result: AuthenticateRequestResult, activity: Activity
) -> web.Response:
    try:
        invoke = await adapter.process_activity(result, activity, bot.on_turn)
    except Exception as exc:
        # Never a 500 for what someone sent; the class names the failure, the body stays out.
        log.warning(
            "teams_turn_failed", extra={"activity": activity.type, "error": type(exc).__name__}
        )
        return web.json_response({"error": TURN_FAILED}, status=400)
    if invoke is None:
        return web.Response(status=201)  # what CloudAdapter answers for a non-invoke activity
    if invoke.status == HTTPStatus.NOT_IMPLEMENTED:
        # An invoke npsbot has no feature for (ActivityHandler says 501): handled, nothing to
        # show. Teams shows an error for any other status, and retrying cannot help.
        log.info("teams_invoke_unhandled", extra={"invoke": str(activity.name)[:64]})
        return web.json_response({}, status=200)
    if invoke.status >= 500:
        return web.json_response({"error": TURN_FAILED}, status=400)
    return web.json_response(_json(invoke.body), status=invoke.status)


def _json(body: Any) -> Any:
    # botbuilder's serializer takes only its models (a dict in it raises, platforms.md §2.5).
    if body is None or isinstance(body, dict | list | str | int | float | bool):
        return body
    return serializer_helper(body)


def _check_content_type(request: web.Request) -> None:
    # botbuilder raises KeyError (a 500) on a missing Content-Type.
    if "application/json" not in request.headers.get("Content-Type", ""):
        raise Rejected(415, "content type must be application/json")


async def _read_activity(request: web.Request) -> Activity:
    try:
        body: Any = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise Rejected(400, "body is not JSON") from None
    try:
        check_activity(body)
        return Activity().deserialize(body)
    except ActivityShapeError as exc:
        raise Rejected(400, str(exc)) from None
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
