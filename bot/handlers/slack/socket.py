"""Socket Mode: Slack pushes requests over a WebSocket opened with the xapp- token."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.settings import Settings

log = logging.getLogger(__name__)


def socket_mode_lifecycle(
    bolt: AsyncApp, settings: Settings
) -> Callable[[web.Application], AsyncIterator[None]]:
    assert settings.slack_app_token is not None  # noqa: S101 - only called in Socket Mode
    token = settings.slack_app_token.value

    async def ctx(_app: web.Application) -> AsyncIterator[None]:
        handler = AsyncSocketModeHandler(bolt, token)
        # In the background: slack_sdk retries a refused connection forever, and the webhooks
        # and /healthz must not wait on Slack (not start_async() either: it sleeps forever).
        connecting = asyncio.create_task(_connect(handler), name="npsbot-socket-mode")
        try:
            yield
        finally:
            connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await connecting
            await handler.close_async()  # type: ignore[no-untyped-call]  # unannotated in slack_bolt

    return ctx


async def _connect(handler: AsyncSocketModeHandler) -> None:
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]  # unannotated in slack_bolt
    except Exception:
        log.exception("slack_socket_mode_failed")
        return
    log.info("slack_socket_mode_connected")
