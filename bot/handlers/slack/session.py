"""One kept-alive HTTP session for the bot's Slack Web API calls while the server runs.

slack_sdk's AsyncWebClient opens a new aiohttp session, so a new TCP (and, to Slack, TLS)
connection, for every call it is not given a session for. Every thank-you, survey and alert
paid that handshake: bench.profile_clicks showed socket set-up and close among the server's
busiest frames under the click load."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

import aiohttp
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient


def kept_alive(client: AsyncWebClient) -> Callable[[web.Application], AsyncIterator[None]]:
    """The session lives from start-up to shutdown. A call made after it closed (a reply still
    in flight at shutdown) gets a session of its own from slack_sdk, as before."""

    async def ctx(_app: web.Application) -> AsyncIterator[None]:
        # The client's own timeout: slack_sdk applies it only to the sessions it makes itself.
        session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=client.timeout))
        client.session = session
        try:
            yield
        finally:
            client.session = None
            with contextlib.suppress(Exception):
                await session.close()

    return ctx
