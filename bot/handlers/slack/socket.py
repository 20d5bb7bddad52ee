"""Socket Mode: Slack pushes requests over a WebSocket opened with the xapp- token."""

from __future__ import annotations

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

    async def ctx(_app: web.Application) -> AsyncIterator[None]:
        handler = AsyncSocketModeHandler(bolt, settings.slack_app_token.value)  # type: ignore[union-attr]
        # Not start_async(): that sleeps forever; our aiohttp server owns the process.
        await handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("slack_socket_mode_connected")
        yield
        await handler.close_async()  # type: ignore[no-untyped-call]

    return ctx
